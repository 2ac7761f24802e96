import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type {
  ImportReject,
  NormalizedCredential,
  NormalizedEntitlement,
  NormalizedIdentity,
  NormalizedOwner,
} from '../../../shared/domain/identity';
import { BatchedInsert } from '../db/batched-insert';
import { enterBulkLoad } from '../db/bulk-load';
import type { Db } from '../db/open-database';
import { OwnerResolver } from '../people/owner-resolver';
import { invalidateSignalIndex } from '../risk/indexed-signals';
import type { ImportNote, RowOutcome } from './preset-types';

/** One row (or JSON item) as a preset understood it, with where it came from. */
export interface ImportItem {
  file: string;
  row: number;
  outcome: RowOutcome;
}

export interface SnapshotFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface SnapshotRequest {
  sourceName: string;
  sourceKind: string;
  format: string;
  preset: string;
  files: SnapshotFile[];
  parameters: Record<string, unknown>;
  importedBy: string;
  /** A full snapshot lists every identity of its source: the ones it lacks are marked not seen. */
  full: boolean;
  /** Rejects found before mapping (file-level problems that did not stop the import). */
  preRejects?: ImportReject[];
  notes?: ImportNote[];
}

export interface SnapshotSummary {
  snapshotId: number;
  source: string;
  format: string;
  preset: string;
  files: SnapshotFile[];
  rowsRead: number;
  imported: number;
  rejected: number;
  skipped: number;
  rejects: ImportReject[];
  notes: ImportNote[];
  /** False when the files hold only part of the population: then nothing was marked not seen. */
  full: boolean;
  added: number;
  changed: number;
  unchanged: number;
  notSeen: number;
  /** True when these exact files were imported into this source before: nothing was written. */
  alreadyImported: boolean;
  importedAt: string;
  importedBy: string;
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Called every `progressEvery` items with the count so far. */
  onProgress?: (itemsDone: number) => void;
  progressEvery?: number;
  /** Called once every item is read, before the indexes are built and the snapshot is committed. */
  onSaving?: () => void;
}

/**
 * Identities per step: child rows still buffered are written and progress is reported once per step.
 * Not a transaction: the whole snapshot is one (a savepoint per step made SQLite copy every index
 * page the step touched into a sub-journal).
 */
const BATCH_SIZE = 2_000;

/** The hash of a set of files, independent of order: the same export imported again has the same one. */
export function contentHashOf(files: readonly SnapshotFile[]): string {
  const hash = createHash('sha256');
  for (const sha of files.map((f) => f.sha256).sort()) hash.update(sha);
  return hash.digest('hex');
}

// ---- aspect hashes ----
//
// A 53-bit hash (cyrb53) per list of child rows (owners, credentials, entitlements), stored as an
// INTEGER, so a re-import tells whether they changed without reading them. It only decides whether
// an aspect changed between two snapshots of one identity, where a 1-in-2^53 collision costs a missed
// change note, never evidence. It reads the values directly (no JSON, no sorted copies): a
// cryptographic hash over JSON cost a third of a million-row import. A list's hash is the sum of its
// items' hashes, so their order does not matter and nothing has to be sorted. The identity's own
// columns need no hash: a re-import reads them with the row and compares them.

let lane1 = 0;
let lane2 = 0;

function hashStart(): void {
  lane1 = 0xdeadbeef;
  lane2 = 0x41c6ce57;
}

/**
 * Mixes one value in, two UTF-16 units per step. Each value starts with its length (null with -1),
 * so a sequence of values reads back one way only: ('ab', 'c') and ('a', 'bc') differ.
 */
function hashValue(text: string | null): void {
  if (text === null) {
    mix(-1);
    return;
  }
  const length = text.length;
  mix(length);
  let i = 0;
  for (; i + 1 < length; i += 2) mix(text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < length) mix(text.charCodeAt(i));
}

function mix(code: number): void {
  lane1 = Math.imul(lane1 ^ code, 2654435761);
  lane2 = Math.imul(lane2 ^ code, 1597334677);
}

