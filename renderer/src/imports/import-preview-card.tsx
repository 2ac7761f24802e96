import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CircleCheck, Info, TriangleAlert } from 'lucide-react';
import type { z } from 'zod';
import type { importPreviewSchema } from '../../../shared/api/schemas/imports';
import { MAPPING_FIELDS, type MappingField } from '../../../shared/domain/mapping-fields';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { SelectField } from '../components/select-field';
import { TextField } from '../components/text-field';
import { formatBytes, formatCount, plural } from '../format';
import { KIND_LABELS } from '../identity-labels';
import { ColumnMappingEditor, effectiveMapping } from './column-mapping-editor';
import { useImportFormats } from './format-labels';
import { useImportSession, type ImportRequest } from './import-session';

export type ImportPreview = z.infer<typeof importPreviewSchema>;
type PreviewTable = NonNullable<ImportPreview['table']>;

/** The generic inventory preset maps columns by name: the user should see and confirm that mapping. */
const MAPPED_BY_NAME = 'cmdb-generic';

/** Whether this preview needs the user to confirm which column holds which field. */
export function needsMapping(preview: ImportPreview, chosenFormat: string): boolean {
  if (preview.shape !== 'table' || !preview.table) return false;
  if (chosenFormat && chosenFormat !== MAPPED_BY_NAME) return false;
  return preview.detected === null || preview.detected.id === MAPPED_BY_NAME || preview.table.mapping.saved;
}

export function ImportPreviewCard({
  choosing,
  onChooseOther,
}: {
  choosing: boolean;
  onChooseOther: () => void;
}) {
  const { state, setOptions, setMapping, start, reset } = useImportSession();
  const { paths, options, outcome } = state;
  const formats = useImportFormats();
  const preview = useQuery({
    queryKey: [...queryKeys.importPreviews, paths, options.format, options.sheet],
    queryFn: () =>
      call('imports.preview', {
        paths,
        ...(options.format ? { format: options.format } : {}),
        ...(options.sheet ? { sheet: options.sheet } : {}),
      }),
    // Changing the format or sheet keeps the last preview on screen until the new one is read.
    placeholderData: keepPreviousData,
    gcTime: 0,
  });

  const data = preview.data;
  const mapping = data && needsMapping(data, options.format) ? data.table : null;
  const edits =
    mapping && state.mapping?.headerSignature === mapping.mapping.headerSignature ? state.mapping : null;
  const chosenColumns = mapping ? effectiveMapping(mapping, edits) : null;
  const blocker = data ? importBlocker(data, chosenColumns) : 'Reading the files…';

  const startImport = () => {
    if (!data) return;
    const request: ImportRequest = { paths };
    if (options.format) request.format = options.format;
    if (options.source.trim()) request.source = options.source.trim();
    if (options.sheet) request.sheet = options.sheet;
    if (mapping && chosenColumns) request.mapping = mappingByHeader(mapping, chosenColumns);
    start(request);
  };

  const formatOptions = [
    { value: '', label: 'Automatic (recognise the format)' },
    ...(formats.data ?? []).map((format) => ({ value: format.id, label: format.label })),
  ];

  return (
    <div
      className="preview"
      aria-busy={preview.isFetching || undefined}
      data-mapping={mapping ? true : undefined}
    >
      <div className="preview-files">
        <ul className="file-list" aria-label="Chosen files">
          {(
            data?.files ??
            paths.map((path) => ({ name: fileName(path), bytes: null, format: null, encoding: null }))
          ).map((file, index) => (
            <li key={`${file.name}-${index}`} className="file-item">
              <span className="file-name">{file.name}</span>
              {file.bytes !== null && (
                <span className="file-meta">
                  {formatBytes(file.bytes)} · {file.format?.toUpperCase()}
                  {file.encoding ? ` · ${file.encoding}` : ''}
                </span>
              )}
            </li>
          ))}
        </ul>
        <div className="preview-file-actions">
          <Button variant="quiet" onClick={onChooseOther} busy={choosing} busyLabel="Choosing…">
            Choose other files…
          </Button>
          <Button variant="quiet" onClick={reset}>
            Clear
          </Button>
        </div>
      </div>

      {preview.isError && <ErrorNotice error={preview.error} />}
      {data && <Recognition preview={data} mapping={Boolean(mapping)} />}

      {(data || preview.isPending) && !preview.isError && (
        <div className="preview-options">
          <SelectField
            compact
            label="Format"
            value={options.format}
            options={formatOptions}
            onChange={(format) => setOptions({ format })}
          />
          <TextField
            compact
            label="Source (optional)"
            value={options.source}
            onChange={(source) => setOptions({ source })}
            placeholder="Derived from the data, e.g. aws:123456789012"
            spellCheck={false}
            autoComplete="off"
          />
          {data?.table && data.table.sheets.length > 0 && (
            <SelectField
              compact
              className="field-sheet"
              label="Sheet"
              value={options.sheet ?? data.table.sheet ?? ''}
              options={data.table.sheets.map((sheet) => ({ value: sheet, label: sheet }))}
              onChange={(sheet) => setOptions({ sheet })}
            />
          )}
        </div>
      )}

      {data?.table && <TablePreview table={data.table} />}
      {data?.documents && <DocumentsPreview documents={data.documents} />}
      {mapping && chosenColumns && (
        <ColumnMappingEditor
          table={mapping}
          chosen={chosenColumns}
          edited={edits?.fields ?? {}}
          onChange={(field, column) => setMapping(mapping.mapping.headerSignature, field, column)}
        />
      )}

      {outcome?.kind === 'cancelled' && (
        <div role="status" className="notice notice-info">
          <Info className="notice-icon" aria-hidden="true" />
          <p>Import cancelled. Nothing was imported; the vault is as it was.</p>
        </div>
      )}
      {outcome?.kind === 'failed' && <ErrorNotice error={outcome.error} />}

      <div className="preview-actions">
        <Button variant="primary" onClick={startImport} disabled={blocker !== null}>
          {paths.length === 1 ? 'Import' : `Import ${formatCount(paths.length)} files`}
        </Button>
        {blocker && data && <p className="preview-blocker">{blocker}</p>}
      </div>
    </div>
  );
}

