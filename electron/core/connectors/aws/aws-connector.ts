import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetGroupPolicyCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListAccessKeysCommand,
  paginateListAccessKeys,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListRolePolicies,
  paginateListRoles,
  paginateListUserPolicies,
  paginateListAttachedGroupPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListUsers,
  type AccessKeyMetadata,
  type AttachedPolicy,
  type Group,
  type Role,
  type User,
} from '@aws-sdk/client-iam';
import iamPackage from '@aws-sdk/client-iam/package.json';
import Papa from 'papaparse';
import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import type {
  ImportReject,
  NormalizedEntitlement,
  NormalizedIdentity,
} from '../../../../shared/domain/identity';
import type { ImportNote, TableRow } from '../../imports/preset-types';
import { awsCredentialReportPreset } from '../../imports/presets/aws-credential-report';
import { cleanHeader, isBlankRow } from '../../imports/readers/header-row';
import type {
  ConnectionCheck,
  Connector,
  ConnectorPullResult,
  ConnectorRunContext,
  PulledResponse,
} from '../connector-types';
import {
  DEFAULT_AWS_TUNING,
  ExpectedIamError,
  IamSession,
  type AwsOptions,
  type AwsSecrets,
  type AwsTuning,
} from './aws-iam-session';
import {
  decodePolicyDocument,
  isAwsManagedPolicyArn,
  judgeAwsManagedPolicy,
  judgePolicyDocument,
  summarizeTrustPolicy,
  type PolicyVerdict,
} from './aws-policy-documents';

export type { AwsOptions, AwsSecrets, AwsTuning } from './aws-iam-session';

/** The SDK version is recorded with every snapshot: the installed package's, not a copy of it. */
const IAM_SDK_VERSION: string = iamPackage.version;

/** The preset these identities went through: the credential report's, plus what only the API gives. */
export const AWS_IAM_CONNECTOR_PRESET = 'aws-iam-connector';

/**
 * An IAM endpoint: https, or plain http only on this machine (a test server, a local proxy). Signed
 * requests carry no secret, but over plain http anyone on the path would read the whole account.
 */
const endpointSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((text) => {
    try {
      const url = new URL(text);
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    } catch {
      return false;
    }
  }, 'The endpoint must be an https:// URL (plain http:// only for 127.0.0.1 or localhost).');

const optionsSchema = z.object({
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2,4}-[a-z-]{2,30}-\d{1,2}$/, 'A region looks like us-east-1 or eu-west-2.')
    .optional(),
  endpoint: endpointSchema.optional(),
  profile: z.string().trim().min(1).max(128).optional(),
});

const secretsSchema = z.union([
  z
    .object({
      accessKeyId: z.string().trim().min(16).max(128),
      secretAccessKey: z.string().min(1).max(512),
      sessionToken: z.string().min(1).max(8192).optional(),
    })
    .strict(),
  z.object({}).strict(),
]) as unknown as z.ZodType<AwsSecrets>;

/**
 * The AWS IAM connector (issue #6). Reads, never writes: the credential report (its generation is the
 * one request that makes AWS do work, and it changes nothing in the account), users with their access
 * keys and last use, their groups, roles with their trust policies and last use, and the attached and
 * inline policies of users, groups and roles. Users are normalised by the `aws-credential-report`
 * preset from the report itself, so they equal a file import of the same report; the API adds access
 * key ids, policies and group memberships as entitlements, and roles as `iam-role` identities.
 */
export function createAwsConnector(tuning: Partial<AwsTuning> = {}): Connector<AwsOptions, AwsSecrets> {
  const settings: AwsTuning = { ...DEFAULT_AWS_TUNING, ...tuning };
  return {
    type: 'aws',
    label: 'AWS IAM',
    sdk: `@aws-sdk/client-iam ${IAM_SDK_VERSION}`,
    optionsSchema: optionsSchema as z.ZodType<AwsOptions>,
    secretsSchema,
    test: (options, secrets, context) => testConnection(options, secrets, settings, context),
    pull: (options, secrets, context) => pullAccount(options, secrets, settings, context),
  };
}

