import type { z } from 'zod';
import type { IdentityRecord, identityListInputSchema } from '../../../shared/api/schemas/inventory';
import type { Db } from '../db/open-database';
import { statusAt } from '../people/owner-resolver';
import { type IdSelection, idsBetween, idsIn } from '../db/id-selection';
import { riskSubjectsOf, signalsOfSubjects } from '../risk/record-signals';
import { SIGNAL_NUMBER, SLOT_OF_DATE } from '../risk/indexed-signals';
import type { RiskOwner, RiskSubject } from '../risk/risk-signals';

export type IdentityListQuery = z.output<typeof identityListInputSchema>;

/**
 * ORDER BY per sort, each matching an index column for column (its rowid last), so a page is read in
 * index order and stops after `offset + limit` entries instead of sorting a million rows. Within a
 * kind, identities follow environment and last use (the index `identities_kind_env_used`); within a
 * source, their external id (the UNIQUE key). The source sort reads sources in name order as the
 * outer loop (a CROSS JOIN keeps SQLite from turning it round into a scan and a sort).
 */
const SORT_ORDERS: Record<IdentityListQuery['sort'], (direction: string) => string> = {
  name: (d) => `i.name ${d}, i.id ${d}`,
  lastUsedAt: (d) => `i.last_used_at ${d}, i.id ${d}`,
  source: (d) => `s.name ${d}, i.external_id ${d}, i.id ${d}`,
  kind: (d) => `i.kind ${d}, i.environment ${d}, i.last_used_at ${d}, i.id ${d}`,
};

interface IdentityRow {
  id: number;
  source: string;
  kind: IdentityRecord['kind'];
  externalId: string;
  name: string;
  environment: string | null;
  status: IdentityRecord['status'];
  description: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  notSeenSince: string | null;
}

