import type { ImportReject, NormalizedIdentity } from '../../../shared/domain/identity';

/**
 * The seam between reading files and understanding them. Readers turn any CSV/XLSX into a `Table`
 * (header + streamed rows of verbatim cell text) and any JSON into `DocumentFile`s; presets turn those
 * into normalised identities. Persistence (snapshots, history, dedupe) is a third, separate step.
 */
export interface TableRow {
  /** 1-based line/row number as a spreadsheet or editor shows it, for reject messages. */
  rowNumber: number;
  /** Cell text exactly as written (decoded), '' for empty; aligned with `Table.header`. */
  cells: string[];
}

export interface Table {
  file: string;
  header: string[];
  headerRowNumber: number;
  rows: AsyncIterable<TableRow>;
  details: { format: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string };
}

/** What a row mapper says about one row. `skip` is for rows that are not data (blank, totals). */
export type RowOutcome = { identity: NormalizedIdentity } | { reject: string } | { skip: true };

export interface TablePreset {
  id: string;
  label: string;
  /** The kind of system of record: aws, entra, kubernetes, github, active-directory, gcp, okta, cmdb. */
  sourceKind: string;
  shape: 'table';
  /** 0..1: how sure this header belongs to this preset. */
  detect(header: readonly string[]): number;
  /** Returns a mapper called once per row in file order (streaming: it must not keep rows). */
  createRowMapper(header: readonly string[], file: string): (row: TableRow) => RowOutcome;
}

export interface DocumentFile {
  name: string;
  json: unknown;
}

export interface PresetMapResult {
  identities: NormalizedIdentity[];
  rejects: ImportReject[];
}

export interface DocumentPreset {
  id: string;
  label: string;
  sourceKind: string;
  shape: 'documents';
  /** 0..1: how sure this preset is that these files (all files of one import) are its export. */
  detect(files: readonly DocumentFile[]): number;
  map(files: readonly DocumentFile[]): PresetMapResult;
}

export type ImportPreset = TablePreset | DocumentPreset;
