import type { Db } from '../db/open-database';
import { fingerprintFiles } from '../imports/import-files';
import { createRosterRowMapper } from '../imports/presets/hr-roster';
import { openTable } from '../imports/readers/open-table';
import { replaceRoster, type RosterItem, type RosterSummary } from './roster-writer';

/** Imports an HR roster export (CSV or XLSX) and replaces the roster with it. */
export async function importRoster(db: Db, path: string, importedBy: string): Promise<RosterSummary> {
  const files = await fingerprintFiles([path]);
  const file = files[0]!;
  const table = await openTable(file.path);
  const map = createRosterRowMapper(table.header, file.name);
  async function* items(): AsyncIterable<RosterItem> {
    for await (const row of table.rows) yield { file: file.name, row: row.rowNumber, outcome: map(row) };
  }
  return replaceRoster(
    db,
    [{ name: file.name, bytes: file.bytes, sha256: file.sha256 }],
    importedBy,
    items(),
  );
}
