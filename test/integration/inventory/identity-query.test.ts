import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { identityListInputSchema } from '../../../shared/api/schemas/inventory';
import {
  writeSnapshot,
  type ImportItem,
  type SnapshotRequest,
} from '../../../electron/core/imports/snapshot-writer';
import { identityListSql, listIdentities } from '../../../electron/core/inventory/identity-query';
import type { Vault } from '../../../electron/core/vault/vault';
import { unlockedVault } from '../../support/unlocked-vault';

const KINDS = ['service-account', 'api-key', 'iam-user', 'ssh-key'] as const;
const ENVIRONMENTS = ['production', 'staging', 'test'];

function identity(index: number, overrides: Partial<NormalizedIdentity> = {}): NormalizedIdentity {
  return {
    externalId: `ID-${String(index).padStart(5, '0')}`,
    kind: KINDS[index % KINDS.length]!,
    name: `svc-${index}`,
    environment: ENVIRONMENTS[index % ENVIRONMENTS.length]!,
    status: 'active',
    description: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    lastUsedAt:
      index % 11 === 0 ? null : `2026-${String((index % 12) + 1).padStart(2, '0')}-01T00:00:00.000Z`,
    owners:
      index % 5 === 0 ? [] : [{ ref: `owner${index % 40}@northwindlogistics.example`, role: 'business' }],
    credentials: [],
    entitlements: [],
    attributes: {},
    ...overrides,
  };
}

function request(sha: string, sourceName = 'cmdb'): SnapshotRequest {
  return {
    sourceName,
    sourceKind: 'cmdb',
    format: 'csv',
    preset: 'cmdb-generic',
    files: [{ name: 'inventory.csv', bytes: 100, sha256: sha.repeat(64).slice(0, 64) }],
    parameters: {},
    importedBy: 'ana.silva',
    full: true,
  };
}

async function* itemsOf(identities: NormalizedIdentity[]): AsyncIterable<ImportItem> {
  let row = 1;
  for (const entry of identities) yield { file: 'inventory.csv', row: ++row, outcome: { identity: entry } };
}

function accessKey(externalId: string): NormalizedIdentity['credentials'][number] {
  return {
    externalId,
    type: 'access-key',
    status: 'active',
    createdAt: null,
    lastRotatedAt: '2024-01-01T00:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
  };
}

const NAMED = [
  identity(90_001, { name: 'nightly-backup', externalId: 'arn:aws:iam::1:user/nightly-backup' }),
  identity(90_002, { name: 'backup01', externalId: 'BK-01' }),
  identity(90_003, { name: 'svc-edi-transfer', externalId: 'EDI-1' }),
  identity(90_004, { name: 'svc-other-edi', externalId: 'EDI-2' }),
  identity(90_005, { name: 'deploy key', externalId: 'AKIA3EXAMPLEKEY' }),
  identity(90_007, { name: 'etl-loader', externalId: 'ETL-1', credentials: [accessKey('AKIA7LOADERKEY')] }),
  identity(90_006, { name: 'Zürich-Gateway', externalId: 'ZRH-1' }),
];

let vault: Vault;

beforeAll(async () => {
  vault = await unlockedVault();
  const many = Array.from({ length: 3_000 }, (_, i) => identity(i + 1));
  await writeSnapshot(vault.database, request('a'), itemsOf([...many, ...NAMED]));
  await writeSnapshot(vault.database, request('b', 'aws'), itemsOf([identity(5), identity(6)]));
});
afterAll(() => vault.lock());

const list = (input: Record<string, unknown>) =>
  listIdentities(vault.database, identityListInputSchema.parse({ asOf: '2026-11-01', ...input }));
const namesFound = (search: string) => list({ search, limit: 1000 }).items.map((item) => item.name);

describe('inventory search (FTS5, words and word prefixes)', () => {
  it('finds whole words, word prefixes and hyphenated names, without letter case', () => {
    expect(namesFound('backup').sort()).toEqual(['backup01', 'nightly-backup']);
    expect(namesFound('BACKUP0')).toEqual(['backup01']);
    expect(namesFound('svc-edi')).toEqual(['svc-edi-transfer']);
    expect(namesFound('AKIA3')).toEqual(['deploy key']);
    expect(namesFound('akia7load')).toEqual(['etl-loader']);
    expect(namesFound('zurich')).toEqual(['Zürich-Gateway']);
    expect(list({ search: 'svc-12' }).items.map((item) => item.name)).toContain('svc-12');
  });

  it('counts what it finds and combines with the filters', () => {
    expect(list({ search: 'svc' }).total).toBe(3_000 + 2 + 2);
    expect(list({ search: 'svc', source: 'aws' }).total).toBe(2);
  });

  it('takes what the user typed literally: FTS5 syntax is not interpreted, punctuation alone does not filter', () => {
    expect(namesFound('backup OR edi')).toEqual([]);
    expect(namesFound('"backup')).toEqual(expect.arrayContaining(['backup01', 'nightly-backup']));
    expect(list({ search: '--' }).total).toBe(list({}).total);
  });

  it('follows a re-import that renames identities and replaces their keys', async () => {
    const v = await unlockedVault();
    try {
      await writeSnapshot(
        v.database,
        request('c'),
        itemsOf([
          identity(1, { name: 'legacy-backup' }),
          identity(2, { credentials: [accessKey('AKIAOLDKEY'), accessKey('AKIAKEPTKEY')] }),
        ]),
      );
      await writeSnapshot(
        v.database,
        request('d'),
        itemsOf([
          identity(1, { name: 'archive-sync' }),
          identity(2, { credentials: [accessKey('AKIANEWKEY'), accessKey('AKIAKEPTKEY')] }),
        ]),
      );
      const search = (text: string) =>
        listIdentities(v.database, identityListInputSchema.parse({ search: text })).items.map((i) => i.name);
      expect(search('backup')).toEqual([]);
      expect(search('archive')).toEqual(['archive-sync']);
      expect(search('AKIAOLD')).toEqual([]);
      expect(search('AKIANEW')).toEqual(['svc-2']);
      expect(search('AKIAKEPT')).toEqual(['svc-2']);
      expect(() =>
        v.database.exec(`INSERT INTO identities_fts (identities_fts, rank) VALUES ('integrity-check', 1)`),
      ).not.toThrow();
    } finally {
      v.lock();
    }
  });

  it('leaves every reference of the imports intact (foreign keys are not checked during the load)', () => {
    expect(vault.database.pragma('foreign_key_check')).toEqual([]);
    expect(() =>
      vault.database.exec(`INSERT INTO identities_fts (identities_fts, rank) VALUES ('integrity-check', 1)`),
    ).not.toThrow();
  });
});

