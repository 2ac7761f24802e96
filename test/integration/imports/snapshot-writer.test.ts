import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import {
  writeSnapshot,
  type ImportItem,
  type SnapshotRequest,
} from '../../../electron/core/imports/snapshot-writer';
import type { Vault } from '../../../electron/core/vault/vault';
import { unlockedVault } from '../../support/unlocked-vault';

let vault: Vault | null = null;
afterEach(() => vault?.lock());

function identity(externalId: string, overrides: Partial<NormalizedIdentity> = {}): NormalizedIdentity {
  return {
    externalId,
    kind: 'iam-user',
    name: externalId.split('/').pop()!,
    environment: 'production',
    status: 'active',
    description: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    lastUsedAt: '2026-10-01T00:00:00.000Z',
    owners: [{ ref: 'ana.silva@northwindlogistics.example', role: 'business' }],
    credentials: [
      {
        externalId: 'AKIAEXAMPLE1',
        type: 'access-key',
        status: 'active',
        createdAt: '2024-01-01T00:00:00.000Z',
        lastRotatedAt: '2024-01-01T00:00:00.000Z',
        expiresAt: null,
        lastUsedAt: '2026-10-01T00:00:00.000Z',
      },
    ],
    entitlements: [{ name: 'AdministratorAccess', resource: null, privileged: true }],
    attributes: {},
    ...overrides,
  };
}

