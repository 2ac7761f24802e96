/**
 * Risk signals (DESIGN.md, "risk signal"): facts about an identity at an as-of date that a reviewer
 * should weigh, each with a code, a plain reason and, where one fits, the OWASP Non-Human Identities
 * Top 10 (2025) risk it is an instance of. Thresholds come from a `RiskPolicy` the user edits.
 */

// ---- OWASP Non-Human Identities Top 10 (2025) ----

/** Where the list is published; the ids and names below are copied from it. */
export const OWASP_NHI_TOP_10_URL =
  'https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025/';

export const OWASP_NHI_IDS = [
  'NHI1:2025',
  'NHI2:2025',
  'NHI3:2025',
  'NHI4:2025',
  'NHI5:2025',
  'NHI6:2025',
  'NHI7:2025',
  'NHI8:2025',
  'NHI9:2025',
  'NHI10:2025',
] as const;
export type OwaspNhiId = (typeof OWASP_NHI_IDS)[number];

export interface OwaspNhiRisk {
  id: OwaspNhiId;
  name: string;
  /** One line, in our words, for a legend or a tooltip. */
  description: string;
}

/** The ten risks in OWASP's order, for the UI's legend and the evidence pack. */
export const OWASP_NHI_TOP_10: readonly OwaspNhiRisk[] = [
  {
    id: 'NHI1:2025',
    name: 'Improper Offboarding',
    description:
      'Service accounts and keys left in place after the people, projects or services they belonged to are gone.',
  },
  {
    id: 'NHI2:2025',
    name: 'Secret Leakage',
    description: 'Keys, tokens and certificates that end up in code, configuration files, logs or chat.',
  },
  {
    id: 'NHI3:2025',
    name: 'Vulnerable Third-Party NHI',
    description: "Another organisation's apps and integrations holding access to your systems.",
  },
  {
    id: 'NHI4:2025',
    name: 'Insecure Authentication',
    description: 'Deprecated or weak ways for a workload to authenticate.',
  },
  {
    id: 'NHI5:2025',
    name: 'Overprivileged NHI',
    description: 'Identities granted far more than their job needs.',
  },
  {
    id: 'NHI6:2025',
    name: 'Insecure Cloud Deployment Configurations',
    description: 'CI/CD and cloud trust set up so that static or broad credentials reach production.',
  },
  {
    id: 'NHI7:2025',
    name: 'Long-Lived Secrets',
    description: 'Secrets that expire far in the future, or never, and are not rotated.',
  },
  {
    id: 'NHI8:2025',
    name: 'Environment Isolation',
    description: 'The same identity or secret used in production and non-production.',
  },
  {
    id: 'NHI9:2025',
    name: 'NHI Reuse',
    description: 'One identity shared by several applications or services.',
  },
  {
    id: 'NHI10:2025',
    name: 'Human Use of NHI',
    description: 'People signing in with a non-human identity, so their actions are not attributable.',
  },
];

/** What a signal carries: the risk's id and name, enough to show "NHI7:2025 Long-Lived Secrets". */
export interface OwaspNhiRef {
  id: OwaspNhiId;
  name: string;
}

// ---- Signals ----

/** In the order a reviewer reads them: ownership, use, credentials, power, exposure, hygiene. */
export const RISK_SIGNAL_CODES = [
  'no-owner',
  'owner-terminated',
  'owner-not-in-roster',
  'never-used',
  'stale',
  'usage-unknown',
  'credential-old',
  'credential-no-expiry',
  'credential-expired-but-active',
  'privileged',
  'third-party',
  'interactive-login',
  'shared-across-environments',
  'disabled-with-active-credential',
] as const;
export type RiskSignalCode = (typeof RISK_SIGNAL_CODES)[number];

export const RISK_SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

export interface RiskSignal {
  code: RiskSignalCode;
  /** Specific and plain: who, which credential, how many days, against which policy value. */
  reason: string;
  owasp: OwaspNhiRef | null;
  /** `high` when the policy counts the code as high-risk, else the code's own severity. */
  severity: RiskSeverity;
}