describe('inventory pages', () => {
  it('counts each owner status as its pages list it', () => {
    const db = vault.database;
    // Two roster people: owner1 left before the as-of date, owner2 is active.
    db.exec(`INSERT INTO people (email, status, termination_date) VALUES
               ('owner1@northwindlogistics.example', 'terminated', '2026-06-30'),
               ('owner2@northwindlogistics.example', 'active', NULL)`);
    db.exec(`UPDATE owner_refs SET person_id = (SELECT id FROM people p WHERE p.email = owner_refs.ref)`);
    try {
      for (const ownerStatus of ['active', 'terminated', 'not-in-roster', 'none'] as const) {
        const ids: number[] = [];
        for (let offset = 0; ; offset += 1000) {
          const page = list({ ownerStatus, sort: 'name', limit: 1000, offset });
          ids.push(...page.items.map((item) => item.id));
          if (page.items.length < 1000) break;
        }
        const first = list({ ownerStatus, limit: 1 });
        expect(first.total, ownerStatus).toBe(ids.length);
        expect(ids.length, ownerStatus).toBeGreaterThan(0);
      }
    } finally {
      db.exec('UPDATE owner_refs SET person_id = NULL');
      db.exec('DELETE FROM people');
    }
  });

  it('sorts by each column in both directions, pages without gaps, and keeps totals', () => {
    const all = list({ limit: 1000, sort: 'name' }).total;
    for (const sort of ['name', 'lastUsedAt', 'source', 'kind'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const first = list({ sort, direction, limit: 50, kind: 'api-key' });
        const second = list({ sort, direction, limit: 50, offset: 50, kind: 'api-key' });
        const both = list({ sort, direction, limit: 100, kind: 'api-key' });
        expect([...first.items, ...second.items].map((i) => i.id)).toEqual(both.items.map((i) => i.id));
        expect(first.total).toBe(both.total);
      }
    }
    expect(list({ sort: 'lastUsedAt', limit: 1000 }).total).toBe(all);
    const byName = list({ sort: 'name', limit: 5 }).items.map((i) => i.name);
    expect(byName).toEqual([...byName].sort());
  });
});

/**
 * No list the inventory offers may read the identities table from end to end (PERFORMANCE.md: a
 * scan of a million encrypted rows takes seconds). Every combination of its filters and sorts must
 * reach identities through an index (or the search index, or by id), and an unfiltered list must be
 * read in the order of an index rather than sorted afterwards.
 */
describe('query plans of the inventory list', () => {
  const filters = {
    source: 'cmdb',
    kind: 'api-key',
    environment: 'production',
    search: 'svc',
    ownerStatus: 'not-in-roster',
  } as const;
  const filterNames = Object.keys(filters) as Array<keyof typeof filters>;
  const combinations: Array<Partial<typeof filters>> = [];
  for (let mask = 0; mask < 1 << filterNames.length; mask += 1) {
    combinations.push(
      Object.fromEntries(
        filterNames.filter((_, bit) => mask & (1 << bit)).map((name) => [name, filters[name]]),
      ),
    );
  }
  const ownerStatuses = ['active', 'terminated', 'none'] as const;

  const plan = (sql: string, params: unknown[]) =>
    (vault.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(
      (row) => row.detail,
    );

  it.each(['name', 'lastUsedAt', 'source', 'kind'] as const)('sorted by %s', (sort) => {
    const cases = [...combinations, ...ownerStatuses.map((ownerStatus) => ({ ownerStatus }))];
    for (const filter of cases) {
      for (const direction of ['asc', 'desc'] as const) {
        const query = identityListInputSchema.parse({ ...filter, sort, direction });
        const sql = identityListSql(query, '2026-11-01');
        const label = JSON.stringify({ ...filter, sort, direction });
        for (const [statement, params] of [
          [sql.pageIds, [...sql.params, 100, 5000]],
          [sql.count, sql.params],
        ] as const) {
          const steps = plan(statement, [...params]);
          const tableScans = steps.filter((step) => /^SCAN i\b/.test(step) && !/USING/.test(step));
          expect(tableScans, `${label}: ${steps.join(' | ')}`).toEqual([]);
          if (Object.keys(filter).length === 0 && statement === sql.pageIds) {
            expect(steps.join(' | '), label).not.toMatch(/TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/);
          }
        }
      }
    }
  });
});
