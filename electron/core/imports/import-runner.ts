import { AppError } from '../../../shared/api/errors';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import type { Db } from '../db/open-database';
import {
  createMappedRowMapper,
  headerSignature,
  MAPPING_FIELDS,
  proposeColumnMapping,
  type ColumnMapping,
  type MappingField,
} from './column-mapping';
import { fingerprintFiles, type ImportFile } from './import-files';
import type { DocumentFile, DocumentPreset, ImportPreset, RowOutcome, Table, TableRow } from './preset-types';
import { detectDocumentPreset, documentPresetFor, documentPresets } from './presets/document-presets';
import { detectTablePreset, tablePresetFor, tablePresets } from './presets/table-presets';
import { readJsonDocument } from './readers/json-reader';
import { openTable } from './readers/open-table';
import { peekTableRows } from './readers/peek-rows';
import { sniffFile, type SniffedFile } from './readers/sniff-file';
import { writeSnapshot, type ImportItem, type SnapshotSummary } from './snapshot-writer';

/** What the user asks for: the files of one export, and optionally how to read them. */
export interface ImportRequest {
  paths: string[];
  /** A preset id to use instead of detecting one. */
  format?: string | undefined;
  /** The system of record the files come from; derived from the data when absent. */
  source?: string | undefined;
  /** Column mapping by header text (field -> header), for a table no preset recognises. */
  mapping?: Partial<Record<MappingField, string>> | undefined;
  sheet?: string | undefined;
  parameters?: Record<string, unknown> | undefined;
  importedBy: string;
}

export interface ImportRunOptions {
  signal?: AbortSignal;
  onProgress?: (rowsDone: number) => void;
  /** What the import does once its rows are read: they can take a while after a million rows. */
  onStage?: (stage: ImportStage) => void;
}

/**
 * `saving`: building the indexes and committing the snapshot (a cancel still undoes it all);
 * `signals`: the snapshot is committed, and today's risk signals are computed for the inventory.
 */
export type ImportStage = 'saving' | 'signals';

/** Rows read to learn a table's date orders and to show a preview. */
const SAMPLE_ROWS = 50;

/** Attributes that name the account, tenant, cluster, org, project or domain an identity lives in. */
const SCOPE_ATTRIBUTES = [
  'accountId',
  'tenantId',
  'homeTenantId',
  'cluster',
  'clusterName',
  'organization',
  'projectId',
  'domain',
];

/**
 * Imports the files of one export as one snapshot: fingerprints them, recognises the format (or uses
 * the one given), maps every row or item to the normalised model and writes it all in one
 * transaction. Nothing is written when anything fails or the import is cancelled.
 */
export async function runImport(
  db: Db,
  request: ImportRequest,
  options: ImportRunOptions = {},
): Promise<SnapshotSummary> {
  const files = await fingerprintFiles(request.paths);
  const sniffed = await Promise.all(files.map((file) => sniffFile(file.path)));
  const formats = new Set(sniffed.map((s) => (s.format === 'json' ? 'json' : 'table')));
  if (formats.size > 1) {
    throw new AppError(
      'INVALID_INPUT',
      'These files mix JSON exports with spreadsheets or CSV files. Import the files of one export at a time.',
    );
  }
  return formats.has('json')
    ? importDocuments(db, request, files, options)
    : importTables(db, request, files, sniffed, options);
}

async function importDocuments(
  db: Db,
  request: ImportRequest,
  files: ImportFile[],
  options: ImportRunOptions,
): Promise<SnapshotSummary> {
  const documents: DocumentFile[] = [];
  for (const file of files) documents.push(await readJsonDocument(file.path, { name: file.name }));
  // Parameters (a cluster name, the home tenant) reach the preset whether its format was named or detected.
  const presetId = request.format ?? detectDocumentPreset(documents).preset.id;
  const preset: DocumentPreset = documentPresetFor(presetId, request.parameters ?? {});
  const result = preset.map(documents);
  const rejectsByFile = result.rejects;
  async function* items(): AsyncIterable<ImportItem> {
    let index = 0;
    for (const identity of result.identities) {
      index += 1;
      yield { file: files.length === 1 ? files[0]!.name : '(export)', row: index, outcome: { identity } };
    }
  }
  return writeSnapshot(
    db,
    {
      sourceName: request.source ?? defaultSourceName(preset, result.identities[0]),
      sourceKind: preset.sourceKind,
      format: 'json',
      preset: preset.id,
      files: files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
      parameters: request.parameters ?? {},
      importedBy: request.importedBy,
      full: !result.partial,
      preRejects: rejectsByFile,
      notes: result.notes ?? [],
    },
    items(),
    {
      signal: options.signal,
      onProgress: options.onProgress,
      progressEvery: 1_000,
      onSaving: () => options.onStage?.('saving'),
    },
  );
}

