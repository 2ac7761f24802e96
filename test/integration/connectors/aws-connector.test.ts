/* eslint-disable @microsoft/sdl/no-insecure-url -- the loopback IAM server speaks plain HTTP on 127.0.0.1; nothing leaves the machine. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { DEFAULT_RISK_POLICY } from '../../../shared/domain/risk';
import type { AppError } from '../../../shared/api/errors';
import {
  createAwsConnector,
  type AwsOptions,
  type AwsSecrets,
} from '../../../electron/core/connectors/aws/aws-connector';
import type { ConnectorRunContext } from '../../../electron/core/connectors/connector-types';
import { substituteConnector } from '../../../electron/core/connectors/connector-lookup';
import { connectorFor } from '../../../electron/core/connectors/connector-registry';
import { createCore, type Core } from '../../../electron/core/core';
import { openTable } from '../../../electron/core/imports/readers/open-table';
import { tablePresetFor } from '../../../electron/core/imports/presets/table-presets';
import { riskSignalsFor, type RiskSubject } from '../../../electron/core/risk/risk-signals';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { startIamServer, type IamServer, type ServedPrincipal } from './support/aws-iam-server';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'aws', 'iam_credential_report.csv');
const ACCESS_KEY_ID = 'AKIASTEWARDTEST00001';
// A secret that no error, progress message or result may ever show.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSTEWARDSECRET';
const PROFILE_KEY_ID = 'AKIASTEWARDPROFILE01';
const PROFILE_SECRET = 'profileSecretKeyThatMustNeverLeak/0123456789';

/** Short bounds so failure cases finish in well under a couple of seconds. */
const connector = createAwsConnector({
  maxAttempts: 3,
  pageSize: 10,
  concurrency: 3,
  reportPollMs: 5,
  reportMaxPolls: 20,
  retryBaseDelayMs: 10,
  throttlingBaseDelayMs: 50,
  maxRetryDelayMs: 5_000,
  connectTimeoutMs: 2_000,
  requestTimeoutMs: 10_000,
});
const secrets: AwsSecrets = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };

let server: IamServer;
let options: AwsOptions;
let messages: string[];