interface OwnerRow {
  identityId: number;
  role: 'business' | 'technical';
  ref: string;
  email: string | null;
  status: string | null;
  terminationDate: string | null;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * One page of identities with their owners (status judged at `asOf`), credentials and entitlements.
 * Children are fetched for the page only, one query per kind of child.
 */
export function listIdentities(
  db: Db,
  query: IdentityListQuery,
  onlyId?: number,
): { total: number; asOf: string; items: IdentityRecord[] } {
  const asOf = query.asOf ?? todayIso();
  const sql = identityListSql(query, asOf, onlyId);
  const total = countIdentities(db, sql.count, sql.params);
  const ids = db
    .prepare(sql.pageIds)
    .pluck()
    .all(...sql.params, query.limit, query.offset) as number[];
  return { total, asOf, items: identityRecordsByIds(db, ids, asOf) };
}

const IDENTITY_ROWS = `SELECT i.id, s.name AS source, i.kind, i.external_id AS externalId, i.name, i.environment,
         i.status, i.description, i.created_at AS createdAt, i.last_used_at AS lastUsedAt,
         ns.imported_at AS notSeenSince
    FROM identities i
    JOIN sources s ON s.id = i.source_id
    LEFT JOIN snapshots ns ON ns.id = i.not_seen_since_snapshot_id`;

/**
 * The records of these identities, in the order given, with owners (status at `asOf`), credentials,
 * entitlements and their risk signals at `asOf` (record-signals.ts).
 */
export function identityRecordsByIds(db: Db, ids: readonly number[], asOf: string): IdentityRecord[] {
  if (ids.length === 0) return [];
  const selection = idsIn(ids);
  const rows = db
    .prepare(`${IDENTITY_ROWS} WHERE ${selection.condition('i.id')}`)
    .all(...selection.params) as IdentityRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const page = ids.map((id) => byId.get(id)).filter((row): row is IdentityRow => row !== undefined);
  const { records, riskOwners } = withChildren(db, page, asOf, selection);
  const subjects = riskSubjectsOf(db, records, riskOwners, selection);
  const signals = signalsOfSubjects(db, subjects, asOf, selection);
  return records.map((record) => ({ ...record, signals: signals.get(record.id) ?? [] }));
}

/**
 * Up to `limit` identities after id `afterId`, in id order, as the risk rules read them (attributes,
 * source kind, owners' termination dates) and without signals: the signal index is built from these.
 * Their children are read by id range, one ordered scan per table.
 */
export function riskSubjectsAfter(db: Db, afterId: number, limit: number, asOf: string): RiskSubject[] {
  const rows = db
    .prepare(`${IDENTITY_ROWS} WHERE i.id > ? ORDER BY i.id LIMIT ?`)
    .all(afterId, limit) as IdentityRow[];
  if (rows.length === 0) return [];
  const selection = idsBetween(rows[0]!.id, rows[rows.length - 1]!.id);
  const { records, riskOwners } = withChildren(db, rows, asOf, selection);
  return riskSubjectsOf(db, records, riskOwners, selection);
}

/**
 * The statements behind one list query (exported for the test that checks their plans): the count,
 * and the page's ids, which take `params` then limit and offset. The ids come first, from the
 * indexes alone where the filters allow, so the rows an offset skips are never read from the table
 * (every read decrypts a page); the page's rows are then read by id.
 */
export function identityListSql(
  query: IdentityListQuery,
  asOf: string,
  onlyId?: number,
): { count: string; pageIds: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (onlyId !== undefined) {
    where.push('i.id = ?');
    params.push(onlyId);
  }
  if (query.source !== undefined) {
    where.push('i.source_id = (SELECT id FROM sources WHERE name = ?)');
    params.push(query.source);
  }
  if (query.kind !== undefined) {
    where.push('i.kind = ?');
    params.push(query.kind);
  }
  if (query.environment !== undefined) {
    where.push('i.environment = ?');
    params.push(query.environment);
  }
  const match = query.search ? searchMatch(query.search) : null;
  if (match !== null) {
    where.push('i.id IN (SELECT rowid FROM identities_fts WHERE identities_fts MATCH ?)');
    params.push(match);
  }
  if (query.signal !== undefined) {
    // The index holds a few dates; the handlers build it for the asked date first.
    where.push(`i.id IN (SELECT identity_id FROM identity_signals WHERE ${SLOT_OF_DATE} AND signal = ?)`);
    params.push(asOf, SIGNAL_NUMBER[query.signal]);
  }
  const countWhere = [...where];
  if (query.ownerStatus !== undefined) {
    const owner = ownerStatusCondition(query.ownerStatus);
    where.push(owner.page);
    countWhere.push(owner.count);
    params.push(...owner.params(asOf));
  }
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const countWhereSql = countWhere.length > 0 ? `WHERE ${countWhere.join(' AND ')}` : '';
  const direction = query.direction === 'desc' ? 'DESC' : 'ASC';
  return {
    count: `SELECT count(*) FROM identities i ${countWhereSql}`,
    pageIds: `SELECT i.id FROM ${query.sort === 'source' ? 'sources s CROSS JOIN identities i ON i.source_id = s.id' : 'identities i'}
                ${whereSql}
               ORDER BY ${SORT_ORDERS[query.sort](direction)}
               LIMIT ? OFFSET ?`,
    params,
  };
}

/**
 * The FTS5 query for what the user typed, matched against names, ids and credential key ids: one
 * phrase, its last word a prefix, so `svc-edi` finds `svc-edi-transfer`, `backup` finds
 * `nightly-backup` and `backup01`, and `AKIA3` finds the identities holding a key whose id starts so. The tokenizer splits the phrase the way it split the names, and the quotes make
 * every character literal (no FTS5 operators from user text). Null when there is no word to look
 * for (only punctuation): then the search does not filter.
 */
export function searchMatch(search: string): string | null {
  if (!/[\p{L}\p{N}]/u.test(search)) return null;
  return `"${search.replace(/"/g, '""')}"*`;
}

/**
 * How many identities match: counting reads every matching index entry (a million of them without
 * a filter), and the list asks again for every page it scrolls to. So the count is kept per filter
 * until the database changes: `total_changes()` moves with this connection's writes and
 * `data_version` with other connections' commits.
 */
const countCache = new WeakMap<Db, { version: string; totals: Map<string, number> }>();
const COUNTS_KEPT = 64;

function countIdentities(db: Db, countSql: string, params: readonly unknown[]): number {
  const version = `${db.prepare('SELECT total_changes()').pluck().get() as number}/${
    db.pragma('data_version', { simple: true }) as number
  }`;
  let cache = countCache.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, totals: new Map() };
    countCache.set(db, cache);
  }
  const key = `${countSql}\u0000${JSON.stringify(params)}`;
  let total = cache.totals.get(key);
  if (total === undefined) {
    total = db
      .prepare(countSql)
      .pluck()
      .get(...params) as number;
    if (cache.totals.size >= COUNTS_KEPT) cache.totals.clear();
    cache.totals.set(key, total);
  }
  return total;
}

type RecordWithoutSignals = Omit<IdentityRecord, 'signals'>;

/**
 * The rows with their owners, credentials and entitlements, one query per kind of child over
 * `selection` (which covers the rows' ids), and each identity's owners as the risk rules read them.
 */
