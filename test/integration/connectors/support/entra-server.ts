import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A loopback Microsoft Entra ID + Microsoft Graph over HTTPS (MSAL refuses a non-https authority).
 * It speaks the documented shapes: the tenant's OpenID metadata and the client-credentials token
 * endpoint (`POST /{tenant}/oauth2/v2.0/token`, `invalid_client` / AADSTS7000215 on a wrong secret),
 * and Graph's `/v1.0/servicePrincipals` pages (the fixtures, with `@odata.nextLink` rewritten to this
 * server), `/v1.0/applications`, `/v1.0/servicePrincipals/{id}/appRoleAssignments`,
 * `/v1.0/servicePrincipals/{id}` and `/beta/reports/servicePrincipalSignInActivities`.
 * The certificate is made for 127.0.0.1 by openssl when the server starts; clients trust it only if
 * they are given `caPem`.
 */
export const TENANT_ID = '74cf9d0e-425a-4019-ac21-4c3be7c613c8';
export const CLIENT_ID = '5b4c1a0e-9d7f-4e3a-8b2c-6f1d0e9a8b7c';
/** Microsoft Graph's service principal in the fixture tenant (its list entry carries no appRoles). */
export const GRAPH_RESOURCE_ID = 'd21d48fc-62f4-4b74-aaff-da215b631ce2';

