import { AppError } from '../../../shared/api/errors';
import type { ImportReject } from '../../../shared/domain/identity';
import type { NormalizedPerson } from '../../../shared/domain/person';
import type { Db } from '../db/open-database';
import { contentHashOf, type SnapshotFile } from '../imports/snapshot-writer';
import { relinkOwners } from './owner-resolver';
import { invalidateSignalIndex } from '../risk/indexed-signals';

export type RosterOutcome = { person: NormalizedPerson } | { reject: string } | { skip: true };

export interface RosterItem {
  file: string;
  row: number;
  outcome: RosterOutcome;
}

export interface RosterSummary {
  snapshotId: number;
  files: SnapshotFile[];
  rowsRead: number;
  imported: number;
  rejected: number;
  rejects: ImportReject[];
  active: number;
  terminated: number;
  alreadyImported: boolean;
}

export const ROSTER_SOURCE = 'HR roster';

/**
 * Replaces the roster with the people of one HR export, in one transaction, and records the export
 * as a snapshot of the "HR roster" source so its hash and counts are evidence like any inventory.
 * The roster is a full list: someone missing from the new export is no longer in the roster.
 */
export async function replaceRoster(
  db: Db,
  files: SnapshotFile[],
  importedBy: string,
  items: AsyncIterable<RosterItem>,
): Promise<RosterSummary> {
  const contentSha = contentHashOf(files);
  const previous = db
    .prepare(
      `SELECT s.id FROM snapshots s JOIN sources src ON src.id = s.source_id
        WHERE src.name = ? AND s.content_sha256 = ? AND s.id = (
          SELECT max(s2.id) FROM snapshots s2 WHERE s2.source_id = s.source_id)`,
    )
    .pluck()
    .get(ROSTER_SOURCE, contentSha) as number | undefined;
  if (previous !== undefined) return { ...summarize(db, previous, files), alreadyImported: true };

  const importedAt = new Date().toISOString();
  const rejects: ImportReject[] = [];
  let rowsRead = 0;
  const chosen = new Map<string, { person: NormalizedPerson; row: number }>();

  // The roster is small (people, not identities): gather it first so re-hires resolve before writing.
  for await (const item of items) {
    rowsRead += 1;
    const outcome = item.outcome;
    if ('skip' in outcome) continue;
    if ('reject' in outcome) {
      rejects.push({ file: item.file, row: item.row, reason: outcome.reject });
      continue;
    }
    const person = { ...outcome.person, email: outcome.person.email.trim().toLowerCase() };
    const earlier = chosen.get(person.email);
    if (!earlier) {
      chosen.set(person.email, { person, row: item.row });
      continue;
    }
    const winner = laterRecord(earlier.person, person);
    if (winner === null) {
      rejects.push({
        file: item.file,
        row: item.row,
        reason: `${person.email} is listed twice as active (rows ${earlier.row} and ${item.row}); the first was kept.`,
      });
    } else if (winner === person) {
      chosen.set(person.email, { person, row: item.row });
    }
  }

  if (chosen.size === 0) {
    // Replacing the roster with nobody would make every owner "not in roster": refuse, keep the old one.
    throw new AppError(
      'INVALID_INPUT',
      `No person could be read from the roster (${rejects.length} rows rejected). The current roster was kept. ` +
        'Check that you chose the HR export.',
    );
  }

  let sourceId = db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(ROSTER_SOURCE) as
    number | undefined;
  const write = db.transaction(() => {
    // Owner status feeds the owner signals: the index is rebuilt at the next read.
    invalidateSignalIndex(db);
    if (sourceId === undefined) {
      sourceId = Number(
        db
          .prepare(`INSERT INTO sources (name, kind, created_at) VALUES (?, 'hr', ?) RETURNING id`)
          .pluck()
          .get(ROSTER_SOURCE, importedAt),
      );
    }
    const snapshotId = Number(
      db
        .prepare(
          `INSERT INTO snapshots (source_id, format, preset, parameters, rows_read, rows_imported, rows_rejected,
                                  imported_by, imported_at, content_sha256)
           VALUES (?, 'csv', 'hr-roster', '{}', ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .pluck()
        .get(sourceId, rowsRead, chosen.size, rejects.length, importedBy, importedAt, contentSha),
    );
    const insertFile = db.prepare(
      'INSERT INTO snapshot_files (snapshot_id, name, bytes, sha256) VALUES (?, ?, ?, ?)',
    );
    for (const file of files) insertFile.run(snapshotId, file.name, file.bytes, file.sha256);
    const insertReject = db.prepare(
      'INSERT INTO snapshot_rejects (snapshot_id, file, row, reason) VALUES (?, ?, ?, ?)',
    );
    for (const reject of rejects) insertReject.run(snapshotId, reject.file, reject.row, reject.reason);

    db.prepare('DELETE FROM people_aliases').run();
    db.prepare('DELETE FROM people').run();
    const insertPerson = db.prepare(
      `INSERT INTO people (email, name, department, manager_email, status, termination_date, employee_id, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    const insertAlias = db.prepare('INSERT OR IGNORE INTO people_aliases (alias, person_id) VALUES (?, ?)');
    for (const { person } of chosen.values()) {
      const id = insertPerson
        .pluck()
        .get(
          person.email,
          person.name,
          person.department,
          person.managerEmail?.toLowerCase() ?? null,
          person.status,
          person.terminationDate,
          person.employeeId,
          importedAt,
        ) as number;
      for (const alias of person.aliases)
        if (alias && alias.toLowerCase() !== person.email) insertAlias.run(alias, id);
    }
    return snapshotId;
  });
  const snapshotId = write.immediate();
  relinkOwners(db);
  return summarize(db, snapshotId, files);
}

/**
 * Which of two records for the same e-mail describes the person now: an active record beats a
 * terminated one (a re-hire), the later termination beats the earlier. Two active records conflict.
 */
function laterRecord(a: NormalizedPerson, b: NormalizedPerson): NormalizedPerson | null {
  const aLeft = a.status === 'terminated';
  const bLeft = b.status === 'terminated';
  if (!aLeft && !bLeft) return null;
  if (aLeft !== bLeft) return aLeft ? b : a;
  return (b.terminationDate ?? '') > (a.terminationDate ?? '') ? b : a;
}

function summarize(db: Db, snapshotId: number, files: SnapshotFile[]): RosterSummary {
  const snapshot = db
    .prepare('SELECT rows_read, rows_imported, rows_rejected FROM snapshots WHERE id = ?')
    .get(snapshotId) as { rows_read: number; rows_imported: number; rows_rejected: number };
  const rejects = db
    .prepare('SELECT file, row, reason FROM snapshot_rejects WHERE snapshot_id = ? ORDER BY rowid')
    .all(snapshotId) as ImportReject[];
  const terminated = db
    .prepare(`SELECT count(*) FROM people WHERE status = 'terminated'`)
    .pluck()
    .get() as number;
  return {
    snapshotId,
    files,
    rowsRead: snapshot.rows_read,
    imported: snapshot.rows_imported,
    rejected: snapshot.rows_rejected,
    rejects,
    active: snapshot.rows_imported - terminated,
    terminated,
    alreadyImported: false,
  };
}
