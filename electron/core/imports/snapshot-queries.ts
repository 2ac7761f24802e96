import type { z } from 'zod';
import type { snapshotListItemSchema } from '../../../shared/api/schemas/imports';
import type { Db } from '../db/open-database';

export type SnapshotListItem = z.infer<typeof snapshotListItemSchema>;

/** The imports made into this vault, newest first, with their population evidence. */
export function listSnapshots(db: Db, limit = 200): SnapshotListItem[] {
  const rows = db
    .prepare(
      `SELECT s.id AS snapshotId, src.name AS source, src.kind AS sourceKind, coalesce(s.preset, s.format) AS preset,
              s.format, s.imported_at AS importedAt, s.imported_by AS importedBy, s.rows_read AS rowsRead,
              s.rows_imported AS imported, s.rows_rejected AS rejected, s.is_full AS full
         FROM snapshots s JOIN sources src ON src.id = s.source_id
        ORDER BY s.id DESC LIMIT ?`,
    )
    .all(limit) as Array<Omit<SnapshotListItem, 'files' | 'full'> & { full: number }>;
  const files = db.prepare(
    'SELECT name, bytes, sha256 FROM snapshot_files WHERE snapshot_id = ? ORDER BY rowid',
  );
  return rows.map((row) => ({
    ...row,
    full: row.full === 1,
    files: files.all(row.snapshotId) as SnapshotListItem['files'],
  }));
}
