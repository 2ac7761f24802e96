import { MAPPING_FIELDS, type MappingField } from '../../../shared/domain/mapping-fields';
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type {
  IdentityKind,
  IdentityStatus,
  NormalizedCredential,
  NormalizedEntitlement,
  NormalizedIdentity,
  NormalizedOwner,
} from '../../../shared/domain/identity';
import { DateOrderDetector, type DayOrder, type SourceDate } from './dates';
import type { RowOutcome, TableRow } from './preset-types';
import { isBlankRow } from './readers/header-row';

/**
 * Maps a spreadsheet nobody standardised (a CMDB export, a hand-kept register) onto identities:
 * `proposeColumnMapping` reads the header names and proposes which column holds which field, with a
 * confidence per field, for a person to confirm; `createMappedRowMapper` then maps the rows. The
 * `headerSignature` identifies the column layout, so a mapping confirmed once is reused for next
 * quarter's export of the same layout.
 */
// The field list is shared with the renderer's mapping screen.
export { MAPPING_FIELDS, type MappingField };

export const DATE_FIELDS = ['lastUsedAt', 'credentialLastRotatedAt', 'createdAt'] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export interface ColumnMatch {
  column: number;
  header: string;
  /** 1 = the header is a known name for the field; lower = it only contains one. */
  confidence: number;
}

export interface ColumnMappingProposal {
  headerSignature: string;
  fields: Partial<Record<MappingField, ColumnMatch>>;
  /** Columns no field claimed: they are kept as attributes under their header name. */
  unmapped: Array<{ column: number; header: string }>;
  /** Day/month order of slash dates, where the sample rows showed it. */
  dateOrders: Partial<Record<DateField, DayOrder>>;
}

/** A confirmed mapping, as saved and reused: columns by position, valid for one header signature. */
export interface ColumnMapping {
  headerSignature: string;
  columns: Partial<Record<MappingField, number>>;
  dateOrders?: Partial<Record<DateField, DayOrder>>;
}

// Normalised names (see `normalizeHeader`) per field, English, German and Dutch; the first fields
// win ties, so the identifying fields come first.
const SYNONYMS: Record<MappingField, readonly string[]> = {
  externalId: [
    'record id',
    'id',
    'sys id',
    'external id',
    'object id',
    'identity id',
    'account id',
    'ci id',
    'asset id',
    'unique id',
    'uid',
    'guid',
    'object guid',
    'record number',
    'datensatz id',
    'kennung',
  ],
  name: [
    'account name',
    'name',
    'account',
    'username',
    'user name',
    'login',
    'login name',
    'identity',
    'identity name',
    'service account',
    'service account name',
    'principal',
    'sam account name',
    'kontoname',
    'konto',
    'benutzername',
    'benutzer',
    'accountnaam',
    'naam',
    'gebruikersnaam',
  ],
  kind: [
    'type',
    'account type',
    'identity type',
    'kind',
    'category',
    'class',
    'typ',
    'kontotyp',
    'art',
    'soort',
  ],
  environment: ['environment', 'env', 'stage', 'tier', 'umgebung', 'omgeving'],
  businessOwner: [
    'business owner',
    'owner',
    'account owner',
    'data owner',
    'application owner',
    'service owner',
    'responsible',
    'accountable',
    'verantwortlich',
    'verantwortlicher',
    'eigentumer',
    'besitzer',
    'fachlicher owner',
    'eigenaar',
    'verantwoordelijke',
  ],
  technicalOwner: [
    'technical owner',
    'tech owner',
    'it owner',
    'technical contact',
    'custodian',
    'maintainer',
    'technischer owner',
    'technischer ansprechpartner',
    'technisch eigenaar',
  ],
  lastUsedAt: [
    'last login',
    'last logon',
    'last used',
    'last use',
    'last activity',
    'last sign in',
    'last signin',
    'last seen',
    'last logon date',
    'letzter login',
    'letzte anmeldung',
    'letzte nutzung',
    'laatste login',
    'laatst gebruikt',
    'laatste aanmelding',
  ],
  credentialLastRotatedAt: [
    'password last set',
    'password last changed',
    'password changed',
    'pwd last set',
    'last rotated',
    'last rotation',
    'key last rotated',
    'secret last rotated',
    'credential last rotated',
    'credential rotated',
    'passwort zuletzt gesetzt',
    'passwort zuletzt geandert',
    'kennwort zuletzt geandert',
    'wachtwoord laatst gewijzigd',
  ],
  privileged: [
    'privileged',
    'privileged access',
    'admin',
    'is admin',
    'administrator',
    'privilegiert',
    'bevoorrecht',
    'geprivilegieerd',
  ],
  description: [
    'description',
    'purpose',
    'beschreibung',
    'zweck',
    'verwendungszweck',
    'omschrijving',
    'doel',
  ],
  status: ['status', 'state', 'enabled', 'account status', 'active', 'zustand', 'aktiv', 'actief'],
  createdAt: [
    'created',
    'created at',
    'created on',
    'creation date',
    'date created',
    'whencreated',
    'erstellt',
    'angelegt',
    'aangemaakt',
  ],
};

