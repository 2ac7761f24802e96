import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { identityDetailSchema, inventoryFacetsSchema } from '../../../shared/api/schemas/imports';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import type { Db } from '../db/open-database';
import { listIdentities, todayIso } from './identity-query';
import { signalCounts, signalIndexState } from '../risk/signal-index';

export type IdentityDetail = z.infer<typeof identityDetailSchema>;
export type InventoryFacets = z.infer<typeof inventoryFacetsSchema>;

/** One identity with its attributes and its history across snapshots, newest first. */
export function identityDetail(db: Db, id: number, asOf: string = todayIso()): IdentityDetail {
  const row = db
    .prepare(
      `SELECT i.id, s.name AS source, coalesce(a.attributes, '{}') AS attributes,
              i.first_seen_snapshot_id AS firstSeenSnapshotId, fs.imported_at AS firstSeen, ls.imported_at AS lastSeen
         FROM identities i JOIN sources s ON s.id = i.source_id
         LEFT JOIN identity_attributes a ON a.identity_id = i.id
         LEFT JOIN snapshots fs ON fs.id = i.first_seen_snapshot_id
         LEFT JOIN snapshots ls ON ls.id = i.last_seen_snapshot_id
        WHERE i.id = ?`,
    )
    .get(id) as
    | {
        id: number;
        source: string;
        attributes: string;
        firstSeenSnapshotId: number | null;
        firstSeen: string | null;
        lastSeen: string | null;
      }
    | undefined;
  if (!row) throw new AppError('INVALID_INPUT', `There is no identity ${id} in this vault.`);
  // Reuse the list query for the record itself so the detail and the table can never disagree.
  const page = listIdentities(
    db,
    { asOf, offset: 0, limit: 1, source: row.source, sort: 'name', direction: 'asc', search: undefined },
    id,
  );
  const identity = page.items[0] as IdentityRecord;
  const history = (
    db
      .prepare(
        `SELECT c.snapshot_id AS snapshotId, s.imported_at AS importedAt, c.change, c.aspects, c.details
           FROM identity_changes c JOIN snapshots s ON s.id = c.snapshot_id
          WHERE c.identity_id = ? ORDER BY c.snapshot_id DESC, c.id DESC`,
      )
      .all(id) as Array<{
      snapshotId: number;
      importedAt: string;
      change: string;
      aspects: string;
      details: string;
    }>
  ).map((change) => ({
    snapshotId: change.snapshotId,
    importedAt: change.importedAt,
    change: change.change as IdentityDetail['history'][number]['change'],
    aspects: JSON.parse(change.aspects) as string[],
    details: JSON.parse(change.details) as IdentityDetail['history'][number]['details'],
  }));
  // An identity's arrival is its first snapshot, not a stored change row.
  if (row.firstSeenSnapshotId !== null && row.firstSeen !== null) {
    history.push({
      snapshotId: row.firstSeenSnapshotId,
      importedAt: row.firstSeen,
      change: 'added',
      aspects: [],
      details: {},
    });
  }
  return {
    identity,
    attributes: JSON.parse(row.attributes) as IdentityDetail['attributes'],
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    history,
  };
}

/** Values and counts for the inventory's filter menus, from covering indexes. */
export function inventoryFacets(db: Db, asOf: string): InventoryFacets {
  return {
    total: db.prepare('SELECT count(*) FROM identities').pluck().get() as number,
    sources: db
      .prepare(
        `SELECT s.name AS value, count(*) AS count FROM identities i JOIN sources s ON s.id = i.source_id
          GROUP BY s.id ORDER BY s.name`,
      )
      .all() as InventoryFacets['sources'],
    kinds: db
      .prepare('SELECT kind AS value, count(*) AS count FROM identities GROUP BY kind ORDER BY count DESC')
      .all() as InventoryFacets['kinds'],
    environments: db
      .prepare(
        `SELECT environment AS value, count(*) AS count FROM identities WHERE environment IS NOT NULL
          GROUP BY environment ORDER BY count DESC`,
      )
      .all() as InventoryFacets['environments'],
    signals: signalCountsAt(db, asOf),
    signalsAsOf: signalIndexState(db, asOf)?.asOf ?? null,
  };
}

/** The risk-signal index's counts at `asOf` as the filters take them (the index must hold the date). */
export function signalCountsAt(db: Db, asOf: string): InventoryFacets['signals'] {
  return signalCounts(db, asOf).map(({ code, count }) => ({ value: code, count }));
}
