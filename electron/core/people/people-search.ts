import type { Db } from '../db/open-database';

export interface PersonChoice {
  email: string;
  name: string | null;
  department: string | null;
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Active people of the roster whose name, e-mail or department contains `query`, for the reassign
 * picker. "Active" is `statusAt` of owner-resolver.ts in SQL: no termination date on or before today,
 * and not marked terminated. Leavers and people outside the roster are never offered (decisions.record
 * refuses them too). Names that start with the query come first.
 */
export function searchPeople(
  db: Db,
  query: string,
  limit: number,
  today: string = todayIso(),
): PersonChoice[] {
  const text = query.trim().toLowerCase();
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .prepare(
      `SELECT email, name, department FROM people
        WHERE (termination_date IS NULL OR substr(termination_date, 1, 10) > ?)
          AND NOT (status = 'terminated' AND termination_date IS NULL)
          AND (lower(coalesce(name, '')) LIKE ? ESCAPE '\\' OR lower(email) LIKE ? ESCAPE '\\'
               OR lower(coalesce(department, '')) LIKE ? ESCAPE '\\')
        ORDER BY (lower(coalesce(name, '')) LIKE ? ESCAPE '\\' OR lower(email) LIKE ? ESCAPE '\\') DESC,
                 lower(coalesce(name, email)), email
        LIMIT ?`,
    )
    .all(today, pattern, pattern, pattern, prefix, prefix, limit) as PersonChoice[];
}
