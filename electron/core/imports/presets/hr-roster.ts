import { AppError } from '../../../../shared/api/errors';
import type { NormalizedPerson, PersonStatus } from '../../../../shared/domain/person';
import { normalizeHeader, raggedRowReason } from '../column-mapping';
import { DateOrderDetector } from '../dates';
import type { TableRow } from '../preset-types';
import { isBlankRow } from '../readers/header-row';

/**
 * Reads an HR or directory roster (any HRIS CSV/XLSX export) into people, the roster that owners of
 * identities are resolved against. Not an identity preset: its rows are people.
 *
 * Columns are found by name (`email`/`mail`/`work email`, `manager_email`/`manager`,
 * `termination_date`/`end date`, …). Status rules, in order:
 * 1. a status word that means gone (`terminated`, `inactive`, `leaver`, `left`, `resigned`, …) is
 *    terminated, unless the termination date is after `asOf`: then the person is still employed
 *    (serving notice) and stays active until that date;
 * 2. a status word that means employed (`active`, `on leave`, `notice`, …) is active, unless the
 *    termination date has already passed (the HR system has not caught up: the date wins);
 * 3. no status column or an empty status: terminated when the termination date has passed;
 * 4. any other status word is a reject naming it.
 * Re-hires and other duplicate e-mails are settled by `replaceRoster` (people/roster-writer.ts): an
 * active record beats a terminated one (a re-hire), the later termination beats the earlier, and
 * two active records for one e-mail are reported.
 */
export type PersonRowOutcome = { person: NormalizedPerson } | { reject: string } | { skip: true };

type RosterField =
  | 'email'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'employeeId'
  | 'department'
  | 'managerEmail'
  | 'status'
  | 'terminationDate'
  | 'userPrincipalName'
  | 'distinguishedName';

const ROSTER_SYNONYMS: Record<RosterField, readonly string[]> = {
  email: [
    'email',
    'e mail',
    'mail',
    'work email',
    'email address',
    'e mail address',
    'business email',
    'primary email',
    'work e mail',
    'emailadresse',
    'e mailadres',
  ],
  name: [
    'name',
    'full name',
    'display name',
    'employee name',
    'displayname',
    'naam',
    'volledige naam',
    'vollstandiger name',
  ],
  firstName: ['first name', 'firstname', 'given name', 'givenname', 'vorname', 'voornaam'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'sn', 'nachname', 'achternaam'],
  employeeId: [
    'employee id',
    'employee number',
    'emp id',
    'employeeid',
    'personnel number',
    'worker id',
    'staff id',
    'personalnummer',
    'personeelsnummer',
  ],
  department: [
    'department',
    'dept',
    'org unit',
    'organisation unit',
    'organization unit',
    'team',
    'abteilung',
    'afdeling',
  ],
  managerEmail: [
    'manager email',
    'manager e mail',
    'manager mail',
    'manager',
    'line manager',
    'line manager email',
    'supervisor',
    'supervisor email',
    'reports to',
    'vorgesetzter',
    'leidinggevende',
  ],
  status: [
    'status',
    'employment status',
    'employee status',
    'worker status',
    'state',
    'beschaftigungsstatus',
    'dienstverband status',
  ],
  terminationDate: [
    'termination date',
    'end date',
    'leave date',
    'leaving date',
    'last day',
    'last working day',
    'exit date',
    'left on',
    'termination',
    'austrittsdatum',
    'uit dienst datum',
    'einddatum',
  ],
  userPrincipalName: ['user principal name', 'userprincipalname', 'upn'],
  distinguishedName: ['distinguished name', 'distinguishedname', 'dn'],
};

const GONE_WORDS = new Set([
  'terminated',
  'inactive',
  'leaver',
  'left',
  'former',
  'former employee',
  'resigned',
  'retired',
  'deceased',
  'dismissed',
  'exited',
  'withdrawn',
  'ended',
  'disabled',
  'deactivated',
  'offboarded',
  'ausgeschieden',
  'inaktiv',
  'uit dienst',
  'vertrokken',
]);
const EMPLOYED_WORDS = new Set([
  'active',
  'employed',
  'current',
  'working',
  'on leave',
  'leave',
  'loa',
  'leave of absence',
  'parental leave',
  'maternity leave',
  'sabbatical',
  'notice',
  'notice period',
  'on notice',
  'garden leave',
  'suspended',
  'aktiv',
  'beurlaubt',
  'actief',
  'in dienst',
  'verlof',
]);

export type RosterColumns = Partial<Record<RosterField, number>>;

