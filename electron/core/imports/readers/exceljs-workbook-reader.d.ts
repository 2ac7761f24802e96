// exceljs' streaming workbook reader, loaded by its own module path (exceljs 4.4.0, pinned): the
// package's entry point loads the whole library (writers, CSV, formulas), which takes the reader
// thread 70 ms longer to start. These are the parts of it `worksheetRows` drives itself.
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  import type { Readable } from 'node:stream';
  import type ExcelJS from 'exceljs';

  class WorkbookReader {
    constructor(input: string, options: Record<string, string>);
    sharedStrings?: unknown[];
    _parseRels(entry: Readable): Promise<void>;
    _parseWorkbook(entry: Readable): Promise<void>;
    _parseStyles(entry: Readable): Promise<void>;
    _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
    _parseWorksheet(
      iterator: AsyncIterable<string>,
      sheetNumber: string,
    ): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  }
  export = WorkbookReader;
}
