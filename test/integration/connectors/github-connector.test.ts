/* eslint-disable @microsoft/sdl/no-insecure-url -- the loopback server speaks plain HTTP on 127.0.0.1; the ftp URL is one the options must refuse. */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import {
  createGitHubConnector,
  githubConnector,
} from '../../../electron/core/connectors/github/github-connector';
import { connectorFor } from '../../../electron/core/connectors/connector-registry';
import type { ConnectorRunContext } from '../../../electron/core/connectors/connector-types';
import { documentPresetFor } from '../../../electron/core/imports/presets/document-presets';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';
import { secondaryRateLimit, startGitHubServer, type GitHubServer } from './support/github-server';

const TOKEN = 'ghp_SEEDEDsecretTOKENvalue0123456789abcdef';
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const TUNING = { pageSize: 10, retries: 2, retryBaseMs: 10, rateLimitRetries: 2, maxRateLimitWaitSeconds: 5 };
const connector = createGitHubConnector(TUNING);

let server: GitHubServer;
/** Every message a connector produced in this file: none may hold the token. */
const seenMessages: string[] = [];

beforeAll(async () => {
  server = await startGitHubServer({ token: TOKEN });
});
afterEach(() => {
  server.intercept.length = 0;
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
  for (const message of seenMessages) expect(message).not.toContain(TOKEN);
  expect(seenMessages.length).toBeGreaterThan(10);
});

function runContext(signal: AbortSignal = new AbortController().signal): ConnectorRunContext & {
  progress: Array<{ message: string; items: number }>;
} {
  const progress: Array<{ message: string; items: number }> = [];
  return {
    signal,
    progress,
    onProgress(message, items) {
      seenMessages.push(message);
      progress.push({ message, items });
    },
  };
}

const options = () => ({ org: server.org, baseUrl: server.baseUrl });

async function pullError(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  seenMessages.push((error as AppError).message);
  return error as AppError;
}

/** What `steward import` makes of the fixture files: the identities a pull must equal. */
async function fixtureImportIdentities(): Promise<NormalizedIdentity[]> {
  const files = [
    join(FIXTURES, 'github', 'org_installations.json'),
    ...readdirSync(join(FIXTURES, 'github', 'deploy_keys'))
      .sort()
      .map((name) => join(FIXTURES, 'github', 'deploy_keys', name)),
  ];
  const documents = await Promise.all(files.map((path) => readJsonDocument(path)));
  return documentPresetFor('github-org').map(documents).identities;
}

const byId = (list: NormalizedIdentity[]) =>
  [...list].sort((a, b) => a.externalId.localeCompare(b.externalId));

