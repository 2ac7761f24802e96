import { AppError } from '../../../shared/api/errors';
import type { Db } from './open-database';
import { migrations } from './migrations';

/**
 * A numbered, frozen schema change. Shipped migrations are never edited: a change is a new file with
 * the next number, and a test of its own.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export function latestSchemaVersion(list: readonly Migration[] = migrations): number {
  return list.reduce((max, migration) => Math.max(max, migration.version), 0);
}

export function schemaVersionOf(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to the latest version, each migration in its own transaction together with
 * the `user_version` bump, so a crash leaves a whole version. A database from a newer Steward is
 * refused before anything is written.
 */
export function migrate(db: Db, list: readonly Migration[] = migrations): number {
  assertOrdered(list);
  const latest = latestSchemaVersion(list);
  const current = schemaVersionOf(db);
  if (current > latest) {
    throw new AppError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer Steward (schema ${current}; this version knows up to ${latest}). ` +
        'Update Steward to open it. Nothing was changed.',
    );
  }
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersionOf(db);
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migrations must be numbered 1..n without gaps; found ${migration.version} at ${index + 1}.`,
      );
    }
  });
}
