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

/**
 * Something about the files an auditor should read that is not a rejected row: a binding that names
 * an account that does not exist, a sign-in record of a deleted app, a list shorter than its total.
 * `row` 0 means the whole file.
 */
export interface ImportNote {
  file: string;
  row: number;
  message: string;
}

export interface PresetMapResult {
  identities: NormalizedIdentity[];
  /** Items that could not become an identity: each one is missing from the population. */
  rejects: ImportReject[];
  notes?: ImportNote[];
  /** True when the files are known to hold only part of the source's population. */
  partial?: boolean;
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