describe('GitHub connector: a full pull', () => {
  it('reads every page and gives the same identities as the import of the fixture files, plus token grants', async () => {
    const context = runContext();
    const result = await connector.pull(options(), { token: TOKEN }, context);

    const fromImport = await fixtureImportIdentities();
    expect(fromImport).toHaveLength(59);
    const pulledFromExport = result.identities.filter((i) => i.kind !== 'api-key');
    expect(byId(pulledFromExport)).toEqual(byId(fromImport));

    expect(result).toMatchObject({
      sourceKind: 'github',
      preset: 'github-org',
      endpoint: server.baseUrl,
      account: 'northwind-logistics',
      rejects: [],
      notes: [],
      partial: false,
    });

    // 30 installations at 10 a page: three pages followed through the Link header.
    const installationPages = server.requests.filter((r) => r.path.endsWith('/installations'));
    expect(installationPages.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    // Every repository's keys were read, the one without keys too.
    const keyPaths = server.requests.filter((r) => r.path.endsWith('/keys')).map((r) => r.path);
    expect(keyPaths).toEqual(
      server.repositories.map((repo) => `/repos/northwind-logistics/${repo.name}/keys`),
    );

    // Read-only, always with the token.
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(server.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    // Each response body is kept as GitHub sent it, named after its request.
    expect(result.responses.map((r) => r.name)).toContain(
      'GET /orgs/northwind-logistics/installations?per_page=10&page=2',
    );
    expect(result.responses).toHaveLength(server.requests.length);
    const second = result.responses.find((r) => r.name.endsWith('installations?per_page=10&page=2'))!;
    const secondPage = JSON.parse(second.body.toString('utf8')) as {
      total_count: number;
      installations: unknown[];
    };
    expect(secondPage).toMatchObject({ total_count: 30 });
    expect(secondPage.installations).toHaveLength(10);
    expect(createHash('sha256').update(second.body).digest('hex')).toMatch(/^[0-9a-f]{64}$/);
    for (const response of result.responses) expect(response.body.toString('utf8')).not.toContain(TOKEN);

    expect(context.progress.some((p) => /deploy keys of wms-core/.test(p.message))).toBe(true);
    expect(context.progress.at(-1)).toEqual({
      message: 'Read 63 identities from northwind-logistics',
      items: 63,
    });
  });

  it('lists fine-grained token grants as api-key identities owned by the token owner', async () => {
    const result = await connector.pull(options(), { token: TOKEN }, runContext());
    const grants = byId(result.identities.filter((i) => i.kind === 'api-key'));
    expect(grants.map((g) => g.externalId)).toEqual([
      'pat-grant:25381',
      'pat-grant:25402',
      'pat-grant:26011',
      'pat-grant:26890',
    ]);
    const release = grants[0]!;
    expect(release).toMatchObject({
      name: 'hbrennan-nwl: release-tagging',
      status: 'active',
      createdAt: '2026-02-16T15:47:09.000Z',
      lastUsedAt: '2026-10-30T16:12:44.000Z',
      owners: [{ ref: 'github:hbrennan-nwl', role: 'technical' }],
      credentials: [
        {
          externalId: '98716',
          type: 'token',
          status: 'active',
          expiresAt: '2027-02-16T15:47:09.000Z',
          lastUsedAt: '2026-10-30T16:12:44.000Z',
        },
      ],
    });
    expect(release.entitlements).toEqual([
      { name: 'members:read', resource: 'northwind-logistics (organization)', privileged: false },
      { name: 'metadata:read', resource: 'northwind-logistics (selected repositories)', privileged: false },
      { name: 'contents:write', resource: 'northwind-logistics (selected repositories)', privileged: true },
      { name: 'workflows:write', resource: 'northwind-logistics (selected repositories)', privileged: true },
    ]);
    const expired = grants.find((g) => g.externalId === 'pat-grant:26011')!;
    expect(expired.status).toBe('disabled');
    expect(expired.credentials[0]).toMatchObject({
      status: 'expired',
      expiresAt: '2025-10-22T10:05:00.000Z',
    });
    const noExpiry = grants.find((g) => g.externalId === 'pat-grant:25402')!;
    expect(noExpiry.credentials[0]!.expiresAt).toBeNull();
    expect(noExpiry.attributes.neverExpires).toBe(true);
    expect(grants.find((g) => g.externalId === 'pat-grant:26890')!.lastUsedAt).toBeNull();
  });

  it('notes, without failing, that a classic token cannot list fine-grained token grants', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/personal-access-tokens')
        ? {
            status: 403,
            body: { message: 'Resource not accessible by personal access token', status: '403' },
          }
        : undefined,
    );
    const result = await connector.pull(options(), { token: TOKEN }, runContext());
    expect(result.identities.filter((i) => i.kind === 'api-key')).toEqual([]);
    expect(result.identities).toHaveLength(59);
    expect(result.partial).toBe(false);
    expect(result.notes).toEqual([
      {
        file: 'GET /orgs/northwind-logistics/personal-access-tokens',
        row: 0,
        message: expect.stringMatching(
          /need a GitHub App installation token .*organization_personal_access_tokens.*not listed/,
        ),
      },
    ]);
    seenMessages.push(...result.notes.map((n) => n.message));
  });
});

