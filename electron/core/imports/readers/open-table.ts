import { AppError } from '../../../../shared/api/errors';
import type { Table } from '../preset-types';
import { openCsvTable, type CsvTableOptions } from './csv-reader';
import { sniffFile } from './sniff-file';
import { openXlsxTable, type XlsxTableOptions } from './xlsx-reader';

/**
 * Opens any tabular export by what its bytes are, not by its name: an .xlsx renamed `.csv` is read
 * as a workbook, a PNG renamed `.csv` is refused by `sniffFile`. JSON goes to the JSON reader.
 */
export async function openTable(
  path: string,
  options: Omit<CsvTableOptions, 'sniffed'> & XlsxTableOptions = {},
): Promise<Table> {
  const sniffed = await sniffFile(path);
  if (sniffed.format === 'xlsx') return openXlsxTable(path, { sheet: options.sheet, limits: options.limits });
  if (sniffed.format === 'json') {
    throw new AppError(
      'INVALID_FILE',
      `${sniffed.name} is a JSON document, not a table: import it with a JSON export format (Entra, Kubernetes, GitHub, GCP, Okta).`,
    );
  }
  return openCsvTable(path, { ...options, sniffed });
}
