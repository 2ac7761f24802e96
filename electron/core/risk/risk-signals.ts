import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import type { CredentialType, IdentityKind, IdentityStatus } from '../../../shared/domain/identity';
import type { OwnerStatus } from '../../../shared/domain/person';
import {
  RISK_SIGNAL_CODES,
  RISK_SIGNALS,
  owaspRefFor,
  type OwaspNhiRef,
  type RiskPolicy,
  type RiskSeverity,
  type RiskSignal,
  type RiskSignalCode,
} from '../../../shared/domain/risk';

/**
 * Risk signals of one identity at an as-of date (`riskSignalsFor`), and the one signal that needs the
 * whole population (`sharedAcrossEnvironments`). Pure: the same identity, date and policy always give
 * the same signals, in the order of RISK_SIGNAL_CODES.
 *
 * Built to run over 100,000 identities when a campaign launches: the policy is compiled once (name
 * patterns included, matched without regular expressions), dates are read as day numbers straight
 * from the ISO text without `Date` objects, and reason text is only built for signals that fire.
 *
 * Days are whole UTC calendar days between a timestamp's day and the as-of day, so "rotated on
 * 2025-11-02" is 364 days old on 2026-11-01 whatever the time of day. "More than the policy" is
 * strict: a 365-day-old key is not old under a 365-day policy, a 366-day-old one is.
 */

type Credential = IdentityRecord['credentials'][number];
type Entitlement = IdentityRecord['entitlements'][number];
export type RiskAttributes = Readonly<Record<string, string | number | boolean | null>>;

export interface RiskOwner {
  /** The roster e-mail when resolved, else the reference as the source wrote it. */
  email: string;
  role: 'business' | 'technical';
  status: OwnerStatus;
  /** YYYY-MM-DD from the roster, for "left on ..."; optional until the inventory query returns it. */
  terminationDate?: string | null;
}

/** What the signals read: an `identities.list` record with the identity's attributes (`identities.get`). */
export interface RiskSubject {
  id: number;
  source: string;
  kind: IdentityKind;
  name: string;
  environment: string | null;
  status: IdentityStatus;
  createdAt: string | null;
  lastUsedAt: string | null;
  notSeenSince?: string | null;
  owners: readonly RiskOwner[];
  credentials: readonly Credential[];
  entitlements: readonly Entitlement[];
  attributes: RiskAttributes;
  /**
   * The kind of system of record (`aws`, `entra`, `cmdb`...), when known. Rows of a register (`cmdb`)
   * describe identities held in other systems, so they never count as a second use of an app or key.
   */
  sourceKind?: string;
}

// ---- The policy, compiled once ----

const COMPILED = Symbol('compiled risk policy');

export interface CompiledRiskPolicy {
  readonly [COMPILED]: true;
  readonly policy: Readonly<RiskPolicy>;
  readonly severity: Readonly<Record<RiskSignalCode, RiskSeverity>>;
  readonly hasNamePatterns: boolean;
  /** The policy pattern an entitlement name matches (as the user wrote it), or null. */
  privilegedPatternFor(name: string): string | null;
}

interface NamePattern {
  source: string;
  matches(lowerName: string): boolean;
}

const compiledPolicies = new WeakMap<object, CompiledRiskPolicy>();