beforeAll(async () => {
  // Nothing may reach for instance metadata, SSO or a real endpoint; the profile files are ours.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const folder = tempFolder('steward-aws-');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(folder, 'credentials');
  process.env.AWS_CONFIG_FILE = join(folder, 'config');
  writeFileSync(
    process.env.AWS_SHARED_CREDENTIALS_FILE,
    `[steward-audit]\naws_access_key_id = ${PROFILE_KEY_ID}\naws_secret_access_key = ${PROFILE_SECRET}\n`,
  );
  writeFileSync(process.env.AWS_CONFIG_FILE, '[profile steward-audit]\nregion = us-east-1\n');
  server = await startIamServer([
    { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    { accessKeyId: PROFILE_KEY_ID, secretAccessKey: PROFILE_SECRET },
  ]);
  options = { endpoint: server.url, region: 'us-east-1' };
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  messages = [];
});

function runContext(controller = new AbortController()): ConnectorRunContext {
  return {
    signal: controller.signal,
    onProgress: (message) => {
      messages.push(message);
    },
  };
}

async function pullError(promise: Promise<unknown>): Promise<AppError> {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as AppError | null;
  if (!error) throw new Error('The pull succeeded; it was expected to fail.');
  messages.push(error.message);
  return error;
}

/** The file import's normalisation of the fixture: the same reader and preset `imports.run` uses. */
async function importedFixture(): Promise<NormalizedIdentity[]> {
  const table = await openTable(FIXTURE, {});
  const preset = tablePresetFor('aws-credential-report');
  if (preset.shape !== 'table') throw new Error('not a table preset');
  const map = preset.createRowMapper(table.header, table.file);
  const identities: NormalizedIdentity[] = [];
  for await (const row of table.rows) {
    const outcome = map(row);
    if ('identity' in outcome) identities.push(outcome.identity);
  }
  return identities;
}

const PRIVILEGED_GRANTS = new Set([
  'AdministratorAccess',
  'deploy-anything',
  'iam-user-manager',
  'deploy-everything',
]);

function servedGrants(principal: Pick<ServedPrincipal, 'attachedPolicies' | 'inlinePolicies'>) {
  return [
    ...principal.attachedPolicies.map((p) => ({
      name: p.name,
      resource: p.arn,
      privileged: PRIVILEGED_GRANTS.has(p.name),
    })),
    ...Object.keys(principal.inlinePolicies).map((name) => ({
      name,
      resource: 'inline policy',
      privileged: PRIVILEGED_GRANTS.has(name),
    })),
  ];
}

describe('AWS IAM connector: a full pull', () => {
  it('brings the users exactly as the file import of the same credential report, plus keys, policies and roles', async () => {
    const result = await connector.pull(options, secrets, runContext());
    expect(result).toMatchObject({ sourceKind: 'aws', preset: 'aws-iam-connector', endpoint: server.url });
    expect(result.account).toBe(server.account.accountId);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([]);

    const imported = await importedFixture();
    expect(imported).toHaveLength(46);
    const users = result.identities.filter((i) => i.kind === 'iam-user');
    expect(users.map((u) => u.externalId)).toEqual(imported.map((i) => i.externalId));

    for (const [index, user] of users.entries()) {
      const fromFile = imported[index]!;
      const served = server.account.users.find((u) => u.arn === user.externalId);
      const { userId, wildcardActions, groups, ...reportAttributes } = user.attributes;
      // What the report says, field by field, is what the import of the file says.
      expect({
        ...user,
        credentials: user.credentials.map((c) => ({ ...c, externalId: null })),
        entitlements: user.entitlements.slice(0, fromFile.entitlements.length),
        attributes: reportAttributes,
      }).toEqual(fromFile);
      if (!served) {
        expect(user.attributes.root).toBe(true);
        expect(userId).toBeUndefined();
        continue;
      }
      expect(userId).toBe(served.userId);
      // What only the API has: the key ids, matched to the report's keys by creation time.
      const keys = user.credentials.filter((c) => c.type === 'access-key');
      expect(keys.map((c) => c.externalId).sort()).toEqual(
        served.accessKeys.map((k) => k.accessKeyId).sort(),
      );
      for (const key of served.accessKeys) {
        const credential = keys.find((c) => c.externalId === key.accessKeyId)!;
        expect(new Date(credential.createdAt!).getTime()).toBe(new Date(key.createDate).getTime());
      }
      // Policies of its own, then one entitlement per group, privileged when a group policy is.
      const memberships = served.groups.map((name) => {
        const group = server.account.groups.find((g) => g.groupName === name)!;
        return { name, resource: group.arn, privileged: servedGrants(group).some((g) => g.privileged) };
      });
      expect(user.entitlements.slice(fromFile.entitlements.length)).toEqual([
        ...servedGrants(served),
        ...memberships,
      ]);
      expect(groups).toBe(served.groups.length > 0 ? served.groups.join(', ') : undefined);
      if (served.attachedPolicies.some((p) => p.name === 's3-data-writer'))
        expect(wildcardActions).toBe('s3:*');
    }
  });

  it('brings every role with its trust, last use and policies', async () => {
    const result = await connector.pull(options, secrets, runContext());
    const roles = result.identities.filter((i) => i.kind === 'iam-role');
    expect(roles.map((r) => r.externalId)).toEqual(server.account.roles.map((r) => r.arn));
    for (const role of roles) {
      const served = server.account.roles.find((r) => r.arn === role.externalId)!;
      expect(role).toMatchObject({
        name: served.roleName,
        status: 'active',
        description: served.description,
        createdAt: new Date(served.createDate).toISOString(),
        lastUsedAt: served.lastUsed ? new Date(served.lastUsed.date).toISOString() : null,
        credentials: [],
        entitlements: servedGrants(served),
      });
      expect(role.attributes).toMatchObject({
        arn: served.arn,
        path: served.path,
        accountId: server.account.accountId,
      });
    }
    const named = (name: string) => roles.find((r) => r.name === name)!;
    expect(named('vendor-audit').attributes).toMatchObject({
      trustsExternalAccounts: '111122223333',
      thirdParty: true,
      trustConditions: true,
      trustsAnyPrincipal: false,
    });
    // The role's own account in a trust policy is not a third party.
    expect(named('cross-account-deployer').attributes).toMatchObject({
      trustsExternalAccounts: '444455556666',
      thirdParty: true,
      wildcardActions: 'NotAction iam:*, organizations:*',
    });
    expect(named('partner-any').attributes).toMatchObject({ trustsAnyPrincipal: true, thirdParty: true });
    expect(named('platform-admin').attributes).toMatchObject({
      trustedServices: 'ec2.amazonaws.com',
      thirdParty: false,
      serviceLinked: false,
      lastUsedRegion: 'us-east-1',
      maxSessionDurationSeconds: 43200,
    });
    expect(named('AWSServiceRoleForSupport').attributes).toMatchObject({
      serviceLinked: true,
      awsManaged: true,
    });
    expect(named('platform-admin').entitlements).toEqual([
      {
        name: 'AdministratorAccess',
        resource: 'arn:aws:iam::aws:policy/AdministratorAccess',
        privileged: true,
      },
    ]);
  });

  it('reads every page, records each answer as evidence, and sends only read actions', async () => {
    server.reportPolls = 3;
    const result = await connector.pull(options, secrets, runContext());
    const actions = server.requests.map((r) => r.action);
    for (const action of new Set(actions))
      expect(action).toMatch(/^(Get|List)[A-Za-z]+$|^GenerateCredentialReport$/);

    // 45 users in pages of 10, 13 roles in pages of 10, each page after the first asking for the Marker.
    const userPages = server.requests.filter((r) => r.action === 'ListUsers');
    expect(userPages).toHaveLength(Math.ceil(server.account.users.length / 10));
    expect(userPages.every((r) => r.params.MaxItems === '10')).toBe(true);
    expect(userPages.slice(1).every((r) => r.params.Marker)).toBe(true);
    expect(server.requests.filter((r) => r.action === 'ListRoles')).toHaveLength(2);
    expect(result.identities).toHaveLength(46 + server.account.roles.length);

    // STARTED, three INPROGRESS, COMPLETE: then the report is fetched once.
    expect(actions.filter((a) => a === 'GenerateCredentialReport')).toHaveLength(5);
    expect(actions.filter((a) => a === 'GetCredentialReport')).toHaveLength(1);
    // A customer-managed policy's document is read once, however many users hold it.
    expect(actions.filter((a) => a === 'ListAttachedGroupPolicies')).toHaveLength(
      server.account.groups.length,
    );
    expect(actions.filter((a) => a === 'GetPolicy')).toHaveLength(
      Object.keys(server.account.managedPolicies).length,
    );

    const report = result.responses.find((r) => r.name.startsWith('GetCredentialReport'))!;
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(report.body)).toBe(sha(readFileSync(FIXTURE)));
    const names = result.responses.map((r) => r.name);
    expect(names).toContain('ListUsers (page 5)');
    expect(names).toContain('ListRoles (page 2)');
    expect(new Set(names).size).toBe(names.length);
    for (const response of result.responses.filter((r) => r.name.startsWith('List'))) {
      expect(response.body.toString('utf8')).toMatch(
        /^<List\w+Response xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/,
      );
    }
    expect(messages.some((m) => /Reading access keys and policies of IAM users: 45 of 45/.test(m))).toBe(
      true,
    );
  });

  it('gives the risk signals what they read: console passwords, privileged grants, other accounts', async () => {
    const result = await connector.pull(options, secrets, runContext());
    const signals = (name: string) => {
      const identity = result.identities.find((i) => i.name === name)!;
      const subject = {
        ...identity,
        id: 1,
        source: 'aws-test',
        sourceKind: 'aws',
        owners: [],
      } as unknown as RiskSubject;
      return riskSignalsFor(subject, '2026-11-24', DEFAULT_RISK_POLICY).map((s) => s.code);
    };
    // A role another account may assume, with privileged grants, is a third party holding privilege.
    expect(signals('cross-account-deployer')).toEqual(expect.arrayContaining(['third-party', 'privileged']));
    expect(signals('platform-admin')).toContain('privileged');
    const admin = server.account.users.find((u) =>
      u.attachedPolicies.some((p) => p.name === 'AdministratorAccess'),
    )!;
    expect(signals(admin.userName)).toContain('privileged');
    const groupAdmin = server.account.users.find((u) => u.groups.includes('Admins'))!;
    expect(groupAdmin.attachedPolicies).toEqual([]);
    expect(signals(groupAdmin.userName)).toContain('privileged');
    const withPassword = result.identities.find(
      (i) => i.kind === 'iam-user' && i.attributes.interactiveLogin === true && i.attributes.root !== true,
    );
    if (withPassword) expect(signals(withPassword.name)).toContain('interactive-login');
  });

  it('works from a named profile of the AWS config files, with no keys given', async () => {
    const result = await connector.pull({ ...options, profile: 'steward-audit' }, {}, runContext());
    expect(result.identities.filter((i) => i.kind === 'iam-user')).toHaveLength(46);
    expect(new Set(server.requests.map((r) => r.accessKeyId))).toEqual(new Set([PROFILE_KEY_ID]));
  });
});