/** Lower case, accents folded, punctuation to spaces: "Privileged (Y/N)" -> "privileged y n". */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A stable hash of the normalised column names in order: equal for the same layout next quarter. */
export function headerSignature(header: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(header.map(normalizeHeader)))
    .digest('hex');
}

function matchConfidence(header: string, synonyms: readonly string[]): number {
  const normalized = normalizeHeader(header);
  if (normalized === '') return 0;
  // "Privileged (Y/N)", "Monthly Cost (€)": the part in brackets is a hint about the values.
  const withoutBrackets = normalizeHeader(header.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
  let best = 0;
  for (const synonym of synonyms) {
    if (normalized === synonym) return 1;
    if (withoutBrackets === synonym) best = Math.max(best, 0.95);
    else if (synonym.includes(' ') && ` ${normalized} `.includes(` ${synonym} `)) best = Math.max(best, 0.7);
  }
  return best;
}

/**
 * Proposes a column for each field from the header names. Each column serves at most one field and
 * each field at most one column; the strongest matches are taken first. Sample rows (the first rows
 * of the file), when given, teach the day/month order of the date columns.
 */
export function proposeColumnMapping(
  header: readonly string[],
  sampleRows: readonly TableRow[] = [],
): ColumnMappingProposal {
  const candidates: Array<{ field: MappingField; column: number; confidence: number }> = [];
  MAPPING_FIELDS.forEach((field) => {
    header.forEach((text, column) => {
      const confidence = matchConfidence(text, SYNONYMS[field]);
      if (confidence > 0) candidates.push({ field, column, confidence });
    });
  });
  candidates.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      MAPPING_FIELDS.indexOf(a.field) - MAPPING_FIELDS.indexOf(b.field) ||
      a.column - b.column,
  );
  const fields: Partial<Record<MappingField, ColumnMatch>> = {};
  const taken = new Set<number>();
  for (const candidate of candidates) {
    if (fields[candidate.field] || taken.has(candidate.column)) continue;
    fields[candidate.field] = {
      column: candidate.column,
      header: header[candidate.column]!,
      confidence: candidate.confidence,
    };
    taken.add(candidate.column);
  }

  const dateOrders: Partial<Record<DateField, DayOrder>> = {};
  const fileWide = new DateOrderDetector();
  const detectors = DATE_FIELDS.map((field) => ({ field, detector: new DateOrderDetector(fileWide) }));
  for (const row of sampleRows) {
    for (const { field, detector } of detectors) {
      const column = fields[field]?.column;
      if (column !== undefined) detector.observe(row.cells[column]);
    }
  }
  for (const { field, detector } of detectors) {
    const order = fields[field] ? detector.order : null;
    if (order) dateOrders[field] = order;
  }

  return {
    headerSignature: headerSignature(header),
    fields,
    unmapped: header.flatMap((text, column) => (taken.has(column) ? [] : [{ column, header: text }])),
    dateOrders,
  };
}

export function mappingFromProposal(proposal: ColumnMappingProposal): ColumnMapping {
  const columns: Partial<Record<MappingField, number>> = {};
  for (const field of MAPPING_FIELDS) {
    const match = proposal.fields[field];
    if (match) columns[field] = match.column;
  }
  return { headerSignature: proposal.headerSignature, columns, dateOrders: { ...proposal.dateOrders } };
}

// ---- reading the values ----