/** Microsoft Graph application permissions as Graph publishes them (ids are Microsoft's). */
export const GRAPH_APP_ROLES = [
  { id: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', value: 'Directory.ReadWrite.All' },
  { id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', value: 'Directory.Read.All' },
  { id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', value: 'Mail.Send' },
  { id: '332a536c-c7ef-4017-ab91-336970924f0d', value: 'Sites.Read.All' },
  { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All' },
].map((role) => ({
  ...role,
  allowedMemberTypes: ['Application'],
  description: `Allows the app to use ${role.value} without a signed-in user.`,
  displayName: role.value,
  isEnabled: true,
  origin: 'Application',
}));

export interface RecordedRequest {
  method: string;
  path: string;
  /** Milliseconds since the server started, to check a retry waited as asked. */
  at: number;
  /** Form body of token requests only (it carries the client secret). */
  body: string;
  authorization: string | null;
  status: number;
}

export interface AssignmentSeed {
  appRoleId: string;
  resourceId: string;
  resourceDisplayName: string;
}

/** What the server does; tests change it between runs. */
export interface EntraScenario {
  clientSecret: string;
  /** 429 with `Retry-After: retryAfter` on the first request for page 2 only. */
  throttlePage2Once: boolean;
  retryAfter: string;
  /** Answer every page-2 request with this status. */
  page2Status: number | null;
  servicePrincipalsForbidden: boolean;
  applicationsForbidden: boolean;
  signInReport: 'ok' | 'forbidden' | 'not-found';
  /** App role assignments by service principal id; others have none. */
  assignments: Record<string, AssignmentSeed[]>;
  /** Extra fields for an application (by appId): credentials or owners the SP does not have. */
  applicationExtras: Record<string, { passwordCredentials?: unknown[]; owners?: unknown[] }>;
  /** Every owner of a service principal (by id); pages expand only the first 20, as Graph does. */
  manyOwners: Record<string, Json[]>;
  /** Owners as Graph shows them to an app that may not read users: type and id, the rest null. */
  hideUserOwnerDetails: boolean;
  /** Answer the app role assignments of these service principals (by id) with this status. */
  assignmentStatus: Record<string, number>;
  /** Rewrite page 1's `@odata.nextLink` to this origin instead of the server's own. */
  nextLinkOrigin: string | null;
  /** Calls back when a request reaches Graph (after it was recorded). */
  onGraphRequest: ((request: RecordedRequest) => void) | null;
}

export function defaultScenario(clientSecret: string): EntraScenario {
  return {
    clientSecret,
    throttlePage2Once: false,
    retryAfter: '1',
    page2Status: null,
    servicePrincipalsForbidden: false,
    applicationsForbidden: false,
    signInReport: 'ok',
    assignments: {},
    applicationExtras: {},
    nextLinkOrigin: null,
    manyOwners: {},
    hideUserOwnerDetails: false,
    assignmentStatus: {},
    onGraphRequest: null,
  };
}

export interface EntraServer {
  baseUrl: string;
  caPem: string;
  requests: RecordedRequest[];
  scenario: EntraScenario;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

function makeCertificate(): { cert: string; key: string } {
  const folder = mkdtempSync(join(tmpdir(), 'steward-entra-tls-'));
  try {
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
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function graphError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(
    response,
    status,
    {
      error: {
        code,
        message,
        innerError: { date: '2026-11-24T10:00:00', 'request-id': 'b1f4c1de-0000-4000-8000-000000000001' },
      },
    },
    headers,
  );
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', ...headers });
  response.end(JSON.stringify(body));
}

export async function startEntraServer(fixtures: string, clientSecret: string): Promise<EntraServer> {
  const { cert, key } = makeCertificate();
  const page1 = readJson(join(fixtures, 'servicePrincipals_page1.json'));
  const page2 = readJson(join(fixtures, 'servicePrincipals_page2.json'));
  const signIns = readJson(join(fixtures, 'servicePrincipalSignInActivities.json'));
  const nextLink = String(page1['@odata.nextLink']);
  const skipToken = new URL(nextLink).searchParams.get('$skiptoken');
  const servicePrincipals = [...(page1.value as Json[]), ...(page2.value as Json[])];
  const started = performance.now();
  const scenario = defaultScenario(clientSecret);
  const requests: RecordedRequest[] = [];
  const accessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${Buffer.from(`loopback-${Date.now()}`).toString('base64url')}.`;
  let baseUrl = '';

  // App registrations of the tenant's own apps carry the credentials and owners the export shows.
  const applicationsOf = (): Json[] =>
    servicePrincipals
      .filter((sp) => sp.appOwnerOrganizationId === TENANT_ID && sp.servicePrincipalType === 'Application')
      .map((sp, index) => {
        const extras = scenario.applicationExtras[String(sp.appId)] ?? {};
        return {
          id: `a0000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
          appId: sp.appId,
          displayName: sp.displayName,
          passwordCredentials: [
            ...((sp.passwordCredentials as unknown[]) ?? []),
            ...(extras.passwordCredentials ?? []),
          ],
          keyCredentials: sp.keyCredentials ?? [],
          owners: [...((sp.owners as unknown[]) ?? []), ...(extras.owners ?? [])],
        };
      });

  // Graph's $expand returns at most 20 related objects per item.
  const expanded = (page: Json): Json => ({
    ...page,
    value: (page.value as Json[]).map((sp) => {
      const all = scenario.manyOwners[String(sp.id)] ?? (sp.owners as Json[] | undefined) ?? [];
      const owners = all.slice(0, 20).map((owner) =>
        scenario.hideUserOwnerDetails && String(owner['@odata.type']).endsWith('user')
          ? {
              '@odata.type': owner['@odata.type'],
              id: owner.id,
              displayName: null,
              userPrincipalName: null,
              mail: null,
            }
          : owner,
      );
      return { ...sp, owners };
    }),
  });

  const handleGraph = (url: URL, response: ServerResponse): number => {
    const path = url.pathname;
    if (path === '/v1.0/servicePrincipals') {
      if (scenario.servicePrincipalsForbidden) {
        graphError(
          response,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
        return 403;
      }
      if (url.searchParams.get('$skiptoken') === skipToken) {
        // Counted from the log, which tests clear between runs (this request is already in it).
        const page2Requests = requests.filter((r) => r.path.includes(`$skiptoken=${skipToken}`)).length;
        if (scenario.page2Status !== null) {
          graphError(
            response,
            scenario.page2Status,
            'serviceUnavailable',
            'The service is temporarily unavailable.',
          );
          return scenario.page2Status;
        }
        if (scenario.throttlePage2Once && page2Requests === 1) {
          graphError(response, 429, 'TooManyRequests', 'Too many requests.', {
            'Retry-After': scenario.retryAfter,
          });
          return 429;
        }
        send(response, 200, expanded(page2));
        return 200;
      }
      send(response, 200, {
        ...expanded(page1),
        '@odata.nextLink': nextLink.replace(
          'https://graph.microsoft.com',
          scenario.nextLinkOrigin ?? baseUrl,
        ),
      });
      return 200;
    }
    const assignments = /^\/v1\.0\/servicePrincipals\/([0-9a-f-]+)\/appRoleAssignments$/.exec(path);
    if (assignments) {
      const principal = servicePrincipals.find((sp) => sp.id === assignments[1]);
      if (!principal) {
        graphError(response, 404, 'Request_ResourceNotFound', `Resource '${assignments[1]}' does not exist.`);
        return 404;
      }
      const status = scenario.assignmentStatus[String(principal.id)];
      if (status) {
        graphError(
          response,
          status,
          status === 403 ? 'Authorization_RequestDenied' : 'generalException',
          'Failed.',
        );
        return status;
      }
      send(response, 200, {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('${principal.id}')/appRoleAssignments`,
        value: (scenario.assignments[String(principal.id)] ?? []).map((seed, index) => ({
          id: Buffer.from(`${principal.id}-${index}`).toString('base64url'),
          deletedDateTime: null,
          appRoleId: seed.appRoleId,
          createdDateTime: '2025-03-14T09:12:44.1234567Z',
          principalDisplayName: principal.displayName,
          principalId: principal.id,
          principalType: 'ServicePrincipal',
          resourceDisplayName: seed.resourceDisplayName,
          resourceId: seed.resourceId,
        })),
      });
      return 200;
    }
    const owners = /^\/v1\.0\/servicePrincipals\/([0-9a-f-]+)\/owners$/.exec(path);
    if (owners) {
      const principal = servicePrincipals.find((sp) => sp.id === owners[1]);
      const all = scenario.manyOwners[owners[1]!] ?? (principal?.owners as Json[] | undefined) ?? [];
      // Ten a page, so the list pages too.
      const skip = Number(/^owners-(\d+)$/.exec(url.searchParams.get('$skiptoken') ?? '')?.[1] ?? 0);
      const next = skip + 10 < all.length ? `${baseUrl}${path}?$skiptoken=owners-${skip + 10}` : undefined;
      send(response, 200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
        ...(next ? { '@odata.nextLink': next } : {}),
        value: all.slice(skip, skip + 10),
      });
      return 200;
    }
    const single = /^\/v1\.0\/servicePrincipals\/([0-9a-f-]+)$/.exec(path);
    if (single) {
      const found = servicePrincipals.find((sp) => sp.id === single[1]);
      if (!found) {
        graphError(response, 404, 'Request_ResourceNotFound', `Resource '${single[1]}' does not exist.`);
        return 404;
      }
      send(response, 200, {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName,appRoles)/$entity',
        id: found.id,
        appId: found.appId,
        displayName: found.displayName,
        appRoles: found.id === GRAPH_RESOURCE_ID ? GRAPH_APP_ROLES : (found.appRoles ?? []),
      });
      return 200;
    }
    if (path === '/v1.0/applications') {
      if (scenario.applicationsForbidden) {
        graphError(
          response,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
        return 403;
      }
      send(response, 200, {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#applications(id,appId,displayName,passwordCredentials,keyCredentials,owners(id,displayName,userPrincipalName,mail))',
        value: applicationsOf(),
      });
      return 200;
    }
    if (path === '/beta/reports/servicePrincipalSignInActivities') {
      if (scenario.signInReport === 'forbidden') {
        graphError(
          response,
          403,
          'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          "Neither tenant is B2C or tenant doesn't have premium license",
        );
        return 403;
      }
      if (scenario.signInReport === 'not-found') {
        graphError(
          response,
          404,
          'ResourceNotFound',
          "Resource not found for the segment 'servicePrincipalSignInActivities'.",
        );
        return 404;
      }
      send(response, 200, signIns);
      return 200;
    }
    graphError(response, 404, 'Request_ResourceNotFound', `No such resource: ${path}`);
    return 404;
  };

  const handle = (request: IncomingMessage, body: string, response: ServerResponse): number => {
    const url = new URL(request.url ?? '/', baseUrl);
    const tenantBase = `${baseUrl}/${TENANT_ID}`;
    if (request.method === 'GET' && url.pathname === `/${TENANT_ID}/v2.0/.well-known/openid-configuration`) {
      send(response, 200, {
        token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${tenantBase}/v2.0`,
        authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${tenantBase}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      });
      return 200;
    }
    if (/^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/.test(url.pathname)) {
      send(response, 400, {
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${url.pathname.split('/')[1]}' not found.`,
        error_codes: [90002],
      });
      return 400;
    }
    if (request.method === 'POST' && url.pathname === `/${TENANT_ID}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== scenario.clientSecret) {
        send(response, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'. Trace ID: 0d7b Correlation ID: 3f1a Timestamp: 2026-11-24 10:00:00Z`,
          error_codes: [7000215],
          timestamp: '2026-11-24 10:00:00Z',
          trace_id: '0d7b0000-0000-4000-8000-000000000000',
          correlation_id: '3f1a0000-0000-4000-8000-000000000000',
          error_uri: `${baseUrl}/error?code=7000215`,
        });
        return 401;
      }
      send(response, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: accessToken,
      });
      return 200;
    }
    if (url.pathname.startsWith('/v1.0/') || url.pathname.startsWith('/beta/')) {
      if (request.headers.authorization !== `Bearer ${accessToken}`) {
        graphError(response, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
        return 401;
      }
      if (request.method !== 'GET') {
        graphError(response, 405, 'Request_BadRequest', 'Only reads are served here.');
        return 405;
      }
      return handleGraph(url, response);
    }
    send(response, 404, { error: 'not_found' });
    return 404;
  };

  const server: Server = createServer({ cert, key }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        at: performance.now() - started,
        body,
        authorization: request.headers.authorization ?? null,
        status: 0,
      };
      requests.push(record);
      record.status = handle(request, body, response);
      if (record.path.startsWith('/v1.0/') || record.path.startsWith('/beta/'))
        scenario.onGraphRequest?.(record);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    caPem: cert,
    requests,
    scenario,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