describe('AWS IAM connector: the credential report', () => {
  it('generates the report again when AWS says it is still in progress or gone', async () => {
    server.fail('GetCredentialReport', {
      status: 404,
      code: 'ReportInProgress',
      message: 'Credential report is being generated.',
      times: 1,
    });
    server.fail('GetCredentialReport', {
      status: 410,
      code: 'ReportExpired',
      message: 'Credential report is expired. Use GenerateCredentialReport to generate a new report.',
      times: 1,
    });
    const result = await connector.pull(options, secrets, runContext());
    expect(result.identities.filter((i) => i.kind === 'iam-user')).toHaveLength(46);
    expect(server.requests.filter((r) => r.action === 'GetCredentialReport')).toHaveLength(3);
  });
});

describe('AWS IAM connector: the account changing during the pull', () => {
  it('notes users created or deleted between the credential report and ListUsers', async () => {
    const [deleted] = server.account.users.splice(3, 1);
    server.account.users.push({
      ...deleted!,
      userName: 'created-just-now',
      arn: `arn:aws:iam::${server.account.accountId}:user/created-just-now`,
      accessKeys: [],
    });
    const result = await connector.pull(options, secrets, runContext());
    expect(result.notes).toEqual([
      {
        file: 'ListUsers',
        row: 0,
        message: expect.stringContaining(
          `${deleted!.userName} is in the credential report but not in ListUsers`,
        ),
      },
      {
        file: 'ListUsers',
        row: 0,
        message: expect.stringContaining('created-just-now is in ListUsers but not in the credential report'),
      },
    ]);
    // The report is the population: the deleted user is still in it, the new one waits for the next pull.
    const users = result.identities.filter((i) => i.kind === 'iam-user');
    expect(users).toHaveLength(46);
    expect(users.some((u) => u.name === 'created-just-now')).toBe(false);
  });

  it('adds a key made after the report, and a last use newer than the report knew', async () => {
    const user = server.account.users.find((u) => u.accessKeys.length === 1 && u.accessKeys[0]!.lastUsed)!;
    const [existing] = user.accessKeys;
    existing!.lastUsed = { ...existing!.lastUsed!, date: '2026-11-24T08:00:00Z' };
    user.accessKeys.push({
      accessKeyId: 'AKIANEWKEYAFTERREPRT',
      status: 'Active',
      createDate: '2026-11-24T07:00:00Z',
      lastUsed: null,
    });
    const result = await connector.pull(options, secrets, runContext());
    const pulled = result.identities.find((i) => i.externalId === user.arn)!;
    const keys = pulled.credentials.filter((c) => c.type === 'access-key');
    expect(keys.find((c) => c.externalId === existing!.accessKeyId)?.lastUsedAt).toBe(
      '2026-11-24T08:00:00.000Z',
    );
    expect(keys.find((c) => c.externalId === 'AKIANEWKEYAFTERREPRT')).toEqual({
      externalId: 'AKIANEWKEYAFTERREPRT',
      type: 'access-key',
      status: 'active',
      createdAt: '2026-11-24T07:00:00.000Z',
      lastRotatedAt: '2026-11-24T07:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
    });
    expect(pulled.lastUsedAt).toBe('2026-11-24T08:00:00.000Z');
  });
});

