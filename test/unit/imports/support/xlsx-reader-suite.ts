import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/errors';
import type { Table, TableRow } from '../../../../electron/core/imports/preset-types';
import { listSheets, openXlsxTable } from '../../../../electron/core/imports/readers/xlsx-reader';
import { tempFolder } from '../../../support/temp-folder';
import { readZipEntries, writeZip, type ZipEntryInput } from './zip-files';

const CMDB = join('test/fixtures', 'cmdb/nhi_inventory.xlsx');

async function readAll(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function openError(path: string): Promise<AppError> {
  const error = await openXlsxTable(path)
    .then(readAll)
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('INVALID_FILE');
  return error as AppError;
}

async function smallWorkbook(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Accounts');
  sheet.addRow(['Name', 'Owner', 'Created']);
  sheet.addRow([
    'svc_a',
    { richText: [{ text: 'Ana ' }, { font: { bold: true }, text: 'Silva' }] },
    new Date(Date.UTC(2024, 1, 29, 13, 5)),
  ]);
  sheet.getCell('C2').numFmt = 'dd/mm/yyyy hh:mm';
  sheet.addRow(['svc_b', { text: 'it-ops', hyperlink: 'mailto:it-ops@x.example' }, 45292.5]);
  sheet.addRow(['Total', { formula: 'COUNTA(A2:A3)', result: 2 }, 0.1 + 0.2]);
  const path = join(tempFolder(), 'small.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

/** The small workbook's parts, with `change` applied, written back as a zip. */
async function rewrittenWorkbook(change: (entries: ZipEntryInput[]) => ZipEntryInput[]): Promise<string> {
  const entries = await readZipEntries(await smallWorkbook());
  const path = join(tempFolder(), 'crafted.xlsx');
  writeFileSync(path, writeZip(change(entries)));
  return path;
}

/**
 * The reader's behaviour, run twice: on the importing thread (unit) and with the sheet read on a
 * reader thread from the bundled script (integration), which must give the same rows and errors.
 */
export function xlsxReaderSuite(where: string): void {
  describe(`openXlsxTable on the CMDB export, ${where}`, () => {
    it('finds the header under the title, banner, blank and merged group rows of "NHI Register"', async () => {
      const table = await openXlsxTable(CMDB);
      expect(table.details).toEqual({ format: 'xlsx', sheet: 'NHI Register' });
      expect(table.headerRowNumber).toBe(5);
      expect(table.header).toEqual([
        'Record ID',
        'Account Name',
        'Type',
        'System',
        'Environment',
        'Business Owner',
        'Technical Owner',
        'Last Login',
        'Password Last Set',
        'Privileged (Y/N)',
        'Purpose',
        'Notes',
      ]);
      const rows = await readAll(table);
      const data = rows.filter((row) => /^SA\d+$/.test(row.cells[0]!));
      expect(data).toHaveLength(122);
      expect(data[0]!.rowNumber).toBe(6);
      expect(data.at(-1)!.rowNumber).toBe(127);
      expect(rows.every((row) => row.cells.length === 12)).toBe(true);
    });

    it('gives date cells as ISO strings, keeps text dates as text and formulas as their cached result', async () => {
      const rows = await readAll(await openXlsxTable(CMDB));
      const lastLogin = rows.map((row) => row.cells[7]!);
      expect(lastLogin).toContain('2026-08-06T20:52:40.000Z');
      expect(lastLogin).toContain('2026-05-31');
      expect(lastLogin).toEqual(expect.arrayContaining(['N/A', 'never', 'unknown', '']));
      const totals = rows.at(-1)!;
      expect(totals.rowNumber).toBe(129);
      expect(totals.cells.slice(0, 2)).toEqual(['Total records', '122']);
      expect(rows.some((row) => row.cells.some((cell) => cell.includes('\n')))).toBe(true);
    });

    it('lists the sheets in workbook order, and reads another sheet by name', async () => {
      expect(await listSheets(CMDB)).toEqual([
        { name: 'NHI Register', state: 'visible', hasData: true },
        { name: 'Lookups', state: 'visible', hasData: true },
        { name: 'Change Log', state: 'visible', hasData: true },
      ]);
      const lookups = await openXlsxTable(CMDB, { sheet: 'Lookups' });
      expect(lookups.header).toEqual(['Type']);
      expect((await readAll(lookups)).map((row) => row.cells[0])).toContain('Break-glass');
      await expect(openXlsxTable(CMDB, { sheet: 'Nope' })).rejects.toThrow(/has no sheet named "Nope"/);
    });

    it('turns rich text, hyperlinks, dates, numbers and formulas into plain text', async () => {
      const rows = await readAll(await openXlsxTable(await smallWorkbook()));
      expect(rows).toEqual([
        { rowNumber: 2, cells: ['svc_a', 'Ana Silva', '2024-02-29T13:05:00.000Z'] },
        { rowNumber: 3, cells: ['svc_b', 'it-ops', '45292.5'] },
        { rowNumber: 4, cells: ['Total', '2', '0.3'] },
      ]);
    });
  });

  describe(`openXlsxTable keeps text in any script, ${where}`, () => {
    it('reads names in any script whole, wherever the archive splits them (exceljs issue 2084)', async () => {
      // Thousands of multi-byte names: the sheet's XML arrives in chunks, and a character whose
      // bytes straddle two chunks must not turn into replacement characters.
      const names = Array.from(
        { length: 4000 },
        (_, i) => `svc-${i} Jürgen Müller-Łukasiewicz 日本語のサービス ${'ß'.repeat(i % 7)} Ωμέγα 🔑`,
      );
      for (const sharedStrings of [false, true]) {
        const path = join(tempFolder(), `scripts-${sharedStrings}.xlsx`);
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
          filename: path,
          useSharedStrings: sharedStrings,
        });
        const sheet = workbook.addWorksheet('Accounts');
        sheet.addRow(['Name', 'Owner']).commit();
        for (const name of names) sheet.addRow([name, 'Zoë Ødegård']).commit();
        sheet.commit();
        await workbook.commit();
        const rows = await readAll(await openXlsxTable(path));
        expect(rows.map((row) => row.cells[0])).toEqual(names);
        expect(new Set(rows.map((row) => row.cells[1]))).toEqual(new Set(['Zoë Ødegård']));
      }
    });
  });

  describe(`openXlsxTable leaves no plaintext copy behind, ${where}`, () => {
    it('reads a sheet stored before the parts it refers to without copying it to the temporary folder', async () => {
      // exceljs' streaming writer stores the sheet first and the styles and workbook after it, as
      // other writers do; read in stored order, exceljs would copy the sheet into the temp folder.
      const path = join(tempFolder(), 'sheet-first.xlsx');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
      const sheet = workbook.addWorksheet('Accounts');
      sheet.addRow(['Name', 'Owner', 'Last used']).commit();
      for (let i = 0; i < 500; i += 1)
        sheet
          .addRow([
            `svc-${i}`,
            'ana.silva@northwindlogistics.example',
            new Date(Date.UTC(2026, 0, 1 + (i % 28))),
          ])
          .commit();
      sheet.commit();
      await workbook.commit();
      const names = (await readZipEntries(path)).map((entry) => entry.name);
      expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/styles.xml'));

      const temporary = tempFolder();
      const previous = process.env.TMPDIR;
      process.env.TMPDIR = temporary;
      try {
        const rows = await readAll(await openXlsxTable(path));
        expect(rows).toHaveLength(500);
        // The styles were read first: the date cells are dates, not serial numbers.
        expect(rows[0]!.cells).toEqual([
          'svc-0',
          'ana.silva@northwindlogistics.example',
          '2026-01-01T00:00:00.000Z',
        ]);
      } finally {
        if (previous === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = previous;
      }
      expect(readdirSync(temporary)).toEqual([]);
    });
  });

  describe(`openXlsxTable checks a large sheet as it reads it, ${where}`, () => {
    // A sheet over 1 MiB is inspected only until it shows data; the rest must pass the same checks
    // while it is read, before exceljs parses it.
    const ROWS = 30_000;
    function largeSheet(extra = ''): Buffer {
      const rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'];
      for (let r = 2; r <= ROWS; r += 1) {
        rows.push(
          `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>svc-${randomBytes(8).toString('hex')}</t></is></c></row>`,
        );
        if (r === ROWS - 10) rows.push(extra);
      }
      return Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
          `${rows.join('')}</sheetData></worksheet>`,
      );
    }
    const withSheet = (data: Buffer, declaredSize?: number) =>
      rewrittenWorkbook((entries) =>
        entries.map((entry) =>
          entry.name === 'xl/worksheets/sheet1.xml'
            ? { ...entry, data, ...(declaredSize === undefined ? {} : { declaredSize }) }
            : entry,
        ),
      );

    it('reads every row of a clean one', async () => {
      const sheet = largeSheet();
      expect(sheet.length).toBeGreaterThan(1024 * 1024);
      expect(await readAll(await openXlsxTable(await withSheet(sheet)))).toHaveLength(ROWS - 1);
    });

    it('refuses a DOCTYPE far into it', async () => {
      const path = await withSheet(largeSheet('<!DOCTYPE worksheet [<!ENTITY x "y">]>'));
      expect((await openError(path)).message).toContain('declares XML entities (a DOCTYPE)');
    });

    it('refuses one that inflates past the size its directory declares', async () => {
      const sheet = largeSheet();
      const path = await withSheet(sheet, sheet.length - 1000);
      expect((await openError(path)).message).toContain('does not unpack as its directory says');
    });
  });

  describe(`openXlsxTable refuses hostile workbooks before parsing them, ${where}`, () => {
    it('refuses a zip whose directory declares a huge uncompressed size', async () => {
      const path = join(tempFolder(), 'declared-bomb.xlsx');
      writeFileSync(
        path,
        writeZip([
          { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
          { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
          {
            name: 'xl/worksheets/sheet1.xml',
            data: Buffer.from('<worksheet/>'),
            declaredSize: 1024 * 1024 * 1024,
          },
        ]),
      );
      const error = await openError(path);
      expect(error.message).toMatch(/would expand to 1024\.0 MiB.*zip bombs/);
    });

    it('refuses a real high-ratio bomb by its compression ratio', async () => {
      const zeros = Buffer.alloc(40 * 1024 * 1024);
      const path = join(tempFolder(), 'ratio-bomb.xlsx');
      writeFileSync(
        path,
        writeZip([
          { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
          { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
          { name: 'xl/worksheets/sheet1.xml', data: zeros },
        ]),
      );
      expect((await openError(path)).message).toMatch(/expands \d+ times/);
    });

    it('refuses an entry that inflates past the size its directory declares', async () => {
      const path = await rewrittenWorkbook((entries) =>
        entries.map((entry) =>
          entry.name === 'xl/worksheets/sheet1.xml' ? { ...entry, declaredSize: 100 } : entry,
        ),
      );
      expect((await openError(path)).message).toContain('does not unpack as its directory says');
    });

    it('refuses a local entry hidden from the central directory', async () => {
      const path = await rewrittenWorkbook((entries) => [
        ...entries.slice(0, 2),
        { name: 'xl/worksheets/sheet9.xml', data: Buffer.from('<worksheet/>'), hidden: true },
        ...entries.slice(2),
      ]);
      expect((await openError(path)).message).toContain('data hidden between');
    });

    it('refuses XML with a DOCTYPE (XXE) in a worksheet', async () => {
      const path = await rewrittenWorkbook((entries) =>
        entries.map((entry) => {
          if (entry.name !== 'xl/worksheets/sheet1.xml') return entry;
          const xml = entry.data
            .toString('utf8')
            .replace(
              /^<\?xml[^>]*\?>/,
              (declaration) =>
                `${declaration}<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`,
            );
          return { ...entry, data: Buffer.from(xml.replace('svc_a', '&xxe;')) };
        }),
      );
      expect((await openError(path)).message).toContain('declares XML entities (a DOCTYPE)');
    });

    it('refuses a macro-enabled workbook', async () => {
      const path = await rewrittenWorkbook((entries) => [
        ...entries,
        { name: 'xl/vbaProject.bin', data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]) },
      ]);
      expect((await openError(path)).message).toContain('macro-enabled workbook (.xlsm)');
      const byContentType = await rewrittenWorkbook((entries) =>
        entries.map((entry) =>
          entry.name === '[Content_Types].xml'
            ? {
                ...entry,
                data: Buffer.from(
                  entry.data.toString('utf8').replace('sheet.main+xml', 'sheet.macroEnabled.main+xml'),
                ),
              }
            : entry,
        ),
      );
      expect((await openError(byContentType)).message).toContain('macro-enabled workbook (.xlsm)');
    });

    it('says a file that is not a zip is not a workbook, and names password-protected workbooks', async () => {
      const fake = join(tempFolder(), 'fake.xlsx');
      writeFileSync(fake, 'Name,Owner\nsvc,ana\n');
      expect((await openError(fake)).message).toContain('named like an Excel workbook but is not one');
      const text = join(tempFolder(), 'export.csv');
      writeFileSync(text, 'Name,Owner\nsvc,ana\n');
      expect((await openError(text)).message).toContain('export.csv is not an Excel workbook');
      const damaged = join(tempFolder(), 'damaged.xlsx');
      writeFileSync(damaged, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]));
      expect((await openError(damaged)).message).toContain('damaged.xlsx is not a readable Excel workbook');
      const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      const encrypted = join(tempFolder(), 'secret.xlsx');
      writeFileSync(
        encrypted,
        Buffer.concat([ole, Buffer.alloc(512), Buffer.from('EncryptedPackage', 'utf16le')]),
      );
      expect((await openError(encrypted)).message).toContain('password-protected Excel workbook');
    });

    it('refuses more entries than a workbook has', async () => {
      const entries = Array.from({ length: 10_001 }, (_, index) => ({
        name: `xl/media/${index}.txt`,
        data: Buffer.from('x'),
        store: true,
      }));
      const path = join(tempFolder(), 'many.xlsx');
      writeFileSync(path, writeZip(entries));
      expect((await openError(path)).message).toContain('holds 10001 files inside');
    });
  });
}
