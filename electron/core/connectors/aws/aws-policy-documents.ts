/**
 * Reading IAM policy documents the way a reviewer would: which grants let their holder do anything
 * (`*`), change who can do what (`iam:*`), or everything but a short list (`Allow` + `NotAction`), and
 * whom a role's trust policy lets assume it. IAM returns every document URL-encoded (RFC 3986) JSON.
 */

/** AWS-managed policies whose documents are known: they grant everything, all of IAM, or all but IAM. */
const PRIVILEGED_AWS_MANAGED_POLICIES = new Set(['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess']);

/** Actions that grant every action, or every IAM action (which can grant itself every other one). */
const PRIVILEGED_ACTIONS = new Set(['*', '*:*', 'iam:*']);

export interface PolicyVerdict {
  privileged: boolean;
  /** Whole-service wildcards an `Allow` grants (`*`, `s3:*`), for reviewers; `ec2:Describe*` is not one. */
  wildcardActions: string[];
}

export type PolicyDocument = { Statement?: unknown } & Record<string, unknown>;

/** An IAM policy document as the API sends it (URL-encoded JSON), or `null` when it is not one. */
export function decodePolicyDocument(text: string | undefined): PolicyDocument | null {
  if (!text) return null;
  for (const candidate of [safeDecode(text), text]) {
    if (candidate === null) continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as PolicyDocument;
    } catch {
      // Try the next reading.
    }
  }
  return null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function statementsOf(document: PolicyDocument | null): Array<Record<string, unknown>> {
  const statement = document?.Statement;
  const list = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return list.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object' && !Array.isArray(s));
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Judges a permissions policy: privileged when an `Allow` grants `*`, `*:*`, `iam:*` or uses `NotAction`. */
export function judgePolicyDocument(document: PolicyDocument | null): PolicyVerdict {
  let privileged = false;
  const wildcards = new Set<string>();
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of stringsOf(statement.Action)) {
      const normalised = action.trim().toLowerCase();
      if (PRIVILEGED_ACTIONS.has(normalised)) privileged = true;
      if (normalised === '*' || /^[a-z0-9-]+:\*$/.test(normalised) || normalised === '*:*')
        wildcards.add(action);
    }
    // "Allow everything except ..." (PowerUserAccess's shape) grants more than any list of actions.
    if (statement.NotAction !== undefined) {
      privileged = true;
      wildcards.add(`NotAction ${stringsOf(statement.NotAction).join(', ')}`.trim());
    }
  }
  return { privileged, wildcardActions: [...wildcards] };
}

/** An AWS-managed policy (`arn:aws:iam::aws:policy/...`): judged by its name, its document is AWS's. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[\w-]*:iam::aws:policy\//.test(arn);
}

export function judgeAwsManagedPolicy(name: string): PolicyVerdict {
  const privileged = PRIVILEGED_AWS_MANAGED_POLICIES.has(name);
  return {
    privileged,
    wildcardActions: name === 'AdministratorAccess' ? ['*'] : name === 'IAMFullAccess' ? ['iam:*'] : [],
  };
}

export interface TrustSummary {
  /** AWS principals (account ids, user and role ARNs) that may assume the role. */
  awsPrincipals: string[];
  /** Other accounts than the role's own that may assume it. */
  externalAccounts: string[];
  /** `"*"` or `{"AWS": "*"}`: anyone in any account (conditions may narrow it; a reviewer must check). */
  anyPrincipal: boolean;
  services: string[];
  federated: string[];
  /** True when a statement that allows assuming the role carries a Condition. */
  conditions: boolean;
}

const ACCOUNT_OF_PRINCIPAL = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/;

/** Who may assume a role, from its trust (assume-role) policy. */
export function summarizeTrustPolicy(
  document: PolicyDocument | null,
  ownAccountId: string | null,
): TrustSummary {
  const summary: TrustSummary = {
    awsPrincipals: [],
    externalAccounts: [],
    anyPrincipal: false,
    services: [],
    federated: [],
    conditions: false,
  };
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.Condition !== undefined) summary.conditions = true;
    const principal = statement.Principal;
    if (principal === '*') {
      summary.anyPrincipal = true;
      continue;
    }
    if (!principal || typeof principal !== 'object') continue;
    const byType = principal as Record<string, unknown>;
    for (const aws of stringsOf(byType.AWS)) {
      if (aws === '*') {
        summary.anyPrincipal = true;
        continue;
      }
      add(summary.awsPrincipals, aws);
      const account = /^\d{12}$/.test(aws) ? aws : (ACCOUNT_OF_PRINCIPAL.exec(aws)?.[1] ?? null);
      if (account && account !== ownAccountId) add(summary.externalAccounts, account);
    }
    for (const service of stringsOf(byType.Service)) add(summary.services, service);
    for (const federated of stringsOf(byType.Federated)) add(summary.federated, federated);
  }
  return summary;
}