export const awsConnector = createAwsConnector();

// ---- Test connection ----

async function testConnection(
  options: AwsOptions,
  secrets: AwsSecrets,
  tuning: AwsTuning,
  context: ConnectorRunContext,
): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  let session: IamSession;
  try {
    session = new IamSession(options, secrets, { ...tuning, pageSize: 1 }, context.signal);
  } catch (error) {
    const message = error instanceof AppError ? error.message : String(error);
    return [{ name: 'Sign in', ok: false, message }, ...notTried()];
  }
  const check = async (name: string, run: () => Promise<string>): Promise<boolean> => {
    context.onProgress(name, checks.length);
    try {
      checks.push({ name, ok: true, message: await run() });
      return true;
    } catch (error) {
      const appError = error instanceof AppError ? error : session.translate(error, 'unknown');
      if (appError.code === 'CANCELLED') throw appError;
      checks.push({ name, ok: false, message: appError.message });
      return false;
    }
  };
  try {
    let firstUser: string | null = null;
    let firstRole: string | null = null;
    const signedIn = await check('Sign in', () => signIn(session));
    if (!signedIn) return [...checks, ...notTried()];
    await check('List users (iam:ListUsers)', async () => {
      const page = await session.call('ListUsers', new ListUsersCommand({ MaxItems: 1 }), null);
      firstUser = page.Users?.[0]?.UserName ?? null;
      return firstUser ? 'IAM users can be listed.' : 'IAM users can be listed; the account has none.';
    });
    await check(
      "Read a user's access keys, policies and groups (iam:ListAccessKeys, iam:ListAttachedUserPolicies, iam:ListUserPolicies, iam:ListGroupsForUser)",
      async () => {
        if (!firstUser) return 'Not needed: the account has no IAM users.';
        const UserName = firstUser;
        await session.call('ListAccessKeys', new ListAccessKeysCommand({ UserName, MaxItems: 1 }), null);
        await session.call(
          'ListAttachedUserPolicies',
          new ListAttachedUserPoliciesCommand({ UserName, MaxItems: 1 }),
          null,
        );
        await session.call('ListUserPolicies', new ListUserPoliciesCommand({ UserName, MaxItems: 1 }), null);
        await session.call(
          'ListGroupsForUser',
          new ListGroupsForUserCommand({ UserName, MaxItems: 1 }),
          null,
        );
        return `The access keys, policies and groups of ${UserName} can be read.`;
      },
    );
    await check('Generate the credential report (iam:GenerateCredentialReport)', async () => {
      const answer = await session.call(
        'GenerateCredentialReport',
        new GenerateCredentialReportCommand({}),
        null,
      );
      return `AWS accepted the request (report ${String(answer.State ?? 'state unknown').toLowerCase()}).`;
    });
    await check('Read the credential report (iam:GetCredentialReport)', async () => {
      try {
        await session.call(
          'GetCredentialReport',
          new GetCredentialReportCommand({}),
          null,
          undefined,
          REPORT_NOT_READY,
        );
        return 'The credential report can be read.';
      } catch (error) {
        if (error instanceof ExpectedIamError)
          return `Permitted; the report is not ready yet (${error.code}): a pull waits for AWS to generate it.`;
        throw error;
      }
    });
    await check(
      'List roles (iam:ListRoles, iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies)',
      async () => {
        const page = await session.call('ListRoles', new ListRolesCommand({ MaxItems: 1 }), null);
        firstRole = page.Roles?.[0]?.RoleName ?? null;
        if (!firstRole) return 'IAM roles can be listed; the account has none.';
        const RoleName = firstRole;
        await session.call('GetRole', new GetRoleCommand({ RoleName }), null);
        await session.call(
          'ListAttachedRolePolicies',
          new ListAttachedRolePoliciesCommand({ RoleName, MaxItems: 1 }),
          null,
        );
        await session.call('ListRolePolicies', new ListRolePoliciesCommand({ RoleName, MaxItems: 1 }), null);
        return `IAM roles can be listed, and the trust, last use and policies of ${RoleName} read.`;
      },
    );
    return checks;
  } finally {
    session.close();
  }
}