function sortIndexes(v: Vault): unknown[] {
  return v.database
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'identities' AND sql IS NOT NULL`,
    )
    .pluck()
    .all();
}

function request(sha: string, overrides: Partial<SnapshotRequest> = {}): SnapshotRequest {
  return {
    sourceName: 'aws-prod',
    sourceKind: 'aws',
    format: 'csv',
    preset: 'aws-credential-report',
    files: [{ name: 'report.csv', bytes: 100, sha256: sha }],
    parameters: {},
    importedBy: 'ana.silva',
    full: true,
    ...overrides,
  };
}

async function* itemsOf(identities: Array<NormalizedIdentity | string>): AsyncIterable<ImportItem> {
  let row = 1;
  for (const entry of identities) {
    row += 1;
    yield {
      file: 'report.csv',
      row,
      outcome: typeof entry === 'string' ? { reject: entry } : { identity: entry },
    };
  }
}

function count(v: Vault, table: string): number {
  return v.database.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('writeSnapshot', () => {
  it('stores identities with owners, credentials and entitlements, and the snapshot evidence', async () => {
    vault = await unlockedVault();
    const summary = await writeSnapshot(
      vault.database,
      request('a'.repeat(64)),
      itemsOf([
        identity('arn:aws:iam::1:user/backup-bot'),
        identity('arn:aws:iam::1:user/ci'),
        'Row has 3 of 22 columns.',
      ]),
    );
    expect(summary).toMatchObject({
      rowsRead: 3,
      imported: 2,
      rejected: 1,
      added: 2,
      alreadyImported: false,
    });
    expect(summary.rejects).toEqual([{ file: 'report.csv', row: 4, reason: 'Row has 3 of 22 columns.' }]);
    expect(count(vault, 'identities')).toBe(2);
    expect(count(vault, 'credentials')).toBe(2);
    expect(count(vault, 'identity_owners')).toBe(2);
    expect(count(vault, 'snapshot_rejects')).toBe(1);
    const snapshot = vault.database
      .prepare('SELECT rows_read, rows_imported, rows_rejected, imported_by FROM snapshots')
      .get();
    expect(snapshot).toEqual({ rows_read: 3, rows_imported: 2, rows_rejected: 1, imported_by: 'ana.silva' });
  });

  it('recognises the same files imported again and writes nothing', async () => {
    vault = await unlockedVault();
    const first = await writeSnapshot(vault.database, request('b'.repeat(64)), itemsOf([identity('u1')]));
    const again = await writeSnapshot(vault.database, request('b'.repeat(64)), itemsOf([identity('u1')]));
    expect(again).toMatchObject({ snapshotId: first.snapshotId, alreadyImported: true, imported: 1 });
    expect(count(vault, 'snapshots')).toBe(1);
    expect(count(vault, 'identities')).toBe(1);
  });

  it('keeps one identity per (source, external id) across snapshots and records what changed', async () => {
    vault = await unlockedVault();
    await writeSnapshot(vault.database, request('c'.repeat(64)), itemsOf([identity('u1'), identity('u2')]));
    const second = await writeSnapshot(
      vault.database,
      request('d'.repeat(64)),
      itemsOf([
        identity('u1', { owners: [{ ref: 'jose.torres@northwindlogistics.example', role: 'business' }] }),
        // Only last use moved: that is not a change worth recording.
        identity('u2', { lastUsedAt: '2026-10-30T00:00:00.000Z' }),
      ]),
    );
    expect(second).toMatchObject({ added: 0, changed: 1, unchanged: 1, notSeen: 0 });
    expect(count(vault, 'identities')).toBe(2);
    const change = vault.database
      .prepare(
        `SELECT change, aspects, details FROM identity_changes WHERE snapshot_id = ? AND change = 'changed'`,
      )
      .get(second.snapshotId) as { change: string; aspects: string; details: string };
    expect(JSON.parse(change.aspects)).toEqual(['owners']);
    expect(JSON.parse(change.details).owners.before).toEqual([
      { ref: 'ana.silva@northwindlogistics.example', role: 'business' },
    ]);
    const lastUsed = vault.database
      .prepare(`SELECT last_used_at FROM identities WHERE external_id = 'u2'`)
      .pluck()
      .get();
    expect(lastUsed).toBe('2026-10-30T00:00:00.000Z');
  });

  it('marks an identity missing from a newer full snapshot as not seen, never deleting it, and notices its return', async () => {
    vault = await unlockedVault();
    await writeSnapshot(vault.database, request('e'.repeat(64)), itemsOf([identity('u1'), identity('u2')]));
    const second = await writeSnapshot(vault.database, request('f'.repeat(64)), itemsOf([identity('u1')]));
    expect(second.notSeen).toBe(1);
    expect(count(vault, 'identities')).toBe(2);
    const gone = vault.database
      .prepare(`SELECT not_seen_since_snapshot_id FROM identities WHERE external_id = 'u2'`)
      .pluck()
      .get();
    expect(gone).toBe(second.snapshotId);

    const third = await writeSnapshot(
      vault.database,
      request('9'.repeat(64)),
      itemsOf([identity('u1'), identity('u2')]),
    );
    expect(third).toMatchObject({ changed: 1, notSeen: 0 });
    expect(
      vault.database
        .prepare(`SELECT not_seen_since_snapshot_id FROM identities WHERE external_id = 'u2'`)
        .pluck()
        .get(),
    ).toBeNull();
  });

  it('marks nothing not seen after a partial snapshot, and keeps its notes as evidence', async () => {
    vault = await unlockedVault();
    await writeSnapshot(vault.database, request('7'.repeat(64)), itemsOf([identity('u1'), identity('u2')]));
    const partial = await writeSnapshot(
      vault.database,
      request('8'.repeat(64), {
        full: false,
        notes: [{ file: 'page2.json', row: 0, message: 'The last page of the export is missing.' }],
      }),
      itemsOf([identity('u1')]),
    );
    expect(partial).toMatchObject({ full: false, notSeen: 0 });
    expect(partial.notes).toEqual([
      { file: 'page2.json', row: 0, message: 'The last page of the export is missing.' },
    ]);
    expect(count(vault, 'snapshot_notes')).toBe(1);
    expect(
      vault.database
        .prepare(`SELECT count(*) FROM identities WHERE not_seen_since_snapshot_id IS NOT NULL`)
        .pluck()
        .get(),
    ).toBe(0);
  });

  it('marks as not seen only what the same kind of export listed before', async () => {
    vault = await unlockedVault();
    await writeSnapshot(
      vault.database,
      request('a1'.repeat(32), { preset: 'ad-gmsa' }),
      itemsOf([identity('gmsa-1')]),
    );
    const users = await writeSnapshot(
      vault.database,
      request('b1'.repeat(32), { preset: 'ad-svc-users' }),
      itemsOf([identity('svc_sql')]),
    );
    expect(users.notSeen).toBe(0);
  });

  it('keeps the attributes beside the identity, replaces them when they change and compares them for repeats', async () => {
    vault = await unlockedVault();
    const db = vault.database;
    const attributesOf = (externalId: string) =>
      db
        .prepare(
          `SELECT a.attributes FROM identity_attributes a JOIN identities i ON i.id = a.identity_id
            WHERE i.external_id = ?`,
        )
        .pluck()
        .all(externalId);
    const first = await writeSnapshot(
      db,
      request('c1'.repeat(32)),
      itemsOf([
        identity('u1', { attributes: { Department: 'Logistics IT', mfaActive: true } }),
        identity('u2', { attributes: { Department: 'Finance' } }),
        // The same row again, while u1's attributes may still wait in the writer's buffer.
        identity('u1', { attributes: { Department: 'Logistics IT', mfaActive: true } }),
      ]),
    );
    expect(first.rejects.map((r) => [r.row, r.reason])).toEqual([
      [4, expect.stringMatching(/Duplicate of row 2/)],
    ]);
    expect(attributesOf('u1')).toEqual(['{"Department":"Logistics IT","mfaActive":true}']);

    const second = await writeSnapshot(
      db,
      request('c2'.repeat(32)),
      itemsOf([
        identity('u1', { attributes: { Department: 'Finance', mfaActive: true } }),
        identity('u2', { attributes: { Department: 'Finance' } }),
      ]),
    );
    expect([second.changed, second.unchanged]).toEqual([1, 1]);
    expect(attributesOf('u1')).toEqual(['{"Department":"Finance","mfaActive":true}']);
    expect(
      db
        .prepare(`SELECT aspects FROM identity_changes WHERE snapshot_id = ? AND change = 'changed'`)
        .pluck()
        .all(second.snapshotId),
    ).toEqual(['["attributes"]']);
    // One attributes row per identity, and the identities rows hold none of them.
    expect(count(vault, 'identity_attributes')).toBe(2);
    expect(db.prepare(`SELECT DISTINCT attributes FROM identities`).pluck().all()).toEqual(['{}']);
  });

  it('rejects a repeated id naming the first row, and does not merge conflicting duplicates', async () => {
    vault = await unlockedVault();
    const summary = await writeSnapshot(
      vault.database,
      request('1'.repeat(64)),
      itemsOf([identity('u1'), identity('u1'), identity('u1', { name: 'renamed' }), identity('U1')]),
    );
    expect(summary.imported).toBe(1);
    expect(summary.rejects.map((r) => [r.row, r.reason])).toEqual([
      [3, expect.stringMatching(/Duplicate of row 2/)],
      [4, expect.stringMatching(/Same id "u1" as row 2 but different values/)],
      [5, expect.stringMatching(/Same id as row 2 \("u1"\) apart from letter case/)],
    ]);
    expect(vault.database.prepare('SELECT name FROM identities').pluck().all()).toEqual(['u1']);
  });

  it('commits nothing when the import fails half way', async () => {
    vault = await unlockedVault();
    await writeSnapshot(vault.database, request('2'.repeat(64)), itemsOf([identity('u1')]));
    async function* failing(): AsyncIterable<ImportItem> {
      for (let i = 0; i < 5000; i += 1)
        yield { file: 'f.csv', row: i + 2, outcome: { identity: identity(`bulk-${i}`) } };
      throw new Error('the file was truncated');
    }
    await expect(writeSnapshot(vault.database, request('3'.repeat(64)), failing())).rejects.toThrow(
      /truncated/,
    );
    expect(count(vault, 'identities')).toBe(1);
    expect(count(vault, 'snapshots')).toBe(1);
    expect(count(vault, 'identity_changes')).toBe(0);
  });

  it('commits nothing when cancelled', async () => {
    vault = await unlockedVault();
    const controller = new AbortController();
    async function* slow(): AsyncIterable<ImportItem> {
      for (let i = 0; i < 10_000; i += 1) {
        if (i === 4_500) controller.abort();
        yield { file: 'f.csv', row: i + 2, outcome: { identity: identity(`bulk-${i}`) } };
      }
    }
    await expect(
      writeSnapshot(vault.database, request('4'.repeat(64)), slow(), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(count(vault, 'identities')).toBe(0);
    expect(count(vault, 'snapshots')).toBe(0);
  });

  it('rebuilds the sort indexes after a large first import, and has them back after one that fails', async () => {
    vault = await unlockedVault();
    const before = sortIndexes(vault);
    expect(before.length).toBeGreaterThanOrEqual(3);
    // A file this large is expected to bring more identities than the vault holds: indexes are rebuilt.
    const large = (sha: string) =>
      request(sha, { files: [{ name: 'big.csv', bytes: 50_000_000, sha256: sha }] });
    async function* failing(): AsyncIterable<ImportItem> {
      for (let i = 0; i < 3000; i += 1)
        yield { file: 'big.csv', row: i + 2, outcome: { identity: identity(`bulk-${i}`) } };
      throw new Error('the file was truncated');
    }
    await expect(writeSnapshot(vault.database, large('c1'.repeat(32)), failing())).rejects.toThrow(
      /truncated/,
    );
    expect(sortIndexes(vault)).toEqual(before);
    expect(count(vault, 'identities')).toBe(0);

    const identities = Array.from({ length: 3000 }, (_, i) => identity(`bulk-${i}`, { name: `n-${i}` }));
    const summary = await writeSnapshot(vault.database, large('c2'.repeat(32)), itemsOf(identities));
    expect(summary).toMatchObject({ imported: 3000, added: 3000 });
    expect(sortIndexes(vault)).toEqual(before);
    expect(vault.database.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(vault.database.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps the sort indexes while a workbook loads, whose rows come slower than they are stored', async () => {
    vault = await unlockedVault();
    const all = sortIndexes(vault);
    const big = (sha: string, format: string) =>
      request(sha, { format, files: [{ name: `big.${format}`, bytes: 50_000_000, sha256: sha }] });
    const indexesMidway: unknown[][] = [];
    async function* watched(prefix: string): AsyncIterable<ImportItem> {
      for (let i = 0; i < 2000; i += 1) {
        if (i === 1000) indexesMidway.push(sortIndexes(vault!));
        yield { file: 'big', row: i + 2, outcome: { identity: identity(`${prefix}-${i}`) } };
      }
    }
    await writeSnapshot(vault.database, big('d1'.repeat(32), 'xlsx'), watched('sheet'));
    await writeSnapshot(vault.database, big('d2'.repeat(32), 'csv'), watched('text'));
    // The workbook's load kept them; the text file's dropped them and built them again.
    expect(indexesMidway).toEqual([all, []]);
    expect(sortIndexes(vault)).toEqual(all);
    expect(vault.database.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses to mix kinds of data in one source', async () => {
    vault = await unlockedVault();
    await writeSnapshot(vault.database, request('5'.repeat(64)), itemsOf([identity('u1')]));
    await expect(
      writeSnapshot(
        vault.database,
        request('6'.repeat(64), { sourceKind: 'github' }),
        itemsOf([identity('x')]),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /--source/ });
  });
});
