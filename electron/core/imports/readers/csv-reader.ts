import { open, type FileHandle } from 'node:fs/promises';
import Papa from 'papaparse';
import { AppError } from '../../../../shared/api/errors';
import type { Table, TableRow } from '../preset-types';
import { detectCsvDialect, type CsvDelimiter, type CsvDialect, type CsvNewline } from './csv-dialect';
import { chooseHeaderRow, cleanHeader, HEADER_SAMPLE_ROWS, isBlankRow } from './header-row';
import { sniffFile, type SniffedFile, type TextEncodingName } from './sniff-file';
import { createChunkDecoder, type ChunkDecoder } from './text-decoding';

/**
 * Streams a delimited text file (CSV, semicolon CSV, Excel "Unicode Text") into a `Table`.
 *
 * Why papaparse's low-level `Parser` driven by hand: papaparse is the fast parser here (PERFORMANCE.md:
 * 2.1 s per million rows against csv-parse's 10.8 s), but its own streaming re-parses an unfinished
 * record from the start on every chunk, which goes quadratic on one huge field or an unterminated
 * quote (SECURITY.md: > 300 s for 300 MB). Driving `Parser.parse(text, 0, ignoreLastRow)` ourselves
 * keeps the speed and lets us (1) re-parse an unfinished record only when the text has doubled, so
 * the work stays linear, (2) refuse a record longer than `maxRecordChars` with its line number, and
 * (3) count physical lines, so every row knows the line it starts on.
 */
export interface CsvTableOptions {
  /** Longest record in characters; longer means a quote is probably never closed. */
  maxRecordChars?: number;
  /** Reuse the sniff the caller already did. */
  sniffed?: SniffedFile;
  /** Use this delimiter instead of the detected one. */
  delimiter?: CsvDelimiter;
}

/** Excel caps a cell at 32,767 characters; 4 Mi characters is far above any honest record. */
export const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const DIALECT_SAMPLE_CHARS = 64 * 1024;