function notTried(): ConnectionCheck[] {
  return LATER_CHECKS.map((name) => ({
    name,
    ok: false,
    message: 'Not tried: signing in failed, so no read could work.',
  }));
}

const LATER_CHECKS = [
  'List users (iam:ListUsers)',
  "Read a user's access keys, policies and groups (iam:ListAccessKeys, iam:ListAttachedUserPolicies, iam:ListUserPolicies, iam:ListGroupsForUser)",
  'Generate the credential report (iam:GenerateCredentialReport)',
  'Read the credential report (iam:GetCredentialReport)',
  'List roles (iam:ListRoles, iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies)',
];

/**
 * Who the credentials are, without STS: `GetUser` with no name answers the calling IAM user. Role or
 * federated credentials get a ValidationError, and a caller without iam:GetUser on itself gets an
 * AccessDenied that names it: both prove AWS accepted the signature.
 */
async function signIn(session: IamSession): Promise<string> {
  const endpoint = await session.endpoint();
  try {
    const answer = await session.call('GetUser', new GetUserCommand({}), null);
    return `AWS accepted the credentials at ${endpoint}: signed in as ${answer.User?.Arn ?? 'an IAM user'}.`;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'CONNECTOR_PERMISSION') {
      const caller = /arn:aws[\w-]*:(?:iam|sts)::\d{12}:[^\s"]+/.exec(error.message)?.[0];
      return `AWS accepted the credentials at ${endpoint}${caller ? `: signed in as ${caller}` : ''} (it may not read its own user, which the pull does not need).`;
    }
    if (error.code === 'CONNECTOR_FAILED' && /ValidationError/.test(error.message)) {
      return `AWS accepted the credentials at ${endpoint}: they are role or federated credentials, not an IAM user's.`;
    }
    throw error;
  }
}

// ---- Pull ----

interface UserDetails {
  user: User;
  groups: string[];
  keys: Array<{ key: AccessKeyMetadata; lastUsed: Date | null }>;
  entitlements: NormalizedEntitlement[];
  wildcardActions: string[];
  responses: PulledResponse[];
}

interface RoleDetails {
  role: Role;
  entitlements: NormalizedEntitlement[];
  wildcardActions: string[];
  responses: PulledResponse[];
}

