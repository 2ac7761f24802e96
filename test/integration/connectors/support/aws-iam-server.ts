/* eslint-disable @microsoft/sdl/no-insecure-url -- a loopback server on 127.0.0.1: plain HTTP, never leaves the machine. */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Papa from 'papaparse';

/**
 * A loopback IAM endpoint speaking the AWS Query protocol as the IAM API Reference documents it: POST
 * `/` with a form-encoded `Action=...&Version=2010-05-08` body signed with Signature Version 4, XML
 * answers in the `https://iam.amazonaws.com/doc/2010-05-08/` namespace, `<member>` lists, `IsTruncated`
 * and `Marker` paging by `MaxItems`, and `<ErrorResponse>` errors with their documented HTTP statuses.
 *
 * Its account is built from the credential report fixture, so the report it hands out and the users,
 * access keys and last uses its List/Get actions answer agree, as they do in a real account. Policies
 * and roles are added around them so the pull has every kind of grant to judge.
 */

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface ServedAccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  lastUsed: { date: string; region: string; service: string } | null;
}

export interface ServedAttachedPolicy {
  name: string;
  arn: string;
}

export interface ServedPrincipal {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  passwordLastUsed: string | null;
  accessKeys: ServedAccessKey[];
  attachedPolicies: ServedAttachedPolicy[];
  /** Inline policies by name: the policy document as JSON text. */
  inlinePolicies: Record<string, string>;
  /** Names of the groups the user is a member of. */
  groups: string[];
}

export interface ServedGroup {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: string;
  attachedPolicies: ServedAttachedPolicy[];
  inlinePolicies: Record<string, string>;
}

export interface ServedRole {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  description: string | null;
  maxSessionDuration: number;
  trustPolicy: string;
  lastUsed: { date: string; region: string } | null;
  attachedPolicies: ServedAttachedPolicy[];
  inlinePolicies: Record<string, string>;
}

export interface ServedManagedPolicy {
  name: string;
  arn: string;
  defaultVersionId: string;
  document: string;
}

export interface IamAccount {
  accountId: string;
  reportCsv: Buffer;
  users: ServedPrincipal[];
  groups: ServedGroup[];
  roles: ServedRole[];
  /** Customer-managed policies by ARN (AWS-managed ones are judged by name, so they have no document here). */
  managedPolicies: Record<string, ServedManagedPolicy>;
}

/** What the server answers instead of the real thing, for a number of requests. */
export interface IamFault {
  status: number;
  code: string;
  message: string;
  type?: 'Sender' | 'Receiver';
  headers?: Record<string, string>;
  /** Answer this many matching requests with the fault, then behave again (default: every one). */
  times?: number;
}

export interface SeenRequest {
  action: string;
  params: Record<string, string>;
  accessKeyId: string | null;
  /** Milliseconds since the server started, to tell how long a client waited before a retry. */
  at: number;
}

export interface IamServer {
  url: string;
  account: IamAccount;
  requests: SeenRequest[];
  /** Answer requests for `action` ('*' = any) with `fault`. */
  fail(action: string, fault: IamFault): void;
  /** Deny an action to the caller, as a missing IAM permission does. */
  deny(action: string): void;
  /** GenerateCredentialReport answers STARTED, then INPROGRESS this many times, then COMPLETE. */
  reportPolls: number;
  /** Delay every answer by this many milliseconds (for cancellation tests). */
  delayMs: number;
  reset(): void;
  close(): Promise<void>;
}

export const CALLER_ARN_NAME = 'steward-reader';

export interface ServerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'aws', 'iam_credential_report.csv');
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An id shaped like AWS's (prefix + base32), the same on every run. */
function awsId(prefix: string, seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = prefix;
  for (let i = 0; id.length < prefix.length + length; i++) id += BASE32[digest[i % digest.length]! % 32];
  return id;
}