const KIND_RULES: ReadonlyArray<{ pattern: RegExp; kind: IdentityKind }> = [
  {
    pattern: /\b(?:kubernetes|k8s|eks|aks|gke)\b.*\b(?:sa|service ?account)\b|\bk8s ?sa\b/,
    kind: 'kubernetes-service-account',
  },
  { pattern: /\bdeploy ?keys?\b/, kind: 'deploy-key' },
  { pattern: /\bssh\b/, kind: 'ssh-key' },
  { pattern: /\bgithub ?apps?\b/, kind: 'github-app' },
  { pattern: /\boauth\b/, kind: 'oauth-app' },
  { pattern: /\bmanaged ?identit/, kind: 'managed-identity' },
  { pattern: /\b(?:spn|service ?principal|enterprise ?app)/, kind: 'service-principal' },
  { pattern: /\bapp(?:lication)? ?reg/, kind: 'app-registration' },
  { pattern: /\bapi\b|\btoken\b|\bpat\b|\baccess ?keys?\b|\bapi ?keys?\b/, kind: 'api-key' },
  { pattern: /\biam ?users?\b/, kind: 'iam-user' },
  { pattern: /\biam ?roles?\b/, kind: 'iam-role' },
  { pattern: /\bbots?\b|\bautomation\b|\brpa\b/, kind: 'bot' },
  {
    pattern: /\bservice ?account|\bsvc\b|\bdienstkonto|\bservicekonto|\bgmsa\b|\bmsa\b|\bfunctioneel account/,
    kind: 'service-account',
  },
];

/**
 * The identity kind from the free text of a "Type" column. Text that names no known kind (a shared
 * mailbox, a break-glass account) becomes a service account, and the original text is kept in
 * `attributes.sourceType` so nothing is lost.
 */
export function kindFromText(text: string): { kind: IdentityKind; recognised: boolean } {
  const normalized = normalizeHeader(text);
  for (const rule of KIND_RULES)
    if (rule.pattern.test(normalized)) return { kind: rule.kind, recognised: true };
  return { kind: 'service-account', recognised: false };
}

const TRUE_WORDS = new Set(['y', 'yes', 'j', 'ja', 'true', 'wahr', 'waar', '1', 'x', 'oui', 'si']);
const FALSE_WORDS = new Set(['n', 'no', 'nein', 'nee', 'false', 'falsch', 'onwaar', '0', 'non']);

/** `Y/N`, `J/N`, `yes/no`, `ja/nee`, `true/false`, `1/0`; null for empty or anything else. */
export function parseFlag(text: string | undefined): boolean | null {
  const value = (text ?? '').trim().toLowerCase();
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  return null;
}

const ENVIRONMENTS: ReadonlyArray<{ pattern: RegExp; environment: string }> = [
  { pattern: /^(?:prod|production|prd|live|produktion|productie|p)$/, environment: 'production' },
  {
    pattern: /^(?:stag|stage|staging|stg|preprod|pre prod|uat|acc|acceptance|acceptatie|abnahme)$/,
    environment: 'staging',
  },
  { pattern: /^(?:test|tst|qa|testing|t)$/, environment: 'test' },
  { pattern: /^(?:dev|development|develop|entwicklung|ontwikkeling|d)$/, environment: 'development' },
  { pattern: /^(?:sandbox|sbx|lab)$/, environment: 'sandbox' },
];

export function environmentFromText(text: string): string | null {
  const normalized = normalizeHeader(text);
  if (normalized === '') return null;
  return ENVIRONMENTS.find((rule) => rule.pattern.test(normalized))?.environment ?? normalized;
}

const ACTIVE_WORDS = /^(?:active|enabled|aktiv|actief|in use|in gebruik|live|operational|true|yes|y|ja|j)$/;
const DISABLED_WORDS =
  /^(?:disabled|inactive|inaktiv|inactief|deaktiviert|deactivated|retired|decommissioned|deleted|suspended|locked|expired|revoked|false|no|n|nein|nee)$/;

export function statusFromText(text: string): IdentityStatus {
  const normalized = normalizeHeader(text);
  if (ACTIVE_WORDS.test(normalized)) return 'active';
  if (DISABLED_WORDS.test(normalized)) return 'disabled';
  return 'unknown';
}

/** A totals or count line under the data ("Total records" + a COUNTA formula) is not an identity. */
const TOTALS_LABEL = /^(?:grand )?(?:totals?|sum|summe|gesamt|totaal|count|anzahl|aantal)\b/;