async function pullAccount(
  options: AwsOptions,
  secrets: AwsSecrets,
  tuning: AwsTuning,
  context: ConnectorRunContext,
): Promise<ConnectorPullResult> {
  const session = new IamSession(options, secrets, tuning, context.signal);
  try {
    const endpoint = await session.endpoint();
    const responses: PulledResponse[] = [];
    const notes: ImportNote[] = [];

    context.onProgress('Generating the IAM credential report', 0);
    const reportCsv = await fetchCredentialReport(session, responses);
    const report = mapCredentialReport(reportCsv);
    const accountId = report.accountId;

    context.onProgress('Listing IAM users', 0);
    const users: User[] = [];
    for await (const page of session.pages('ListUsers', paginateListUsers, {}, responses)) {
      users.push(...(page.Users ?? []));
      context.onProgress(`Listing IAM users: ${users.length} so far`, 0);
    }

    // Reads shared by many users and roles (a customer-managed policy, a group) land here as they finish.
    const shared: PulledResponse[] = [];
    const policies = new PolicyJudge(session, shared);
    let done = 0;
    const userDetails = await inParallel(session, users, tuning.concurrency, async (user) => {
      const details = await readUser(session, policies, user);
      done += 1;
      context.onProgress(`Reading access keys and policies of IAM users: ${done} of ${users.length}`, done);
      return details;
    });

    context.onProgress('Listing IAM roles', done);
    const roles: Role[] = [];
    for await (const page of session.pages('ListRoles', paginateListRoles, {}, responses)) {
      roles.push(...(page.Roles ?? []));
    }
    let rolesDone = 0;
    const roleDetails = await inParallel(session, roles, tuning.concurrency, async (role) => {
      const details = await readRole(session, policies, role);
      rolesDone += 1;
      context.onProgress(
        `Reading trust, last use and policies of IAM roles: ${rolesDone} of ${roles.length}`,
        done + rolesDone,
      );
      return details;
    });

    // Responses in a stable order: the report and the list pages, each user's and each role's reads in
    // list order, then the shared reads by name.
    for (const details of [...userDetails, ...roleDetails]) responses.push(...details.responses);
    shared.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    responses.push(...shared);

    const identities = enrichUsers(report.identities, userDetails, notes);
    const ownAccount = accountId ?? accountOf(users[0]?.Arn) ?? accountOf(roles[0]?.Arn);
    for (const details of roleDetails) identities.push(roleIdentity(details, ownAccount));

    return {
      sourceKind: 'aws',
      preset: AWS_IAM_CONNECTOR_PRESET,
      endpoint,
      account: ownAccount,
      responses,
      identities,
      rejects: report.rejects,
      notes,
    };
  } finally {
    session.close();
  }
}

/**
 * GenerateCredentialReport until COMPLETE (AWS answers STARTED, then INPROGRESS while it works), then
 * GetCredentialReport. A report that is still in progress, missing or expired when fetched (another
 * caller regenerating it, or it aged past four hours) sends us back to generating, within the bound.
 */
async function fetchCredentialReport(session: IamSession, responses: PulledResponse[]): Promise<Buffer> {
  const { reportPollMs, reportMaxPolls } = session.tuning;
  for (let poll = 0; poll < reportMaxPolls; poll++) {
    if (poll > 0) await session.sleep(reportPollMs);
    const generated = await session.call(
      'GenerateCredentialReport',
      new GenerateCredentialReportCommand({}),
      null,
    );
    if (generated.State !== 'COMPLETE') continue;
    try {
      const report = await session.call(
        'GetCredentialReport',
        new GetCredentialReportCommand({}),
        null,
        undefined,
        REPORT_NOT_READY,
      );
      const content = report.Content;
      if (!content || content.length === 0) {
        throw new AppError(
          'CONNECTOR_FAILED',
          'AWS sent an empty credential report. Nothing was saved; try again later.',
        );
      }
      if (report.ReportFormat && report.ReportFormat !== 'text/csv') {
        throw new AppError(
          'CONNECTOR_FAILED',
          `AWS sent the credential report as ${report.ReportFormat}, not text/csv. Nothing was saved.`,
        );
      }
      const csv = Buffer.from(content);
      // The evidence is the report itself, byte for byte as `aws iam get-credential-report` decodes it.
      responses.push({ name: 'GetCredentialReport (the credential report CSV)', body: csv });
      return csv;
    } catch (error) {
      if (error instanceof ExpectedIamError) continue;
      throw error;
    }
  }
  throw new AppError(
    'CONNECTOR_FAILED',
    `AWS was still generating the credential report after ${reportMaxPolls} polls. Nothing was saved; try again in a few minutes.`,
  );
}

/** GetCredentialReport's answers while there is no fresh report: generate (again) and wait. */
const REPORT_NOT_READY = new Set([
  'ReportInProgress',
  'ReportNotPresent',
  'ReportExpired',
  'CredentialReportNotReadyException',
  'CredentialReportNotPresentException',
  'CredentialReportExpiredException',
]);

const REPORT_FILE = 'credential report (GetCredentialReport)';