export async function openCsvTable(path: string, options: CsvTableOptions = {}): Promise<Table> {
  const sniffed = options.sniffed ?? (await sniffFile(path));
  if (sniffed.format !== 'csv' || sniffed.encoding === null) {
    const what = sniffed.format === 'xlsx' ? 'an Excel workbook' : 'a JSON document';
    throw new AppError(
      'INVALID_FILE',
      `${sniffed.name} is ${what}, not delimited text: import it as ${sniffed.format.toUpperCase()}.`,
    );
  }
  const source = await CsvRecordSource.open(
    sniffed,
    options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    options.delimiter,
  );
  try {
    const sample: TableRow[] = [];
    while (sample.length < HEADER_SAMPLE_ROWS) {
      const row = await source.next();
      if (!row) break;
      if (!isBlankRow(row.cells)) sample.push(row);
    }
    const headerIndex = chooseHeaderRow(sample);
    const headerRow = sample[headerIndex];
    if (!headerRow) {
      throw new AppError(
        'INVALID_FILE',
        `${sniffed.name} holds only empty lines: there is no header and no data. Export the data again.`,
      );
    }
    const header = cleanHeader(headerRow.cells);
    const details = {
      format: 'csv' as const,
      delimiter: source.dialect.delimiter,
      get encoding(): TextEncodingName {
        return source.encoding;
      },
    };
    return {
      file: sniffed.name,
      header,
      headerRowNumber: headerRow.rowNumber,
      rows: new CsvRows(source, sample.slice(headerIndex + 1), header.length),
      details,
    };
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** Rows after the header, blank rows dropped, padding beyond the header's width trimmed. */
class CsvRows implements AsyncIterable<TableRow> {
  private started = false;

  constructor(
    private readonly source: CsvRecordSource,
    private readonly buffered: TableRow[],
    private readonly width: number,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<TableRow> {
    if (this.started) throw new Error('The rows of a table can be read once.');
    this.started = true;
    const { source, buffered, width } = this;
    let index = 0;
    const shape = (row: TableRow): TableRow => {
      const cells = row.cells;
      let end = cells.length;
      while (end > width && cells[end - 1]!.trim() === '') end -= 1;
      return end === cells.length ? row : { rowNumber: row.rowNumber, cells: cells.slice(0, end) };
    };
    const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
    const pull = async (): Promise<IteratorResult<TableRow>> => {
      for (;;) {
        const row = await source.next();
        if (!row) return done;
        if (!isBlankRow(row.cells)) return { value: shape(row), done: false };
      }
    };
    return {
      next: () => {
        while (index < buffered.length) {
          const row = buffered[index++]!;
          if (!isBlankRow(row.cells)) return Promise.resolve({ value: shape(row), done: false });
        }
        // Most calls find a parsed row waiting: answer without an extra await per row (1M rows).
        const ready = source.nextReady();
        if (ready)
          return isBlankRow(ready.cells) ? pull() : Promise.resolve({ value: shape(ready), done: false });
        return pull();
      },
      return: async () => {
        await source.close();
        return done;
      },
    };
  }
}

/** Reads, decodes and parses the file chunk by chunk, handing out records with their line numbers. */
class CsvRecordSource {
  private readonly parser: Papa.Parser;
  private readonly decoder: ChunkDecoder;
  private readonly chunk = Buffer.alloc(READ_CHUNK_BYTES);
  private readonly lineBreak: string;
  private position: number;
  private endOfFile = false;
  private closed = false;
  private pending = '';
  private incoming: string[] = [];
  private incomingLength = 0;
  private nextLine = 1;
  private queue: TableRow[] = [];
  private queueIndex = 0;
  private firstRecord = true;

  private constructor(
    private readonly handle: FileHandle,
    private readonly sniffed: SniffedFile,
    readonly dialect: CsvDialect,
    private readonly maxRecordChars: number,
    decoder: ChunkDecoder,
    start: number,
  ) {
    this.decoder = decoder;
    this.position = start;
    this.parser = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline, quoteChar: '"' });
    this.lineBreak = dialect.newline === '\r' ? '\r' : '\n';
  }

  static async open(
    sniffed: SniffedFile,
    maxRecordChars: number,
    delimiter?: CsvDelimiter,
  ): Promise<CsvRecordSource> {
    const handle = await open(sniffed.path, 'r');
    try {
      const decoder = createChunkDecoder(sniffed.encoding!, sniffed.name);
      // Read enough text to see the dialect before the parser is built.
      const texts: string[] = [];
      let length = 0;
      let position = sniffed.bomLength;
      let endOfFile = false;
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      while (length < DIALECT_SAMPLE_CHARS && !endOfFile) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        position += bytesRead;
        if (bytesRead === 0) {
          endOfFile = true;
          texts.push(decoder.end());
        } else {
          texts.push(decoder.write(buffer.subarray(0, bytesRead)));
        }
        length += texts[texts.length - 1]!.length;
      }
      let text = texts.join('');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const detected = detectCsvDialect(text.slice(0, DIALECT_SAMPLE_CHARS), endOfFile);
      const dialect = delimiter ? { ...detected, delimiter } : detected;
      const source = new CsvRecordSource(handle, sniffed, dialect, maxRecordChars, decoder, position);
      source.endOfFile = endOfFile;
      source.incoming.push(text);
      source.incomingLength = text.length;
      return source;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get encoding(): TextEncodingName {
    return this.decoder.encoding;
  }

  /** A record already parsed, or null when the next one needs more reading. */
  nextReady(): TableRow | null {
    if (this.queueIndex < this.queue.length) return this.queue[this.queueIndex++]!;
    return null;
  }

  async next(): Promise<TableRow | null> {
    for (;;) {
      const ready = this.nextReady();
      if (ready) return ready;
      if (this.closed) return null;
      if (this.endOfFile && this.incomingLength === 0 && this.pending === '') {
        await this.close();
        return null;
      }
      await this.fill();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queueIndex = 0;
    await this.handle.close();
  }

  private async fill(): Promise<void> {
    if (!this.endOfFile && this.incomingLength > 0 && this.incomingLength >= this.pending.length) {
      this.parse();
      return;
    }
    if (!this.endOfFile) {
      const { bytesRead } = await this.handle.read(this.chunk, 0, this.chunk.length, this.position);
      this.position += bytesRead;
      const text =
        bytesRead === 0 ? this.decoder.end() : this.decoder.write(this.chunk.subarray(0, bytesRead));
      if (bytesRead === 0) this.endOfFile = true;
      if (text.length > 0) {
        this.incoming.push(text);
        this.incomingLength += text.length;
      }
    }
    // An unfinished record is parsed again only once the new text is as long as it: linear work overall.
    if (this.endOfFile || this.incomingLength >= this.pending.length) this.parse();
  }

  private parse(): void {
    const text = this.pending + this.incoming.join('');
    this.incoming = [];
    this.incomingLength = 0;
    const final = this.endOfFile;
    const result = this.parser.parse(text, 0, !final) as Papa.ParseResult<string[]>;
    const records = result.data;
    const consumed = final ? text.length : result.meta.cursor;
    this.pending = final ? '' : text.slice(consumed);

    const rows: TableRow[] = new Array(records.length);
    const lineBreak = this.lineBreak;
    const stripCarriageReturn = this.dialect.newline === '\n';
    // Line numbers: each record starts one line after the previous one ended; only quoted fields
    // with line breaks inside make a record span several lines, and those are rare enough that we
    // look inside the cells only when the chunk has more line breaks than records.
    const embedded = final || countOccurrences(text, lineBreak, consumed) !== records.length;
    let line = this.nextLine;
    for (let index = 0; index < records.length; index += 1) {
      const cells = records[index]!;
      if (stripCarriageReturn) {
        const last = cells.length - 1;
        const value = cells[last]!;
        if (value.charCodeAt(value.length - 1) === 13) cells[last] = value.slice(0, -1);
      }
      rows[index] = { rowNumber: line, cells };
      line += 1;
      if (embedded) for (const cell of cells) line += countOccurrences(cell, lineBreak, cell.length);
    }
    this.nextLine = line;

    if (final) {
      const unterminated = result.errors.find((error) => error.code === 'MissingQuotes');
      if (unterminated) {
        const row = rows[rows.length - 1];
        throw new AppError(
          'INVALID_FILE',
          `${this.sniffed.name}, line ${row?.rowNumber ?? this.nextLine}: a quoted field is never closed, so the rest of ` +
            'the file would be one value. Fix the quotes on that line (a " too many or too few) and import again.',
        );
      }
    } else if (this.pending.length > this.maxRecordChars) {
      throw new AppError(
        'INVALID_FILE',
        `${this.sniffed.name}, line ${this.nextLine}: the record starting there runs on for more than ` +
          `${this.maxRecordChars.toLocaleString('en-US')} characters without ending; a quoted field is probably never closed. ` +
          'Fix the quotes on that line (a " too many or too few) and import again.',
      );
    }

    if (this.firstRecord && rows.length > 0) {
      this.firstRecord = false;
      if (isPreamble(rows[0]!.cells, this.dialect)) rows.shift();
    }
    this.queue = rows;
    this.queueIndex = 0;
  }
}

/**
 * `#TYPE Namespace.Type` is the first line of Windows PowerShell's Export-Csv (without
 * -NoTypeInformation); `sep=;` is Excel's delimiter hint. Neither is a title or data.
 */
function isPreamble(cells: readonly string[], dialect: CsvDialect): boolean {
  const first = (cells[0] ?? '').replace(/^\uFEFF/, '');
  if (dialect.sepLine && /^sep=$/i.test(first)) return true;
  return /^#TYPE\s/.test(first) && cells.slice(1).every((cell) => cell === '');
}

function countOccurrences(text: string, needle: string, end: number): number {
  let count = 0;
  let index = text.indexOf(needle);
  while (index !== -1 && index < end) {
    count += 1;
    index = text.indexOf(needle, index + 1);
  }
  return count;
}

export type { CsvDelimiter, CsvNewline };