interface OpenedTable {
  file: ImportFile;
  table: Table;
  sample: TableRow[];
}

async function importTables(
  db: Db,
  request: ImportRequest,
  files: ImportFile[],
  sniffed: SniffedFile[],
  options: ImportRunOptions,
): Promise<SnapshotSummary> {
  const opened: OpenedTable[] = [];
  for (const file of files) {
    const table = await openTable(file.path, { sheet: request.sheet });
    const peeked = await peekTableRows({ ...table, file: file.name }, SAMPLE_ROWS);
    opened.push({ file, table: peeked.table, sample: peeked.sample });
  }
  const signature = headerSignature(opened[0]!.table.header);
  const different = opened.find((o) => headerSignature(o.table.header) !== signature);
  if (different) {
    throw new AppError(
      'INVALID_INPUT',
      `${different.file.name} has other columns than ${opened[0]!.file.name}. Import files of one layout together.`,
    );
  }

  const choice = chooseTableMapping(db, request, opened[0]!);
  const firstIdentity = firstIdentityOf(opened, choice.createMapper);

  async function* items(): AsyncIterable<ImportItem> {
    for (const { table } of opened) {
      const map = choice.createMapper(table.header, table.file, opened[0]!.sample);
      for await (const row of table.rows) {
        let outcome: RowOutcome;
        try {
          outcome = map(row);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          outcome = { reject: error.message };
        }
        yield { file: table.file, row: row.rowNumber, outcome };
      }
    }
  }

  const summary = await writeSnapshot(
    db,
    {
      sourceName: request.source ?? defaultSourceName({ sourceKind: choice.sourceKind }, firstIdentity),
      sourceKind: choice.sourceKind,
      format: sniffed[0]!.format,
      preset: choice.presetId,
      files: files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
      parameters: {
        ...(request.parameters ?? {}),
        ...(request.sheet ? { sheet: request.sheet } : {}),
        ...(choice.mapping ? { mapping: choice.mapping.columns } : {}),
        tables: opened.map(({ table }) => ({
          file: table.file,
          headerRow: table.headerRowNumber,
          ...table.details,
        })),
      },
      importedBy: request.importedBy,
      full: true,
    },
    items(),
    { signal: options.signal, onProgress: options.onProgress, onSaving: () => options.onStage?.('saving') },
  );
  if (choice.mapping && choice.saveMapping && !summary.alreadyImported) saveMapping(db, choice.mapping);
  return summary;
}

type TableMapperFactory = (
  header: readonly string[],
  file: string,
  sample: readonly TableRow[],
) => (row: TableRow) => RowOutcome;

interface TableMappingChoice {
  presetId: string;
  sourceKind: string;
  createMapper: TableMapperFactory;
  mapping?: ColumnMapping;
  /** True when the user confirmed a mapping now, so it is remembered for the next export. */
  saveMapping?: boolean;
}

/**
 * In order: the format the user named; a mapping the user gave now; the mapping they confirmed for
 * this exact header before; a preset that recognises the header. Otherwise the error shows Steward's
 * proposal so the user can confirm or correct it.
 */
function chooseTableMapping(db: Db, request: ImportRequest, first: OpenedTable): TableMappingChoice {
  const header = first.table.header;
  if (request.mapping) {
    const mapping = mappingFromHeaders(request.mapping, header, first.file.name);
    return mappedChoice(mapping, true);
  }
  if (request.format) {
    const preset = tablePresetFor(request.format);
    return { presetId: preset.id, sourceKind: preset.sourceKind, createMapper: presetMapper(preset) };
  }
  const saved = loadMapping(db, headerSignature(header));
  if (saved) return mappedChoice(saved, false);
  const detected = detectTablePreset(header);
  if (detected) {
    return { presetId: detected.id, sourceKind: detected.sourceKind, createMapper: presetMapper(detected) };
  }
  const proposal = proposeColumnMapping(header, first.sample);
  const proposed = Object.entries(proposal.fields)
    .map(([field, match]) => `${field} = "${match.header}"`)
    .join(', ');
  throw new AppError(
    'UNSUPPORTED_FILE',
    `${first.file.name} is not an export Steward recognises, and its columns do not name an account clearly enough ` +
      `to map them without asking. Steward proposes: ${proposed || 'nothing it is sure of'}. ` +
      'Confirm or correct the column mapping (in the app, or with --mapping FILE on the command line).',
  );
}

