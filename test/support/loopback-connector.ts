import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AppError } from '../../shared/api/errors';
import type { NormalizedIdentity } from '../../shared/domain/identity';
import type {
  ConnectionCheck,
  Connector,
  ConnectorPullResult,
  ConnectorRunContext,
} from '../../electron/core/connectors/connector-types';

/**
 * A small connector of the test's own, standing in for a shipped one so the framework (profiles,
 * pull runner, handlers, CLI, the Connectors page) is tested end to end over real HTTP. It takes the
 * place of the `github` type (same options and secrets as the GitHub connector: org, baseUrl, token)
 * and reads a paged JSON API from `LoopbackSource`, turning each item into a NormalizedIdentity.
 *
 * It is deliberately careless in one way a real connector must not be: error and progress messages
 * quote what the server said, and with `leakyProgress` the token itself, so the framework's redaction
 * (defense in depth) is what keeps the secret out.
 */
export interface LoopbackOptions {
  org: string;
  baseUrl?: string | undefined;
}
export interface LoopbackSecrets {
  token: string;
}

export interface LoopbackConnectorSettings {
  /** Puts the token in a progress message, as a careless connector might. */
  leakyProgress?: boolean;
}

export function loopbackConnector(
  settings: LoopbackConnectorSettings = {},
): Connector<LoopbackOptions, LoopbackSecrets> {
  const optionsSchema = z
    .object({ org: z.string().min(1), baseUrl: z.url().optional() })
    .strict() as z.ZodType<LoopbackOptions>;
  const secretsSchema = z.object({ token: z.string().min(8) }).strict();

  async function get(options: LoopbackOptions, secrets: LoopbackSecrets, path: string, signal: AbortSignal) {
    let response: Response;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${secrets.token}`, accept: 'application/json' },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      throw new AppError(
        'CONNECTOR_UNREACHABLE',
        `${options.baseUrl} cannot be reached (${(error as Error).message}).`,
      );
    }
    const body = Buffer.from(await response.arrayBuffer());
    // Careless on purpose: the server's words (which may echo the token) go into the message.
    if (response.status === 401)
      throw new AppError('CONNECTOR_AUTH', `The server refused the token: ${body.toString('utf8')}`);
    if (response.status === 403)
      throw new AppError('CONNECTOR_PERMISSION', `Missing permission read:org: ${body.toString('utf8')}`);
    if (!response.ok)
      throw new AppError(
        'CONNECTOR_FAILED',
        `GET ${path} answered ${response.status}: ${body.toString('utf8')}`,
      );
    return body;
  }

  return {
    type: 'github',
    label: 'Loopback test source',
    sdk: 'node fetch (test connector)',
    optionsSchema,
    secretsSchema,

    async test(options, secrets, context: ConnectorRunContext): Promise<ConnectionCheck[]> {
      const checks: ConnectionCheck[] = [];
      for (const [name, path] of [
        ['Sign in', '/user'],
        [`Read the organisation ${options.org} (read:org)`, `/orgs/${options.org}`],
      ] as const) {
        try {
          await get(options, secrets, path, context.signal);
          checks.push({ name, ok: true, message: 'OK.' });
        } catch (error) {
          if ((error as AppError).code === 'CANCELLED') throw error;
          checks.push({ name, ok: false, message: (error as Error).message });
        }
      }
      return checks;
    },

    async pull(options, secrets, context): Promise<ConnectorPullResult> {
      const responses: ConnectorPullResult['responses'] = [];
      const identities: NormalizedIdentity[] = [];
      for (let page = 1; ; page += 1) {
        context.onProgress(
          `Reading identities, page ${page}${settings.leakyProgress ? ` with token ${secrets.token}` : ''}`,
          identities.length,
        );
        const path = `/orgs/${options.org}/identities?page=${page}`;
        const body = await get(options, secrets, path, context.signal);
        responses.push({ name: `GET ${path}`, body });
        const parsed = JSON.parse(body.toString('utf8')) as { items: LoopbackItem[]; next: number | null };
        identities.push(...parsed.items.map(identityOf));
        if (parsed.next === null) break;
      }
      return {
        sourceKind: 'github',
        preset: 'loopback-test',
        endpoint: options.baseUrl ?? '',
        account: options.org,
        responses,
        identities,
        rejects: [],
        notes: [],
      };
    },
  };
}

export interface LoopbackItem {
  id: string;
  name: string;
  owner: string;
  keyId: string;
  createdAt: string;
}

function identityOf(item: LoopbackItem): NormalizedIdentity {
  return {
    externalId: item.id,
    kind: 'github-app',
    name: item.name,
    environment: 'production',
    status: 'active',
    description: null,
    createdAt: item.createdAt,
    lastUsedAt: null,
    owners: [{ ref: item.owner, role: 'business' }],
    credentials: [
      {
        externalId: item.keyId,
        type: 'key',
        status: 'active',
        createdAt: item.createdAt,
        lastRotatedAt: null,
        expiresAt: null,
        lastUsedAt: null,
      },
    ],
    entitlements: [{ name: 'contents: read', resource: null, privileged: false }],
    attributes: { organization: 'northwind-logistics' },
  };
}

export interface LoopbackSourceSettings {
  token: string;
  items: LoopbackItem[];
  pageSize?: number;
  /** Answer this page with a 500 whose body echoes the token the request carried. */
  failAtPage?: number;
  /** Hold each page until `release()` is called (for cancelling mid-pull). */
  holdPages?: boolean;
}

/**
 * The source the loopback connector reads: a paged JSON API on 127.0.0.1 that checks the bearer
 * token and, when refusing, echoes what it was sent (as some real servers do), so tests can prove the
 * secret never leaves through an error.
 */
export class LoopbackSource {
  private server: Server | null = null;
  readonly requests: string[] = [];
  private held: Array<() => void> = [];
  private pageWaiters: Array<() => void> = [];

  constructor(public settings: LoopbackSourceSettings) {}

  get baseUrl(): string {
    const address = this.server!.address() as AddressInfo;
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- a loopback server in the test process
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.answer(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Lets every held page answer. */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  /** Resolves once a page request has arrived and is being held. */
  pageRequested(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.pageWaiters.push(resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- only parses the request path
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${request.method} ${url.pathname}${url.search}`);
    const sent = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (sent !== this.settings.token) {
      json(401, { message: `Bad credentials: ${sent} is not a valid token` });
      return;
    }
    if (url.pathname === '/user') return json(200, { login: 'steward-audit' });
    const org = /^\/orgs\/([^/]+)$/.exec(url.pathname);
    if (org) return json(200, { login: org[1] });
    if (!/^\/orgs\/[^/]+\/identities$/.test(url.pathname)) return json(404, { message: 'Not Found' });
    const page = Number(url.searchParams.get('page') ?? '1');
    const send = () => {
      if (page === this.settings.failAtPage) {
        json(500, { message: `Internal error while serving token ${sent}` });
        return;
      }
      const size = this.settings.pageSize ?? 2;
      const items = this.settings.items.slice((page - 1) * size, page * size);
      json(200, { items, next: page * size < this.settings.items.length ? page + 1 : null });
    };
    if (this.settings.holdPages) {
      this.held.push(send);
      for (const wake of this.pageWaiters.splice(0)) wake();
    } else send();
  }
}

/** Four identities, as the loopback source serves them. */
export function loopbackItems(count = 4): LoopbackItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `app-${1000 + index}`,
    name: `deploy-bot-${index + 1}`,
    owner: `owner${index + 1}@northwindlogistics.example`,
    keyId: `SHA256:key${index + 1}`,
    createdAt: `2025-0${(index % 9) + 1}-01T00:00:00.000Z`,
  }));
}
