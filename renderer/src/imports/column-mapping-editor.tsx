import { useId } from 'react';
import type { z } from 'zod';
import type { importPreviewSchema } from '../../../shared/api/schemas/imports';
import {
  MAPPING_FIELD_LABELS,
  MAPPING_FIELDS,
  type MappingField,
} from '../../../shared/domain/mapping-fields';
import { Badge, type BadgeTone } from '../components/badge';
import type { MappingEdits } from './import-session';

type PreviewTable = NonNullable<z.infer<typeof importPreviewSchema>['table']>;
export type ChosenColumns = Partial<Record<MappingField, number | null>>;

const NOT_IN_FILE = '';

/** The proposal (or saved mapping) with the user's corrections on top. */
export function effectiveMapping(table: PreviewTable, edits: MappingEdits | null): ChosenColumns {
  const chosen: ChosenColumns = {};
  for (const field of MAPPING_FIELDS) {
    const edited = edits?.fields[field];
    chosen[field] = edited !== undefined ? edited : (table.mapping.fields[field]?.column ?? null);
  }
  return chosen;
}

function matchHint(
  table: PreviewTable,
  field: MappingField,
  column: number | null,
  edited: boolean,
): { tone: BadgeTone; text: string } | null {
  if (edited) return column === null ? null : { tone: 'accent', text: 'Your choice' };
  const proposed = table.mapping.fields[field];
  if (!proposed || column === null) return null;
  if (table.mapping.saved) return { tone: 'success', text: 'Saved' };
  if (proposed.confidence >= 0.95) return { tone: 'success', text: 'Sure' };
  if (proposed.confidence >= 0.7) return { tone: 'neutral', text: 'Likely' };
  return { tone: 'warning', text: 'A guess' };
}

/** The first value the rows hold in a column, to show what the choice means. */
function firstValue(table: PreviewTable, column: number | null): string | null {
  if (column === null) return null;
  for (const row of table.rows) {
    const cell = row.cells[column]?.trim();
    if (cell) return cell;
  }
  return null;
}

/**
 * For each field Steward can read from an inventory table, the column that holds it. Prefilled from
 * Steward's proposal or the mapping saved for these columns; the import saves what the user confirms.
 */
export function ColumnMappingEditor({
  table,
  chosen,
  edited,
  onChange,
}: {
  table: PreviewTable;
  chosen: ChosenColumns;
  edited: Partial<Record<MappingField, number | null>>;
  onChange: (field: MappingField, column: number | null) => void;
}) {
  const headingId = useId();
  const idPrefix = useId();
  const columnOptions = table.header.map((header, column) => ({
    value: String(column),
    label: header.trim() ? header : `Column ${column + 1} (no header)`,
  }));

  return (
    <section className="preview-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-title">
        Column mapping
        <span className="section-note">
          {table.mapping.saved
            ? 'The mapping you confirmed for these columns before.'
            : 'Steward’s proposal. Correct any field; your mapping is saved for files with these columns.'}
        </span>
      </h3>
      <table className="data-table mapping-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Column in the file</th>
            <th scope="col">First value</th>
            <th scope="col">
              <span className="visually-hidden">Match</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {MAPPING_FIELDS.map((field) => {
            const column = chosen[field] ?? null;
            const hint = matchHint(table, field, column, edited[field] !== undefined);
            const selectId = `${idPrefix}-${field}`;
            const example = firstValue(table, column);
            return (
              <tr key={field} data-field={field}>
                <td>
                  <label htmlFor={selectId} className="mapping-label">
                    {MAPPING_FIELD_LABELS[field]}
                  </label>
                </td>
                <td>
                  <select
                    id={selectId}
                    className="select-input mapping-select"
                    data-empty={column === null || undefined}
                    value={column === null ? NOT_IN_FILE : String(column)}
                    onChange={(event) =>
                      onChange(field, event.target.value === NOT_IN_FILE ? null : Number(event.target.value))
                    }
                  >
                    <option value={NOT_IN_FILE}>Not in this file</option>
                    {columnOptions.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="mapping-example" title={example ?? undefined}>
                  {example ?? <span className="muted">—</span>}
                </td>
                <td className="mapping-hint">{hint && <Badge tone={hint.tone}>{hint.text}</Badge>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
