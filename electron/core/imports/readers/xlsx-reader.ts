import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { AppError } from '../../../../shared/api/errors';
import type { Table, TableRow } from '../preset-types';
import { chooseHeaderRow, cleanHeader, HEADER_SAMPLE_ROWS, isBlankRow } from './header-row';
import { sniffFile } from './sniff-file';
import { sheetRowsWorkerScript, startSheetRowsThread, type SheetRowsReader } from './sheet-rows-thread';
import {
  inspectWorkbookZip,
  openWorkbookArchive,
  XLSX_ZIP_LIMITS,
  type WorkbookArchive,
  type WorkbookSheet,
  type ZipLimits,
} from './zip-inspection';

/**
 * Streams one worksheet of an .xlsx into a `Table` with exceljs' streaming `WorkbookReader` (never
 * `readFile`, which holds the whole workbook: PERFORMANCE.md, 943 MB for 100k rows), after
 * `inspectWorkbookZip` has checked the archive (zip bombs, hidden entries, DOCTYPE, macros).
 *
 * Cells become the text a reviewer would recognise: date cells an ISO-8601 string, rich text its
 * plain text, formulas their cached result, numbers without binary noise (15 significant digits,
 * as Excel shows them), hyperlinks their text.
 */
export interface XlsxTableOptions {
  /** The sheet by name; default: the first visible sheet with data. */
  sheet?: string;
  limits?: ZipLimits;
}

export interface SheetSummary {
  name: string;
  state: WorkbookSheet['state'];
  hasData: boolean;
}