/** Finishes the hash into the two lanes (`lane1` = low 32 bits, `lane2` = the high 21). */
function hashFinish(): void {
  const h1 = Math.imul(lane1 ^ (lane1 >>> 16), 2246822507) ^ Math.imul(lane2 ^ (lane2 >>> 13), 3266489909);
  const h2 = Math.imul(lane2 ^ (lane2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  lane1 = h1 >>> 0;
  lane2 = h2 & 0x1fffff;
}

const joinLanes = (low: number, high: number) => (high & 0x1fffff) * 4294967296 + (low >>> 0);

/** The order-free hash of a list: the sum of its items' hashes, lane by lane (0 for an empty list). */
function listHash<T>(items: readonly T[], hashItem: (item: T) => void): number {
  let low = 0;
  let high = 0;
  for (const item of items) {
    hashStart();
    hashItem(item);
    hashFinish();
    low = (low + lane1) >>> 0;
    high = (high + lane2) >>> 0;
  }
  return joinLanes(low, high);
}

const hashOwner = (owner: NormalizedOwner) => {
  hashValue(owner.ref.trim());
  hashValue(owner.role);
};
const hashCredential = (c: NormalizedCredential) => {
  hashValue(c.externalId);
  hashValue(c.type);
  hashValue(c.status);
  hashValue(c.createdAt);
  hashValue(c.lastRotatedAt);
  hashValue(c.expiresAt);
  hashValue(c.lastUsedAt);
};
const hashEntitlement = (e: NormalizedEntitlement) => {
  hashValue(e.name);
  hashValue(e.resource);
  hashValue(e.privileged ? '1' : '0');
};

const sortedOwners = (owners: readonly NormalizedOwner[]) =>
  [...owners]
    .map((o) => ({ ref: o.ref.trim(), role: o.role }))
    .sort((a, b) => cmp(a.ref + a.role, b.ref + b.role));
const sortedEntitlements = (list: readonly NormalizedEntitlement[]) =>
  list.length < 2
    ? list
    : [...list].sort((a, b) =>
        cmp(`${a.name}\u0000${a.resource ?? ''}`, `${b.name}\u0000${b.resource ?? ''}`),
      );
const sortedCredentials = (list: readonly NormalizedCredential[]) =>
  list.length < 2
    ? list
    : [...list].sort((a, b) =>
        cmp(`${a.type}\u0000${a.externalId ?? ''}`, `${b.type}\u0000${b.externalId ?? ''}`),
      );
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The credential ids the search index holds for an identity (access key ids, key names), in the
 * order the credentials are stored, so the same text can be given again to take the entry out.
 */
function keyIdsOf(credentials: readonly NormalizedCredential[]): string {
  if (credentials.length === 0) return '';
  if (credentials.length === 1) return credentials[0]!.externalId ?? '';
  const ids: string[] = [];
  for (const c of sortedCredentials(credentials)) if (c.externalId !== null) ids.push(c.externalId);
  return ids.join(' ');
}

/** What a reviewer cares about in a credential; last use moves every day and is not a "change". */
const meaningfulCredential = (c: NormalizedCredential) => ({
  externalId: c.externalId,
  type: c.type,
  status: c.status,
  createdAt: c.createdAt,
  lastRotatedAt: c.lastRotatedAt,
  expiresAt: c.expiresAt,
});

interface IdentityHashes {
  owners: number;
  credentials: number;
  entitlements: number;
}

function hashesOf(identity: NormalizedIdentity): IdentityHashes {
  return {
    owners: listHash(identity.owners, hashOwner),
    credentials: listHash(identity.credentials, hashCredential),
    entitlements: listHash(identity.entitlements, hashEntitlement),
  };
}

/** True when the identity's own columns are as stored (last use aside: it moves every day). */
function sameColumns(
  existing: ExistingIdentity,
  identity: NormalizedIdentity,
  attributesJson: string,
): boolean {
  return (
    existing.name === identity.name &&
    existing.status === identity.status &&
    existing.kind === identity.kind &&
    existing.environment === identity.environment &&
    existing.description === identity.description &&
    existing.created_at === identity.createdAt &&
    existing.attributes === attributesJson
  );
}

interface ExistingIdentity {
  id: number;
  external_id: string;
  kind: string;
  name: string;
  environment: string | null;
  status: string;
  description: string | null;
  created_at: string | null;
  attributes: string;
  owners_hash: number | null;
  credentials_hash: number | null;
  entitlements_hash: number | null;
  last_seen_snapshot_id: number | null;
  last_seen_row: number | null;
  not_seen_since_snapshot_id: number | null;
}

/**
 * Writes one snapshot: the source, the snapshot record (the population evidence), every identity
 * with its owners, credentials and entitlements, what changed since the source's last snapshot, and
 * the rejects. All of it in one transaction: a failure or a cancel leaves the vault exactly as before.
 */
export async function writeSnapshot(
  db: Db,
  request: SnapshotRequest,
  items: AsyncIterable<ImportItem>,
  options: WriteOptions = {},
): Promise<SnapshotSummary> {
  const importedAt = new Date().toISOString();
  const contentSha = contentHashOf(request.files);

  const previous = findIdenticalSnapshot(db, request.sourceName, contentSha);
  if (previous !== null) return { ...summarizeSnapshot(db, previous), alreadyImported: true };

  const counts = {
    rowsRead: 0,
    imported: 0,
    rejected: 0,
    skipped: 0,
    added: 0,
    changed: 0,
    unchanged: 0,
    notSeen: 0,
  };
  const rejects: ImportReject[] = [...(request.preRejects ?? [])];
  counts.rejected += rejects.length;

  const restore = enterBulkLoad(db);
  try {
    db.exec('BEGIN IMMEDIATE');
    const statements = prepareStatements(db);
    const ownerRefIdFor = ownerRefCache(db);
    const owners = new BatchedInsert(
      db,
      'INSERT OR IGNORE INTO identity_owners (identity_id, role, owner_ref_id)',
      3,
    );
    const credentials = new BatchedInsert(
      db,
      `INSERT OR FAIL INTO credentials (identity_id, position, external_id, type, status, created_at,
                                        last_rotated_at, expires_at, last_used_at)`,
      9,
    );
    const entitlements = new BatchedInsert(
      db,
      'INSERT OR FAIL INTO entitlements (identity_id, position, name, resource, privileged)',
      5,
    );
    const identityAttributes = new BatchedInsert(
      db,
      'INSERT OR FAIL INTO identity_attributes (identity_id, attributes)',
      2,
    );

    const sourceId = upsertSource(db, request.sourceName, request.sourceKind, importedAt);
    // Identities are never deleted, so the largest id is also how many there are.
    const identitiesBefore = db
      .prepare('SELECT coalesce(max(id), 0) FROM identities')
      .pluck()
      .get() as number;
    // Ids are handed out here rather than read back after each insert, so child rows can be buffered.
    let nextId = identitiesBefore + 1;
    const sourceWasEmpty = statements.sourceHasIdentities.get(sourceId) === undefined;
    const rebuild = sortIndexesWorthRebuilding(db, identitiesBefore, request);
    const snapshotId = Number(
      statements.insertSnapshot.get(
        sourceId,
        request.format,
        request.preset,
        JSON.stringify(request.parameters),
        request.importedBy,
        importedAt,
        contentSha,
        request.full ? 1 : 0,
      ) as number,
    );
    for (const file of request.files)
      statements.insertFile.run(snapshotId, file.name, file.bytes, file.sha256);

    const writeItem = (item: ImportItem) => {
      const outcome = item.outcome;
      if ('skip' in outcome) {
        counts.skipped += 1;
        return;
      }
      if ('reject' in outcome) {
        addReject({ file: item.file, row: item.row, reason: outcome.reject });
        return;
      }
      const identity = outcome.identity;
      const problem = validateIdentity(identity);
      if (problem) {
        addReject({ file: item.file, row: item.row, reason: problem });
        return;
      }
      const attributesJson = JSON.stringify(identity.attributes);
      const hashes = hashesOf(identity);
      // Into a source with no identities yet (a first import) nearly every row is new: try the insert
      // first and look the id up only when it collides, which saves one index search per row.
      if (sourceWasEmpty && insertNew(identity, hashes, attributesJson, item.row)) return;
      let existing = statements.selectIdentity.get(sourceId, identity.externalId) as
        ExistingIdentity | undefined;

      if (existing && existing.last_seen_snapshot_id === snapshotId) {
        // A repeat within this snapshot: the first row's attributes may still be buffered, and the
        // comparison below needs them.
        if (identityAttributes.pending) {
          identityAttributes.flush();
          existing = statements.selectIdentity.get(sourceId, identity.externalId) as ExistingIdentity;
        }
        const identical =
          sameColumns(existing, identity, attributesJson) &&
          existing.owners_hash === hashes.owners &&
          existing.credentials_hash === hashes.credentials &&
          existing.entitlements_hash === hashes.entitlements;
        const firstRow = existing.last_seen_row;
        let reason: string;
        if (existing.external_id !== identity.externalId) {
          reason =
            `Same id as row ${firstRow} ("${existing.external_id}") apart from letter case: ids are compared ` +
            `without case, so this lists the same account twice. Steward kept row ${firstRow}.`;
        } else if (identical) {
          reason = `Duplicate of row ${firstRow}: the same identity "${identity.externalId}" appears twice. The first was kept.`;
        } else {
          reason =
            `Same id "${identity.externalId}" as row ${firstRow} but different values. ` +
            `Steward kept row ${firstRow} and did not merge them: fix the export and import it again.`;
        }
        addReject({ file: item.file, row: item.row, reason });
        return;
      }

      if (!existing) {
        insertNew(identity, hashes, attributesJson, item.row);
        return;
      }
      counts.imported += 1;

      // The search index holds the name and key ids it was given: when either may have changed, the
      // entry is taken out with exactly those values (read before the credentials are replaced).
      const reindex = existing.name !== identity.name || existing.credentials_hash !== hashes.credentials;
      if (reindex) {
        const indexedKeys = (statements.selectKeyIds.all(existing.id) as string[]).join(' ');
        statements.deleteSearchRow.run(existing.id, existing.name, existing.external_id, indexedKeys);
      }

      const aspects: string[] = [];
      const details: Record<string, { before: unknown; after: unknown }> = {};
      if (!sameColumns(existing, identity, attributesJson)) {
        if (existing.status !== identity.status) {
          aspects.push('status');
          details.status = { before: existing.status, after: identity.status };
        }
        if (existing.name !== identity.name) {
          aspects.push('name');
          details.name = { before: existing.name, after: identity.name };
        }
        if (aspects.length === 0) aspects.push('attributes');
      }
      if (existing.owners_hash !== hashes.owners) {
        aspects.push('owners');
        details.owners = { before: readOwners(existing.id), after: sortedOwners(identity.owners) };
        statements.deleteOwners.run(existing.id);
        writeOwners(existing.id, identity.owners);
      }
      if (existing.credentials_hash !== hashes.credentials) {
        const before = readCredentials(existing.id);
        const after = sortedCredentials(identity.credentials).map(meaningfulCredential);
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          aspects.push('credentials');
          details.credentials = { before, after };
        }
        statements.deleteCredentials.run(existing.id);
        writeCredentials(existing.id, identity.credentials);
      }
      if (existing.entitlements_hash !== hashes.entitlements) {
        aspects.push('entitlements');
        details.entitlements = {
          before: readEntitlements(existing.id),
          after: sortedEntitlements(identity.entitlements),
        };
        statements.deleteEntitlements.run(existing.id);
        writeEntitlements(existing.id, identity.entitlements);
      }
      statements.updateIdentity.run(
        identity.kind,
        identity.name,
        identity.environment,
        identity.status,
        identity.description,
        identity.createdAt,
        identity.lastUsedAt,
        snapshotId,
        item.row,
        hashes.owners,
        hashes.credentials,
        hashes.entitlements,
        existing.id,
      );
      if (existing.attributes !== attributesJson)
        statements.upsertAttributes.run(existing.id, attributesJson);
      if (reindex) {
        statements.insertSearchRow.run(
          existing.id,
          identity.name,
          existing.external_id,
          keyIdsOf(identity.credentials),
        );
      }
      if (existing.not_seen_since_snapshot_id !== null) {
        statements.insertChange.run(
          existing.id,
          snapshotId,
          'seen-again',
          JSON.stringify(aspects),
          JSON.stringify(details),
        );
        counts.changed += 1;
      } else if (aspects.length > 0) {
        statements.insertChange.run(
          existing.id,
          snapshotId,
          'changed',
          JSON.stringify(aspects),
          JSON.stringify(details),
        );
        counts.changed += 1;
      } else {
        counts.unchanged += 1;
      }
    };

    /** Inserts a new identity with its children; false when the id already exists in the source. */
    const insertNew = (
      identity: NormalizedIdentity,
      hashes: IdentityHashes,
      attributesJson: string,
      row: number,
    ): boolean => {
      const id = nextId;
      const inserted = statements.insertIdentity.run(
        id,
        sourceId,
        identity.externalId,
        identity.kind,
        identity.name,
        identity.environment,
        identity.status,
        identity.description,
        identity.createdAt,
        identity.lastUsedAt,
        snapshotId,
        snapshotId,
        row,
        hashes.owners,
        hashes.credentials,
        hashes.entitlements,
      );
      if (inserted.changes === 0) return false;
      nextId += 1;
      // No change row: an identity's arrival is its first_seen_snapshot_id.
      identityAttributes.add(id, attributesJson);
      writeOwners(id, identity.owners);
      writeCredentials(id, identity.credentials);
      writeEntitlements(id, identity.entitlements);
      statements.insertSearchRow.run(id, identity.name, identity.externalId, keyIdsOf(identity.credentials));
      counts.imported += 1;
      counts.added += 1;
      return true;
    };

    const writeOwners = (id: number, list: readonly NormalizedOwner[]) => {
      const first = list[0];
      // One owner per role is the usual case: no set needed to drop repeats.
      if (list.length === 1 || (list.length === 2 && first!.role !== list[1]!.role)) {
        for (const owner of list) {
          const ref = owner.ref.trim();
          if (ref !== '') owners.add(id, owner.role, ownerRefIdFor(ref));
        }
        return;
      }
      const seen = new Set<string>();
      for (const owner of list) {
        const ref = owner.ref.trim();
        const key = `${ref.toLowerCase()}\u0000${owner.role}`;
        if (ref === '' || seen.has(key)) continue;
        seen.add(key);
        owners.add(id, owner.role, ownerRefIdFor(ref));
      }
    };
    const writeCredentials = (id: number, list: readonly NormalizedCredential[]) => {
      let position = 0;
      for (const c of sortedCredentials(list)) {
        credentials.add(
          id,
          position++,
          c.externalId,
          c.type,
          c.status,
          c.createdAt,
          c.lastRotatedAt,
          c.expiresAt,
          c.lastUsedAt,
        );
      }
    };
    const writeEntitlements = (id: number, list: readonly NormalizedEntitlement[]) => {
      let position = 0;
      for (const e of sortedEntitlements(list)) {
        entitlements.add(id, position++, e.name, e.resource, e.privileged ? 1 : 0);
      }
    };
    const flushChildren = () => {
      identityAttributes.flush();
      owners.flush();
      credentials.flush();
      entitlements.flush();
    };
    const readOwners = (id: number) => statements.selectOwners.all(id);
    const readCredentials = (id: number) => statements.selectCredentials.all(id);
    const readEntitlements = (id: number) =>
      (
        statements.selectEntitlements.all(id) as Array<{
          name: string;
          resource: string | null;
          privileged: number;
        }>
      ).map((e) => ({ name: e.name, resource: e.resource, privileged: e.privileged === 1 }));
    const addReject = (reject: ImportReject) => {
      counts.rejected += 1;
      rejects.push(reject);
    };

    if (rebuild) for (const index of rebuild) db.exec(`DROP INDEX ${index.name}`);

    const progressEvery = options.progressEvery ?? 10_000;
    let inBatch = 0;
    for await (const item of items) {
      if (options.signal?.aborted) throw cancelled();
      counts.rowsRead += 1;
      writeItem(item);
      if (++inBatch === BATCH_SIZE) {
        // Child rows of a re-imported identity are deleted and written again within one item, so
        // buffered rows only ever belong to identities that are not touched again in this snapshot.
        flushChildren();
        inBatch = 0;
      }
      if (options.onProgress && counts.rowsRead % progressEvery === 0) options.onProgress(counts.rowsRead);
    }
    if (options.signal?.aborted) throw cancelled();
    // The exact count once every row is read: the last report above may be thousands of rows short.
    options.onProgress?.(counts.rowsRead);
    options.onSaving?.();
    flushChildren();
    if (rebuild) {
      // The sort of an index build holds all its keys in memory (temp_store = MEMORY: SQLite does not
      // encrypt temporary files), so the page cache gives way first: a sequential scan needs no cache.
      db.pragma(`cache_size = ${INDEX_BUILD_CACHE}`);
      for (const index of rebuild) db.exec(index.sql);
    }

    for (const reject of rejects) {
      statements.insertReject.run(snapshotId, reject.file, reject.row, reject.reason);
    }
    const notes = request.notes ?? [];
    for (const note of notes) statements.insertNote.run(snapshotId, note.file, note.row, note.message);

    // A source that held no identities before this snapshot has none that could have vanished; asking
    // would scan every identity of the source (1.4 s at a million).
    if (request.full && !sourceWasEmpty) {
      // Only identities that the same kind of export listed before: a gMSA export says nothing about
      // the svc_ users of the same domain, even when both are imported into one source.
      const vanished = db
        .prepare(
          `SELECT i.id FROM identities i JOIN snapshots last ON last.id = i.last_seen_snapshot_id
            WHERE i.source_id = ? AND i.last_seen_snapshot_id <> ? AND i.not_seen_since_snapshot_id IS NULL
              AND last.preset = ?`,
        )
        .pluck()
        .all(sourceId, snapshotId, request.preset) as number[];
      for (const id of vanished) {
        statements.markNotSeen.run(snapshotId, id);
        statements.insertChange.run(id, snapshotId, 'not-seen', '[]', '{}');
      }
      counts.notSeen = vanished.length;
    }

    statements.updateSnapshotCounts.run(
      counts.rowsRead + (request.preRejects?.length ?? 0),
      counts.imported,
      counts.rejected,
      snapshotId,
    );
    invalidateSignalIndex(db);
    db.exec('COMMIT');
    return {
      snapshotId,
      source: request.sourceName,
      format: request.format,
      preset: request.preset,
      files: request.files,
      rowsRead: counts.rowsRead + (request.preRejects?.length ?? 0),
      imported: counts.imported,
      rejected: counts.rejected,
      skipped: counts.skipped,
      rejects,
      notes,
      full: request.full,
      added: counts.added,
      changed: counts.changed,
      unchanged: counts.unchanged,
      notSeen: counts.notSeen,
      alreadyImported: false,
      importedAt,
      importedBy: request.importedBy,
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    restore();
  }
}

/** Page cache while the sort indexes are built again (32 MiB). */
export const INDEX_BUILD_CACHE = -32768;

/**
 * Typical bytes per identity in an export (a CMDB CSV row is about 250; JSON items are larger), to
 * guess from the files how many identities an import brings before reading them.
 */
const BYTES_PER_IDENTITY = 256;

/**
 * The sort indexes of `identities` (every explicit index: the UNIQUE key stays) when the import is
 * expected to bring at least as many identities as the vault holds, else null. Inserting a row into
 * an index at a random place costs more than its share of building the index afresh by sorting
 * (1M rows, measured: about 4 s per index kept up to date, 3 s per index built afterwards, less when
 * the vault is small), so a first or a dominant import drops them and builds them again after the
 * load, in the same transaction.
 *
 * Not for a workbook: its rows come from exceljs on a reader thread, which parses a row in about
 * twice the time the writer stores it, so the writer keeps the indexes current in time it would
 * otherwise spend waiting, and the import ends without the rebuild (100,000 rows: 0.4 s sooner).
 */
function sortIndexesWorthRebuilding(
  db: Db,
  identitiesBefore: number,
  request: Pick<SnapshotRequest, 'files' | 'format'>,
): Array<{ name: string; sql: string }> | null {
  if (request.format === 'xlsx') return null;
  const expected = request.files.reduce((sum, file) => sum + file.bytes, 0) / BYTES_PER_IDENTITY;
  if (expected < identitiesBefore || expected < 1_000) return null;
  return db
    .prepare(
      // Never a UNIQUE index: it must keep refusing duplicates while the rows go in.
      `SELECT name, sql FROM sqlite_schema
        WHERE type = 'index' AND tbl_name = 'identities' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`,
    )
    .all() as Array<{ name: string; sql: string }>;
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The import was cancelled. Nothing was imported; the vault is as it was.');
}

function validateIdentity(identity: NormalizedIdentity): string | null {
  if (!identity.externalId || !identity.externalId.trim())
    return 'The row has no id: every identity needs a stable id.';
  if (!identity.name || !identity.name.trim()) return `Identity "${identity.externalId}" has no name.`;
  return null;
}

function upsertSource(db: Db, name: string, kind: string, at: string): number {
  const existing = db.prepare('SELECT id, kind FROM sources WHERE name = ?').get(name) as
    { id: number; kind: string } | undefined;
  if (existing) {
    if (existing.kind !== kind) {
      throw new AppError(
        'INVALID_INPUT',
        `The source "${name}" holds ${existing.kind} data; these files are ${kind}. Choose another source name (--source).`,
      );
    }
    return existing.id;
  }
  return Number(
    db
      .prepare('INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?) RETURNING id')
      .pluck()
      .get(name, kind, at),
  );
}

function findIdenticalSnapshot(db: Db, sourceName: string, contentSha: string): number | null {
  const id = db
    .prepare(
      `SELECT s.id FROM snapshots s JOIN sources src ON src.id = s.source_id
        WHERE src.name = ? AND s.content_sha256 = ? ORDER BY s.id LIMIT 1`,
    )
    .pluck()
    .get(sourceName, contentSha) as number | undefined;
  return id ?? null;
}

/** The stored summary of a snapshot, as `writeSnapshot` returned it when it was made. */
export function summarizeSnapshot(db: Db, snapshotId: number): SnapshotSummary {
  const row = db
    .prepare(
      `SELECT s.id, src.name AS source, s.format, s.preset, s.rows_read, s.rows_imported, s.rows_rejected,
              s.imported_at, s.imported_by, s.is_full
         FROM snapshots s JOIN sources src ON src.id = s.source_id WHERE s.id = ?`,
    )
    .get(snapshotId) as
    | {
        id: number;
        source: string;
        format: string;
        preset: string | null;
        rows_read: number;
        rows_imported: number;
        rows_rejected: number;
        imported_at: string;
        imported_by: string;
        is_full: number;
      }
    | undefined;
  if (!row) throw new AppError('INVALID_INPUT', `There is no snapshot ${snapshotId}.`);
  const files = db
    .prepare('SELECT name, bytes, sha256 FROM snapshot_files WHERE snapshot_id = ? ORDER BY rowid')
    .all(snapshotId) as SnapshotFile[];
  const rejects = db
    .prepare('SELECT file, row, reason FROM snapshot_rejects WHERE snapshot_id = ? ORDER BY rowid')
    .all(snapshotId) as ImportReject[];
  const notes = db
    .prepare('SELECT file, row, message FROM snapshot_notes WHERE snapshot_id = ? ORDER BY rowid')
    .all(snapshotId) as ImportNote[];
  const changeCounts = db
    .prepare(`SELECT change, count(*) AS n FROM identity_changes WHERE snapshot_id = ? GROUP BY change`)
    .all(snapshotId) as Array<{ change: string; n: number }>;
  const countOf = (change: string) => changeCounts.find((c) => c.change === change)?.n ?? 0;
  const added = db
    .prepare('SELECT count(*) FROM identities WHERE first_seen_snapshot_id = ?')
    .pluck()
    .get(snapshotId) as number;
  const changed = countOf('changed') + countOf('seen-again');
  return {
    snapshotId: row.id,
    source: row.source,
    format: row.format,
    preset: row.preset ?? row.format,
    files,
    rowsRead: row.rows_read,
    imported: row.rows_imported,
    rejected: row.rows_rejected,
    skipped: Math.max(0, row.rows_read - row.rows_imported - row.rows_rejected),
    rejects,
    notes,
    full: row.is_full === 1,
    added,
    changed,
    unchanged: Math.max(0, row.rows_imported - added - changed),
    notSeen: countOf('not-seen'),
    alreadyImported: false,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}

function prepareStatements(db: Db) {
  return {
    insertSnapshot: db
      .prepare(
        `INSERT INTO snapshots (source_id, format, preset, parameters, imported_by, imported_at, content_sha256, is_full)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck(),
    insertFile: db.prepare(
      'INSERT INTO snapshot_files (snapshot_id, name, bytes, sha256) VALUES (?, ?, ?, ?)',
    ),
    insertReject: db.prepare(
      'INSERT INTO snapshot_rejects (snapshot_id, file, row, reason) VALUES (?, ?, ?, ?)',
    ),
    insertNote: db.prepare(
      'INSERT INTO snapshot_notes (snapshot_id, file, row, message) VALUES (?, ?, ?, ?)',
    ),
    updateSnapshotCounts: db.prepare(
      'UPDATE snapshots SET rows_read = ?, rows_imported = ?, rows_rejected = ? WHERE id = ?',
    ),
    selectIdentity: db.prepare(
      `SELECT i.id, i.external_id, i.kind, i.name, i.environment, i.status, i.description, i.created_at,
              coalesce(a.attributes, '{}') AS attributes, i.owners_hash, i.credentials_hash, i.entitlements_hash,
              i.last_seen_snapshot_id, i.last_seen_row, i.not_seen_since_snapshot_id
         FROM identities i LEFT JOIN identity_attributes a ON a.identity_id = i.id
        WHERE i.source_id = ? AND i.external_id = ?`,
    ),
    sourceHasIdentities: db.prepare('SELECT 1 FROM identities WHERE source_id = ? LIMIT 1').pluck(),
    insertIdentity: db.prepare(
      `INSERT INTO identities (id, source_id, external_id, kind, name, environment, status, description, created_at,
                               last_used_at, first_seen_snapshot_id, last_seen_snapshot_id, last_seen_row,
                               owners_hash, credentials_hash, entitlements_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, external_id) DO NOTHING`,
    ),
    insertSearchRow: db.prepare(
      'INSERT INTO identities_fts (rowid, name, external_id, key_ids) VALUES (?, ?, ?, ?)',
    ),
    deleteSearchRow: db.prepare(
      `INSERT INTO identities_fts (identities_fts, rowid, name, external_id, key_ids) VALUES ('delete', ?, ?, ?, ?)`,
    ),
    selectKeyIds: db
      .prepare(
        'SELECT external_id FROM credentials WHERE identity_id = ? AND external_id IS NOT NULL ORDER BY position',
      )
      .pluck(),
    updateIdentity: db.prepare(
      `UPDATE identities SET kind = ?, name = ?, environment = ?, status = ?, description = ?, created_at = ?,
              last_used_at = ?, last_seen_snapshot_id = ?, last_seen_row = ?, owners_hash = ?, credentials_hash = ?,
              entitlements_hash = ?, not_seen_since_snapshot_id = NULL
        WHERE id = ?`,
    ),
    upsertAttributes: db.prepare(
      `INSERT INTO identity_attributes (identity_id, attributes) VALUES (?, ?)
       ON CONFLICT (identity_id) DO UPDATE SET attributes = excluded.attributes`,
    ),
    markNotSeen: db.prepare('UPDATE identities SET not_seen_since_snapshot_id = ? WHERE id = ?'),
    insertChange: db.prepare(
      'INSERT INTO identity_changes (identity_id, snapshot_id, change, aspects, details) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteOwners: db.prepare('DELETE FROM identity_owners WHERE identity_id = ?'),
    selectOwners: db.prepare(
      `SELECT r.ref, o.role FROM identity_owners o JOIN owner_refs r ON r.id = o.owner_ref_id
        WHERE o.identity_id = ? ORDER BY r.ref, o.role`,
    ),
    deleteCredentials: db.prepare('DELETE FROM credentials WHERE identity_id = ?'),
    selectCredentials: db.prepare(
      `SELECT external_id AS externalId, type, status, created_at AS createdAt, last_rotated_at AS lastRotatedAt,
              expires_at AS expiresAt
         FROM credentials WHERE identity_id = ? ORDER BY position`,
    ),
    deleteEntitlements: db.prepare('DELETE FROM entitlements WHERE identity_id = ?'),
    selectEntitlements: db.prepare(
      'SELECT name, resource, privileged FROM entitlements WHERE identity_id = ? ORDER BY position',
    ),
  };
}

/**
 * The owner_refs id for a reference, creating it (linked to its roster person) the first time it is
 * seen. References repeat across thousands of identities, so they are looked up once per import.
 */
function ownerRefCache(db: Db): (ref: string) => number {
  const resolver = new OwnerResolver(db);
  const select = db.prepare('SELECT id FROM owner_refs WHERE ref = ?').pluck();
  const insert = db.prepare('INSERT INTO owner_refs (ref, person_id) VALUES (?, ?)');
  const cache = new Map<string, number>();
  // The same text again is answered without lower-casing it (a new string per call, two per identity).
  const asWritten = new Map<string, number>();
  return (ref) => {
    const known = asWritten.get(ref);
    if (known !== undefined) return known;
    const key = ref.toLowerCase();
    let id = cache.get(key);
    if (id === undefined) {
      id =
        (select.get(ref) as number | undefined) ??
        Number(insert.run(ref, resolver.personIdFor(ref)).lastInsertRowid);
      cache.set(key, id);
    }
    if (asWritten.size < 100_000) asWritten.set(ref, id);
    return id;
  };
}