describe('GitHub connector: throttling and retries', () => {
  for (const status of [429, 403] as const) {
    it(`waits for Retry-After after a ${status} secondary rate limit, then carries on`, async () => {
      let limited = false;
      server.intercept.push((r) => {
        if (limited || !r.path.endsWith('/installations') || r.query.get('page') !== '2') return undefined;
        limited = true;
        return secondaryRateLimit(status, 1);
      });
      const context = runContext();
      const result = await connector.pull(options(), { token: TOKEN }, context);
      expect(result.identities.filter((i) => i.kind === 'github-app')).toHaveLength(30);
      const page2 = server.requests.filter(
        (r) => r.path.endsWith('/installations') && r.query.get('page') === '2',
      );
      expect(page2).toHaveLength(2);
      // Retry-After: 1 means not before a second later (the timer may only be late, never early).
      expect(page2[1]!.at - page2[0]!.at).toBeGreaterThanOrEqual(950);
      expect(
        context.progress.some((p) => /GitHub asked to wait 1 s \(secondary rate limit\)/.test(p.message)),
      ).toBe(true);
    });
  }

  it('waits for x-ratelimit-reset when the primary rate limit is used up, then carries on', async () => {
    let limited = false;
    server.intercept.push((r) => {
      if (limited || !r.path.endsWith('/repos')) return undefined;
      limited = true;
      return {
        status: 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
        },
        body: {
          message: 'API rate limit exceeded for user ID 71203344.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      };
    });
    const context = runContext();
    const result = await connector.pull(options(), { token: TOKEN }, context);
    expect(result.identities.filter((i) => i.kind === 'deploy-key')).toHaveLength(29);
    const repoLists = server.requests.filter((r) => r.path.endsWith('/repos'));
    expect(repoLists).toHaveLength(2);
    // Not before the reset second is over.
    expect(repoLists[1]!.at - repoLists[0]!.at).toBeGreaterThanOrEqual(950);
    expect(context.progress.some((p) => /GitHub asked to wait \d s \(rate limit\)/.test(p.message))).toBe(
      true,
    );
  });

  it('gives up after a bounded number of rate-limit retries and says so', async () => {
    server.intercept.push((r) => (r.path.endsWith('/repos') ? secondaryRateLimit(429, 1) : undefined));
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(/rate limit stopped the pull while trying to list the repositories/);
    expect(server.requests.filter((r) => r.path.endsWith('/repos'))).toHaveLength(
      TUNING.rateLimitRetries + 1,
    );
  });

  it('retries a persistent 503 a bounded number of times, then fails naming what it was reading', async () => {
    server.intercept.push((r) =>
      r.path === '/repos/northwind-logistics/wms-core/keys'
        ? { status: 503, body: { message: 'Service Unavailable' } }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(/503 .*deploy keys of northwind-logistics\/wms-core.*after 3 attempts/);
    expect(server.requests.filter((r) => r.path.endsWith('/wms-core/keys'))).toHaveLength(TUNING.retries + 1);
  });

  it('keeps the token out of an error even when the server repeats it', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/repos')
        ? { status: 500, body: { message: `upstream rejected token ${TOKEN}` } }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toContain('upstream rejected token [secret]');
  });
});

describe('GitHub connector: failures say what failed', () => {
  it('401 Bad credentials is CONNECTOR_AUTH', async () => {
    const error = await pullError(connector.pull(options(), { token: 'ghp_wrong' }, runContext()));
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toMatch(/refused the token \(401 Bad credentials\)/);
  });

  it('403 on installations is CONNECTOR_PERMISSION naming read:org', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/installations')
        ? {
            status: 403,
            headers: { 'x-accepted-oauth-scopes': 'admin:org, read:org', 'x-oauth-scopes': 'repo' },
            body: { message: 'You must be an organization owner to list installations.', status: '403' },
          }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toMatch(/cannot list the GitHub App installations of northwind-logistics/);
    expect(error.message).toMatch(/read:org/);
    expect(error.message).toMatch(/the token has repo/);
  });

  it('"Resource not accessible by personal access token" on deploy keys names the repository permission', async () => {
    server.intercept.push((r) =>
      r.path === '/repos/northwind-logistics/infra-terraform/keys'
        ? {
            status: 403,
            body: { message: 'Resource not accessible by personal access token', status: '403' },
          }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toMatch(/deploy keys of northwind-logistics\/infra-terraform/);
    expect(error.message).toMatch(/"Administration: read"/);
  });

  it('an unknown organisation is "not found or the token cannot see it"', async () => {
    const error = await pullError(
      connector.pull({ org: 'no-such-org', baseUrl: server.baseUrl }, { token: TOKEN }, runContext()),
    );
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toMatch(/organisation "no-such-org" was not found .* or the token cannot see it/);
  });

  it('an unreachable host is CONNECTOR_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await pullError(
      connector.pull(
        { org: 'northwind-logistics', baseUrl: `http://127.0.0.1:${port}/api/v3` },
        { token: TOKEN },
        runContext(),
      ),
    );
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toMatch(
      /Cannot reach GitHub at http:\/\/127\.0\.0\.1:\d+\/api\/v3 \(.*ECONNREFUSED/,
    );
  });

  it('refuses to follow a next page to another host, so the token stays home', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/installations')
        ? {
            status: 200,
            headers: {
              link: '<http://localhost:9/orgs/northwind-logistics/installations?page=2>; rel="next"',
            },
            body: { total_count: 30, installations: [] },
          }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(/not http:\/\/127\.0\.0\.1:\d+; the pull stopped/);
  });

  it('an answer that is not the documented list (a proxy page) fails instead of passing for an empty list', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/repos')
        ? { status: 200, body: { error: 'captive portal: sign in first' } }
        : undefined,
    );
    const error = await pullError(connector.pull(options(), { token: TOKEN }, runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toBe(
      "GitHub's answer to GET /orgs/{org}/repos is not the list the API documents; nothing was kept. Check the base URL.",
    );
  });

  it('cancelling stops the pull with CANCELLED and reads nothing more', async () => {
    const controller = new AbortController();
    const context = runContext(controller.signal);
    const report = context.onProgress.bind(context);
    context.onProgress = (message, items) => {
      report(message, items);
      if (message.startsWith('Reading App installations')) controller.abort();
    };
    const error = await pullError(connector.pull(options(), { token: TOKEN }, context));
    expect(error.code).toBe('CANCELLED');
    expect(server.requests.filter((r) => r.path.endsWith('/installations'))).toHaveLength(1);
    expect(server.requests.some((r) => r.path.endsWith('/repos'))).toBe(false);
  });
});