/** The report through the file import's preset, row by row, so users equal an import of the same CSV. */
function mapCredentialReport(csv: Buffer): {
  identities: NormalizedIdentity[];
  rejects: ImportReject[];
  accountId: string | null;
} {
  const text = csv.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const lines = parsed.data;
  const headerIndex = lines.findIndex((cells) => !isBlankRow(cells));
  if (headerIndex < 0) return { identities: [], rejects: [], accountId: null };
  const header = cleanHeader(lines[headerIndex]!);
  if (awsCredentialReportPreset.detect(header) === 0) {
    throw new AppError(
      'CONNECTOR_FAILED',
      `The credential report AWS sent does not have the documented columns (it starts with: ${header.slice(0, 5).join(', ')}). Nothing was saved.`,
    );
  }
  const map = awsCredentialReportPreset.createRowMapper(header, REPORT_FILE);
  const identities: NormalizedIdentity[] = [];
  const rejects: ImportReject[] = [];
  let accountId: string | null = null;
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const cells = lines[index]!;
    if (isBlankRow(cells)) continue;
    // The report has no quoted line breaks, so a record's line is its index + 1.
    const row: TableRow = { rowNumber: index + 1, cells };
    const outcome = map(row);
    if ('identity' in outcome) {
      identities.push(outcome.identity);
      const account = outcome.identity.attributes.accountId;
      if (typeof account === 'string' && (accountId === null || outcome.identity.attributes.root === true))
        accountId = account;
    } else if ('reject' in outcome) {
      rejects.push({ file: REPORT_FILE, row: row.rowNumber, reason: outcome.reject });
    }
  }
  return { identities, rejects, accountId };
}

async function readUser(session: IamSession, policies: PolicyJudge, user: User): Promise<UserDetails> {
  const UserName = user.UserName!;
  const responses: PulledResponse[] = [];
  const keys: UserDetails['keys'] = [];
  for await (const page of session.pages(
    'ListAccessKeys',
    paginateListAccessKeys,
    { UserName },
    responses,
    `ListAccessKeys ${UserName}`,
  )) {
    for (const key of page.AccessKeyMetadata ?? []) {
      const lastUsed = await session.call(
        'GetAccessKeyLastUsed',
        new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId! }),
        responses,
        `GetAccessKeyLastUsed ${UserName} ${key.AccessKeyId}`,
      );
      keys.push({ key, lastUsed: lastUsed.AccessKeyLastUsed?.LastUsedDate ?? null });
    }
  }
  const attached: AttachedPolicy[] = [];
  for await (const page of session.pages(
    'ListAttachedUserPolicies',
    paginateListAttachedUserPolicies,
    { UserName },
    responses,
    `ListAttachedUserPolicies ${UserName}`,
  )) {
    attached.push(...(page.AttachedPolicies ?? []));
  }
  const inline: Array<{ name: string; document: string | undefined }> = [];
  for await (const page of session.pages(
    'ListUserPolicies',
    paginateListUserPolicies,
    { UserName },
    responses,
    `ListUserPolicies ${UserName}`,
  )) {
    for (const PolicyName of page.PolicyNames ?? []) {
      const answer = await session.call(
        'GetUserPolicy',
        new GetUserPolicyCommand({ UserName, PolicyName }),
        responses,
        `GetUserPolicy ${UserName} ${PolicyName}`,
      );
      inline.push({ name: PolicyName, document: answer.PolicyDocument });
    }
  }
  const grants = await policies.entitlements(attached, inline);
  // What a user may do is mostly granted through its groups: each membership is an entitlement,
  // privileged when one of the group's policies is.
  const groups: string[] = [];
  for await (const page of session.pages(
    'ListGroupsForUser',
    paginateListGroupsForUser,
    { UserName },
    responses,
    `ListGroupsForUser ${UserName}`,
  )) {
    for (const group of page.Groups ?? []) {
      const membership = await policies.group(group);
      groups.push(group.GroupName ?? group.Arn ?? '');
      grants.entitlements.push(membership.entitlement);
      for (const action of membership.wildcardActions)
        if (!grants.wildcardActions.includes(action)) grants.wildcardActions.push(action);
    }
  }
  return { user, keys, ...grants, groups, responses };
}