/** The sheets of a workbook in workbook order, for a sheet picker. */
export async function listSheets(path: string, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<SheetSummary[]> {
  await requireWorkbook(path);
  const inspection = await inspectWorkbookZip(path, basename(path), limits);
  return inspection.sheets.map(({ name, state, hasData }) => ({ name, state, hasData }));
}

export async function openXlsxTable(path: string, options: XlsxTableOptions = {}): Promise<Table> {
  const file = basename(path);
  await requireWorkbook(path);
  const reader = startSheetRows(path, file);
  try {
    const inspection = await inspectWorkbookZip(path, file, options.limits ?? XLSX_ZIP_LIMITS);
    const sheet = chooseSheet(inspection.sheets, options.sheet, file);
    const rows = reader.read(sheet);
    const sample: TableRow[] = [];
    while (sample.length < HEADER_SAMPLE_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      if (!isBlankRow(next.value.cells)) sample.push(next.value);
    }
    const headerIndex = chooseHeaderRow(sample);
    const headerRow = sample[headerIndex];
    if (!headerRow) {
      throw new AppError(
        'INVALID_FILE',
        `${file}: the sheet "${sheet.name}" has no header row and no data. Choose the sheet that holds the export.`,
      );
    }
    const header = cleanHeader(headerRow.cells);
    return {
      file,
      header,
      headerRowNumber: headerRow.rowNumber,
      rows: dataRows(sample.slice(headerIndex + 1), rows, header.length, async () => {
        await rows.return(undefined);
        await reader.stop();
      }),
      details: { format: 'xlsx', sheet: sheet.name },
    };
  } catch (error) {
    await reader.stop();
    throw error;
  }
}

/**
 * The sheet's rows, on a reader thread when the bundled reader is there (started now, to load while
 * the workbook is inspected), else on this thread. Nothing is read before `read` names the sheet.
 */
function startSheetRows(path: string, file: string): SheetRowsReader {
  const script = sheetRowsWorkerScript();
  if (script) return startSheetRowsThread(script, { path, file });
  let rows: AsyncGenerator<TableRow, void, undefined> | null = null;
  return {
    read(sheet) {
      rows = worksheetRows(path, sheet, file);
      return rows;
    },
    async stop() {
      await rows?.return(undefined);
    },
  };
}

/** Legacy .xls, password-protected workbooks and renamed text files get their own message from the sniff. */
async function requireWorkbook(path: string): Promise<void> {
  const sniffed = await sniffFile(path);
  if (sniffed.format !== 'xlsx') {
    throw new AppError(
      'INVALID_FILE',
      `${sniffed.name} is not an Excel workbook (an .xlsx file is a ZIP archive; this is ${
        sniffed.format === 'json' ? 'JSON' : 'delimited text'
      }). Import it as ${sniffed.format === 'json' ? 'JSON' : 'CSV'}.`,
    );
  }
}

function chooseSheet(
  sheets: readonly WorkbookSheet[],
  wanted: string | undefined,
  file: string,
): WorkbookSheet & { part: string } {
  const readable = sheets.filter((sheet): sheet is WorkbookSheet & { part: string } => sheet.part !== null);
  if (wanted !== undefined) {
    const found =
      sheets.find((sheet) => sheet.name === wanted) ??
      sheets.find((sheet) => sheet.name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new AppError(
        'INVALID_FILE',
        `${file} has no sheet named "${wanted}". Its sheets are: ${sheets.map((sheet) => `"${sheet.name}"`).join(', ')}.`,
      );
    }
    if (found.part === null)
      throw new AppError(
        'INVALID_FILE',
        `${file}: "${found.name}" is not a worksheet with cells (a chart sheet?). Choose another sheet.`,
      );
    return found as WorkbookSheet & { part: string };
  }
  const chosen =
    readable.find((sheet) => sheet.hasData && sheet.state === 'visible') ??
    readable.find((sheet) => sheet.hasData);
  if (!chosen)
    throw new AppError(
      'INVALID_FILE',
      `${file} has no worksheet with any data. Check that you exported the right workbook.`,
    );
  return chosen;
}

const READER_OPTIONS = {
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'ignore',
} as const;

/**
 * Every row of one worksheet, parsed by exceljs' streaming reader (also the body of the reader
 * thread). Steward opens the archive's parts itself and hands them to exceljs' own parsers: the
 * shared strings, the styles (which say which numbers are dates) and the workbook first, then the
 * sheet. Left to read the archive in its stored order, exceljs copies a sheet that comes before
 * those parts (as many writers store it) whole into a plaintext temporary file and parses it from
 * there; and it decodes each chunk of XML on its own, turning a character split between two chunks
 * into replacement characters (exceljs issues 2084, 2316). Here every part is one UTF-8 stream.
 */
export async function* worksheetRows(
  path: string,
  sheet: WorkbookSheet & { part: string },
  file: string,
): AsyncGenerator<TableRow, void, undefined> {
  // exceljs loads with the first workbook: a CSV or JSON import never pays for it.
  const { default: WorkbookReader } = await import('exceljs/lib/stream/xlsx/workbook-reader.js');
  let archive: WorkbookArchive | null = null;
  try {
    archive = await openWorkbookArchive(path, file);
    const reader = new WorkbookReader(path, READER_OPTIONS);
    const parts = archive;
    const read = async (part: string, parse: (entry: Readable) => Promise<void>) => {
      if (parts.has(part)) await parse(await parts.text(part));
    };
    await read('xl/_rels/workbook.xml.rels', (entry) => reader._parseRels(entry));
    await read('xl/workbook.xml', (entry) => reader._parseWorkbook(entry));
    await read('xl/styles.xml', (entry) => reader._parseStyles(entry));
    if (archive.has('xl/sharedStrings.xml')) {
      for await (const event of reader._parseSharedStrings(await archive.text('xl/sharedStrings.xml')))
        void event;
    } else {
      reader.sharedStrings = [];
    }
    const sheetNumber = /sheet(\d+)\.xml$/i.exec(sheet.part)?.[1] ?? '1';
    const sheetXml = (await archive.text(sheet.part)) as Readable & AsyncIterable<string>;
    for (const event of reader._parseWorksheet(sheetXml, sheetNumber)) {
      for await (const row of event.value) yield { rowNumber: row.number, cells: rowCells(row) };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'INVALID_FILE',
      `${file}: the sheet "${sheet.name}" cannot be read (${(error as Error).message}). Open the workbook in Excel, save it again as .xlsx, or export CSV.`,
    );
  } finally {
    archive?.close();
  }
}

function dataRows(
  buffered: TableRow[],
  rest: AsyncGenerator<TableRow, void, undefined>,
  width: number,
  close: () => Promise<void>,
): AsyncIterable<TableRow> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (const row of buffered) if (!isBlankRow(row.cells)) yield pad(row, width);
        for await (const row of rest) if (!isBlankRow(row.cells)) yield pad(row, width);
      } finally {
        await close();
      }
    },
  };
}

/** A spreadsheet has no ragged rows: missing cells at the end are empty cells; cells beyond the header stay. */
function pad(row: TableRow, width: number): TableRow {
  let end = row.cells.length;
  while (end > width && row.cells[end - 1] === '') end -= 1;
  const cells = row.cells.slice(0, end);
  while (cells.length < width) cells.push('');
  return { rowNumber: row.rowNumber, cells };
}

function rowCells(row: ExcelJS.Row): string[] {
  const values = row.values as unknown[];
  const cells: string[] = [];
  // exceljs row values are 1-based: index 0 is always empty.
  for (let column = 1; column < values.length; column += 1) cells.push(cellText(values[column]));
  return cells;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (Array.isArray(object.richText)) {
      return (object.richText as Array<{ text?: unknown }>)
        .map((run) => (typeof run.text === 'string' ? run.text : ''))
        .join('');
    }
    if ('formula' in object || 'sharedFormula' in object) return cellText(object.result);
    if ('error' in object) return String(object.error ?? '');
    if ('text' in object) return cellText(object.text);
  }
  return '';
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(15)));
}
