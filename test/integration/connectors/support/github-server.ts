/* eslint-disable @microsoft/sdl/no-insecure-url -- a loopback server on 127.0.0.1: plain HTTP, never leaves the machine. */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A loopback GitHub REST API (as GitHub Enterprise Server lays it out, under `/api/v3`) serving the
 * fixture documents with GitHub's response shapes: Link-header pagination, `total_count` on the
 * installations list, `x-ratelimit-*` headers on every answer, `{"message": ...}` errors.
 * Tests add `intercept` rules to make it throttle, fail or refuse.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');

export interface GitHubRequest {
  method: string;
  /** Path below the API prefix, e.g. `/orgs/northwind-logistics/installations`. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** Milliseconds since the server started (for "it waited for Retry-After" checks). */
  at: number;
}

export interface GitHubReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface GitHubServer {
  /** The API base URL to give the connector: `http://127.0.0.1:PORT/api/v3`. */
  baseUrl: string;
  org: string;
  requests: GitHubRequest[];
  /** Rules tried in order before the normal answer; the first to return a reply wins. */
  intercept: Array<(request: GitHubRequest) => GitHubReply | undefined>;
  /** The repositories served, each with its deploy keys (from the fixture files, plus one without keys). */
  repositories: Array<{ name: string; keys: unknown[] }>;
  close(): Promise<void>;
}

export const GITHUB_PREFIX = '/api/v3';
const DOCS = 'https://docs.github.com/rest';

function readJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, ...parts), 'utf8'));
}

/** GitHub's answer when a secondary rate limit hits: 403 or 429, with how long to wait. */
export function secondaryRateLimit(status: 403 | 429, retryAfterSeconds: number): GitHubReply {
  return {
    status,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      status: String(status),
    },
  };
}

export async function startGitHubServer(options: { token: string; org?: string }): Promise<GitHubServer> {
  const org = options.org ?? 'northwind-logistics';
  const installations = (readJson('github', 'org_installations.json') as { installations: unknown[] })
    .installations;
  const keyFiles = readdirSync(join(FIXTURES, 'github', 'deploy_keys')).sort();
  const repositories = keyFiles.map((file) => ({
    name: file.replace(/\.json$/, ''),
    keys: readJson('github', 'deploy_keys', file) as unknown[],
  }));
  // A repository without deploy keys answers `[]`, as GitHub does.
  repositories.splice(2, 0, { name: 'docs-site', keys: [] });
  const patGrants = readJson('github-api', 'org_personal_access_tokens.json') as unknown[];
  const started = Date.now();
  let remaining = 5000;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(GITHUB_PREFIX)
      ? url.pathname.slice(GITHUB_PREFIX.length)
      : url.pathname;
    const request: GitHubRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      authorization: req.headers.authorization,
      at: Date.now() - started,
    };
    state.requests.push(request);
    const send = (reply: GitHubReply): void => {
      remaining = Math.max(0, remaining - 1);
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-used': String(5000 - remaining),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        'x-github-api-version-selected': '2022-11-28',
        ...reply.headers,
      });
      res.end(JSON.stringify(reply.body));
    };
    req.resume();
    req.on('end', () => {
      for (const rule of state.intercept) {
        const reply = rule(request);
        if (reply) return send(reply);
      }
      send(answer(request));
    });
  });

  const page = (request: GitHubRequest, items: unknown[]): { items: unknown[]; link?: string } => {
    const perPage = Math.min(100, Number(request.query.get('per_page') ?? '30') || 30);
    const current = Math.max(1, Number(request.query.get('page') ?? '1') || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string): string => {
      const query = new URLSearchParams(request.query);
      query.set('per_page', String(perPage));
      query.set('page', String(n));
      return `<${state.baseUrl}${request.path}?${query.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (current > 1) links.push(link(current - 1, 'prev'));
    if (current < last) links.push(link(current + 1, 'next'));
    if (current < last) links.push(link(last, 'last'));
    if (current > 1) links.push(link(1, 'first'));
    const slice = items.slice((current - 1) * perPage, current * perPage);
    return links.length > 0 ? { items: slice, link: links.join(', ') } : { items: slice };
  };

  const listReply = (request: GitHubRequest, items: unknown[], wrap?: (slice: unknown[]) => unknown) => {
    const { items: slice, link } = page(request, items);
    return {
      status: 200,
      body: wrap ? wrap(slice) : slice,
      ...(link ? { headers: { link } } : {}),
    } satisfies GitHubReply;
  };

  const notFound: GitHubReply = {
    status: 404,
    body: { message: 'Not Found', documentation_url: DOCS, status: '404' },
  };

  function answer(request: GitHubRequest): GitHubReply {
    if (request.authorization !== `token ${options.token}`) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
    }
    if (request.method !== 'GET') return notFound;
    const parts = request.path.split('/').filter((p) => p !== '');
    if (parts[0] === 'orgs' && parts[1] === org) {
      if (parts.length === 2) {
        return {
          status: 200,
          body: {
            login: org,
            id: 98123456,
            node_id: 'O_kgDOBdlUQA',
            type: 'Organization',
            name: 'Northwind Logistics',
          },
        };
      }
      if (parts[2] === 'installations' && parts.length === 3) {
        return listReply(request, installations, (slice) => ({
          total_count: installations.length,
          installations: slice,
        }));
      }
      if (parts[2] === 'repos' && parts.length === 3) {
        return listReply(
          request,
          repositories.map((repo, index) => ({
            id: 610000000 + index,
            node_id: `R_kgDOJ${index}`,
            name: repo.name,
            full_name: `${org}/${repo.name}`,
            private: true,
            owner: { login: org, id: 98123456, type: 'Organization' },
            archived: repo.name === 'edi-mappings',
          })),
        );
      }
      if (parts[2] === 'personal-access-tokens' && parts.length === 3) return listReply(request, patGrants);
    }
    if (parts[0] === 'repos' && parts[1] === org && parts[3] === 'keys' && parts.length === 4) {
      const repo = repositories.find((r) => r.name === parts[2]);
      if (repo) return listReply(request, repo.keys);
    }
    return notFound;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const state: GitHubServer = {
    baseUrl: `http://127.0.0.1:${port}${GITHUB_PREFIX}`,
    org,
    requests: [],
    intercept: [],
    repositories,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return state;
}