describe('AWS IAM connector: throttling and failures', () => {
  it('waits as long as a 429 Retry-After asks, then goes on', async () => {
    server.fail('ListUsers', {
      status: 429,
      code: 'Throttling',
      message: 'Rate exceeded',
      headers: { 'retry-after': '2' },
      times: 1,
    });
    const result = await connector.pull(options, secrets, runContext());
    expect(result.identities.filter((i) => i.kind === 'iam-user')).toHaveLength(46);
    const [throttled, retried] = server.requests.filter((r) => r.action === 'ListUsers');
    expect(retried!.params.Marker).toBeUndefined();
    // Only a lower bound: the client may wait longer, never less than it was asked.
    expect(retried!.at - throttled!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('stops waiting out a long Retry-After when the pull is cancelled', async () => {
    server.fail('ListUsers', {
      status: 429,
      code: 'Throttling',
      message: 'Rate exceeded',
      headers: { 'retry-after': '4' },
    });
    const controller = new AbortController();
    const context = runContext(controller);
    const error = await pullError(
      connector.pull(options, secrets, {
        ...context,
        onProgress: (message, items) => {
          context.onProgress(message, items);
          if (message === 'Listing IAM users') setTimeout(() => controller.abort(), 300);
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    // Cancelled during the wait: the retry, due four seconds later, was never sent.
    expect(server.requests.filter((r) => r.action === 'ListUsers')).toHaveLength(1);
  });

  it("retries IAM's 400 Throttling error and succeeds", async () => {
    server.fail('ListRoles', { status: 400, code: 'Throttling', message: 'Rate exceeded', times: 2 });
    const result = await connector.pull(options, secrets, runContext());
    expect(result.identities.filter((i) => i.kind === 'iam-role')).toHaveLength(server.account.roles.length);
    expect(server.requests.filter((r) => r.action === 'ListRoles')).toHaveLength(4);
  });

  it('gives up after the bounded retries of a persistent 500 with CONNECTOR_FAILED naming the call', async () => {
    server.fail('ListRoles', {
      status: 500,
      code: 'ServiceFailure',
      message: 'The request processing has failed because of an unknown error, exception or failure.',
    });
    const error = await pullError(connector.pull(options, secrets, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain('iam:ListRoles');
    expect(error.message).toContain('HTTP 500');
    expect(server.requests.filter((r) => r.action === 'ListRoles')).toHaveLength(3);
  });

  it('gives up on throttling that never ends', async () => {
    server.fail('ListUsers', { status: 400, code: 'Throttling', message: 'Rate exceeded' });
    const error = await pullError(connector.pull(options, secrets, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(/throttling iam:ListUsers after 3 attempts/);
  });

  it('says CONNECTOR_AUTH for an access key AWS does not know', async () => {
    const error = await pullError(
      connector.pull(options, { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: SECRET }, runContext()),
    );
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toContain('InvalidClientTokenId');
  });

  it('says CONNECTOR_AUTH for a wrong secret access key, without showing it', async () => {
    const wrong = `${SECRET}-wrong`;
    const error = await pullError(
      connector.pull(options, { accessKeyId: ACCESS_KEY_ID, secretAccessKey: wrong }, runContext()),
    );
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toContain('SignatureDoesNotMatch');
    expect(error.message).not.toContain(wrong);
  });

  it('says CONNECTOR_AUTH, before any request, when there is neither a key pair nor a profile', async () => {
    const error = await pullError(connector.pull(options, {}, runContext()));
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toMatch(/neither an access key pair nor a profile/);
    const checks = await connector.test(options, {}, runContext());
    expect(checks[0]).toMatchObject({ name: 'Sign in', ok: false });
    expect(checks.slice(1).every((c) => !c.ok && /Not tried/.test(c.message))).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('says CONNECTOR_AUTH when the profile does not exist', async () => {
    const error = await pullError(
      connector.pull({ ...options, profile: 'no-such-profile' }, {}, runContext()),
    );
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toContain('no-such-profile');
    expect(server.requests).toHaveLength(0);
  });

  it('names the missing permission: iam:GenerateCredentialReport', async () => {
    server.deny('GenerateCredentialReport');
    const error = await pullError(connector.pull(options, secrets, runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toContain('iam:GenerateCredentialReport');
  });

  it('names the missing permission of a later read: iam:GetRole', async () => {
    server.deny('GetRole');
    const error = await pullError(connector.pull(options, secrets, runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toContain('iam:GetRole');
  });

  it('says CONNECTOR_UNREACHABLE when nothing listens at the endpoint', async () => {
    const port = await closedPort();
    const error = await pullError(
      connector.pull({ ...options, endpoint: `http://127.0.0.1:${port}` }, secrets, runContext()),
    );
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("says CONNECTOR_UNREACHABLE naming the TLS problem when the endpoint's certificate is not trusted", async () => {
    const folder = tempFolder('steward-aws-tls-');
    const keyFile = join(folder, 'key.pem');
    const certFile = join(folder, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tls = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_req, res) =>
      res.end(),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const { port } = tls.address() as { port: number };
    try {
      const error = await pullError(
        connector.pull({ ...options, endpoint: `https://127.0.0.1:${port}` }, secrets, runContext()),
      );
      expect(error.code).toBe('CONNECTOR_UNREACHABLE');
      expect(error.message).toMatch(
        /TLS certificate .* was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      );
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it('stops with CANCELLED when the pull is cancelled, and starts nothing after', async () => {
    const controller = new AbortController();
    server.delayMs = 20;
    const context = runContext(controller);
    const pull = connector.pull(options, secrets, {
      ...context,
      onProgress: (message, items) => {
        context.onProgress(message, items);
        if (items >= 5) controller.abort();
      },
    });
    const error = await pullError(pull);
    expect(error.code).toBe('CANCELLED');
    const sent = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // At most the requests already on the wire (three in flight) arrive late; nothing new is started,
    // and the pull never got to the roles.
    expect(server.requests.length - sent).toBeLessThanOrEqual(3);
    expect(server.requests.some((r) => r.action === 'ListRoles')).toBe(false);
    expect(server.requests.filter((r) => r.action === 'ListAccessKeys').length).toBeLessThan(
      server.account.users.length,
    );
  });

  it('never shows a secret, even when the server echoes it in an error', async () => {
    server.fail('ListUsers', {
      status: 500,
      code: 'ServiceFailure',
      message: `internal error for key ${SECRET}`,
    });
    const error = await pullError(connector.pull(options, secrets, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain('****');
    server.reset();
    const result = await connector.pull(options, secrets, runContext());
    const checks = await connector.test(options, secrets, runContext());
    const everything = JSON.stringify({
      messages,
      checks,
      identities: result.identities,
      names: result.responses.map((r) => r.name),
    });
    expect(everything).not.toContain(SECRET);
    for (const response of result.responses) expect(response.body.includes(SECRET)).toBe(false);
  });
});

describe('AWS IAM connector: test connection', () => {
  it('reports each check with what it proved', async () => {
    const checks = await connector.test(options, secrets, runContext());
    expect(checks.map((c) => c.ok)).toEqual(checks.map(() => true));
    expect(checks.map((c) => c.name)).toEqual([
      'Sign in',
      'List users (iam:ListUsers)',
      "Read a user's access keys, policies and groups (iam:ListAccessKeys, iam:ListAttachedUserPolicies, iam:ListUserPolicies, iam:ListGroupsForUser)",
      'Generate the credential report (iam:GenerateCredentialReport)',
      'Read the credential report (iam:GetCredentialReport)',
      'List roles (iam:ListRoles, iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies)',
    ]);
    expect(checks[0]!.message).toContain(`arn:aws:iam::${server.account.accountId}:user/steward-reader`);
    for (const action of new Set(server.requests.map((r) => r.action)))
      expect(action).toMatch(/^(Get|List)[A-Za-z]+$|^GenerateCredentialReport$/);
  });

  it('names each missing permission and goes on with the other checks', async () => {
    server.deny('ListRoles');
    server.deny('GetCredentialReport');
    const checks = await connector.test(options, secrets, runContext());
    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual([
      'Read the credential report (iam:GetCredentialReport)',
      'List roles (iam:ListRoles, iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies)',
    ]);
    expect(failed[0]!.message).toContain('iam:GetCredentialReport');
    expect(failed[1]!.message).toContain('iam:ListRoles');
  });

  it('signs in with credentials that may not read their own user', async () => {
    server.deny('GetUser');
    const checks = await connector.test(options, secrets, runContext());
    expect(checks[0]).toMatchObject({ name: 'Sign in', ok: true });
    expect(checks[0]!.message).toContain('steward-reader');
  });

  it('says the credentials were refused and tries nothing else', async () => {
    const checks = await connector.test(
      options,
      { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'not-the-secret-at-all' },
      runContext(),
    );
    expect(checks[0]).toMatchObject({ name: 'Sign in', ok: false });
    expect(checks[0]!.message).toContain('SignatureDoesNotMatch');
    expect(checks.slice(1).every((c) => !c.ok && /Not tried/.test(c.message))).toBe(true);
    expect(server.requests.map((r) => r.action)).toEqual(['GetUser']);
  });

  it('says the endpoint cannot be reached', async () => {
    const port = await closedPort();
    const checks = await connector.test(
      { ...options, endpoint: `http://127.0.0.1:${port}` },
      secrets,
      runContext(),
    );
    expect(checks[0]!.ok).toBe(false);
    expect(checks[0]!.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});

describe('AWS IAM connector: through the vault', () => {
  it('a pull shows in the inventory with the same fields as the file import of the same report', async () => {
    const fromFile = createCore({ vaultFolder: tempFolder() });
    const fromPull = createCore({ vaultFolder: tempFolder() });
    const restore = substituteConnector(connector);
    try {
      for (const core of [fromFile, fromPull])
        expect(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({
          ok: true,
        });
      await ok(fromFile.dispatch('imports.run', { paths: [FIXTURE], source: 'nwl-aws' }));
      await ok(
        fromPull.dispatch('connectors.add', {
          name: 'nwl-aws',
          type: 'aws',
          options: { endpoint: server.url, region: 'us-east-1' },
          secrets: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
        }),
      );
      const summary = await ok(fromPull.dispatch('connectors.pull', { name: 'nwl-aws' }));
      expect(summary).toMatchObject({
        source: 'nwl-aws',
        format: 'connector',
        preset: 'aws-iam-connector',
        imported: 46 + server.account.roles.length,
        rejected: 0,
      });
      const report = summary.files.find((f) => f.name.startsWith('GetCredentialReport'))!;
      expect(report.sha256).toBe(createHash('sha256').update(readFileSync(FIXTURE)).digest('hex'));

      const list = async (core: Core) =>
        (
          await ok(
            core.dispatch('identities.list', {
              asOf: '2026-11-24',
              kind: 'iam-user',
              limit: 1000,
              sort: 'name',
            }),
          )
        ).items;
      const imported = await list(fromFile);
      const pulled = await list(fromPull);
      expect(pulled).toHaveLength(imported.length);
      for (const [index, user] of pulled.entries()) {
        const file = imported[index]!;
        // The same record, but for what only the API knows: key ids, policies and groups.
        const { id: _pulledId, credentials, entitlements, signals, ...rest } = user;
        const {
          id: _fileId,
          credentials: fileCredentials,
          entitlements: fileEntitlements,
          signals: fileSignals,
          ...fileRest
        } = file;
        expect(rest).toEqual(fileRest);
        // The vault lists credentials by key id; the file has none, so compare them in one order.
        const inOrder = (list: typeof credentials) =>
          list
            .map((c) => ({ ...c, externalId: null }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        expect(inOrder(credentials)).toEqual(inOrder(fileCredentials));
        expect(entitlements.filter((e) => fileEntitlements.some((f) => f.name === e.name))).toEqual(
          fileEntitlements,
        );
        // Signals from the report's facts agree; the grants the API adds may only add "privileged".
        const codes = (list: typeof signals) =>
          (list ?? []).map((s) => s.code).filter((c) => c !== 'privileged');
        expect(codes(signals)).toEqual(codes(fileSignals));
      }
      const roles = await ok(
        fromPull.dispatch('identities.list', { asOf: '2026-11-24', kind: 'iam-role', limit: 100 }),
      );
      expect(roles.total).toBe(server.account.roles.length);
    } finally {
      restore();
      fromFile.close();
      fromPull.close();
    }
  });
});

describe('AWS IAM connector: registration', () => {
  it("is the registry's aws connector, with its schemas", () => {
    const registered = connectorFor('aws');
    expect(registered?.type).toBe('aws');
    expect(registered?.sdk).toMatch(/^@aws-sdk\/client-iam \d+\.\d+\.\d+$/);
    expect(registered?.optionsSchema.safeParse({ region: 'us-east-1', profile: 'audit' }).success).toBe(true);
    expect(registered?.secretsSchema.safeParse({}).success).toBe(true);
    expect(registered?.secretsSchema.safeParse(secrets).success).toBe(true);
    expect(registered?.secretsSchema.safeParse({ accessKeyId: ACCESS_KEY_ID }).success).toBe(false);
    const endpoint = (url: string) => registered?.optionsSchema.safeParse({ endpoint: url }).success;
    expect(endpoint('https://iam.us-gov.amazonaws.com')).toBe(true);
    expect(endpoint(server.url)).toBe(true);
    // Plain http would show the whole account to anyone on the path; ftp is not an endpoint at all.
    expect(endpoint('http://iam.amazonaws.com')).toBe(false);
    expect(endpoint('ftp://127.0.0.1/')).toBe(false);
    expect(registered?.optionsSchema.safeParse({ region: 'us-gov-west-1' }).success).toBe(true);
    expect(registered?.optionsSchema.safeParse({ region: 'US East' }).success).toBe(false);
  });
});

async function ok<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
