import type { OwnerStatus } from '../../../shared/domain/person';
import type { Db } from '../db/open-database';

interface RosterPerson {
  id: number;
  email: string;
  name: string | null;
  status: string;
  terminationDate: string | null;
  managerEmail: string | null;
}

export interface ResolvedOwner {
  /** The person's roster e-mail when resolved, else the reference as the source wrote it. */
  email: string;
  status: OwnerStatus;
  personId: number | null;
}

/**
 * Resolves owner references as the sources write them (an e-mail in any case, a UPN, an AD
 * distinguished name whose CN is a person's name) to roster people, and says whether that person
 * was active at an as-of date. Built once per query from the roster, which is small next to the
 * inventory.
 */
export class OwnerResolver {
  private readonly byHandle = new Map<string, RosterPerson>();
  private readonly byName = new Map<string, RosterPerson[]>();
  private readonly people: RosterPerson[];

  constructor(db: Db) {
    this.people = db
      .prepare(
        `SELECT id, email, name, status, termination_date AS terminationDate, manager_email AS managerEmail FROM people`,
      )
      .all() as RosterPerson[];
    const byId = new Map(this.people.map((p) => [p.id, p]));
    for (const person of this.people) {
      this.byHandle.set(person.email.toLowerCase(), person);
      if (person.name) {
        const key = foldName(person.name);
        this.byName.set(key, [...(this.byName.get(key) ?? []), person]);
      }
    }
    const aliases = db.prepare('SELECT alias, person_id AS personId FROM people_aliases').all() as Array<{
      alias: string;
      personId: number;
    }>;
    for (const alias of aliases) {
      const person = byId.get(alias.personId);
      if (person) this.byHandle.set(alias.alias.toLowerCase(), person);
    }
  }

  /** The roster person a reference names, or null when it names nobody in the roster. */
  personIdFor(ref: string): number | null {
    return this.find(ref)?.id ?? null;
  }

  resolve(ref: string, asOf: string): ResolvedOwner {
    const person = this.find(ref);
    if (!person) return { email: ref, status: 'not-in-roster', personId: null };
    return { email: person.email, status: statusAt(person, asOf), personId: person.id };
  }

  private find(ref: string): RosterPerson | null {
    const handle = ref.trim().toLowerCase();
    if (!handle) return null;
    const direct = this.byHandle.get(handle);
    if (direct) return direct;
    const commonName = commonNameOfDn(ref);
    if (commonName) return isGroupDn(ref) ? null : this.findByName(commonName);
    // Spreadsheets often name the owner instead of giving an address ("Chloe Kowalczyk").
    if (!handle.includes('@') && /\s/.test(handle.trim())) return this.findByName(ref);
    return null;
  }

  /**
   * PowerShell 5.1's Export-Csv writes ASCII: "Zoë" becomes "Zo?". A "?" in a DN's name therefore
   * stands for exactly one letter we cannot see; a match must still be unique to count.
   */
  private findByName(name: string): RosterPerson | null {
    const folded = foldName(name);
    if (!folded.includes('?')) {
      const matches = this.byName.get(folded) ?? [];
      return matches.length === 1 ? matches[0]! : null;
    }
    const matches = this.people.filter(
      (p) =>
        p.name &&
        (matchesWithUnknowns(folded, foldName(p.name)) || matchesWithUnknowns(folded, lowerSpaces(p.name))),
    );
    return matches.length === 1 ? matches[0]! : null;
  }
}

export function statusAt(
  person: { status: string; terminationDate: string | null },
  asOf: string,
): OwnerStatus {
  const day = asOf.slice(0, 10);
  if (person.terminationDate && person.terminationDate.slice(0, 10) <= day) return 'terminated';
  if (person.status === 'terminated' && !person.terminationDate) return 'terminated';
  return 'active';
}

/** The first CN of a distinguished name, with LDAP escapes (`\,`) undone; null when not a DN. */
export function commonNameOfDn(ref: string): string | null {
  const match = /^\s*CN=((?:\\.|[^,\\])+)/i.exec(ref);
  if (!match) return null;
  return match[1]!.replace(/\\(.)/g, '$1').trim();
}

function isGroupDn(ref: string): boolean {
  return /,\s*OU=(Groups|Security Groups|Distribution Lists)\b/i.test(ref);
}

function lowerSpaces(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

function foldName(name: string): string {
  return lowerSpaces(name.normalize('NFD').replace(/\p{M}/gu, ''));
}

/** True when `name` equals `pattern` letter for letter, a "?" in the pattern standing for any one letter. */
function matchesWithUnknowns(pattern: string, name: string): boolean {
  const patternLetters = [...pattern];
  const nameLetters = [...name];
  if (patternLetters.length !== nameLetters.length) return false;
  return patternLetters.every((letter, index) => letter === '?' || letter === nameLetters[index]);
}

/**
 * Links every stored owner reference to its roster person again. Called after a roster import, since
 * the roster's people are replaced: one UPDATE per distinct reference, not per identity.
 */
export function relinkOwners(db: Db): void {
  const resolver = new OwnerResolver(db);
  const refs = db.prepare('SELECT id, ref FROM owner_refs').all() as Array<{ id: number; ref: string }>;
  const update = db.prepare('UPDATE owner_refs SET person_id = ? WHERE id = ?');
  db.transaction(() => {
    for (const { id, ref } of refs) update.run(resolver.personIdFor(ref), id);
  })();
}