function mappedChoice(mapping: ColumnMapping, saveMapping: boolean): TableMappingChoice {
  return {
    presetId: 'column-mapping',
    sourceKind: 'inventory',
    mapping,
    saveMapping,
    createMapper: (header, file) => createMappedRowMapper(mapping, header, file),
  };
}

function presetMapper(preset: ImportPreset): TableMapperFactory {
  if (preset.shape !== 'table') throw new Error(`${preset.id} is not a table preset`);
  return (header, file, sample) =>
    (
      preset.createRowMapper as (
        h: readonly string[],
        f: string,
        s?: readonly TableRow[],
      ) => (row: TableRow) => RowOutcome
    )(header, file, sample);
}

/** Turns a mapping written by header text into one by column position, checking every name. */
export function mappingFromHeaders(
  byHeader: Partial<Record<MappingField, string>>,
  header: readonly string[],
  fileName: string,
): ColumnMapping {
  const columns: Partial<Record<MappingField, number>> = {};
  for (const [field, headerText] of Object.entries(byHeader) as Array<[MappingField, string]>) {
    if (!MAPPING_FIELDS.includes(field)) {
      throw new AppError(
        'INVALID_INPUT',
        `"${field}" is not a field Steward maps. Fields: ${MAPPING_FIELDS.join(', ')}.`,
      );
    }
    const column = header.findIndex((h) => h.trim().toLowerCase() === headerText.trim().toLowerCase());
    if (column < 0) {
      throw new AppError(
        'INVALID_INPUT',
        `${fileName} has no column "${headerText}" (mapped to ${field}). Its columns are: ${header.join(', ')}.`,
      );
    }
    columns[field] = column;
  }
  if (columns.externalId === undefined && columns.name === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      'Map at least the column that names the account (name) or its id (externalId).',
    );
  }
  return { headerSignature: headerSignature(header), columns };
}

function loadMapping(db: Db, signature: string): ColumnMapping | null {
  const row = db
    .prepare('SELECT mapping FROM column_mappings WHERE header_signature = ?')
    .pluck()
    .get(signature) as string | undefined;
  return row ? (JSON.parse(row) as ColumnMapping) : null;
}

function saveMapping(db: Db, mapping: ColumnMapping): void {
  db.prepare(
    `INSERT INTO column_mappings (header_signature, mapping, saved_at) VALUES (?, ?, ?)
     ON CONFLICT(header_signature) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at`,
  ).run(mapping.headerSignature, JSON.stringify(mapping), new Date().toISOString());
}

function firstIdentityOf(
  opened: OpenedTable[],
  createMapper: TableMapperFactory,
): NormalizedIdentity | undefined {
  // A separate mapper, so the one used for the import starts fresh.
  for (const { table, sample } of opened) {
    const map = createMapper(table.header, table.file, sample);
    for (const row of sample) {
      try {
        const outcome = map(row);
        if ('identity' in outcome) return outcome.identity;
      } catch {
        // The import itself will report this row.
      }
    }
  }
  return undefined;
}

/**
 * The source an export belongs to when the user does not name one: the kind of system plus the
 * account, tenant, cluster, org, project or domain the data names, so two AWS accounts imported
 * without --source never overwrite each other's population.
 */
export function defaultSourceName(
  preset: { sourceKind: string },
  first: NormalizedIdentity | undefined,
): string {
  const attributes = first?.attributes ?? {};
  for (const key of SCOPE_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === 'string' && value.trim()) return `${preset.sourceKind}:${value.trim()}`;
  }
  return preset.sourceKind;
}

/** Every format the user can name with --format. */
export function importFormats(): Array<{ id: string; label: string; shape: 'table' | 'documents' }> {
  return [
    ...tablePresets.map((p) => ({ id: p.id, label: p.label, shape: p.shape })),
    ...documentPresets.map((p) => ({ id: p.id, label: p.label, shape: p.shape })),
  ];
}
