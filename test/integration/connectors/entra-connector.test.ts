import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import type { ConnectorRunContext } from '../../../electron/core/connectors/connector-types';
import { entraConnector, type EntraOptions } from '../../../electron/core/connectors/entra/entra-connector';
import { connectorFor } from '../../../electron/core/connectors/connector-registry';
import { documentPresetFor } from '../../../electron/core/imports/presets/document-presets';
import {
  CLIENT_ID,
  GRAPH_APP_ROLES,
  GRAPH_RESOURCE_ID,
  TENANT_ID,
  defaultScenario,
  startEntraServer,
  type EntraServer,
} from './support/entra-server';

const FIXTURES = join(import.meta.dirname, '../../fixtures/entra');
const SECRET = 'Q8r~kT3vX9pLm2Zc7Wq.Ns4Hd6Jf1Bg5Yt0Ue';
const secrets = { clientSecret: SECRET };

let server: EntraServer;
/** Every message the connector produced in any test, checked for the secret at the end. */
const messages: string[] = [];

beforeAll(async () => {
  server = await startEntraServer(FIXTURES, SECRET);
});

afterAll(async () => {
  await server?.close();
  for (const message of messages) expect(message).not.toContain(SECRET);
  expect(messages.length).toBeGreaterThan(20);
});

beforeEach(() => {
  Object.assign(server.scenario, defaultScenario(SECRET));
  server.requests.length = 0;
});

function options(overrides: Partial<EntraOptions> = {}): EntraOptions {
  return entraConnector.optionsSchema.parse({
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    authorityHost: server.baseUrl,
    graphUrl: server.baseUrl,
    caCertificates: server.caPem,
    maxAttempts: 3,
    retryBaseDelayMs: 10,
    ...overrides,
  });
}