async function readRole(session: IamSession, policies: PolicyJudge, listed: Role): Promise<RoleDetails> {
  const RoleName = listed.RoleName!;
  const responses: PulledResponse[] = [];
  // ListRoles leaves out RoleLastUsed (and tags, boundaries): GetRole has them.
  const answer = await session.call(
    'GetRole',
    new GetRoleCommand({ RoleName }),
    responses,
    `GetRole ${RoleName}`,
  );
  const role: Role = { ...listed, ...answer.Role };
  const attached: AttachedPolicy[] = [];
  for await (const page of session.pages(
    'ListAttachedRolePolicies',
    paginateListAttachedRolePolicies,
    { RoleName },
    responses,
    `ListAttachedRolePolicies ${RoleName}`,
  )) {
    attached.push(...(page.AttachedPolicies ?? []));
  }
  const inline: Array<{ name: string; document: string | undefined }> = [];
  for await (const page of session.pages(
    'ListRolePolicies',
    paginateListRolePolicies,
    { RoleName },
    responses,
    `ListRolePolicies ${RoleName}`,
  )) {
    for (const PolicyName of page.PolicyNames ?? []) {
      const policy = await session.call(
        'GetRolePolicy',
        new GetRolePolicyCommand({ RoleName, PolicyName }),
        responses,
        `GetRolePolicy ${RoleName} ${PolicyName}`,
      );
      inline.push({ name: PolicyName, document: policy.PolicyDocument });
    }
  }
  const grants = await policies.entitlements(attached, inline);
  return { role, ...grants, responses };
}

/**
 * Judges attached and inline policies. A customer-managed policy's default version, and a group's
 * policies, are read once however many users hold them.
 */
class PolicyJudge {
  private readonly customerManaged = new Map<string, Promise<PolicyVerdict>>();
  private readonly groups = new Map<
    string,
    Promise<{ entitlement: NormalizedEntitlement; wildcardActions: string[] }>
  >();

  constructor(
    private readonly session: IamSession,
    private readonly responses: PulledResponse[],
  ) {}

  async entitlements(
    attached: readonly AttachedPolicy[],
    inline: ReadonlyArray<{ name: string; document: string | undefined }>,
  ): Promise<{ entitlements: NormalizedEntitlement[]; wildcardActions: string[] }> {
    const entitlements: NormalizedEntitlement[] = [];
    const wildcards = new Set<string>();
    for (const policy of attached) {
      const arn = policy.PolicyArn ?? '';
      const name = policy.PolicyName ?? arn;
      const verdict = isAwsManagedPolicyArn(arn)
        ? judgeAwsManagedPolicy(name)
        : await this.judgeCustomerManaged(arn);
      verdict.wildcardActions.forEach((action) => wildcards.add(action));
      entitlements.push({ name, resource: arn || null, privileged: verdict.privileged });
    }
    for (const policy of inline) {
      const verdict = judgePolicyDocument(decodePolicyDocument(policy.document));
      verdict.wildcardActions.forEach((action) => wildcards.add(action));
      entitlements.push({ name: policy.name, resource: 'inline policy', privileged: verdict.privileged });
    }
    return { entitlements, wildcardActions: [...wildcards] };
  }