export interface RiskSignalDefinition {
  code: RiskSignalCode;
  label: string;
  /** What the signal means, for the legend next to the OWASP mapping. */
  description: string;
  owasp: OwaspNhiId | null;
  /** The severity when the policy does not count the code as high-risk. */
  baseSeverity: Exclude<RiskSeverity, 'high'>;
}

export const RISK_SIGNALS: Readonly<Record<RiskSignalCode, RiskSignalDefinition>> = {
  'no-owner': {
    code: 'no-owner',
    label: 'No owner',
    description: 'No owner is recorded, so nobody is accountable for the identity.',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
  'owner-terminated': {
    code: 'owner-terminated',
    label: 'Owner left',
    description: 'An owner is terminated in the HR roster at the as-of date.',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
  'owner-not-in-roster': {
    code: 'owner-not-in-roster',
    label: 'Owner not in roster',
    description:
      'An owner cannot be found in the HR roster (a leaver purged from HR, a contractor, a group).',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
  'never-used': {
    code: 'never-used',
    label: 'Never used',
    description: 'The source reports use, and shows none since the identity was created.',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
  stale: {
    code: 'stale',
    label: 'Stale',
    description: 'Not used for longer than the policy allows.',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
  'usage-unknown': {
    code: 'usage-unknown',
    label: 'Use unknown',
    description:
      'The export does not say when the identity was last used, so "not stale" cannot be concluded from it.',
    owasp: null,
    baseSeverity: 'info',
  },
  'credential-old': {
    code: 'credential-old',
    label: 'Old credential',
    description: 'An active credential was created or last rotated longer ago than the policy allows.',
    owasp: 'NHI7:2025',
    baseSeverity: 'medium',
  },
  'credential-no-expiry': {
    code: 'credential-no-expiry',
    label: 'Never expires',
    description:
      'An active credential has no expiry date, or one so far away that it never expires in effect.',
    owasp: 'NHI7:2025',
    baseSeverity: 'low',
  },
  'credential-expired-but-active': {
    code: 'credential-expired-but-active',
    label: 'Expired but active',
    description: 'A credential whose expiry date has passed is still listed as active.',
    owasp: 'NHI7:2025',
    baseSeverity: 'medium',
  },
  privileged: {
    code: 'privileged',
    label: 'Privileged',
    description:
      'Holds a privileged role, group, permission or binding (admin, owner, cluster-admin, tenant-wide write).',
    owasp: 'NHI5:2025',
    baseSeverity: 'medium',
  },
  'third-party': {
    code: 'third-party',
    label: 'Third party',
    description:
      'An app owned by another organisation that holds privileged permissions, or whose permissions the export does not show.',
    owasp: 'NHI3:2025',
    baseSeverity: 'medium',
  },
  'interactive-login': {
    code: 'interactive-login',
    label: 'Interactive sign-in',
    description: 'A person can sign in as this non-human identity (a console password, interactive logon).',
    owasp: 'NHI10:2025',
    baseSeverity: 'medium',
  },
  'shared-across-environments': {
    code: 'shared-across-environments',
    label: 'Shared across environments',
    description:
      'The same credential, app or assumed cloud role is used in production and in a non-production environment.',
    owasp: 'NHI8:2025',
    baseSeverity: 'medium',
  },
  'disabled-with-active-credential': {
    code: 'disabled-with-active-credential',
    label: 'Disabled, credential active',
    description:
      'The identity is disabled but still holds a credential that has neither expired nor been revoked.',
    owasp: 'NHI1:2025',
    baseSeverity: 'medium',
  },
};

/** The OWASP reference a code's signals carry, or null when no Top 10 risk fits. */
export function owaspRefFor(code: RiskSignalCode): OwaspNhiRef | null {
  const id = RISK_SIGNALS[code].owasp;
  if (id === null) return null;
  const risk = OWASP_NHI_TOP_10.find((r) => r.id === id)!;
  return { id: risk.id, name: risk.name };
}

// ---- Policy ----

/** `usage-unknown` says what the data cannot tell; it is never a risk on its own, so never high. */
export const HIGH_RISK_CANDIDATES = [
  'no-owner',
  'owner-terminated',
  'owner-not-in-roster',
  'never-used',
  'stale',
  'credential-old',
  'credential-no-expiry',
  'credential-expired-but-active',
  'privileged',
  'third-party',
  'interactive-login',
  'shared-across-environments',
  'disabled-with-active-credential',
] as const satisfies readonly Exclude<RiskSignalCode, 'usage-unknown'>[];
export type HighRiskCandidate = (typeof HIGH_RISK_CANDIDATES)[number];
// A code added to RISK_SIGNAL_CODES must be added above too (or deliberately kept out, like usage-unknown).
const _everyRiskCanBeHigh: [Exclude<RiskSignalCode, 'usage-unknown' | HighRiskCandidate>] extends [never]
  ? true
  : false = true;

export interface RiskPolicy {
  /** Not used for more than this many days is `stale`. */
  staleDays: number;
  /** An active credential created or last rotated more than this many days ago is `credential-old`. */
  maxCredentialAgeDays: number;
  /** An expiry more than this many years after the as-of date counts as "never expires" (2299, 9999). */
  farFutureExpiryYears: number;
  /**
   * Entitlement names that count as privileged besides what the import marked: `*` matches any run of
   * characters, `?` one character, letter case is ignored (`*Admin*`, `roles/owner`, `db_owner`).
   */
  privilegedNamePatterns: string[];
  /** Codes whose signals are `high` severity. */
  highRiskSignals: HighRiskCandidate[];
}

export const DEFAULT_RISK_POLICY: Readonly<RiskPolicy> = Object.freeze({
  staleDays: 90,
  maxCredentialAgeDays: 365,
  farFutureExpiryYears: 5,
  privilegedNamePatterns: [],
  highRiskSignals: [
    'owner-terminated',
    'no-owner',
    'privileged',
    'credential-expired-but-active',
    'third-party',
    'interactive-login',
  ],
} satisfies RiskPolicy);

/** Bounds the policy schema enforces and the Settings form shows. */
export const RISK_POLICY_LIMITS = {
  staleDays: { min: 1, max: 3650 },
  maxCredentialAgeDays: { min: 1, max: 3650 },
  farFutureExpiryYears: { min: 1, max: 100 },
  privilegedNamePatterns: { maxCount: 100, maxLength: 200 },
} as const;

/** Labels and help for the Settings form, which states each default next to its field. */
export const RISK_POLICY_FIELDS: Readonly<Record<keyof RiskPolicy, { label: string; help: string }>> = {
  staleDays: {
    label: 'Stale after (days)',
    help: `An identity not used for more than this many days is stale. Default: ${DEFAULT_RISK_POLICY.staleDays}.`,
  },
  maxCredentialAgeDays: {
    label: 'Maximum credential age (days)',
    help: `A key, secret, token or password created or last rotated longer ago than this is old. Default: ${DEFAULT_RISK_POLICY.maxCredentialAgeDays}.`,
  },
  farFutureExpiryYears: {
    label: 'Expiry counted as "never" after (years)',
    help: `A credential that expires more than this many years after the as-of date (2299, 9999) is treated as never expiring. Default: ${DEFAULT_RISK_POLICY.farFutureExpiryYears}.`,
  },
  privilegedNamePatterns: {
    label: 'Also privileged: entitlement names',
    help: 'Role, group or permission names to count as privileged besides those the imports mark, one per line. * matches anything, ? one character, case is ignored (for example *Admin*). Default: none.',
  },
  highRiskSignals: {
    label: 'High-risk signals',
    help: `Signals shown and counted as high risk. Default: ${DEFAULT_RISK_POLICY.highRiskSignals.map((c) => RISK_SIGNALS[c].label).join(', ')}.`,
  },
};