/** Compiles a policy for repeated use; the same policy object is compiled only once. */
export function compilePolicy(policy: Readonly<RiskPolicy> | CompiledRiskPolicy): CompiledRiskPolicy {
  if (isCompiled(policy)) return policy;
  const cached = compiledPolicies.get(policy);
  if (cached) return cached;
  const highRisk = new Set<RiskSignalCode>(policy.highRiskSignals);
  const severity = {} as Record<RiskSignalCode, RiskSeverity>;
  for (const code of RISK_SIGNAL_CODES)
    severity[code] = highRisk.has(code) ? 'high' : RISK_SIGNALS[code].baseSeverity;
  const patterns = policy.privilegedNamePatterns.map(compileNamePattern);
  const compiled: CompiledRiskPolicy = {
    [COMPILED]: true,
    policy,
    severity,
    hasNamePatterns: patterns.length > 0,
    privilegedPatternFor(name) {
      if (patterns.length === 0) return null;
      const lower = name.toLowerCase();
      for (const pattern of patterns) if (pattern.matches(lower)) return pattern.source;
      return null;
    },
  };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

function isCompiled(policy: Readonly<RiskPolicy> | CompiledRiskPolicy): policy is CompiledRiskPolicy {
  return COMPILED in policy;
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/**
 * `*` and `?` wildcards, case-insensitive. Common shapes (`*admin*`, `admin*`, `*admin`, exact) become
 * string tests; the rest uses a matcher that backtracks to the last star only, so a pattern such as
 * `*a*a*a*a*b` costs at most name length x pattern length, never exponential time.
 */
function compileNamePattern(source: string): NamePattern {
  const pattern = source.trim().toLowerCase().replace(/\*+/g, '*');
  const wildcards = (text: string) => text.includes('*') || text.includes('?');
  if (!wildcards(pattern)) return { source, matches: (name) => name === pattern };
  const inner = pattern.slice(1, -1);
  if (pattern.length > 2 && pattern.startsWith('*') && pattern.endsWith('*') && !wildcards(inner))
    return { source, matches: (name) => name.includes(inner) };
  const tail = pattern.slice(1);
  if (pattern.startsWith('*') && !wildcards(tail)) return { source, matches: (name) => name.endsWith(tail) };
  const head = pattern.slice(0, -1);
  if (pattern.endsWith('*') && !wildcards(head)) return { source, matches: (name) => name.startsWith(head) };
  return { source, matches: (name) => wildcardMatch(pattern, name) };
}

function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const code = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (code === QUESTION || (code !== STAR && code === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (code === STAR) {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

// ---- Dates as day numbers ----

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The UTC day number of an ISO-8601 date or date-time (`2026-11-01`, `…T12:00:00.000Z`,
 * `…T16:43:55.000-05:00`); NaN when unreadable, which every comparison treats as "unknown".
 */
export function utcDayNumber(iso: string): number {
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 2);
  const day = digitsAt(iso, 8, 2);
  if (Number.isNaN(year) || Number.isNaN(month) || Number.isNaN(day) || month < 1 || month > 12 || day < 1)
    return NaN;
  const date = daysFromCivil(year, month, day);
  // The inventory stores UTC (`Z`); only an explicit non-zero offset can move the day.
  if (iso.length <= 16 || iso.charCodeAt(iso.length - 1) === 90 /* Z */) return date;
  const zone = iso.length - 6;
  const sign = iso.charCodeAt(zone);
  if ((sign !== 43 && sign !== 45) || iso.charCodeAt(zone + 3) !== 58) return date;
  const offset = (digitsAt(iso, zone + 1, 2) * 60 + digitsAt(iso, zone + 4, 2)) * (sign === 45 ? -1 : 1);
  const minutes = digitsAt(iso, 11, 2) * 60 + digitsAt(iso, 14, 2) - offset;
  return Number.isNaN(minutes) ? date : date + Math.floor(minutes / 1440);
}

/** YYYY-MM-DD of a day number (H. Hinnant's civil_from_days). */
function civilDate(dayNumber: number): string {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day a timestamp falls on, for reasons. */
function dayText(iso: string): string {
  const day = utcDayNumber(iso);
  return Number.isNaN(day) ? iso : civilDate(day);
}

function asOfDayNumber(asOf: string): number {
  const day = asOf.length === 10 ? utcDayNumber(asOf) : NaN;
  if (Number.isNaN(day)) throw new RangeError(`The as-of date must look like 2026-11-01, not "${asOf}".`);
  return day;
}

// ---- Words ----

const OWASP: Readonly<Record<RiskSignalCode, OwaspNhiRef | null>> = Object.freeze(
  Object.fromEntries(
    RISK_SIGNAL_CODES.map((code) => {
      const ref = owaspRefFor(code);
      return [code, ref ? Object.freeze(ref) : null];
    }),
  ) as Record<RiskSignalCode, OwaspNhiRef | null>,
);

const CREDENTIAL_WORDS: Readonly<Record<CredentialType, string>> = {
  'access-key': 'access key',
  password: 'password',
  'client-secret': 'client secret',
  certificate: 'certificate',
  token: 'token',
  'ssh-key': 'SSH key',
  key: 'key',
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
function listing(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/**
 * How a reason names a credential: by its id ("access key AKIA…"); without one, "the access key" when
 * it is the identity's only one of its type, else by the day it was made ("the access key created on
 * 2024-11-29"), which `dated` returns so a sentence does not repeat it.
 */
function credentialName(
  credential: Credential,
  all: readonly Credential[],
): { name: string; dated: string | null } {
  const word = CREDENTIAL_WORDS[credential.type];
  if (credential.externalId) return { name: `${word} ${credential.externalId}`, dated: null };
  let sameType = 0;
  for (const c of all) if (c.type === credential.type) sameType++;
  const made = credential.createdAt ?? credential.lastRotatedAt;
  if (sameType === 1 || made === null) return { name: `the ${word}`, dated: null };
  const day = dayText(made);
  return { name: `the ${word} created on ${day}`, dated: day };
}

function roleWords(roles: ReadonlySet<string>): string {
  if (roles.has('business') && roles.has('technical')) return 'business and technical owner';
  return roles.has('technical') ? 'technical owner' : 'business owner';
}

/** Owners grouped by e-mail (registers often name one person as business and technical owner). */
function byPerson(owners: readonly RiskOwner[]): Array<{ owner: RiskOwner; roles: Set<string> }> {
  const people: Array<{ owner: RiskOwner; roles: Set<string> }> = [];
  for (const owner of owners) {
    const email = owner.email.toLowerCase();
    const known = people.find((p) => p.owner.email.toLowerCase() === email);
    if (known) known.roles.add(owner.role);
    else people.push({ owner, roles: new Set([owner.role]) });
  }
  return people;
}

function describePrivilege(entitlement: Entitlement, attributes: RiskAttributes): string | null {
  const { name, resource } = entitlement;
  if (name === 'cluster-admin') {
    return resource === 'cluster'
      ? 'Cluster role binding cluster-admin grants full control of the cluster.'
      : `A role binding to cluster-admin grants full control of namespace ${resource ?? 'unknown'}.`;
  }
  if ((name === 'admin' || name === 'edit') && resource === 'cluster') {
    return `Cluster role ${name}, bound cluster-wide, reads secrets and runs pods as other service accounts in every namespace.`;
  }
  if (attributes.root === true && name === 'AWS account root user') {
    const account = typeof attributes.accountId === 'string' ? ` ${attributes.accountId}` : '';
    return `It is the AWS account root user, with full control of account${account}.`;
  }
  if (name === 'roles/owner') return `roles/owner on ${resource ?? 'the project'} gives full control of it.`;
  if (name === 'Privileged access (declared)') return 'The inventory register marks it as privileged.';
  return null;
}

function entitlementName(entitlement: Entitlement): string {
  const { name, resource } = entitlement;
  // An AD group's resource is its DN, which repeats the name; a long resource adds nothing readable.
  if (!resource || resource.includes(name) || resource.length > 80) return name;
  return `${name} on ${resource}`;
}

// ---- One identity ----

export type RiskEvaluator = (identity: RiskSubject) => RiskSignal[];

/**
 * Signals for many identities at one as-of date: the date and the policy are read once. Prefer this
 * over `riskSignalsFor` in loops (campaign launch, exports).
 */
export function createRiskEvaluator(
  asOf: string,
  policy: Readonly<RiskPolicy> | CompiledRiskPolicy,
): RiskEvaluator {
  const compiled = compilePolicy(policy);
  const { staleDays, maxCredentialAgeDays, farFutureExpiryYears } = compiled.policy;
  const asOfDay = asOfDayNumber(asOf);
  const asOfYear = digitsAt(asOf, 0, 4);
  const cutoffDay = daysFromCivil(
    asOfYear + farFutureExpiryYears,
    digitsAt(asOf, 5, 2),
    digitsAt(asOf, 8, 2),
  );
  const severity = compiled.severity;
  const signal = (code: RiskSignalCode, reason: string): RiskSignal => ({
    code,
    reason,
    owasp: OWASP[code],
    severity: severity[code],
  });

  return (identity) => {
    const attributes = identity.attributes;
    const createdDay = identity.createdAt ? utcDayNumber(identity.createdAt) : NaN;
    // At a date before the identity existed there is nothing to say about it.
    if (createdDay > asOfDay) return [];
    const signals: RiskSignal[] = [];

    // Ownership.
    const owners = identity.owners;
    if (owners.length === 0) {
      // Microsoft's own service principals are owned by Microsoft, never by someone in the tenant.
      if (attributes.microsoftFirstParty !== true)
        signals.push(
          signal('no-owner', 'No owner is recorded for this identity, so nobody is accountable for it.'),
        );
    } else {
      let terminated: RiskOwner[] | null = null;
      let missing: RiskOwner[] | null = null;
      for (const owner of owners) {
        if (owner.status === 'terminated') (terminated ??= []).push(owner);
        else if (owner.status === 'not-in-roster') (missing ??= []).push(owner);
      }
      if (terminated) {
        const reason = byPerson(terminated)
          .map(({ owner, roles }) =>
            owner.terminationDate
              ? `${capitalize(roleWords(roles))} ${owner.email} left on ${owner.terminationDate} (terminated in the HR roster).`
              : `${capitalize(roleWords(roles))} ${owner.email} is terminated in the HR roster.`,
          )
          .join(' ');
        signals.push(signal('owner-terminated', reason));
      }
      if (missing) {
        const people = byPerson(missing);
        const names = people.map(({ owner, roles }) =>
          people.length === 1
            ? `${capitalize(roleWords(roles))} ${owner.email}`
            : `${owner.email} (${roleWords(roles)})`,
        );
        const subject = people.length === 1 ? names[0]! : `Owners ${listing(names, 5)}`;
        signals.push(
          signal(
            'owner-not-in-roster',
            `${subject} ${plural(people.length, 'is', 'are')} not in the HR roster, so no current employee is confirmed to answer for this identity.`,
          ),
        );
      }
    }

    // Use.
    let lastUse = identity.lastUsedAt;
    if (lastUse === null) {
      for (const credential of identity.credentials)
        if (credential.lastUsedAt !== null && (lastUse === null || credential.lastUsedAt > lastUse))
          lastUse = credential.lastUsedAt;
    }
    if (lastUse !== null) {
      const idle = asOfDay - utcDayNumber(lastUse);
      if (idle > staleDays) {
        signals.push(
          signal(
            'stale',
            `Not used for ${idle} days (last used on ${dayText(lastUse)}; policy: ${staleDays}).`,
          ),
        );
      }
    } else if (attributes.usageReported === false) {
      signals.push(
        signal(
          'usage-unknown',
          attributes.passwordLastUsed === 'no_information'
            ? 'AWS has no record of when the console password was last used (it does not record use before October 2014), so whether this identity is still used cannot be told from the export.'
            : 'The export does not report when this identity was last used, so whether it is still needed cannot be told from it.',
        ),
      );
    } else {
      const age = asOfDay - createdDay;
      // A new identity gets the stale period to be put to use before "never used" is a finding.
      if (!(age <= staleDays)) {
        signals.push(
          signal(
            'never-used',
            Number.isNaN(age)
              ? 'Never used: the source reports use and records none for this identity.'
              : `Never used since it was created on ${civilDate(createdDay)}, ${age} days ago (policy: used within ${staleDays} days).`,
          ),
        );
      }
    }

    // Credentials.
    const credentials = identity.credentials;
    let old: string[] | null = null;
    let noExpiry: string[] | null = null;
    let expired: string[] | null = null;
    let stillActive: string[] | null = null;
    for (const credential of credentials) {
      if (credential.status !== 'active') continue;
      const sinceIso = credential.lastRotatedAt ?? credential.createdAt;
      const sinceDay = sinceIso ? utcDayNumber(sinceIso) : NaN;
      const startDay = credential.createdAt ? utcDayNumber(credential.createdAt) : sinceDay;
      if (startDay > asOfDay) continue; // made after the as-of date
      const { name, dated } = credentialName(credential, credentials);
      const expiresDay = credential.expiresAt ? utcDayNumber(credential.expiresAt) : NaN;
      if (expiresDay < asOfDay) {
        (expired ??= []).push(
          `${capitalize(name)} expired on ${civilDate(expiresDay)}, ${asOfDay - expiresDay} days ago, but is still listed as active.`,
        );
        continue;
      }
      if (identity.status === 'disabled')
        (stillActive ??= []).push(
          credential.expiresAt ? `${name} (valid until ${civilDate(expiresDay)})` : name,
        );
      if (credential.expiresAt === null) {
        const isPassword = credential.type === 'password';
        if (isPassword && attributes.passwordNeverExpires === true) {
          (noExpiry ??= []).push(`${capitalize(name)} is set never to expire (PasswordNeverExpires).`);
        } else if (
          // AD changes managed (gMSA) passwords itself, and expires the others unless told not to.
          !(isPassword && (attributes.managedPassword === true || attributes.passwordNeverExpires === false))
        ) {
          (noExpiry ??= []).push(
            `${capitalize(name)} has no expiry date, so it stays valid until someone revokes it.`,
          );
        }
      } else if (expiresDay > cutoffDay) {
        (noExpiry ??= []).push(
          `${capitalize(name)} expires on ${civilDate(expiresDay)}, more than ${farFutureExpiryYears} ${plural(farFutureExpiryYears, 'year', 'years')} after ${asOf}: in effect it never expires.`,
        );
      }
      const age = asOfDay - sinceDay;
      if (age > maxCredentialAgeDays) {
        const changed = credential.type === 'password' ? 'changed' : 'rotated';
        const since = civilDate(sinceDay);
        const on = dated === since ? '' : `, on ${since}`;
        (old ??= []).push(
          credential.lastRotatedAt
            ? `${capitalize(name)} was last ${changed} ${age} days ago${on} (policy: ${maxCredentialAgeDays}).`
            : `${capitalize(name)} was created ${age} days ago${on}, and not ${changed} since (policy: ${maxCredentialAgeDays}).`,
        );
      }
    }
    if (old) signals.push(signal('credential-old', old.join(' ')));
    if (noExpiry) signals.push(signal('credential-no-expiry', noExpiry.join(' ')));
    if (expired) signals.push(signal('credential-expired-but-active', expired.join(' ')));

    // Privilege: well-known grants get a sentence of their own, the others are listed by name.
    let sentences: string[] | null = null;
    let privilegedNames: string[] | null = null;
    for (const entitlement of identity.entitlements) {
      if (entitlement.privileged) {
        const sentence = describePrivilege(entitlement, attributes);
        if (sentence) (sentences ??= []).push(sentence);
        else (privilegedNames ??= []).push(entitlementName(entitlement));
      } else if (compiled.hasNamePatterns) {
        const pattern = compiled.privilegedPatternFor(entitlement.name);
        if (pattern !== null)
          (privilegedNames ??= []).push(
            `${entitlementName(entitlement)} (matches the policy pattern ${pattern})`,
          );
      }
    }
    if (sentences || privilegedNames) {
      const parts = sentences ? [...sentences] : [];
      if (privilegedNames) {
        parts.push(
          `Privileged ${plural(privilegedNames.length, 'entitlement', 'entitlements')}: ${listing(privilegedNames, 5)}.`,
        );
      }
      signals.push(signal('privileged', parts.join(' ')));
    }

    // Third parties: privileged, or holding what this export cannot show.
    if (
      attributes.thirdParty === true &&
      (privilegedNames || sentences || identity.entitlements.length === 0)
    ) {
      const organisation =
        typeof attributes.appOwnerOrganizationId === 'string'
          ? `tenant ${attributes.appOwnerOrganizationId}`
          : null;
      const publisher =
        typeof attributes.verifiedPublisher === 'string'
          ? `verified publisher ${attributes.verifiedPublisher}`
          : 'publisher not verified';
      const owner = organisation ? `${organisation}, ${publisher}` : publisher;
      const held = privilegedNames
        ? ` It holds privileged permissions: ${listing(privilegedNames, 5)}.`
        : sentences
          ? ` ${sentences.join(' ')}`
          : ' The export does not list its permissions: check what it was granted before certifying it.';
      // An IAM role is not an app: what makes it a third party is who its trust policy lets in.
      const outsiders =
        typeof attributes.trustsExternalAccounts === 'string' && attributes.trustsExternalAccounts !== ''
          ? `AWS account ${attributes.trustsExternalAccounts}`
          : attributes.trustsAnyPrincipal === true
            ? 'any AWS principal'
            : null;
      signals.push(
        signal(
          'third-party',
          identity.kind === 'iam-role' && outsiders
            ? `A role that ${outsiders} outside this account can assume.${held}`
            : `An app of another organisation (${owner}).${held}`,
        ),
      );
    }

    // A person signing in as the identity. The root user is a person's break-glass account by design.
    if (attributes.interactiveLogin === true && attributes.root !== true) {
      const password = credentials.find((c) => c.type === 'password' && c.status === 'active');
      let reason = 'Interactive sign-in is enabled';
      if (password) {
        const details = [
          password.lastUsedAt
            ? `last used on ${dayText(password.lastUsedAt)}`
            : attributes.passwordLastUsed === 'no_information'
              ? 'last use not recorded'
              : 'never used',
        ];
        if (attributes.mfaActive === true) details.push('with MFA');
        if (attributes.mfaActive === false) details.push('no MFA');
        const what = typeof attributes.arn === 'string' ? 'a console password' : 'a sign-in password';
        reason = `It has ${what} (${details.join(', ')})`;
      }
      signals.push(
        signal(
          'interactive-login',
          `${reason}: a person can sign in as this non-human identity, and what they do is logged under its name.`,
        ),
      );
    }

    if (stillActive) {
      signals.push(
        signal(
          'disabled-with-active-credential',
          `The identity is disabled, but ${listing(stillActive, 3)} ${plural(stillActive.length, 'is', 'are')} still active: re-enabling it would make ${plural(stillActive.length, 'that credential', 'them')} usable again.`,
        ),
      );
    }
    return signals;
  };
}

let memo: { asOf: string; policy: CompiledRiskPolicy; evaluate: RiskEvaluator } | null = null;

/**
 * The risk signals of one identity at `asOf` (YYYY-MM-DD) under `policy`. Repeated calls with the
 * same date and policy object reuse the compiled policy and date; for a population prefer
 * `createRiskEvaluator`. `shared-across-environments` needs the population: see
 * `sharedAcrossEnvironments`.
 */
export function riskSignalsFor(
  identity: RiskSubject,
  asOf: string,
  policy: Readonly<RiskPolicy> | CompiledRiskPolicy,
): RiskSignal[] {
  const compiled = compilePolicy(policy);
  if (memo === null || memo.asOf !== asOf || memo.policy !== compiled)
    memo = { asOf, policy: compiled, evaluate: createRiskEvaluator(asOf, compiled) };
  return memo.evaluate(identity);
}

// ---- The population ----

const PRODUCTION_NAMES = new Set(['production', 'prod', 'prd', 'live']);

/** Attributes that name a cloud identity the identity assumes (IRSA role, GKE and Azure workload identity). */
const ASSUMED_IDENTITY_ATTRIBUTES = ['awsRoleArn', 'gcpServiceAccount', 'azureClientId'] as const;

interface Member {
  identity: RiskSubject;
  environment: string;
  production: boolean;
}

interface Shared {
  what: string;
  others: Member[];
}

/**
 * `shared-across-environments` for a population: an identity whose credential (by its id), SSH key (by
 * fingerprint), application (app id, OAuth client id) or assumed cloud identity (AWS role, GCP service
 * account, Azure client id) is also used by an identity of another source in the other kind of
 * environment (production vs. anything else). Keyed by identity id; identities without the signal are
 * absent.
 *
 * Names alone are not compared: a same-named account per environment is what isolation looks like, and
 * a register row repeats the name of the identity it describes. Identities without an environment,
 * disabled ones, ones gone from their source by `asOf`, register rows (`sourceKind` `cmdb`), expired or
 * inactive credentials and Microsoft's own apps (present in every tenant) take no part.
 */
export function sharedAcrossEnvironments(
  identities: Iterable<RiskSubject>,
  asOf: string,
  policy: Readonly<RiskPolicy> | CompiledRiskPolicy,
): Map<number, RiskSignal> {
  const compiled = compilePolicy(policy);
  const asOfDay = asOfDayNumber(asOf);
  const groups = new Map<string, { what: string; members: Member[] }>();
  const join = (key: string, what: string, member: Member) => {
    const group = groups.get(key);
    if (!group) groups.set(key, { what, members: [member] });
    else if (group.members[group.members.length - 1] !== member) group.members.push(member);
  };

  for (const identity of identities) {
    if (identity.sourceKind === 'cmdb' || identity.status === 'disabled') continue;
    if (identity.notSeenSince && utcDayNumber(identity.notSeenSince) <= asOfDay) continue;
    const environment = identity.environment?.trim();
    if (!environment) continue;
    const member: Member = {
      identity,
      environment,
      production: PRODUCTION_NAMES.has(environment.toLowerCase()),
    };
    const attributes = identity.attributes;
    // A Kubernetes token's id is its Secret's name, unique only within one namespace of one cluster.
    if (identity.kind !== 'kubernetes-service-account') {
      for (const credential of identity.credentials) {
        if (credential.status !== 'active' || !credential.externalId) continue;
        if (credential.expiresAt && utcDayNumber(credential.expiresAt) < asOfDay) continue;
        join(
          `credential:${credential.type}:${credential.externalId.toLowerCase()}`,
          `${CREDENTIAL_WORDS[credential.type]} ${credential.externalId}`,
          member,
        );
      }
    }
    if (typeof attributes.fingerprint === 'string')
      join(`ssh:${attributes.fingerprint}`, `the SSH key ${attributes.fingerprint}`, member);
    if (typeof attributes.appId === 'string' && attributes.microsoftFirstParty !== true)
      join(`app:${attributes.appId.toLowerCase()}`, `the application (app id ${attributes.appId})`, member);
    if (typeof attributes.clientId === 'string')
      join(`client:${attributes.clientId.toLowerCase()}`, `the OAuth client ${attributes.clientId}`, member);
    for (const name of ASSUMED_IDENTITY_ATTRIBUTES) {
      const value = attributes[name];
      if (typeof value === 'string' && value !== '')
        join(`assumes:${value.toLowerCase()}`, `the assumed cloud identity ${value}`, member);
    }
  }

  const shared = new Map<RiskSubject, Shared[]>();
  for (const { what, members } of groups.values()) {
    if (members.length < 2) continue;
    for (const member of members) {
      const others = members.filter(
        (other) => other.production !== member.production && other.identity.source !== member.identity.source,
      );
      if (others.length === 0) continue;
      const list = shared.get(member.identity);
      if (list) list.push({ what, others });
      else shared.set(member.identity, [{ what, others }]);
    }
  }

  const result = new Map<number, RiskSignal>();
  for (const [identity, items] of shared) {
    const environment = identity.environment!.trim();
    const sentences = items.map(
      ({ what, others }) =>
        `Shares ${what} with ${listing(
          others.map((o) => `${o.identity.name} in ${o.identity.source} (${o.environment})`),
          3,
        )}, while this identity is in ${environment}.`,
    );
    result.set(identity.id, {
      code: 'shared-across-environments',
      reason: `${sentences.join(' ')} Production and non-production are not isolated: a compromise of one reaches the other.`,
      owasp: OWASP['shared-across-environments'],
      severity: compiled.severity['shared-across-environments'],
    });
  }
  return result;
}
