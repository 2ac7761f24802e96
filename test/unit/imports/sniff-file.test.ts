import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { openTable } from '../../../electron/core/imports/readers/open-table';
import { sniffFile, SNIFF_SAMPLE_BYTES } from '../../../electron/core/imports/readers/sniff-file';
import { tempFolder } from '../../support/temp-folder';
import { writeZip } from './support/zip-files';

const fixture = (path: string) => join('test/fixtures', path);

async function sniffError(path: string): Promise<AppError> {
  const error = await sniffFile(path).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('INVALID_FILE');
  return error as AppError;
}

function write(name: string, content: Buffer | string): string {
  const path = join(tempFolder(), name);
  writeFileSync(path, content);
  return path;
}

describe('sniffFile on the messy fixtures', () => {
  it('says an empty file is empty', async () => {
    const error = await sniffError(fixture('messy/empty.csv'));
    expect(error.message).toMatch(/^empty\.csv is empty \(0 bytes\)/);
  });

  it('rejects a PNG renamed .csv by its magic bytes', async () => {
    const error = await sniffError(fixture('messy/binary_png_renamed.csv'));
    expect(error.message).toContain('binary_png_renamed.csv is a PNG image');
  });

  it('routes an XLSX renamed .csv to the XLSX reader', async () => {
    const sniffed = await sniffFile(fixture('messy/xlsx_renamed.csv'));
    expect(sniffed.format).toBe('xlsx');
    expect(sniffed.encoding).toBeNull();
  });

  it('reports the BOM encodings and Windows-1252', async () => {
    const utf8 = await sniffFile(fixture('messy/utf8_bom_cmdb_export.csv'));
    expect(utf8).toMatchObject({ format: 'csv', encoding: 'utf-8', bomLength: 3, encodingFromBom: true });
    const utf16 = await sniffFile(fixture('messy/excel_unicode_text_export.txt'));
    expect(utf16).toMatchObject({ format: 'csv', encoding: 'utf-16le', bomLength: 2, encodingFromBom: true });
    const cp1252 = await sniffFile(fixture('messy/european_semicolon_cp1252.csv'));
    expect(cp1252).toMatchObject({
      format: 'csv',
      encoding: 'windows-1252',
      bomLength: 0,
      encodingFromBom: false,
    });
    const roster = await sniffFile(fixture('hr/hr_roster.csv'));
    expect(roster.encoding).toBe('utf-8');
    const report = await sniffFile(fixture('aws/iam_credential_report.csv'));
    expect(report.encoding).toBe('us-ascii');
  });

  it('keeps UTF-8 when the sample ends in the middle of a multi-byte character', async () => {
    const head = Buffer.from('name\n');
    const prefix = Buffer.alloc(SNIFF_SAMPLE_BYTES - head.length - 1, 'a');
    const path = write('cut.csv', Buffer.concat([head, prefix, Buffer.from('ü\n', 'utf8')]));
    expect((await sniffFile(path)).encoding).toBe('utf-8');
  });
});

describe('sniffFile on crafted files', () => {
  it('recognises JSON by its first character after the BOM, and a bracketed CSV header as CSV', async () => {
    expect((await sniffFile(write('export.csv', '\n  [{"id": 1}]'))).format).toBe('json');
    expect((await sniffFile(write('a.json', '\uFEFF{"value": []}'))).format).toBe('json');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{"id": 1}]', 'utf16le')]);
    expect(await sniffFile(write('b.json', utf16))).toMatchObject({ format: 'json', encoding: 'utf-16le' });
    expect((await sniffFile(write('c.csv', '[Name],[Owner]\nx,y\n'))).format).toBe('csv');
  });

  it('tells a legacy .xls from a password-protected workbook', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const legacy = Buffer.concat([
      ole,
      Buffer.alloc(600),
      Buffer.from('Workbook', 'utf16le'),
      Buffer.alloc(600),
    ]);
    expect((await sniffError(write('old.xls', legacy))).message).toContain('save it as .xlsx or CSV');
    const encrypted = Buffer.concat([
      ole,
      Buffer.alloc(600),
      Buffer.from('EncryptedPackage', 'utf16le'),
      Buffer.alloc(600),
    ]);
    expect((await sniffError(write('secret.xlsx', encrypted))).message).toContain('password-protected');
  });

  it('rejects a ZIP that is not a workbook, and a text file named .xlsx', async () => {
    const zip = writeZip([{ name: 'report.csv', data: Buffer.from('a,b\n1,2\n') }]);
    expect((await sniffError(write('report.zip', zip))).message).toContain(
      'ZIP archive, not an Excel workbook',
    );
    const docx = writeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]);
    expect((await sniffError(write('memo.xlsx', docx))).message).toContain('Word document');
    const html = write('export.xlsx', '<html><table><tr><td>1</td></tr></table></html>');
    expect((await sniffError(html)).message).toContain('named like an Excel workbook but is not one');
  });

  it('rejects binary content that has no known signature', async () => {
    const bytes = Buffer.from('name,owner\n\u0000\u0001\u0002binary\u0000\u0000', 'latin1');
    expect((await sniffError(write('blob.csv', bytes))).message).toContain('binary file');
  });

  it('reads UTF-16 without a BOM from its NUL pattern', async () => {
    const path = write('nobom.txt', Buffer.from('name\towner\r\nsvc\tana\r\n', 'utf16le'));
    expect(await sniffFile(path)).toMatchObject({ format: 'csv', encoding: 'utf-16le', bomLength: 0 });
  });
});

describe('openTable', () => {
  it('routes by content: the XLSX renamed .csv is read as the workbook, JSON is sent elsewhere', async () => {
    const table = await openTable(fixture('messy/xlsx_renamed.csv'));
    expect(table.details).toEqual({ format: 'xlsx', sheet: 'NHI Register' });
    let rows = 0;
    for await (const row of table.rows) rows += row.cells[0]!.startsWith('SA') ? 1 : 0;
    expect(rows).toBe(122);
    const csv = await openTable(fixture('messy/european_semicolon_cp1252.csv'));
    expect(csv.details).toMatchObject({ format: 'csv', delimiter: ';', encoding: 'windows-1252' });
    await expect(openTable(write('export.csv', '[{"id": 1}]'))).rejects.toThrow(
      /is a JSON document, not a table/,
    );
    await expect(openTable(fixture('messy/binary_png_renamed.csv'))).rejects.toThrow(/PNG image/);
  });
});
