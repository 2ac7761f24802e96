import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AppError } from '../../../shared/api/errors';
import type { z } from 'zod';
import type { importPreviewSchema } from '../../../shared/api/schemas/imports';
import type { Db } from '../db/open-database';
import { headerSignature, proposeColumnMapping, type MappingField } from './column-mapping';
import type { DocumentFile } from './preset-types';
import { detectDocumentPreset, documentPresetFor } from './presets/document-presets';
import { detectTablePreset, tablePresetFor } from './presets/table-presets';
import { readJsonDocument } from './readers/json-reader';
import { openTable } from './readers/open-table';
import { peekTableRows } from './readers/peek-rows';
import { sniffFile } from './readers/sniff-file';
import { listSheets } from './readers/xlsx-reader';

export type ImportPreview = z.infer<typeof importPreviewSchema>;

/** Rows shown in the preview: enough to check a mapping, few enough to send to the window at once. */
const PREVIEW_ROWS = 20;

/**
 * What an import of these files would do, without writing anything: the format Steward recognises
 * (or why it does not), the first rows as read, and for an unrecognised table the column mapping it
 * proposes, or the one the user confirmed for this layout before.
 */
export async function previewImport(
  db: Db,
  request: { paths: string[]; format?: string | undefined; sheet?: string | undefined },
): Promise<ImportPreview> {
  if (request.paths.length === 0) throw new AppError('INVALID_INPUT', 'Choose at least one file.');
  const sniffed = [];
  for (const path of request.paths) {
    const absolute = resolve(path);
    const info = await stat(absolute).catch(() => null);
    if (!info?.isFile()) {
      throw new AppError(
        'INVALID_INPUT',
        `${basename(absolute)} cannot be read: it does not exist or is a folder.`,
      );
    }
    sniffed.push(await sniffFile(absolute));
  }
  const files = sniffed.map((s) => ({ name: s.name, bytes: s.size, format: s.format, encoding: s.encoding }));
  const shapes = new Set(sniffed.map((s) => (s.format === 'json' ? 'documents' : 'table')));
  if (shapes.size > 1) {
    throw new AppError(
      'INVALID_INPUT',
      'These files mix JSON exports with spreadsheets or CSV files. Import one export at a time.',
    );
  }

  if (shapes.has('documents')) {
    const documents: DocumentFile[] = [];
    for (const s of sniffed) documents.push(await readJsonDocument(s.path, { name: s.name }));
    try {
      const preset = request.format
        ? documentPresetFor(request.format)
        : detectDocumentPreset(documents).preset;
      const confidence = request.format ? 1 : preset.detect(documents);
      const mapped = preset.map(documents);
      return {
        shape: 'documents',
        files,
        detected: { id: preset.id, label: preset.label, confidence },
        problem: null,
        table: null,
        documents: {
          identities: mapped.identities.length,
          rejects: mapped.rejects.length,
          notes: mapped.notes?.length ?? 0,
          partial: mapped.partial ?? false,
          sample: mapped.identities
            .slice(0, PREVIEW_ROWS)
            .map((i) => ({ name: i.name, kind: i.kind, externalId: i.externalId })),
        },
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return {
        shape: 'documents',
        files,
        detected: null,
        problem: error.message,
        table: null,
        documents: null,
      };
    }
  }

  const first = sniffed[0]!;
  const opened = await openTable(first.path, { sheet: request.sheet });
  const { sample, table } = await peekTableRows(opened, PREVIEW_ROWS);
  // Only the sample was needed: stop reading the file.
  await table.rows[Symbol.asyncIterator]().return?.();
  const header = opened.header;
  const signature = headerSignature(header);
  const savedRow = db
    .prepare('SELECT mapping FROM column_mappings WHERE header_signature = ?')
    .pluck()
    .get(signature) as string | undefined;
  let detected: ImportPreview['detected'] = null;
  let problem: string | null = null;
  try {
    const preset = request.format ? tablePresetFor(request.format) : detectTablePreset(header);
    if (preset)
      detected = {
        id: preset.id,
        label: preset.label,
        confidence: request.format ? 1 : preset.detect(header),
      };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error.message;
  }
  const proposal = proposeColumnMapping(header, sample);
  const saved = savedRow
    ? (JSON.parse(savedRow) as { columns: Partial<Record<MappingField, number>> })
    : null;
  const fields: Partial<Record<MappingField, { column: number; header: string; confidence: number }>> = {};
  if (saved) {
    for (const [field, column] of Object.entries(saved.columns) as Array<[MappingField, number]>) {
      fields[field] = { column, header: header[column] ?? '', confidence: 1 };
    }
  } else {
    Object.assign(fields, proposal.fields);
  }
  if (!detected && !saved && !problem) {
    problem = 'Steward does not recognise this layout. Check the proposed column mapping before importing.';
  }
  return {
    shape: 'table',
    files,
    detected,
    problem,
    documents: null,
    table: {
      sheet: opened.details.sheet ?? null,
      sheets: first.format === 'xlsx' ? (await listSheets(first.path)).map((s) => s.name) : [],
      delimiter: opened.details.delimiter ?? null,
      encoding: opened.details.encoding ?? first.encoding ?? null,
      header,
      headerRow: opened.headerRowNumber,
      rows: sample.map((row) => ({ rowNumber: row.rowNumber, cells: row.cells })),
      mapping: { headerSignature: signature, saved: Boolean(saved), fields },
    },
  };
}
