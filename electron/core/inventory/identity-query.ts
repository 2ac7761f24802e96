import type { z } from 'zod';
import type { IdentityRecord, identityListInputSchema } from '../../../shared/api/schemas/inventory';
import type { Db } from '../db/open-database';
import { statusAt } from '../people/owner-resolver';

export type IdentityListQuery = z.output<typeof identityListInputSchema>;

const SORT_COLUMNS: Record<IdentityListQuery['sort'], string> = {
  name: 'i.name',
  lastUsedAt: 'i.last_used_at',
  source: 's.name',
  kind: 'i.kind',
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
  if (query.search) {
    where.push(`(i.name LIKE ? ESCAPE '\\' OR i.external_id LIKE ? ESCAPE '\\')`);
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(pattern, pattern);
  }
  if (query.ownerStatus !== undefined) {
    const owner = ownerStatusCondition(query.ownerStatus);
    where.push(owner.sql);
    params.push(...owner.params(asOf));
  }
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db
    .prepare(`SELECT count(*) FROM identities i ${whereSql}`)
    .pluck()
    .get(...params) as number;
  const direction = query.direction === 'desc' ? 'DESC' : 'ASC';
  const rows = db
    .prepare(
      `SELECT i.id, s.name AS source, i.kind, i.external_id AS externalId, i.name, i.environment, i.status,
              i.description, i.created_at AS createdAt, i.last_used_at AS lastUsedAt, ns.imported_at AS notSeenSince
         FROM identities i
         JOIN sources s ON s.id = i.source_id
         LEFT JOIN snapshots ns ON ns.id = i.not_seen_since_snapshot_id
         ${whereSql}
        ORDER BY ${SORT_COLUMNS[query.sort]} ${direction}, i.id ${direction}
        LIMIT ? OFFSET ?`,
    )
    .all(...params, query.limit, query.offset) as IdentityRow[];
  return { total, asOf, items: attachChildren(db, rows, asOf) };
}

function attachChildren(db: Db, rows: IdentityRow[], asOf: string): IdentityRecord[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const placeholders = ids.map(() => '?').join(',');
  const owners = groupBy(
    db
      .prepare(
        `SELECT o.identity_id AS identityId, o.role, r.ref, p.email, p.status, p.termination_date AS terminationDate
           FROM identity_owners o
           JOIN owner_refs r ON r.id = o.owner_ref_id
           LEFT JOIN people p ON p.id = r.person_id
          WHERE o.identity_id IN (${placeholders}) ORDER BY o.identity_id, o.role, r.ref`,
      )
      .all(...ids) as OwnerRow[],
  );
  const credentials = groupBy(
    db
      .prepare(
        `SELECT identity_id AS identityId, external_id AS externalId, type, created_at AS createdAt,
                last_rotated_at AS lastRotatedAt, expires_at AS expiresAt, last_used_at AS lastUsedAt, status
           FROM credentials WHERE identity_id IN (${placeholders}) ORDER BY identity_id, position`,
      )
      .all(...ids) as Array<IdentityRecord['credentials'][number] & { identityId: number }>,
  );
  const entitlements = groupBy(
    db
      .prepare(
        `SELECT identity_id AS identityId, name, resource, privileged FROM entitlements
          WHERE identity_id IN (${placeholders}) ORDER BY identity_id, privileged DESC, name`,
      )
      .all(...ids) as Array<{
      identityId: number;
      name: string;
      resource: string | null;
      privileged: number;
    }>,
  );
  return rows.map((row) => ({
    ...row,
    owners: (owners.get(row.id) ?? []).map((owner) => ({
      // A reference that names a roster person shows the person's address; others stay as written.
      email: owner.email ?? owner.ref,
      role: owner.role,
      status:
        owner.email === null
          ? ('not-in-roster' as const)
          : statusAt({ status: owner.status ?? 'active', terminationDate: owner.terminationDate }, asOf),
    })),
    credentials: (credentials.get(row.id) ?? []).map(({ identityId: _id, ...credential }) => credential),
    entitlements: (entitlements.get(row.id) ?? []).map((e) => ({
      name: e.name,
      resource: e.resource,
      privileged: e.privileged === 1,
    })),
  }));
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

function ownerStatusCondition(status: NonNullable<IdentityListQuery['ownerStatus']>): {
  sql: string;
  params: (asOf: string) => unknown[];
} {
  switch (status) {
    case 'none':
      return {
        sql: 'NOT EXISTS (SELECT 1 FROM identity_owners o WHERE o.identity_id = i.id)',
        params: () => [],
      };
    case 'not-in-roster':
      return {
        sql: `EXISTS (SELECT 1 FROM ${OWNER_PEOPLE} WHERE o.identity_id = i.id AND r.person_id IS NULL)`,
        params: () => [],
      };
    case 'terminated':
      return {
        sql: `EXISTS (SELECT 1 FROM ${OWNER_PEOPLE} JOIN people p ON p.id = r.person_id
                       WHERE o.identity_id = i.id AND (${TERMINATED_AT}))`,
        params: (asOf) => [asOf],
      };
    case 'active':
      return {
        sql: `EXISTS (SELECT 1 FROM ${OWNER_PEOPLE} JOIN people p ON p.id = r.person_id
                       WHERE o.identity_id = i.id AND NOT (${TERMINATED_AT}))`,
        params: (asOf) => [asOf],
      };
  }
}