export function isTotalsRow(cells: readonly string[]): boolean {
  // Counted without copying the row: every row of a million-row file passes through here.
  let first: string | undefined;
  let filled = 0;
  for (const cell of cells) {
    if (cell === '' || cell.trim() === '') continue;
    filled += 1;
    if (filled > 3) return false;
    first ??= cell;
  }
  return first !== undefined && TOTALS_LABEL.test(normalizeHeader(first));
}

/** A row whose cell count differs from the header's: its values may sit under the wrong columns. */
export function raggedRowReason(row: TableRow, header: readonly string[]): string | null {
  if (row.cells.length === header.length) return null;
  const fewer = row.cells.length < header.length;
  return (
    `the row has ${row.cells.length} values but the header has ${header.length} columns` +
    (fewer
      ? ` (nothing under ${quoteList(header.slice(row.cells.length))})`
      : ` (extra values: ${quoteList(row.cells.slice(header.length))})`) +
    ', so its values may be under the wrong columns. Fix the row in the file and import again.'
  );
}

function quoteList(values: readonly string[]): string {
  const shown = values
    .slice(0, 4)
    .map((value) => `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`);
  return shown.join(', ') + (values.length > 4 ? ` and ${values.length - 4} more` : '');
}

const PASSWORD_WORDS = /\b(?:password|passwort|kennwort|wachtwoord|pwd)\b/;

/**
 * Maps the rows of a table with a confirmed column mapping. Rules, stated once:
 * - no external id column: the account name is the external id (`attributes.externalIdFrom = 'name'`);
 * - an empty id or name, or a ragged row, is a reject naming the column or the count;
 * - blank and totals rows are skipped;
 * - dates that are ambiguous or unreadable leave the field empty and are named in
 *   `attributes.dateProblems`: the identity still counts in the population;
 * - `usageReported` says whether the source told us anything about use, so "no last use" can mean
 *   "never used" (true) or "not known" (false);
 * - columns no field claimed are kept as attributes under their header name, verbatim.
 */