function context(
  controller = new AbortController(),
  onProgress?: (message: string) => void,
): ConnectorRunContext {
  return {
    signal: controller.signal,
    onProgress(message) {
      messages.push(message);
      onProgress?.(message);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    messages.push((error as AppError).message);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
}

function fixtureImport(files: string[]): NormalizedIdentity[] {
  const documents = files.map((name) => ({
    name,
    json: JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown,
  }));
  return documentPresetFor('entra-service-principals').map(documents).identities;
}

const ALL_FILES = [
  'servicePrincipals_page1.json',
  'servicePrincipals_page2.json',
  'servicePrincipalSignInActivities.json',
];

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function graphRequests(): typeof server.requests {
  return server.requests.filter((r) => r.path.startsWith('/v1.0/') || r.path.startsWith('/beta/'));
}

/** Requests for page 2 of the service principal list. */
function page2Requests(): typeof server.requests {
  return graphRequests().filter(
    (r) => r.path.startsWith('/v1.0/servicePrincipals?') && r.path.includes('$skiptoken='),
  );
}

describe('entra connector: a full pull', () => {
  it('is registered as the entra connector, naming the SDK version installed', () => {
    expect(connectorFor('entra')).toBe(entraConnector);
    const identity = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../node_modules/@azure/identity/package.json'), 'utf8'),
    ) as { version: string };
    expect(entraConnector.sdk).toContain(`@azure/identity ${identity.version}`);
  });

  it('reads every page and equals the file import of the same export, field by field', async () => {
    const progress: string[] = [];
    const result = await entraConnector.pull(
      options(),
      secrets,
      context(undefined, (m) => progress.push(m)),
    );
    const expected = fixtureImport(ALL_FILES);
    expect(result.identities).toHaveLength(54);
    expect(result.identities).toEqual(expected);
    expect(result.rejects).toEqual([]);
    expect(result.partial).toBeUndefined();
    expect(result).toMatchObject({
      sourceKind: 'entra',
      preset: 'entra-service-principals',
      endpoint: `${server.baseUrl}/v1.0`,
      account: TENANT_ID,
    });
    // Both pages (page 2 through the rewritten @odata.nextLink), the applications, one assignment
    // list per service principal and the sign-in report, each kept as Graph sent it.
    const names = result.responses.map((r) => r.name);
    expect(names).toContain('GET /v1.0/servicePrincipals (page 1)');
    expect(names).toContain('GET /v1.0/servicePrincipals (page 2)');
    expect(names).toContain('GET /v1.0/applications (page 1)');
    expect(names).toContain('GET /beta/reports/servicePrincipalSignInActivities (page 1)');
    expect(names.filter((n) => n.endsWith('/appRoleAssignments (page 1)'))).toHaveLength(54);
    expect(new Set(names).size).toBe(names.length);
    const page2 = result.responses.find((r) => r.name === 'GET /v1.0/servicePrincipals (page 2)')!;
    expect(page2.body.equals(readFileSync(join(FIXTURES, 'servicePrincipals_page2.json')))).toBe(false);
    expect(JSON.parse(page2.body.toString('utf8'))).toEqual(
      JSON.parse(readFileSync(join(FIXTURES, 'servicePrincipals_page2.json'), 'utf8')),
    );
    expect(progress).toContain('Reading service principals, page 2');
    expect(result.responses.every((r) => !r.body.toString('utf8').includes(SECRET))).toBe(true);
    expect(JSON.stringify(result.notes)).not.toContain(SECRET);
  });

  it('only reads: every Graph request is a GET, and the secret goes only to the token endpoint', async () => {
    await entraConnector.pull(options(), secrets, context());
    const graph = graphRequests();
    expect(graph.length).toBeGreaterThan(55);
    expect(graph.every((r) => r.method === 'GET')).toBe(true);
    const others = server.requests.filter((r) => !graph.includes(r));
    for (const request of others) {
      if (request.method !== 'GET') {
        expect(request.method).toBe('POST');
        expect(request.path).toMatch(new RegExp(`^/${TENANT_ID}/oauth2/v2\\.0/token`));
      }
    }
    const carrying = server.requests.filter((r) => r.body.includes(SECRET) || r.path.includes(SECRET));
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.every((r) => r.method === 'POST' && r.path.includes('/oauth2/v2.0/token'))).toBe(true);
    expect(graph.every((r) => !(r.authorization ?? '').includes(SECRET))).toBe(true);
  });

  it('adds application permissions, application credentials and application owners beyond the export', async () => {
    const byName = Object.fromEntries(GRAPH_APP_ROLES.map((r) => [r.value, r.id]));
    const rotator = 'b273555b-4f2e-4a72-b202-153238619c5f'; // nwl-keyvault-rotator
    const relay = 'e836fbf8-591f-4cfe-a6ca-1903b4bc04b5'; // nwl-exchange-mail-relay
    const portalApi = '396f320e-fa4a-4f43-b4c7-37ac72c25554'; // nwl-customer-portal-api, has its own appRoles
    const spa = '8e606bc9-763d-4d9d-b211-b929cf5d5286'; // nwl-customer-portal-spa
    const pages = ['servicePrincipals_page1.json', 'servicePrincipals_page2.json'].flatMap(
      (f) =>
        (JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { value: Array<Record<string, unknown>> })
          .value,
    );
    const portalRole = (
      pages.find((sp) => sp.id === portalApi)!.appRoles as Array<{ id: string; value: string }>
    )[0]!;
    const graph = { resourceId: GRAPH_RESOURCE_ID, resourceDisplayName: 'Microsoft Graph' };
    server.scenario.assignments = {
      [rotator]: [
        { appRoleId: byName['Directory.ReadWrite.All']!, ...graph },
        { appRoleId: byName['User.Read.All']!, ...graph },
      ],
      [relay]: [{ appRoleId: byName['Mail.Send']!, ...graph }],
      [spa]: [
        { appRoleId: portalRole.id, resourceId: portalApi, resourceDisplayName: 'nwl-customer-portal-api' },
        { appRoleId: byName['Sites.Read.All']!, ...graph },
      ],
    };
    const data = pages.find((sp) => sp.displayName === 'nwl-data-lake-loader')!;
    server.scenario.applicationExtras = {
      [String(data.appId)]: {
        passwordCredentials: [
          {
            customKeyIdentifier: null,
            displayName: 'adf-linked-service',
            endDateTime: '2027-05-01T00:00:00Z',
            hint: 'x7Q',
            keyId: '6d1f2b9e-3a4c-4e5f-8a7b-9c0d1e2f3a4b',
            secretText: null,
            startDateTime: '2025-05-01T00:00:00Z',
          },
        ],
        owners: [
          {
            '@odata.type': '#microsoft.graph.user',
            id: 'c0ffee00-1111-4222-8333-444455556666',
            displayName: 'Priya Raman',
            userPrincipalName: 'priya.raman@northwindlogistics.com',
            mail: 'priya.raman@northwindlogistics.com',
          },
        ],
      },
    };

    const result = await entraConnector.pull(options(), secrets, context());
    const expected = fixtureImport(ALL_FILES);
    const pulled = new Map(result.identities.map((i) => [i.externalId, i]));
    expect(pulled.get(rotator)!.entitlements).toEqual([
      { name: 'Directory.ReadWrite.All', resource: 'Microsoft Graph', privileged: true },
      { name: 'User.Read.All', resource: 'Microsoft Graph', privileged: false },
    ]);
    expect(pulled.get(relay)!.entitlements).toEqual([
      { name: 'Mail.Send', resource: 'Microsoft Graph', privileged: true },
    ]);
    expect(pulled.get(spa)!.entitlements).toEqual([
      { name: portalRole.value, resource: 'nwl-customer-portal-api', privileged: false },
      { name: 'Sites.Read.All', resource: 'Microsoft Graph', privileged: false },
    ]);
    const loader = pulled.get(String(data.id))!;
    const loaderImported = expected.find((i) => i.externalId === data.id)!;
    expect(loader.credentials).toEqual([
      ...loaderImported.credentials,
      {
        externalId: '6d1f2b9e-3a4c-4e5f-8a7b-9c0d1e2f3a4b',
        type: 'client-secret',
        status: 'active',
        createdAt: '2025-05-01T00:00:00.000Z',
        lastRotatedAt: null,
        expiresAt: '2027-05-01T00:00:00.000Z',
        lastUsedAt: null,
      },
    ]);
    expect(loader.owners).toEqual([
      ...loaderImported.owners,
      { ref: 'priya.raman@northwindlogistics.com', role: 'business' },
    ]);
    // Microsoft Graph's app roles were read once by id because the list entry had none.
    expect(
      graphRequests().filter((r) => r.path.startsWith(`/v1.0/servicePrincipals/${GRAPH_RESOURCE_ID}?`)),
    ).toHaveLength(1);
    // Everyone else is exactly the file import.
    const changed = new Set([rotator, relay, spa, String(data.id)]);
    expect(result.identities.filter((i) => !changed.has(i.externalId))).toEqual(
      expected.filter((i) => !changed.has(i.externalId)),
    );
    expect(result.notes.map((n) => n.message).join('\n')).toMatch(
      /added 5 app role assignments \(application permissions\), 1 credentials from the application registrations, 1 owners from the application registrations\./,
    );
  });

  it('reads every owner of a service principal whose expansion stopped at 20', async () => {
    const fabrikam = '5ff38884-928e-4672-a4c3-67088a346383'; // Fabrikam HR Connector: no app registration here
    const owners = Array.from({ length: 25 }, (_, n) => ({
      '@odata.type': '#microsoft.graph.user',
      id: `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
      displayName: `Owner ${n + 1}`,
      userPrincipalName: `owner${n + 1}@northwindlogistics.com`,
      mail: `owner${n + 1}@northwindlogistics.com`,
    }));
    server.scenario.manyOwners = { [fabrikam]: owners };
    const result = await entraConnector.pull(options(), secrets, context());
    const identity = result.identities.find((i) => i.externalId === fabrikam)!;
    expect(identity.owners.map((o) => o.ref)).toEqual(owners.map((o) => o.mail));
    const ownerPages = graphRequests().filter((r) =>
      r.path.startsWith(`/v1.0/servicePrincipals/${fabrikam}/owners`),
    );
    expect(ownerPages).toHaveLength(3);
    expect(result.responses.map((r) => r.name)).toContain(
      `GET /v1.0/servicePrincipals/${fabrikam}/owners (page 3)`,
    );
    expect(result.notes.map((n) => n.message).join('\n')).toContain(
      '5 owners past the 20 that Graph expands per service principal',
    );
  });

  it('says so when Graph hides who the user owners are (no permission to read users)', async () => {
    server.scenario.hideUserOwnerDetails = true;
    const result = await entraConnector.pull(options(), secrets, context());
    const hidden = result.identities.flatMap((i) => i.owners).filter((o) => o.ref.startsWith('entra:'));
    expect(hidden.length).toBeGreaterThan(0);
    const note = result.notes.find((n) => n.message.includes('User.Read.All'));
    expect(note?.message).toMatch(/^\d+ user owners came back with only their object id/);
  });

  it('without the sign-in report (403) keeps going with a note, like the import of the pages alone', async () => {
    server.scenario.signInReport = 'forbidden';
    const result = await entraConnector.pull(options(), secrets, context());
    expect(result.identities).toEqual(fixtureImport(ALL_FILES.slice(0, 2)));
    const note = result.notes.find((n) =>
      n.file.startsWith('GET /beta/reports/servicePrincipalSignInActivities'),
    );
    expect(note?.message).toContain(
      'ign-in activity needs AuditLog.Read.All and an Entra ID P1/P2 licence; last use is unknown',
    );
    messages.push(...result.notes.map((n) => n.message));
  });

  it('treats a 404 for the sign-in report the same way', async () => {
    server.scenario.signInReport = 'not-found';
    const result = await entraConnector.pull(options(), secrets, context());
    expect(
      result.identities.every((i) => i.lastUsedAt === null && i.attributes.usageReported === false),
    ).toBe(true);
    expect(result.notes.some((n) => n.message.includes('last use is unknown'))).toBe(true);
  });
});

describe('entra connector: throttling and failures', () => {
  it('honours a 429 with Retry-After on page 2, then carries on', async () => {
    server.scenario.throttlePage2Once = true;
    server.scenario.retryAfter = '1';
    const result = await entraConnector.pull(options(), secrets, context());
    expect(result.identities).toEqual(fixtureImport(ALL_FILES));
    const page2 = page2Requests();
    expect(page2.map((r) => r.status)).toEqual([429, 200]);
    // The retry came no sooner than the second Graph asked for.
    expect(page2[1]!.at - page2[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a persistent 503 after the bounded attempts, naming the request', async () => {
    server.scenario.page2Status = 503;
    const error = await failure(entraConnector.pull(options({ maxAttempts: 3 }), secrets, context()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain('GET /v1.0/servicePrincipals (page 2)');
    expect(error.message).toContain('503');
    expect(error.message).toContain('after 3 attempts');
    expect(page2Requests()).toHaveLength(3);
  });

  it('fails the whole pull when one assignment list keeps failing, naming it, with nothing kept', async () => {
    const rotator = 'b273555b-4f2e-4a72-b202-153238619c5f';
    server.scenario.assignmentStatus = { [rotator]: 500 };
    const error = await failure(entraConnector.pull(options(), secrets, context()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain(
      `GET /v1.0/servicePrincipals/${rotator}/appRoleAssignments (page 1) failed after 3 attempts`,
    );
    expect(
      graphRequests().filter((r) =>
        r.path.startsWith(`/v1.0/servicePrincipals/${rotator}/appRoleAssignments`),
      ),
    ).toHaveLength(3);
  });

  it('names Application.Read.All when the assignments are refused', async () => {
    server.scenario.assignmentStatus = { 'f12f4eef-ea8b-41d4-830d-9a29784e6570': 403 };
    const error = await failure(entraConnector.pull(options(), secrets, context()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toMatch(/appRoleAssignments \(page 1\) was refused .*Application\.Read\.All/);
  });

  it('fails rather than stall when Graph asks to wait longer than a pull waits', async () => {
    server.scenario.throttlePage2Once = true;
    server.scenario.retryAfter = '3600';
    const error = await failure(
      entraConnector.pull(options({ maxRetryAfterSeconds: 60 }), secrets, context()),
    );
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(/asked to wait 3600 s/);
  });

  it('reports a wrong client secret (AADSTS7000215) as CONNECTOR_AUTH in plain words', async () => {
    const error = await failure(
      entraConnector.pull(options(), { clientSecret: 'Wr0ng~secret.value.000000000000000000' }, context()),
    );
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toMatch(/^The client secret is wrong or expired \(AADSTS7000215\)/);
    expect(error.message).not.toContain('Wr0ng~secret');
    expect(graphRequests()).toHaveLength(0);
  });

  it('reports an unknown tenant as CONNECTOR_AUTH', async () => {
    const error = await failure(
      entraConnector.pull(options({ tenantId: 'contoso-typo.onmicrosoft.com' }), secrets, context()),
    );
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toContain('AADSTS90002');
  });

  it('reports a Graph 403 as CONNECTOR_PERMISSION naming Application.Read.All', async () => {
    server.scenario.servicePrincipalsForbidden = true;
    const error = await failure(entraConnector.pull(options(), secrets, context()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toContain('Application.Read.All');
    expect(error.message).toContain('Authorization_RequestDenied');
  });

  it('reports an authority host that refuses connections as CONNECTOR_UNREACHABLE', async () => {
    const port = await closedPort();
    const error = await failure(
      entraConnector.pull(options({ authorityHost: `https://127.0.0.1:${port}` }), secrets, context()),
    );
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a Graph host that refuses connections as CONNECTOR_UNREACHABLE', async () => {
    const port = await closedPort();
    const error = await failure(
      entraConnector.pull(options({ graphUrl: `https://127.0.0.1:${port}` }), secrets, context()),
    );
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports an untrusted certificate as a TLS error (CONNECTOR_UNREACHABLE), never trusting it', async () => {
    const error = await failure(
      entraConnector.pull(options({ caCertificates: undefined }), secrets, context()),
    );
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toMatch(/^TLS error talking to 127\.0\.0\.1:\d+ \(/);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('never follows a next-page link to another host with the token', async () => {
    server.scenario.nextLinkOrigin = 'https://graph.example.net';
    const error = await failure(entraConnector.pull(options(), secrets, context()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain('another host (https://graph.example.net');
    expect(page2Requests()).toHaveLength(0);
  });

  it('refuses a Graph URL that is not https', () => {
    /* eslint-disable @microsoft/sdl/no-insecure-url -- these URLs are the ones being refused */
    expect(() => options({ graphUrl: 'http://127.0.0.1:1' })).toThrow();
    expect(() => options({ authorityHost: 'ftp://127.0.0.1:1' })).toThrow();
    /* eslint-enable @microsoft/sdl/no-insecure-url */
  });
});

describe('entra connector: cancellation', () => {
  it('stops with CANCELLED when the signal aborts mid-pull', async () => {
    const controller = new AbortController();
    const error = await failure(
      entraConnector.pull(
        options(),
        secrets,
        context(controller, (message) => {
          if (message === 'Reading service principals, page 1') controller.abort();
        }),
      ),
    );
    expect(error.code).toBe('CANCELLED');
    expect(page2Requests()).toHaveLength(0);
  });

  it('cuts a Retry-After wait short when cancelled', { timeout: 15_000 }, async () => {
    server.scenario.throttlePage2Once = true;
    server.scenario.retryAfter = '30';
    const controller = new AbortController();
    server.scenario.onGraphRequest = (request) => {
      if (request.status === 429) setTimeout(() => controller.abort(), 50);
    };
    const error = await failure(entraConnector.pull(options(), secrets, context(controller)));
    expect(error.code).toBe('CANCELLED');
    expect(page2Requests()).toHaveLength(1);
  });
});

describe('entra connector: test connection', () => {
  it('signs in and tries each read', async () => {
    const checks = await entraConnector.test(options(), secrets, context());
    messages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['Sign in', true],
      ['List service principals (Application.Read.All)', true],
      ['List application registrations (Application.Read.All)', true],
      ['Read app role assignments (Application.Read.All)', true],
      ['Read sign-in activity (AuditLog.Read.All, Entra ID P1/P2; optional)', true],
    ]);
    expect(graphRequests().every((r) => r.method === 'GET')).toBe(true);
  });

  it('says what failed: the secret, then nothing else tried', async () => {
    const checks = await entraConnector.test(options(), { clientSecret: 'not-the-secret-value' }, context());
    messages.push(...checks.map((c) => c.message));
    expect(checks[0]).toMatchObject({ name: 'Sign in', ok: false });
    expect(checks[0]!.message).toContain('AADSTS7000215');
    expect(checks.slice(1).every((c) => !c.ok && c.message === 'Not tried: the sign-in failed.')).toBe(true);
    expect(checks).toHaveLength(5);
  });

  it('names the missing permission of each refused read and keeps checking', async () => {
    server.scenario.applicationsForbidden = true;
    server.scenario.signInReport = 'forbidden';
    const checks = await entraConnector.test(options(), secrets, context());
    messages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => c.ok)).toEqual([true, true, false, true, false]);
    expect(checks[2]!.message).toContain('Application.Read.All');
    expect(checks[4]!.message).toContain('AuditLog.Read.All and an Entra ID P1/P2 licence');
  });

  it('reports a TLS failure on sign-in', async () => {
    const checks = await entraConnector.test(options({ caCertificates: undefined }), secrets, context());
    messages.push(...checks.map((c) => c.message));
    expect(checks[0]!.ok).toBe(false);
    expect(checks[0]!.message).toMatch(/^TLS error/);
  });
});
