import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Text a spreadsheet would evaluate as a formula when it starts with one of these (OWASP CSV
 * injection, CWE-1236). Such cells get a leading apostrophe, which spreadsheets show as text.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && text.length > 0 && FORMULA_TRIGGERS.has(text[0]!)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes rows as RFC 4180 CSV (UTF-8 with BOM so Excel reads the encoding right) to a temp file
 * beside the target, then renames it over: a crash never leaves half an export behind.
 */
export function writeCsvFile(
  path: string,
  header: readonly string[],
  rows: Iterable<ReadonlyArray<string | number | boolean | null>>,
): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, '\ufeff' + header.map(csvCell).join(',') + '\r\n');
    for (const row of rows) writeSync(fd, row.map(csvCell).join(',') + '\r\n');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
}
