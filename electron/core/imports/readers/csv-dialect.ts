/**
 * Which delimiter and line break a delimited text file uses, read from its first records. Excel
 * writes `,` or, in locales with a decimal comma, `;`; "Unicode Text" is TAB-separated; some tools
 * use `|`. Delimiters inside quotes do not count, and the right one appears the same number of times
 * in most records (a title row above the header is outvoted).
 */
export type CsvDelimiter = ',' | ';' | '\t' | '|';
export type CsvNewline = '\r\n' | '\n' | '\r';

export interface CsvDialect {
  delimiter: CsvDelimiter;
  newline: CsvNewline;
  /** Set when Excel's `sep=;` hint line names the delimiter: that first line is not data. */
  sepLine: boolean;
}

const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const SAMPLE_RECORDS = 50;

/**
 * @param sample the start of the text (BOM removed)
 * @param complete true when the sample is the whole file, so its last record is not cut short
 */
export function detectCsvDialect(sample: string, complete: boolean): CsvDialect {
  const sep = /^sep=([,;\t|])\r?\n/i.exec(sample);
  const records = countDelimitersPerRecord(sample, complete);
  const newline = records.newline;
  if (sep) return { delimiter: sep[1] as CsvDelimiter, newline, sepLine: true };

  let best: { delimiter: CsvDelimiter; agreement: number; count: number } | null = null;
  for (const delimiter of CANDIDATES) {
    const counts = records.counts.map((perRecord) => perRecord[delimiter]);
    const { value, frequency } = mostCommonPositive(counts);
    if (value === 0) continue;
    const agreement = frequency / counts.length;
    if (
      !best ||
      agreement > best.agreement + 1e-9 ||
      (Math.abs(agreement - best.agreement) <= 1e-9 && value > best.count)
    ) {
      best = { delimiter, agreement, count: value };
    }
  }
  return { delimiter: best?.delimiter ?? ',', newline, sepLine: false };
}

type Counts = Record<CsvDelimiter, number>;

function countDelimitersPerRecord(
  sample: string,
  complete: boolean,
): { counts: Counts[]; newline: CsvNewline } {
  const counts: Counts[] = [];
  let current: Counts = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let newline: CsvNewline | null = null;
  let inQuotes = false;
  let fieldStart = true;
  let recordHasContent = false;
  for (let index = 0; index < sample.length && counts.length < SAMPLE_RECORDS; index += 1) {
    const char = sample[index]!;
    recordHasContent = true;
    if (inQuotes) {
      if (char === '"') {
        if (sample[index + 1] === '"') index += 1;
        else inQuotes = false;
      }
      continue;
    }
    if (char === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      continue;
    }
    if (char === '\r' || char === '\n') {
      const crlf = char === '\r' && sample[index + 1] === '\n';
      newline ??= crlf ? '\r\n' : char;
      if (crlf) index += 1;
      counts.push(current);
      current = { ',': 0, ';': 0, '\t': 0, '|': 0 };
      fieldStart = true;
      recordHasContent = false;
      continue;
    }
    if (char === ',' || char === ';' || char === '\t' || char === '|') {
      current[char] += 1;
      // A quote opens a field only right after the delimiter, and the delimiter is not known yet:
      // any candidate counts as a field start.
      fieldStart = true;
      continue;
    }
    fieldStart = false;
  }
  // The last record of a cut sample is incomplete: it would vote with too few delimiters.
  if (complete && recordHasContent && counts.length < SAMPLE_RECORDS) counts.push(current);
  if (counts.length === 0) counts.push(current);
  return { counts, newline: newline ?? '\n' };
}

function mostCommonPositive(values: readonly number[]): { value: number; frequency: number } {
  const frequency = new Map<number, number>();
  for (const value of values) if (value > 0) frequency.set(value, (frequency.get(value) ?? 0) + 1);
  let best = { value: 0, frequency: 0 };
  for (const [value, count] of frequency) {
    if (count > best.frequency || (count === best.frequency && value > best.value))
      best = { value, frequency: count };
  }
  return best;
}