  /** A group membership as one entitlement: the group, privileged when any of its policies is. */
  group(group: Group): Promise<{ entitlement: NormalizedEntitlement; wildcardActions: string[] }> {
    const GroupName = group.GroupName!;
    const key = group.Arn ?? GroupName;
    let judged = this.groups.get(key);
    if (!judged) {
      judged = (async () => {
        const attached: AttachedPolicy[] = [];
        for await (const page of this.session.pages(
          'ListAttachedGroupPolicies',
          paginateListAttachedGroupPolicies,
          { GroupName },
          this.responses,
          `ListAttachedGroupPolicies ${GroupName}`,
        )) {
          attached.push(...(page.AttachedPolicies ?? []));
        }
        const inline: Array<{ name: string; document: string | undefined }> = [];
        for await (const page of this.session.pages(
          'ListGroupPolicies',
          paginateListGroupPolicies,
          { GroupName },
          this.responses,
          `ListGroupPolicies ${GroupName}`,
        )) {
          for (const PolicyName of page.PolicyNames ?? []) {
            const policy = await this.session.call(
              'GetGroupPolicy',
              new GetGroupPolicyCommand({ GroupName, PolicyName }),
              this.responses,
              `GetGroupPolicy ${GroupName} ${PolicyName}`,
            );
            inline.push({ name: PolicyName, document: policy.PolicyDocument });
          }
        }
        const grants = await this.entitlements(attached, inline);
        return {
          entitlement: {
            name: GroupName,
            resource: group.Arn ?? null,
            privileged: grants.entitlements.some((e) => e.privileged),
          },
          wildcardActions: grants.wildcardActions,
        };
      })();
      this.groups.set(key, judged);
    }
    return judged;
  }

  private judgeCustomerManaged(arn: string): Promise<PolicyVerdict> {
    let verdict = this.customerManaged.get(arn);
    if (!verdict) {
      verdict = (async () => {
        const policy = await this.session.call(
          'GetPolicy',
          new GetPolicyCommand({ PolicyArn: arn }),
          this.responses,
          `GetPolicy ${arn}`,
        );
        const VersionId = policy.Policy?.DefaultVersionId;
        if (!VersionId) return { privileged: false, wildcardActions: [] };
        const version = await this.session.call(
          'GetPolicyVersion',
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId }),
          this.responses,
          `GetPolicyVersion ${arn} ${VersionId}`,
        );
        return judgePolicyDocument(decodePolicyDocument(version.PolicyVersion?.Document));
      })();
      this.customerManaged.set(arn, verdict);
    }
    return verdict;
  }
}

/**
 * The report's users with what only the API has: each access key's id (matched to the report's key by
 * its creation time, which is what `access_key_N_last_rotated` holds), a newer last use than the report
 * knew (the report can be hours old), and the user's policies as entitlements.
 */
function enrichUsers(
  reportIdentities: NormalizedIdentity[],
  details: readonly UserDetails[],
  notes: ImportNote[],
): NormalizedIdentity[] {
  const byArn = new Map(details.map((d) => [d.user.Arn!, d]));
  const seen = new Set<string>();
  const identities = reportIdentities.map((identity) => {
    const found = byArn.get(identity.externalId);
    if (!found) {
      if (identity.attributes.root !== true) {
        notes.push({
          file: 'ListUsers',
          row: 0,
          message: `${identity.name} is in the credential report but not in ListUsers: it was probably deleted after the report was generated.`,
        });
      }
      return identity;
    }
    seen.add(identity.externalId);
    const credentials = identity.credentials.map((credential) => ({ ...credential }));
    let lastUsedAt = identity.lastUsedAt;
    for (const { key, lastUsed } of found.keys) {
      const created = key.CreateDate ? key.CreateDate.toISOString() : null;
      const status = key.Status === 'Active' ? 'active' : 'inactive';
      const unmatched = credentials.filter(
        (c) =>
          c.type === 'access-key' && c.externalId === null && c.createdAt !== null && c.createdAt === created,
      );
      // Two keys made in the same second are told apart by their status, when that differs.
      const match = unmatched.find((c) => c.status === status) ?? unmatched[0];
      const used = lastUsed ? lastUsed.toISOString() : null;
      if (match) {
        match.externalId = key.AccessKeyId ?? null;
        if (used && (match.lastUsedAt === null || used > match.lastUsedAt)) match.lastUsedAt = used;
      } else {
        // Made after the report was generated: the API is the only source.
        credentials.push({
          externalId: key.AccessKeyId ?? null,
          type: 'access-key',
          status,
          createdAt: created,
          lastRotatedAt: created,
          expiresAt: null,
          lastUsedAt: used,
        });
      }
      if (used && (lastUsedAt === null || used > lastUsedAt)) lastUsedAt = used;
    }
    const attributes = { ...identity.attributes };
    if (found.user.UserId) attributes.userId = found.user.UserId;
    if (found.groups.length > 0) attributes.groups = found.groups.join(', ');
    if (found.wildcardActions.length > 0) attributes.wildcardActions = found.wildcardActions.join(', ');
    return {
      ...identity,
      lastUsedAt,
      credentials,
      entitlements: [...identity.entitlements, ...found.entitlements],
      attributes,
    };
  });
  for (const d of details) {
    if (!seen.has(d.user.Arn!)) {
      notes.push({
        file: 'ListUsers',
        row: 0,
        message: `${d.user.UserName} is in ListUsers but not in the credential report: it was created after the report was generated, so its credentials are not in this pull. Pull again to include it.`,
      });
    }
  }
  return identities;
}

