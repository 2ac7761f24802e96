/**
 * What counts as privileged, per source, in one place: presets mark entitlements with these rules so a
 * reviewer sees the same judgement for the same grant whichever file it came from. "Privileged" means
 * the grant lets its holder change who can do what (roles, credentials, members, policies), read or
 * write a whole tenant's data of a kind, or run code with other identities' rights.
 */

// ---- Microsoft Entra ID / Microsoft Graph application permissions ----

const GRAPH_PRIVILEGED_PATTERNS: readonly RegExp[] = [
  /\.ReadWrite\.All$/i,
  /\.FullControl\.All$/i,
  /^Directory\./i,
  /^RoleManagement\./i,
  /^AppRoleAssignment\.ReadWrite/i,
  /^Application\.ReadWrite/i,
  /^Policy\.ReadWrite/i,
];
// Exchange and mail permissions with no ".All" suffix that still reach every mailbox of the tenant.
const GRAPH_PRIVILEGED_NAMES = new Set(['mail.send', 'mail.readwrite', 'full_access_as_app']);

/** An application permission (app role value) such as `Directory.ReadWrite.All`. Tags are not permissions. */
export function isPrivilegedGraphPermission(value: string): boolean {
  return (
    GRAPH_PRIVILEGED_NAMES.has(value.toLowerCase()) || GRAPH_PRIVILEGED_PATTERNS.some((p) => p.test(value))
  );
}

// ---- Kubernetes RBAC ----

export interface KubernetesPolicyRule {
  verbs?: readonly string[] | null;
  resources?: readonly string[] | null;
  apiGroups?: readonly string[] | null;
  nonResourceURLs?: readonly string[] | null;
}

/** Groups whose members bypass RBAC altogether. */
const KUBERNETES_SUPERUSER_GROUPS = new Set(['system:masters']);

/** Verbs that let a holder grant itself more than it has. */
const ESCALATING_VERBS = new Set(['escalate', 'bind', 'impersonate']);

export interface KubernetesBindingGrant {
  roleName: string;
  /** A ClusterRoleBinding grants its role in every namespace; a RoleBinding only in its own. */
  clusterWide: boolean;
  /** The role's rules, when the export included Roles/ClusterRoles; unknown otherwise. */
  rules?: readonly KubernetesPolicyRule[] | null;
}

/**
 * `cluster-admin` anywhere; the `admin` and `edit` aggregate roles through a ClusterRoleBinding (they then
 * read every namespace's secrets and run pods as any service account); any role whose known rules use
 * wildcards, escalation verbs or cluster-wide secret reads.
 */
export function isPrivilegedKubernetesGrant(grant: KubernetesBindingGrant): boolean {
  if (grant.roleName === 'cluster-admin') return true;
  if (grant.clusterWide && (grant.roleName === 'admin' || grant.roleName === 'edit')) return true;
  return grant.rules ? kubernetesRulesArePrivileged(grant.rules, grant.clusterWide) : false;
}

export function isKubernetesSuperuserGroup(name: string): boolean {
  return KUBERNETES_SUPERUSER_GROUPS.has(name);
}

export function kubernetesRulesArePrivileged(
  rules: readonly KubernetesPolicyRule[],
  clusterWide: boolean,
): boolean {
  return rules.some((rule) => {
    const verbs = rule.verbs ?? [];
    const resources = rule.resources ?? [];
    if (verbs.includes('*') && (resources.length > 0 || (rule.nonResourceURLs ?? []).length > 0)) return true;
    if (resources.includes('*') && verbs.some((v) => v !== 'get' && v !== 'list' && v !== 'watch'))
      return true;
    if (verbs.some((v) => ESCALATING_VERBS.has(v))) return true;
    const readsSecrets =
      resources.includes('secrets') && verbs.some((v) => ['get', 'list', 'watch'].includes(v));
    return clusterWide && readsSecrets;
  });
}

// ---- GitHub App installation permissions ----

/** Write on these reaches settings, secrets, CI definitions or membership, not just code. */
const GITHUB_SENSITIVE_PERMISSIONS = new Set([
  'administration',
  'organization_administration',
  'secrets',
  'organization_secrets',
  'environments',
  'workflows',
  'members',
  'organization_self_hosted_runners',
  'organization_personal_access_tokens',
  'organization_custom_roles',
]);

/**
 * `level` is GitHub's `read` / `write` / `admin`. Write on a sensitive permission is privileged; so is
 * `contents: write` on every repository of the org, which can change any code that later runs in CI.
 */
export function isPrivilegedGitHubPermission(
  permission: string,
  level: string,
  repositorySelection: string | null,
): boolean {
  const writes = level === 'write' || level === 'admin';
  if (!writes) return false;
  if (GITHUB_SENSITIVE_PERMISSIONS.has(permission)) return true;
  return permission === 'contents' && repositorySelection === 'all';
}

// ---- Okta OAuth scopes ----

/** `okta.<resource>.manage` changes users, groups, apps, policies...; `.read` scopes only read. */
export function isPrivilegedOktaScope(scope: string): boolean {
  return /^okta\.[A-Za-z]+\.manage$/.test(scope);
}

// ---- Google Cloud IAM roles ----

const GCP_PRIVILEGED_ROLES = new Set([
  'roles/owner',
  'roles/editor',
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountKeyAdmin',
  'roles/iam.workloadIdentityUser',
]);

/** Basic owner/editor, roles that act as or mint keys for other service accounts, and any `*Admin` role. */
export function isPrivilegedGcpRole(role: string): boolean {
  return GCP_PRIVILEGED_ROLES.has(role) || /admin$/i.test(role);
}

// ---- Environment from naming conventions ----

const ENVIRONMENT_TOKENS: ReadonlyArray<[RegExp, string]> = [
  [/^(prod|prd|production|live)$/, 'production'],
  [/^(stg|stage|staging|preprod)$/, 'staging'],
  [/^(uat|qa|test|tst)$/, 'test'],
  [/^(dev|development|sandbox)$/, 'development'],
];

/**
 * The environment a cluster, project or subscription name states by convention (`nwl-prod-eks`,
 * `nwl-prod-data`); null when no word of the name says it. Kept beside the privilege rules because it is
 * the other classification every preset shares.
 */
export function environmentFromName(name: string | null | undefined): string | null {
  if (!name) return null;
  // Checked on the whole name first: split into words, "non-prod" would read as "prod".
  if (/non[-_ ]?prod/i.test(name)) return 'non-production';
  for (const token of name.toLowerCase().split(/[^a-z0-9]+/)) {
    for (const [pattern, environment] of ENVIRONMENT_TOKENS) if (pattern.test(token)) return environment;
  }
  return null;
}