function withChildren(
  db: Db,
  rows: IdentityRow[],
  asOf: string,
  selection: IdSelection,
): { records: RecordWithoutSignals[]; riskOwners: Map<number, RiskOwner[]> } {
  const owners = groupBy(
    db
      .prepare(
        `SELECT o.identity_id AS identityId, o.role, r.ref, p.email, p.status, p.termination_date AS terminationDate
           FROM identity_owners o
           JOIN owner_refs r ON r.id = o.owner_ref_id
           LEFT JOIN people p ON p.id = r.person_id
          WHERE ${selection.condition('o.identity_id')} ORDER BY o.identity_id, o.role, r.ref`,
      )
      .all(...selection.params) as OwnerRow[],
  );
  const credentials = groupBy(
    db
      .prepare(
        `SELECT identity_id AS identityId, external_id AS externalId, type, created_at AS createdAt,
                last_rotated_at AS lastRotatedAt, expires_at AS expiresAt, last_used_at AS lastUsedAt, status
           FROM credentials WHERE ${selection.condition('identity_id')} ORDER BY identity_id, position`,
      )
      .all(...selection.params) as Array<IdentityRecord['credentials'][number] & { identityId: number }>,
  );
  const entitlements = groupBy(
    db
      .prepare(
        `SELECT identity_id AS identityId, name, resource, privileged FROM entitlements
          WHERE ${selection.condition('identity_id')} ORDER BY identity_id, privileged DESC, name`,
      )
      .all(...selection.params) as Array<{
      identityId: number;
      name: string;
      resource: string | null;
      privileged: number;
    }>,
  );
  const riskOwners = new Map<number, RiskOwner[]>();
  const records = rows.map((row) => {
    const ownersOfRow: RiskOwner[] = (owners.get(row.id) ?? []).map((owner) => ({
      // A reference that names a roster person shows the person's address; others stay as written.
      email: owner.email ?? owner.ref,
      role: owner.role,
      status:
        owner.email === null
          ? ('not-in-roster' as const)
          : statusAt({ status: owner.status ?? 'active', terminationDate: owner.terminationDate }, asOf),
      terminationDate: owner.terminationDate,
    }));
    riskOwners.set(row.id, ownersOfRow);
    return {
      ...row,
      owners: ownersOfRow.map(({ terminationDate: _date, ...owner }) => owner),
      credentials: (credentials.get(row.id) ?? []).map(({ identityId: _id, ...credential }) => credential),
      entitlements: (entitlements.get(row.id) ?? []).map((e) => ({
        name: e.name,
        resource: e.resource,
        privileged: e.privileged === 1,
      })),
    };
  });
  return { records, riskOwners };
}

function groupBy<T extends { identityId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.identityId);
    if (list) list.push(row);
    else map.set(row.identityId, [row]);
  }
  return map;
}

/**
 * An owner's status at a date, in SQL: the same rule as `statusAt` (a termination date on or before
 * the as-of date, or a terminated record without a date), so filters and displayed badges agree.
 */
const TERMINATED_AT = `(p.termination_date IS NOT NULL AND substr(p.termination_date, 1, 10) <= ?)
                       OR (p.status = 'terminated' AND p.termination_date IS NULL)`;
const OWNER_PEOPLE = `identity_owners o JOIN owner_refs r ON r.id = o.owner_ref_id`;
// CROSS JOIN keeps the owners table the outer loop: read once in order, each reference found by id
// (left to itself, SQLite may build a temporary index over two million owner rows first).
const OWNERS_IN_ORDER = `identity_owners o CROSS JOIN owner_refs r ON r.id = o.owner_ref_id`;

/**
 * An owner-status filter in two equivalent forms. Pages test each identity as the sort index reaches
 * it (`EXISTS`), which stops after a page when matches are common. Counts must test every identity,
 * and a million probes in the order of a sort index read owner pages at random (10 s on a million
 * identities); so counts take the identities from one ordered pass over the owners instead (about
 * 1-2 s). Identities without owners are rare enough that the one pass serves their pages too.
 */
function ownerStatusCondition(status: NonNullable<IdentityListQuery['ownerStatus']>): {
  page: string;
  count: string;
  params: (asOf: string) => unknown[];
} {
  const owned = (where: string, people = false) => ({
    page: `EXISTS (SELECT 1 FROM ${OWNER_PEOPLE} ${people ? 'JOIN people p ON p.id = r.person_id' : ''}
                    WHERE o.identity_id = i.id AND ${where})`,
    count: `i.id IN (SELECT o.identity_id FROM ${OWNERS_IN_ORDER}
                      ${people ? 'CROSS JOIN people p ON p.id = r.person_id' : ''} WHERE ${where})`,
  });
  switch (status) {
    case 'none': {
      // `+` keeps SQLite from probing the owners' key once per identity: the list is built once.
      const sql = 'i.id NOT IN (SELECT +identity_id FROM identity_owners)';
      return { page: sql, count: sql, params: () => [] };
    }
    case 'not-in-roster':
      return { ...owned('r.person_id IS NULL'), params: () => [] };
    case 'terminated':
      return { ...owned(`(${TERMINATED_AT})`, true), params: (asOf) => [asOf] };
    case 'active':
      return { ...owned(`NOT (${TERMINATED_AT})`, true), params: (asOf) => [asOf] };
  }
}