export function createMappedRowMapper(
  mapping: ColumnMapping,
  header: readonly string[],
  file: string,
): (row: TableRow) => RowOutcome {
  if (mapping.headerSignature !== headerSignature(header)) {
    throw new AppError(
      'INVALID_INPUT',
      `${file}: the saved column mapping was made for a file with other columns. Map the columns of this file again.`,
    );
  }
  const columns = mapping.columns;
  const nameColumn = columns.name;
  if (nameColumn === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      `${file}: no column is mapped to the account name. Choose the column that names each identity.`,
    );
  }
  const claimed = new Set(Object.values(columns));
  const attributeColumns = header.flatMap((text, column) =>
    claimed.has(column) || text === '' ? [] : [{ column, key: text }],
  );
  const fileWide = new DateOrderDetector();
  const detectors = {} as Record<DateField, DateOrderDetector>;
  for (const field of DATE_FIELDS) {
    detectors[field] = new DateOrderDetector(fileWide);
    const order = mapping.dateOrders?.[field];
    if (order) detectors[field].confirm(order);
  }
  const rotatedColumn = columns.credentialLastRotatedAt;
  const credentialType =
    rotatedColumn !== undefined && PASSWORD_WORDS.test(normalizeHeader(header[rotatedColumn] ?? ''))
      ? 'password'
      : 'key';
  // The columns as plain numbers (-1 = not mapped), and the words of the kind, environment, status
  // and privilege columns read once per distinct text: a million rows repeat a handful of them, and
  // normalising the same word a million times was a tenth of the import.
  const column = (field: MappingField) => columns[field] ?? -1;
  const idColumn = column('externalId');
  const kindColumn = column('kind');
  const environmentColumn = column('environment');
  const statusColumn = column('status');
  const businessColumn = column('businessOwner');
  const technicalColumn = column('technicalOwner');
  const privilegedColumn = column('privileged');
  const descriptionColumn = column('description');
  const dateColumns = DATE_FIELDS.map((field) => ({
    field,
    column: column(field),
    detector: detectors[field],
  }));
  const kindOf = memoized(kindFromText);
  const environmentOf = memoized(environmentFromText);
  const statusOf = memoized(statusFromText);
  const flagOf = memoized(parseFlag);
  const width = header.length;

  return (row) => {
    const cells = row.cells;
    if (isBlankRow(cells) || isTotalsRow(cells)) return { skip: true };
    if (cells.length !== width) return { reject: raggedRowReason(row, header)! };
    const cell = (index: number): string => (index < 0 ? '' : cells[index]!.trim());

    const name = cell(nameColumn);
    if (name === '') return { reject: `'${header[nameColumn]}' is empty: every identity needs a name.` };
    let externalId = name;
    const attributes: NormalizedIdentity['attributes'] = {};
    if (idColumn >= 0) {
      externalId = cell(idColumn);
      if (externalId === '') {
        return {
          reject: `'${header[idColumn]}' is empty: every identity needs its id from the source.`,
        };
      }
    } else {
      attributes.externalIdFrom = 'name';
    }

    // Every date of the row teaches the file's day/month order before any of them is read.
    for (const date of dateColumns) if (date.column >= 0) date.detector.observe(cells[date.column]);
    let problems: string[] | null = null;
    const readDate = (index: number): SourceDate | null => {
      const date = dateColumns[index]!;
      if (date.column < 0) return null;
      const result = date.detector.parse(cells[date.column], { excelSerial: true });
      if (result.kind === 'ambiguous' || result.kind === 'invalid')
        (problems ??= []).push(`${header[date.column]}: ${result.reason}`);
      return result;
    };
    // DATE_FIELDS order: last use, credential rotation, creation.
    const lastUsed = readDate(0);
    const rotated = readDate(1);
    const created = readDate(2);

    const typeText = cell(kindColumn);
    const { kind, recognised } = kindOf(typeText);
    if (typeText !== '') attributes.sourceType = typeText;
    if (typeText !== '' && !recognised) attributes.kindAssumed = true;

    const status: IdentityStatus = statusColumn < 0 ? 'unknown' : statusOf(cell(statusColumn));

    const owners: NormalizedOwner[] = [];
    if (businessColumn >= 0) addOwners(owners, cells[businessColumn]!, 'business');
    if (technicalColumn >= 0) addOwners(owners, cells[technicalColumn]!, 'technical');

    const entitlements: NormalizedEntitlement[] = [];
    if (privilegedColumn >= 0) {
      const privileged = flagOf(cells[privilegedColumn]!);
      attributes.privileged = privileged;
      if (privileged)
        entitlements.push({ name: 'Privileged access (declared)', resource: null, privileged: true });
    }

    const credentials: NormalizedCredential[] = [];
    if (rotated?.kind === 'date') {
      credentials.push({
        externalId: null,
        type: credentialType,
        status: status === 'disabled' ? 'inactive' : 'active',
        createdAt: null,
        lastRotatedAt: rotated.iso,
        expiresAt: null,
        lastUsedAt: null,
      });
    }

    if (lastUsed) attributes.usageReported = lastUsed.kind === 'date' || lastUsed.kind === 'never';
    if (problems !== null) attributes.dateProblems = (problems as string[]).join('; ');
    for (const { column: index, key } of attributeColumns) {
      const value = cells[index]!;
      if (value !== '' && !(key in attributes)) attributes[key] = value;
    }

    // Free text stays exactly as written (a leading TAB or CR included): only identifiers are trimmed.
    const description = descriptionColumn < 0 ? '' : cells[descriptionColumn]!;
    return {
      identity: {
        externalId,
        kind,
        name,
        environment: environmentOf(cell(environmentColumn)),
        status,
        description: description.trim() === '' ? null : description,
        createdAt: created?.kind === 'date' ? created.iso : null,
        lastUsedAt: lastUsed?.kind === 'date' ? lastUsed.iso : null,
        owners,
        credentials,
        entitlements,
        attributes,
      },
    };
  };
}

/** Remembers the answer for each distinct text; forgets everything past `limit` texts (free text). */
function memoized<T>(read: (text: string) => T, limit = 4096): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = read(text);
      if (answers.size >= limit) answers.clear();
      answers.set(text, answer);
    }
    return answer;
  };
}

/** Appends the owners of one cell; most cells name one owner and need no splitting. */
function addOwners(owners: NormalizedOwner[], text: string, role: NormalizedOwner['role']): void {
  if (text.indexOf(';') < 0 && text.indexOf('\n') < 0) {
    const ref = text.trim();
    if (ref !== '') owners.push({ ref, role });
    return;
  }
  for (const ref of splitOwners(text)) owners.push({ ref, role });
}

/** Several owners in one cell are separated by `;` or line breaks (commas occur in "Last, First"). */
function splitOwners(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