/** The roster's columns by name; null when no column holds e-mail addresses. */
export function detectRosterColumns(header: readonly string[]): RosterColumns | null {
  const columns: RosterColumns = {};
  const normalized = header.map(normalizeHeader);
  const taken = new Set<number>();
  for (const field of Object.keys(ROSTER_SYNONYMS) as RosterField[]) {
    // Exact names first, then the first header containing a multi-word name ("Work Email Address").
    let column = normalized.findIndex(
      (text, index) => !taken.has(index) && ROSTER_SYNONYMS[field].includes(text),
    );
    if (column === -1) {
      column = normalized.findIndex(
        (text, index) =>
          !taken.has(index) &&
          ROSTER_SYNONYMS[field].some(
            (synonym) => synonym.includes(' ') && ` ${text} `.includes(` ${synonym} `),
          ),
      );
    }
    if (column !== -1) {
      columns[field] = column;
      taken.add(column);
    }
  }
  return columns.email === undefined ? null : columns;
}

/** 0..1: how sure the header is an HR roster (e-mail plus the columns only rosters have). */
export function detectHrRoster(header: readonly string[]): number {
  const columns = detectRosterColumns(header);
  if (!columns) return 0;
  const rosterOnly = (
    ['status', 'terminationDate', 'managerEmail', 'employeeId', 'department'] as const
  ).filter((field) => columns[field] !== undefined).length;
  const named =
    columns.name !== undefined || (columns.firstName !== undefined && columns.lastName !== undefined);
  if (!named) return rosterOnly >= 2 ? 0.4 : 0;
  return Math.min(0.95, 0.5 + 0.1 * rosterOnly);
}

export interface RosterMapperOptions {
  /** YYYY-MM-DD: the day that decides whether a termination date has passed. Default: today (UTC). */
  asOf?: string;
}

export function createRosterRowMapper(
  header: readonly string[],
  file: string,
  options: RosterMapperOptions = {},
): (row: TableRow) => PersonRowOutcome {
  const columns = detectRosterColumns(header);
  if (!columns) {
    throw new AppError(
      'INVALID_INPUT',
      `${file}: no column holds e-mail addresses (email, mail, work email), so this is not a roster. Choose the HR export.`,
    );
  }
  const asOf = (options.asOf ?? new Date().toISOString()).slice(0, 10);
  const terminationDates = new DateOrderDetector();

  return (row) => {
    if (isBlankRow(row.cells)) return { skip: true };
    const ragged = raggedRowReason(row, header);
    if (ragged) return { reject: ragged };
    const cell = (field: RosterField): string => {
      const column = columns[field];
      return column === undefined ? '' : (row.cells[column] ?? '').trim();
    };
    const emailHeader = header[columns.email!];

    const email = cell('email').toLowerCase();
    if (email === '') return { reject: `'${emailHeader}' is empty: the roster finds people by e-mail.` };
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      return { reject: `'${emailHeader}' is '${cell('email')}', not an e-mail address.` };

    let terminationDate: string | null = null;
    if (columns.terminationDate !== undefined) {
      const result = terminationDates.parse(cell('terminationDate'), { excelSerial: true });
      const dateHeader = header[columns.terminationDate];
      if (result.kind === 'date') terminationDate = result.iso.slice(0, 10);
      else if (result.kind === 'ambiguous' || result.kind === 'invalid')
        return { reject: `'${dateHeader}': ${result.reason}.` };
    }
    const passed = terminationDate !== null && terminationDate <= asOf;

    const statusText = cell('status');
    const word = normalizeHeader(statusText);
    let status: PersonStatus;
    if (word === '') status = passed ? 'terminated' : 'active';
    else if (GONE_WORDS.has(word)) status = terminationDate !== null && !passed ? 'active' : 'terminated';
    else if (EMPLOYED_WORDS.has(word)) status = passed ? 'terminated' : 'active';
    else {
      return {
        reject:
          `'${header[columns.status!]}' is '${statusText}', which is not a status Steward knows ` +
          '(active, terminated, inactive, leaver, left, on leave, notice, ...). Correct it in the file or map the word.',
      };
    }

    const manager = cell('managerEmail').toLowerCase();
    const fullName =
      cell('name') || [cell('firstName'), cell('lastName')].filter((part) => part !== '').join(' ');
    const aliases = [cell('userPrincipalName'), cell('distinguishedName')]
      .map((alias) => alias.toLowerCase())
      .filter((alias) => alias !== '' && alias !== email);

    return {
      person: {
        email,
        name: fullName === '' ? null : fullName,
        employeeId: cell('employeeId') || null,
        department: cell('department') || null,
        // A manager given by name cannot be resolved as an e-mail: left empty rather than guessed.
        managerEmail: manager.includes('@') ? manager : null,
        status,
        terminationDate,
        aliases,
      },
    };
  };
}
