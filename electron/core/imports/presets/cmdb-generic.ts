import {
  createMappedRowMapper,
  mappingFromProposal,
  proposeColumnMapping,
  type MappingField,
} from '../column-mapping';
import type { RowOutcome, TablePreset, TableRow } from '../preset-types';

/**
 * Any inventory spreadsheet (a CMDB or ServiceNow export, a hand-kept register) whose columns are
 * recognised by name: see `column-mapping.ts`. It answers with at most 0.6 so a vendor-specific
 * preset that recognises its exact header always wins, and only when the header names an account
 * plus something an access review needs (type, owner, last use, rotation, privilege), so that an HR
 * roster (names, e-mails, managers) is not taken for an identity inventory.
 */
const REVIEW_FIELDS: readonly MappingField[] = [
  'kind',
  'businessOwner',
  'technicalOwner',
  'lastUsedAt',
  'credentialLastRotatedAt',
  'privileged',
];

/** A table preset whose mapper can also learn from the first rows of the file. */
export interface SampledTablePreset extends TablePreset {
  createRowMapper(
    header: readonly string[],
    file: string,
    sampleRows?: readonly TableRow[],
  ): (row: TableRow) => RowOutcome;
}

export const cmdbGenericPreset: SampledTablePreset = {
  id: 'cmdb-generic',
  label: 'Inventory spreadsheet (CMDB, register), columns mapped by name',
  sourceKind: 'cmdb',
  shape: 'table',

  detect(header) {
    const { fields } = proposeColumnMapping(header);
    const name = fields.name;
    if (!name || name.confidence < 0.9) return 0;
    const reviewFields = REVIEW_FIELDS.filter((field) => (fields[field]?.confidence ?? 0) >= 0.9).length;
    if (reviewFields === 0) return 0;
    return Math.min(0.6, 0.3 + 0.1 * reviewFields);
  },

  /**
   * `sampleRows` (optional, e.g. from `peekTableRows`) lets the mapping learn the day/month order of
   * the date columns before the first row is mapped; without it, slash dates before the first
   * deciding value are reported as ambiguous.
   */
  createRowMapper(header: readonly string[], file: string, sampleRows: readonly TableRow[] = []) {
    return createMappedRowMapper(mappingFromProposal(proposeColumnMapping(header, sampleRows)), header, file);
  },
};