/** An IAM role as an identity: who may assume it (trust policy), its last use and its policies. */
function roleIdentity(details: RoleDetails, ownAccount: string | null): NormalizedIdentity {
  const { role } = details;
  const arn = role.Arn!;
  const path = role.Path ?? '/';
  const trust = summarizeTrustPolicy(
    decodePolicyDocument(role.AssumeRolePolicyDocument),
    accountOf(arn) ?? ownAccount,
  );
  const serviceLinked = path.startsWith('/aws-service-role/');
  const join = (values: readonly string[]) => (values.length > 0 ? values.join(', ') : null);
  const samlFederated = trust.federated.some((f) => /:saml-provider\//.test(f));
  const attributes: NormalizedIdentity['attributes'] = {
    arn,
    accountId: accountOf(arn) ?? ownAccount,
    path,
    roleId: role.RoleId ?? null,
    serviceLinked,
    // AWS creates, owns and changes service-linked roles; they are listed for completeness only.
    awsManaged: serviceLinked,
    trustedServices: join(trust.services),
    trustedPrincipals: join(trust.awsPrincipals),
    trustedFederated: join(trust.federated),
    trustsExternalAccounts: join(trust.externalAccounts),
    trustsAnyPrincipal: trust.anyPrincipal,
    trustConditions: trust.conditions,
    // Another account (or anyone) can act as this role: the third-party signal reads this.
    thirdParty: trust.externalAccounts.length > 0 || trust.anyPrincipal,
    // People signing in through a SAML identity provider act as the role.
    interactiveLogin: samlFederated,
    maxSessionDurationSeconds: role.MaxSessionDuration ?? null,
    lastUsedRegion: role.RoleLastUsed?.Region ?? null,
    // IAM reports a role's last use (within its 400-day tracking window).
    usageReported: true,
  };
  if (details.wildcardActions.length > 0) attributes.wildcardActions = details.wildcardActions.join(', ');
  return {
    externalId: arn,
    kind: 'iam-role',
    name: role.RoleName!,
    environment: null,
    status: 'active',
    description: role.Description ?? null,
    createdAt: role.CreateDate ? role.CreateDate.toISOString() : null,
    lastUsedAt: role.RoleLastUsed?.LastUsedDate ? role.RoleLastUsed.LastUsedDate.toISOString() : null,
    owners: [],
    credentials: [],
    entitlements: details.entitlements,
    attributes,
  };
}

function accountOf(arn: string | undefined): string | null {
  return arn ? (/^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? null) : null;
}

/**
 * Runs `work` over `items` with at most `limit` in flight, results in item order. On the first failure
 * no new item starts, the ones in flight finish, and that failure is thrown: nothing half-read leaks out.
 */
async function inParallel<T, R>(
  session: IamSession,
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        session.throwIfCancelled();
        results[index] = await work(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