const policyDocument = (statements: unknown[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const managed = (name: string): ServedAttachedPolicy => ({ name, arn: `arn:aws:iam::aws:policy/${name}` });

function isDate(text: string | undefined): text is string {
  return !!text && /^\d{4}-\d{2}-\d{2}T/.test(text);
}

/** AWS writes the report's dates as `+00:00`; the API answers in `Z`. */
const apiDate = (text: string) => new Date(text).toISOString().replace('.000Z', 'Z');

/** The account of the credential report fixture, with policies and roles around its users. */
export function buildIamAccount(): IamAccount {
  const reportCsv = readFileSync(FIXTURE);
  const parsed = Papa.parse<Record<string, string>>(reportCsv.toString('utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const rows = parsed.data;
  const rootArn = rows.find((row) => row.user === '<root_account>')!.arn!;
  const accountId = /::(\d{12}):/.exec(rootArn)![1]!;

  const customer = (name: string, statements: unknown[]): ServedManagedPolicy => ({
    name,
    arn: `arn:aws:iam::${accountId}:policy/${name}`,
    defaultVersionId: 'v3',
    document: policyDocument(statements),
  });
  const s3Writer = customer('s3-data-writer', [
    { Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::nwl-data-*/*' },
  ]);
  const iamManager = customer('iam-user-manager', [
    { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: 'arn:aws:iam::*:role/breakglass' },
  ]);
  const queueReader = customer('queue-reader', [
    { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: '*' },
  ]);
  const managedPolicies = Object.fromEntries(
    [s3Writer, iamManager, queueReader].map((policy) => [policy.arn, policy]),
  );

  const users: ServedPrincipal[] = rows
    .filter((row) => row.user !== '<root_account>')
    .map((row, index) => {
      const userName = row.user!;
      const arn = row.arn!;
      const resource = arn.slice(arn.indexOf(':user/') + ':user'.length);
      const accessKeys: ServedAccessKey[] = [];
      for (const n of [1, 2]) {
        const active = row[`access_key_${n}_active`] === 'true';
        const rotated = row[`access_key_${n}_last_rotated`];
        if (!active && !isDate(rotated)) continue;
        const used = row[`access_key_${n}_last_used_date`];
        accessKeys.push({
          accessKeyId: awsId('AKIA', `${arn}#${n}`, 16),
          status: active ? 'Active' : 'Inactive',
          createDate: apiDate(rotated!),
          lastUsed: isDate(used)
            ? {
                date: apiDate(used),
                region: row[`access_key_${n}_last_used_region`]!,
                service: row[`access_key_${n}_last_used_service`]!,
              }
            : null,
        });
      }
      // Every kind of grant the connector must judge, spread over the users.
      const attachedPolicies: ServedAttachedPolicy[] = [];
      // Users with no policy of their own get admin rights through a group, as most accounts grant them.
      const groups = index % 6 === 5 ? ['Admins'] : index % 4 === 0 ? ['Developers'] : [];
      const inlinePolicies: Record<string, string> = {};
      switch (index % 6) {
        case 0:
          attachedPolicies.push(managed('AdministratorAccess'));
          break;
        case 1:
          attachedPolicies.push({ name: s3Writer.name, arn: s3Writer.arn }, managed('ReadOnlyAccess'));
          break;
        case 2:
          inlinePolicies['deploy-anything'] = policyDocument([
            { Effect: 'Allow', Action: '*', Resource: '*' },
          ]);
          break;
        case 3:
          attachedPolicies.push({ name: iamManager.name, arn: iamManager.arn });
          inlinePolicies['read-config'] = policyDocument([
            {
              Sid: 'Config',
              Effect: 'Allow',
              Action: ['ssm:GetParameter', 'ssm:GetParameters'],
              Resource: '*',
            },
          ]);
          break;
        case 4:
          attachedPolicies.push({ name: queueReader.name, arn: queueReader.arn });
          break;
        default:
          break;
      }
      return {
        userName,
        userId: awsId('AIDA', arn, 17),
        path: resource.slice(0, resource.lastIndexOf('/') + 1),
        arn,
        createDate: apiDate(row.user_creation_time!),
        passwordLastUsed: isDate(row.password_last_used) ? apiDate(row.password_last_used) : null,
        accessKeys,
        attachedPolicies,
        inlinePolicies,
        groups,
      };
    });

  const groups: ServedGroup[] = [
    {
      groupName: 'Admins',
      groupId: awsId('AGPA', 'Admins', 17),
      path: '/',
      arn: `arn:aws:iam::${accountId}:group/Admins`,
      createDate: '2018-04-02T08:00:00Z',
      attachedPolicies: [managed('AdministratorAccess')],
      inlinePolicies: {},
    },
    {
      groupName: 'Developers',
      groupId: awsId('AGPA', 'Developers', 17),
      path: '/teams/',
      arn: `arn:aws:iam::${accountId}:group/teams/Developers`,
      createDate: '2020-09-15T12:30:00Z',
      attachedPolicies: [managed('ReadOnlyAccess')],
      inlinePolicies: {
        'logs-writer': policyDocument([{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }]),
      },
    },
  ];

  const trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
    policyDocument([{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }]);
  const role = (
    roleName: string,
    path: string,
    trustPolicy: string,
    rest: Partial<ServedRole> = {},
  ): ServedRole => ({
    roleName,
    roleId: awsId('AROA', roleName, 17),
    path,
    arn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
    createDate: '2023-03-14T09:26:53Z',
    description: null,
    maxSessionDuration: 3600,
    trustPolicy,
    lastUsed: null,
    attachedPolicies: [],
    inlinePolicies: {},
    ...rest,
  });
  const roles: ServedRole[] = [
    role(
      'vendor-audit',
      '/',
      trust(
        { AWS: 'arn:aws:iam::111122223333:root' },
        {
          Condition: { StringEquals: { 'sts:ExternalId': 'nwl-7731' } },
        },
      ),
      {
        description: 'Read-only audit access for the external security vendor',
        attachedPolicies: [managed('SecurityAudit')],
        lastUsed: { date: '2026-10-28T11:02:44Z', region: 'eu-west-1' },
      },
    ),
    role('platform-admin', '/platform/', trust({ Service: 'ec2.amazonaws.com' }), {
      attachedPolicies: [managed('AdministratorAccess')],
      lastUsed: { date: '2026-11-02T07:45:10Z', region: 'us-east-1' },
      maxSessionDuration: 43200,
    }),
    role(
      'AWSServiceRoleForSupport',
      '/aws-service-role/support.amazonaws.com/',
      trust({ Service: 'support.amazonaws.com' }),
      {
        description:
          'Enables resource access for AWS to provide billing, administrative and support services',
        attachedPolicies: [
          {
            name: 'AWSSupportServiceRolePolicy',
            arn: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',
          },
        ],
        createDate: '2019-02-11T16:20:08Z',
      },
    ),
    role('etl-lambda', '/service/', trust({ Service: ['lambda.amazonaws.com'] }), {
      inlinePolicies: {
        'etl-buckets': policyDocument([
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::nwl-etl/*' },
        ]),
      },
    }),
    role('partner-any', '/', trust({ AWS: '*' }), {
      attachedPolicies: [{ name: queueReader.name, arn: queueReader.arn }],
      lastUsed: { date: '2025-01-19T22:13:00Z', region: 'ap-southeast-2' },
    }),
    role(
      'cross-account-deployer',
      '/ci/',
      trust({
        AWS: ['arn:aws:iam::444455556666:role/github-runner', `arn:aws:iam::${accountId}:root`],
      }),
      {
        inlinePolicies: {
          'deploy-everything': policyDocument([
            { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
          ]),
        },
        lastUsed: { date: '2026-10-30T18:00:01Z', region: 'eu-central-1' },
      },
    ),
  ];
  for (let n = 1; n <= 7; n++) {
    roles.push(
      role(
        `ecs-task-${String(n).padStart(2, '0')}`,
        '/service/',
        trust({ Service: 'ecs-tasks.amazonaws.com' }),
        {
          attachedPolicies: [{ name: queueReader.name, arn: queueReader.arn }],
          lastUsed:
            n % 2 === 0
              ? { date: `2026-09-${String(10 + n).padStart(2, '0')}T12:00:00Z`, region: 'eu-west-1' }
              : null,
        },
      ),
    );
  }
  return { accountId, reportCsv, users, groups, roles, managedPolicies };
}

// ---- XML ----

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [tag: string]: XmlValue };

/** Elements in the order given; arrays become `<member>` lists, as in every IAM answer. */
function xml(value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${xml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, child]) => child !== null && child !== undefined)
      .map(([tag, child]) => `<${tag}>${xml(child)}</${tag}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function resultXml(action: string, result: Record<string, XmlValue>): string {
  return (
    `<${action}Response xmlns="${IAM_NAMESPACE}"><${action}Result>${xml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function errorXml(type: string, code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

class IamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** One page of a list by `MaxItems` and the opaque `Marker` of the page before. */
function page<T>(
  items: readonly T[],
  params: Record<string, string>,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = params.Marker
    ? Number(Buffer.from(params.Marker, 'base64').toString('utf8').split(':')[1])
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new IamError(400, 'InvalidInput', 'Invalid Marker.');
  const size = params.MaxItems ? Number(params.MaxItems) : 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw new IamError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${params.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  const slice = items.slice(start, start + size);
  const truncated = start + size < items.length;
  return truncated
    ? { items: slice, IsTruncated: true, Marker: Buffer.from(`page:${start + size}`).toString('base64') }
    : { items: slice, IsTruncated: false };
}

const paged = <T>(
  name: string,
  items: readonly T[],
  params: Record<string, string>,
  map: (item: T) => XmlValue,
) => {
  const { items: slice, IsTruncated, Marker } = page(items, params);
  return { [name]: slice.map(map), IsTruncated, Marker };
};

// ---- SigV4 ----

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Checks the request's Signature Version 4 the way AWS does; answers the error AWS would. */
function verifySignature(req: IncomingMessage, body: Buffer, known: ServerCredentials[]): string {
  const authorization = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match)
    throw new IamError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  const credentials = known.find((c) => c.accessKeyId === accessKeyId);
  if (!credentials)
    throw new IamError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const [path, query = ''] = (req.url ?? '/').split('?');
  const canonicalRequest = [req.method, path, query, canonicalHeaders, signedHeaders, sha256Hex(body)].join(
    '\n',
  );
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day!), region!), service!),
    'aws4_request',
  );
  if (hmac(key, stringToSign).toString('hex') !== signature) {
    throw new IamError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return accessKeyId!;
}

// ---- Actions ----

function urlEncoded(document: string): string {
  // IAM returns policy documents URL-encoded (RFC 3986), as the API reference says.
  return encodeURIComponent(document);
}

function answer(server: ServerState, action: string, params: Record<string, string>): string {
  const { account } = server;
  const userNamed = (name: string | undefined) => {
    const user = account.users.find((u) => u.userName === name);
    if (!user) throw new IamError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    return user;
  };
  const groupNamed = (name: string | undefined) => {
    const group = account.groups.find((g) => g.groupName === name);
    if (!group) throw new IamError(404, 'NoSuchEntity', `The group with name ${name} cannot be found.`);
    return group;
  };
  const roleNamed = (name: string | undefined) => {
    const role = account.roles.find((r) => r.roleName === name);
    if (!role) throw new IamError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
    return role;
  };
  const userXml = (user: ServedPrincipal) => ({
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createDate,
    PasswordLastUsed: user.passwordLastUsed,
  });
  const roleXml = (role: ServedRole, withLastUse: boolean) => ({
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: urlEncoded(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    RoleLastUsed: withLastUse
      ? role.lastUsed
        ? { LastUsedDate: role.lastUsed.date, Region: role.lastUsed.region }
        : {}
      : undefined,
  });
  const attached = (policy: ServedAttachedPolicy) => ({ PolicyName: policy.name, PolicyArn: policy.arn });

  switch (action) {
    case 'GetUser': {
      if (params.UserName) return resultXml(action, { User: userXml(userNamed(params.UserName)) });
      return resultXml(action, {
        User: {
          Path: '/',
          UserName: CALLER_ARN_NAME,
          UserId: awsId('AIDA', CALLER_ARN_NAME, 17),
          Arn: `arn:aws:iam::${account.accountId}:user/${CALLER_ARN_NAME}`,
          CreateDate: '2024-01-08T10:00:00Z',
        },
      });
    }
    case 'GenerateCredentialReport': {
      const state = server.reportState;
      if (state.stage === 'none') {
        server.reportState = { stage: 'generating', pollsLeft: server.reportPolls };
        return resultXml(action, {
          State: 'STARTED',
          Description: 'No report exists. Starting a new report generation task',
        });
      }
      if (state.stage === 'generating' && state.pollsLeft > 0) {
        state.pollsLeft -= 1;
        return resultXml(action, { State: 'INPROGRESS' });
      }
      server.reportState = { stage: 'complete', pollsLeft: 0 };
      return resultXml(action, { State: 'COMPLETE' });
    }
    case 'GetCredentialReport': {
      if (server.reportState.stage === 'none')
        throw new IamError(
          410,
          'ReportNotPresent',
          'Credential report does not exist. Use GenerateCredentialReport to generate a report.',
        );
      if (server.reportState.stage === 'generating')
        throw new IamError(404, 'ReportInProgress', 'Credential report is being generated.');
      return resultXml(action, {
        Content: account.reportCsv.toString('base64'),
        ReportFormat: 'text/csv',
        GeneratedTime: '2026-11-24T09:15:02Z',
      });
    }
    case 'ListUsers':
      return resultXml(action, paged('Users', account.users, params, userXml));
    case 'ListAccessKeys': {
      const user = userNamed(params.UserName);
      return resultXml(action, {
        UserName: user.userName,
        ...paged('AccessKeyMetadata', user.accessKeys, params, (key) => ({
          UserName: user.userName,
          AccessKeyId: key.accessKeyId,
          Status: key.status,
          CreateDate: key.createDate,
        })),
      });
    }
    case 'GetAccessKeyLastUsed': {
      for (const user of account.users) {
        const key = user.accessKeys.find((k) => k.accessKeyId === params.AccessKeyId);
        if (!key) continue;
        return resultXml(action, {
          UserName: user.userName,
          AccessKeyLastUsed: key.lastUsed
            ? {
                LastUsedDate: key.lastUsed.date,
                ServiceName: key.lastUsed.service,
                Region: key.lastUsed.region,
              }
            : { ServiceName: 'N/A', Region: 'N/A' },
        });
      }
      throw new IamError(
        403,
        'AccessDenied',
        `User is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${params.AccessKeyId}`,
      );
    }
    case 'ListAttachedUserPolicies':
      return resultXml(
        action,
        paged('AttachedPolicies', userNamed(params.UserName).attachedPolicies, params, attached),
      );
    case 'ListUserPolicies':
      return resultXml(
        action,
        paged('PolicyNames', Object.keys(userNamed(params.UserName).inlinePolicies), params, (n) => n),
      );
    case 'GetUserPolicy': {
      const user = userNamed(params.UserName);
      const document = user.inlinePolicies[params.PolicyName ?? ''];
      if (document === undefined)
        throw new IamError(
          404,
          'NoSuchEntity',
          `The user policy with name ${params.PolicyName} cannot be found.`,
        );
      return resultXml(action, {
        UserName: user.userName,
        PolicyName: params.PolicyName!,
        PolicyDocument: urlEncoded(document),
      });
    }
    case 'ListGroupsForUser':
      return resultXml(
        action,
        paged('Groups', userNamed(params.UserName).groups.map(groupNamed), params, (group) => ({
          Path: group.path,
          GroupName: group.groupName,
          GroupId: group.groupId,
          Arn: group.arn,
          CreateDate: group.createDate,
        })),
      );
    case 'ListAttachedGroupPolicies':
      return resultXml(
        action,
        paged('AttachedPolicies', groupNamed(params.GroupName).attachedPolicies, params, attached),
      );
    case 'ListGroupPolicies':
      return resultXml(
        action,
        paged('PolicyNames', Object.keys(groupNamed(params.GroupName).inlinePolicies), params, (n) => n),
      );
    case 'GetGroupPolicy': {
      const group = groupNamed(params.GroupName);
      const document = group.inlinePolicies[params.PolicyName ?? ''];
      if (document === undefined)
        throw new IamError(
          404,
          'NoSuchEntity',
          `The group policy with name ${params.PolicyName} cannot be found.`,
        );
      return resultXml(action, {
        GroupName: group.groupName,
        PolicyName: params.PolicyName!,
        PolicyDocument: urlEncoded(document),
      });
    }
    case 'ListRoles':
      return resultXml(
        action,
        paged('Roles', account.roles, params, (role) => roleXml(role, false)),
      );
    case 'GetRole':
      return resultXml(action, { Role: roleXml(roleNamed(params.RoleName), true) });
    case 'ListAttachedRolePolicies':
      return resultXml(
        action,
        paged('AttachedPolicies', roleNamed(params.RoleName).attachedPolicies, params, attached),
      );
    case 'ListRolePolicies':
      return resultXml(
        action,
        paged('PolicyNames', Object.keys(roleNamed(params.RoleName).inlinePolicies), params, (n) => n),
      );
    case 'GetRolePolicy': {
      const role = roleNamed(params.RoleName);
      const document = role.inlinePolicies[params.PolicyName ?? ''];
      if (document === undefined)
        throw new IamError(
          404,
          'NoSuchEntity',
          `The role policy with name ${params.PolicyName} cannot be found.`,
        );
      return resultXml(action, {
        RoleName: role.roleName,
        PolicyName: params.PolicyName!,
        PolicyDocument: urlEncoded(document),
      });
    }
    case 'GetPolicy': {
      const policy = account.managedPolicies[params.PolicyArn ?? ''];
      if (!policy)
        throw new IamError(
          404,
          'NoSuchEntity',
          `Policy ${params.PolicyArn} does not exist or is not attachable.`,
        );
      return resultXml(action, {
        Policy: {
          PolicyName: policy.name,
          DefaultVersionId: policy.defaultVersionId,
          PolicyId: awsId('ANPA', policy.arn, 17),
          Path: '/',
          Arn: policy.arn,
          AttachmentCount: 1,
          CreateDate: '2022-05-02T13:40:11Z',
          UpdateDate: '2024-02-19T08:12:54Z',
          IsAttachable: true,
        },
      });
    }
    case 'GetPolicyVersion': {
      const policy = account.managedPolicies[params.PolicyArn ?? ''];
      if (!policy || params.VersionId !== policy.defaultVersionId)
        throw new IamError(
          404,
          'NoSuchEntity',
          `Policy ${params.PolicyArn} version ${params.VersionId} does not exist or is not attachable.`,
        );
      return resultXml(action, {
        PolicyVersion: {
          Document: urlEncoded(policy.document),
          VersionId: policy.defaultVersionId,
          IsDefaultVersion: true,
          CreateDate: '2024-02-19T08:12:54Z',
        },
      });
    }
    default:
      throw new IamError(
        400,
        'InvalidAction',
        `The action or operation requested is invalid. Verify that the action is typed correctly.`,
      );
  }
}

interface ServerState extends IamServer {
  reportState: { stage: 'none' | 'generating' | 'complete'; pollsLeft: number };
}

/** Starts the loopback IAM endpoint on 127.0.0.1 with a port of its own. */
export async function startIamServer(credentials: ServerCredentials[]): Promise<IamServer> {
  const started = Date.now();
  let faults: Array<{ action: string; fault: IamFault; left: number }> = [];
  let denied = new Set<string>();
  const state: ServerState = {
    url: '',
    account: buildIamAccount(),
    requests: [],
    reportPolls: 1,
    delayMs: 0,
    reportState: { stage: 'none', pollsLeft: 0 },
    fail(action, fault) {
      faults.push({ action, fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    deny(action) {
      denied.add(action);
    },
    reset() {
      faults = [];
      denied = new Set();
      state.requests.length = 0;
      state.account = buildIamAccount();
      state.reportPolls = 1;
      state.delayMs = 0;
      state.reportState = { stage: 'none', pollsLeft: 0 };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const action = params.Action ?? '';
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(text);
    };
    let accessKeyId: string | null = null;
    try {
      if (req.method !== 'POST') throw new IamError(400, 'InvalidAction', 'IAM answers POST requests only.');
      if (params.Version !== '2010-05-08')
        throw new IamError(400, 'InvalidParameterValue', 'Version must be 2010-05-08.');
      accessKeyId = verifySignature(req, body, credentials);
    } catch (error) {
      state.requests.push({ action, params, accessKeyId, at: Date.now() - started });
      const e = error as IamError;
      send(e.status, errorXml(e.type, e.code, e.message));
      return;
    }
    state.requests.push({ action, params, accessKeyId, at: Date.now() - started });
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const fault = faults.find((f) => (f.action === action || f.action === '*') && f.left > 0);
    if (fault) {
      fault.left -= 1;
      const { status, code, message, type, headers } = fault.fault;
      send(status, errorXml(type ?? (status >= 500 ? 'Receiver' : 'Sender'), code, message), headers);
      return;
    }
    if (denied.has(action)) {
      send(
        403,
        errorXml(
          'Sender',
          'AccessDenied',
          `User: arn:aws:iam::${state.account.accountId}:user/${CALLER_ARN_NAME} is not authorized to perform: iam:${action} on resource: *`,
        ),
      );
      return;
    }
    try {
      send(200, answer(state, action, params));
    } catch (error) {
      if (!(error instanceof IamError)) throw error;
      send(error.status, errorXml(error.type, error.code, error.message));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end(errorXml('Receiver', 'ServiceFailure', String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