describe('GitHub connector: test connection', () => {
  it('reports every check, passing with a token that can read everything', async () => {
    const checks = await connector.test(options(), { token: TOKEN }, runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['Sign in and find the organisation northwind-logistics', true],
      ['List GitHub App installations (read:org)', true],
      ['List repositories', true],
      ['List deploy keys (repository admin)', true],
      ['List fine-grained token grants (optional)', true],
    ]);
    expect(checks[1]!.message).toBe('The organisation has 30 App installations.');
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('says exactly what failed: a bad token fails every check with the auth message', async () => {
    const checks = await connector.test(options(), { token: 'ghp_revoked' }, runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(
      checks.slice(0, 3).every((c) => !c.ok && /refused the token \(401 Bad credentials\)/.test(c.message)),
    ).toBe(true);
  });

  it('a missing scope fails only its own check and names the permission', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/installations')
        ? { status: 403, body: { message: 'Must have admin rights to Repository.', status: '403' } }
        : undefined,
    );
    server.intercept.push((r) =>
      r.path.endsWith('/personal-access-tokens')
        ? { status: 404, body: { message: 'Not Found' } }
        : undefined,
    );
    const checks = await connector.test(options(), { token: TOKEN }, runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => c.ok)).toEqual([true, false, true, true, true]);
    expect(checks[1]!.message).toMatch(/read:org/);
    expect(checks[4]!.message).toMatch(
      /^Not available with this token: .*organization_personal_access_tokens/,
    );
  });
});

describe('GitHub connector: registration', () => {
  it('is the registered github connector with the design options', () => {
    expect(connectorFor('github')).toBe(githubConnector);
    expect(githubConnector.optionsSchema.safeParse({ org: 'northwind-logistics' }).success).toBe(true);
    expect(githubConnector.optionsSchema.safeParse({ org: 'x', baseUrl: 'ftp://x' }).success).toBe(false);
    expect(githubConnector.secretsSchema.safeParse({ token: '' }).success).toBe(false);
  });
});