function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/** Why Import is not possible yet, in words; null when it is. */
function importBlocker(
  preview: ImportPreview,
  chosen: Partial<Record<MappingField, number | null>> | null,
): string | null {
  if (chosen) {
    return chosen.name == null && chosen.externalId == null
      ? 'Choose the column that names the account, or the one that holds its id.'
      : null;
  }
  if (!preview.detected) return 'Choose the format of these files above to import them.';
  return null;
}

function mappingByHeader(
  table: PreviewTable,
  chosen: Partial<Record<MappingField, number | null>>,
): Partial<Record<MappingField, string>> {
  const byHeader: Partial<Record<MappingField, string>> = {};
  for (const field of MAPPING_FIELDS) {
    const column = chosen[field];
    const header = column == null ? undefined : table.header[column];
    if (header !== undefined) byHeader[field] = header;
  }
  return byHeader;
}

function Recognition({ preview, mapping }: { preview: ImportPreview; mapping: boolean }) {
  if (preview.table?.mapping.saved && mapping) {
    return (
      <div className="notice notice-success" role="status">
        <CircleCheck className="notice-icon" aria-hidden="true" />
        <p>
          <span className="notice-title">Saved mapping.</span> These columns were mapped on an earlier import;
          Steward uses the same mapping again. Check it below.
        </p>
      </div>
    );
  }
  if (preview.detected?.id === MAPPED_BY_NAME && mapping) {
    return (
      <div className="notice notice-info" role="status">
        <Info className="notice-icon" aria-hidden="true" />
        <p>
          Read as an <strong className="detected-label">inventory register</strong>: no vendor export has
          these columns, so Steward matched them by name. Check the mapping below before importing.
        </p>
      </div>
    );
  }
  if (preview.detected) {
    return (
      <div className="notice notice-success" role="status">
        <CircleCheck className="notice-icon" aria-hidden="true" />
        <p>
          Recognised as <strong className="detected-label">{preview.detected.label}</strong>
          {mapping && '. Check which column holds each field below.'}
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-warning" role="status">
      <TriangleAlert className="notice-icon" aria-hidden="true" />
      <p>{preview.problem ?? 'Steward does not recognise these files.'}</p>
    </div>
  );
}

function TablePreview({ table }: { table: PreviewTable }) {
  const width = Math.max(table.header.length, ...table.rows.map((row) => row.cells.length));
  const columns = Array.from({ length: width }, (_, index) => index);
  return (
    <div className="preview-section">
      <h3 className="section-title">
        First rows
        <span className="section-note">
          {table.sheet ? `Sheet ${table.sheet} · ` : ''}
          header on row {table.headerRow}
          {table.delimiter ? ` · separated by ${describeDelimiter(table.delimiter)}` : ''}
          {table.encoding ? ` · ${table.encoding}` : ''}
        </span>
      </h3>
      {table.rows.length === 0 ? (
        <p className="muted">The file has a header but no rows.</p>
      ) : (
        <div className="preview-table-scroll" tabIndex={0} role="region" aria-label="First rows of the file">
          <table className="data-table preview-table">
            <thead>
              <tr>
                <th className="num row-number" scope="col">
                  <span className="visually-hidden">Row</span>
                  {table.headerRow}
                </th>
                {columns.map((column) => (
                  <th key={column} scope="col" title={table.header[column]}>
                    {table.header[column] ?? ''}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.rowNumber}>
                  <td className="num row-number">{row.rowNumber}</td>
                  {columns.map((column) => (
                    <td key={column} title={row.cells[column]}>
                      {row.cells[column] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function describeDelimiter(delimiter: string): string {
  switch (delimiter) {
    case ',':
      return 'commas';
    case ';':
      return 'semicolons';
    case '\t':
      return 'tabs';
    case '|':
      return 'bars';
    default:
      return `"${delimiter}"`;
  }
}

function DocumentsPreview({ documents }: { documents: NonNullable<ImportPreview['documents']> }) {
  return (
    <div className="preview-section">
      <h3 className="section-title">
        What Steward found
        <span className="section-note">
          {plural(documents.identities, 'identity', 'identities')} ·{' '}
          {plural(documents.rejects, 'reject', 'rejects')} · {plural(documents.notes, 'note', 'notes')}
        </span>
      </h3>
      {documents.partial && (
        <div className="notice notice-info">
          <Info className="notice-icon" aria-hidden="true" />
          <p>
            These files hold only part of the source. Identities they do not list will not be marked as not
            seen.
          </p>
        </div>
      )}
      <div className="preview-table-scroll" tabIndex={0} role="region" aria-label="First identities found">
        <table className="data-table preview-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Id in the source</th>
            </tr>
          </thead>
          <tbody>
            {documents.sample.map((identity) => (
              <tr key={identity.externalId}>
                <td>{identity.name}</td>
                <td>{KIND_LABELS[identity.kind]}</td>
                <td className="mono muted" title={identity.externalId}>
                  {identity.externalId}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
