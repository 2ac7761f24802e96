import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import { documentPresetFor } from '../../imports/presets/document-presets';
import type { ImportNote } from '../../imports/preset-types';
import type {
  ConnectionCheck,
  Connector,
  ConnectorPullResult,
  ConnectorRunContext,
  PulledResponse,
} from '../connector-types';
import {
  applicationSchema,
  appRoleAssignmentSchema,
  appRoleSchema,
  enrichPages,
  idsWithFullExpansion,
  resourcesToResolve,
  type ApplicationObject,
  type AppRole,
  type AppRoleAssignment,
  type PageDocument,
} from './entra-enrichment';
import { createTokenSource, type TokenSource } from './entra-sign-in';
import { GraphClient, GraphHttpError } from './graph-client';
import { cancelledError, createAgent, trustedCertificates } from './https-get';

/**
 * Microsoft Entra ID through Microsoft Graph: service principals with their owners (v1.0), the
 * application objects' credentials and owners, each service principal's app role assignments
 * (application permissions), and the beta sign-in activity report where the tenant has it. Only GET
 * requests go to Graph; the one POST is the OAuth token request of the sign-in.
 */
const IDENTITY_SDK_VERSION = '4.13.0';
const PRESET_ID = 'entra-service-principals';
const OWNER_SELECT = '$select=id,displayName,userPrincipalName,mail';
const READ_PERMISSION = 'Application.Read.All';
const SIGN_IN_REPORT_NOTE =
  'sign-in activity needs AuditLog.Read.All and an Entra ID P1/P2 licence; last use is unknown';

const httpsUrl = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''));

/*
 * Profile options are stored and passed as strings (the connectors.add contract), so the numeric
 * tuning options are coerced; they exist for slow networks and for tests, which keep retries short.
 */
export const entraOptionsSchema = z.object({
  /** The directory (tenant) id, or one of its domains (contoso.onmicrosoft.com). */
  tenantId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be a tenant id (GUID) or a domain name'),
  /** The application (client) id of the app registration Steward signs in as. */
  clientId: z.guid('must be the application (client) id, a GUID'),
  /** Default https://login.microsoftonline.com; sovereign clouds have their own. */
  authorityHost: httpsUrl.optional(),
  /** Default https://graph.microsoft.com; sovereign clouds have their own. */
  graphUrl: httpsUrl.optional(),
  /**
   * Extra trusted CA certificates as PEM text (one or several, concatenated), e.g. a TLS-inspecting
   * proxy's; Node's own CAs stay trusted. Profile options are strings, hence PEM text, not a list.
   */
  caCertificates: z
    .string()
    .max(200_000)
    .includes('-----BEGIN CERTIFICATE-----', {
      error: 'must be PEM certificates (-----BEGIN CERTIFICATE-----)',
    })
    .optional(),
  /** Attempts per request on 429, 5xx and dropped connections, the first included. */
  maxAttempts: z.coerce.number().int().min(1).max(10).optional(),
  /** Backoff base when Graph gives no Retry-After. */
  retryBaseDelayMs: z.coerce.number().int().min(0).max(60_000).optional(),
  /** A longer Retry-After fails the pull rather than stall it. */
  maxRetryAfterSeconds: z.coerce.number().int().min(1).max(3600).optional(),
  requestTimeoutMs: z.coerce.number().int().min(1000).max(600_000).optional(),
  /** Page size for the lists ($top). */
  pageSize: z.coerce.number().int().min(1).max(999).optional(),
  /** Requests in flight at once while reading the per-service-principal assignments. */
  concurrency: z.coerce.number().int().min(1).max(16).optional(),
});
export type EntraOptions = z.infer<typeof entraOptionsSchema>;

export const entraSecretsSchema = z.object({ clientSecret: z.string().min(1, 'the client secret is empty') });
export type EntraSecrets = z.infer<typeof entraSecretsSchema>;

interface Run {
  graph: GraphClient;
  tokens: TokenSource;
  graphUrl: string;
  tenantId: string;
  pageSize: number;
  concurrency: number;
  context: ConnectorRunContext;
  close(): void;
}

function openRun(options: EntraOptions, secrets: EntraSecrets, context: ConnectorRunContext): Run {
  const authorityHost = options.authorityHost ?? 'https://login.microsoftonline.com';
  const graphUrl = options.graphUrl ?? 'https://graph.microsoft.com';
  const ca = trustedCertificates(options.caCertificates);
  const agent = createAgent(ca);
  const maxAttempts = options.maxAttempts ?? 4;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 1000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const tokens = createTokenSource({
    tenantId: options.tenantId,
    clientId: options.clientId,
    clientSecret: secrets.clientSecret,
    authorityHost,
    graphUrl,
    ca,
    agent,
    maxAttempts,
    retryBaseDelayMs,
    requestTimeoutMs,
  });
  const graph = new GraphClient({
    graphUrl,
    getAccessToken: (signal) => tokens.getAccessToken(signal),
    agent,
    maxAttempts,
    retryBaseDelayMs,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 120,
    requestTimeoutMs,
  });
  return {
    graph,
    tokens,
    graphUrl,
    tenantId: options.tenantId,
    pageSize: options.pageSize ?? 100,
    concurrency: options.concurrency ?? 4,
    context,
    close: () => agent.destroy(),
  };
}

/** The AppError for a Graph answer that stopped a read, naming the permission that read needs. */
function graphFailure(error: GraphHttpError, permission: string): AppError {
  switch (error.status) {
    case 401:
      return new AppError(
        'CONNECTOR_AUTH',
        `Microsoft Graph refused the access token for ${error.what}${error.detail}. Check that the Graph URL belongs to the same cloud as the authority host, and that the app registration is enabled.`,
      );
    case 403:
      return new AppError(
        'CONNECTOR_PERMISSION',
        `${error.what} was refused${error.detail}: the app registration needs the Microsoft Graph application permission ${permission}, with admin consent granted. Nothing was saved.`,
      );
    default: {
      const tries = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
      return new AppError(
        'CONNECTOR_FAILED',
        `${error.what} failed${tries}: Microsoft Graph answered ${error.status}${error.detail}. Nothing was saved; try the pull again later.`,
      );
    }
  }
}

const graphPageSchema = z.looseObject({
  '@odata.nextLink': z.string().nullish(),
  value: z.array(z.unknown()),
});

interface CollectionRead {
  pages: PageDocument[];
  responses: PulledResponse[];
}

/**
 * Every page of one collection, following `@odata.nextLink` until a page has none. `label` names the
 * request in responses, progress and errors (`GET /v1.0/servicePrincipals`); a Graph error is thrown
 * as GraphHttpError for the caller to judge (a 403 is fatal for the list, a note for the report).
 */
async function readCollection(
  run: Run,
  path: string,
  label: string,
  onPage?: (page: number, items: number) => void,
): Promise<CollectionRead> {
  const pages: PageDocument[] = [];
  const responses: PulledResponse[] = [];
  const followed = new Set<string>();
  let url: URL | null = run.graph.urlFor(path);
  for (let page = 1; url; page++) {
    const what = `${label} (page ${page})`;
    const answer = await run.graph.get(url, what, run.context.signal);
    const parsed = graphPageSchema.safeParse(answer.json);
    if (!parsed.success) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what}: Microsoft Graph answered without a "value" list, so this is not the collection that was asked for. Nothing was saved; check the Graph URL of this connection.`,
      );
    }
    responses.push({ name: what, body: answer.body });
    pages.push({ name: what, json: parsed.data });
    onPage?.(page, parsed.data.value.length);
    const next = parsed.data['@odata.nextLink'];
    if (!next) break;
    if (followed.has(next)) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what} points back to a page already read; Microsoft Graph's paging went round in a circle, so the list cannot be known to be complete. Nothing was saved; try again.`,
      );
    }
    followed.add(next);
    url = run.graph.nextLinkUrl(next, what);
  }
  return { pages, responses };
}

function itemsOf<T>(pages: readonly PageDocument[], schema: z.ZodType<T>, what: string): T[] {
  return pages.flatMap((page) =>
    page.json.value.map((item, index) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        throw new AppError(
          'CONNECTOR_FAILED',
          `${page.name}: item ${index + 1} is not ${what} as Microsoft Graph documents it. Nothing was saved.`,
        );
      }
      return parsed.data;
    }),
  );
}

/**
 * Runs `task` for each item with at most `limit` in flight. The first failure stops the rest (they
 * see a cancelled signal) and is the one thrown; a cancelled pull is CANCELLED whatever else failed.
 */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  outer: AbortSignal,
  task: (item: T, index: number, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const signal = AbortSignal.any([outer, stop.signal]);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (!failure && !signal.aborted && next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index, signal);
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (outer.aborted) throw cancelledError();
  if (failure) throw (failure as { error: unknown }).error;
}

function rethrowGraph(error: unknown, permission: string): never {
  if (error instanceof GraphHttpError) throw graphFailure(error, permission);
  throw error;
}

async function signIn(run: Run): Promise<void> {
  run.context.onProgress('Signing in to Microsoft Entra ID', 0);
  await run.tokens.getAccessToken(run.context.signal);
}

async function pull(
  options: EntraOptions,
  secrets: EntraSecrets,
  context: ConnectorRunContext,
): Promise<ConnectorPullResult> {
  const run = openRun(options, secrets, context);
  try {
    return await pullWith(run);
  } finally {
    run.close();
  }
}

async function pullWith(run: Run): Promise<ConnectorPullResult> {
  const { context } = run;
  const notes: ImportNote[] = [];
  await signIn(run);

  let listed = 0;
  const servicePrincipals = await readCollection(
    run,
    `/v1.0/servicePrincipals?$top=${run.pageSize}&$expand=owners(${OWNER_SELECT})`,
    'GET /v1.0/servicePrincipals',
    (page, items) => {
      listed += items;
      context.onProgress(`Reading service principals, page ${page}`, listed);
    },
  ).catch((error: unknown) => rethrowGraph(error, READ_PERMISSION));
  const servicePrincipalIds = servicePrincipals.pages.flatMap((page) =>
    page.json.value.flatMap((item) =>
      typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string'
        ? [(item as { id: string }).id]
        : [],
    ),
  );

  const fullOwners = await readAllOwners(
    run,
    'servicePrincipals',
    idsWithFullExpansion(
      servicePrincipals.pages.flatMap((page) => page.json.value as Array<{ id?: unknown }>),
    ),
  );
  const applications = await readApplications(run, notes);
  const assignments = await readAssignments(run, servicePrincipalIds, listed);
  const resourceRoles = await readResourceRoles(
    run,
    resourcesToResolve(servicePrincipals.pages, assignments.byServicePrincipal),
    listed,
  );
  const signIns = await readSignInActivity(run, notes, listed);

  const { documents, counts } = enrichPages(servicePrincipals.pages, {
    fullOwners: fullOwners.owners,
    assignmentsByServicePrincipal: assignments.byServicePrincipal,
    applicationsByAppId: applications.byAppId,
    resourceRoles: resourceRoles.roles,
  });
  const homeTenantId = z.guid().safeParse(run.tenantId).success ? { homeTenantId: run.tenantId } : {};
  const mapped = documentPresetFor(PRESET_ID, homeTenantId).map([
    ...documents,
    ...(signIns?.pages ?? []).map((page) => ({ name: page.name, json: page.json })),
  ]);
  const unnamed = ownersWithoutDetails(documents.flatMap((d) => (d.json as { value: unknown[] }).value));
  if (unnamed > 0) {
    notes.push({
      file: servicePrincipals.pages[0]!.name,
      row: 0,
      message: `${unnamed} user owners came back with only their object id (Graph hides their names and mail without permission to read users), so they cannot be matched to people. Grant User.Read.All (application) to see who they are.`,
    });
  }
  const added = [
    counts.assignments > 0 ? `${counts.assignments} app role assignments (application permissions)` : null,
    counts.ownersBeyondExpansion > 0
      ? `${counts.ownersBeyondExpansion} owners past the 20 that Graph expands per service principal`
      : null,
    counts.credentials > 0 ? `${counts.credentials} credentials from the application registrations` : null,
    counts.owners > 0 ? `${counts.owners} owners from the application registrations` : null,
  ].filter((part): part is string => part !== null);
  if (added.length > 0) {
    notes.push({
      file: servicePrincipals.pages[0]!.name,
      row: 0,
      message: `Beyond a servicePrincipals export, the API added ${added.join(', ')}.`,
    });
  }
  context.onProgress('Read everything', mapped.identities.length);
  return {
    sourceKind: 'entra',
    preset: PRESET_ID,
    endpoint: `${run.graphUrl}/v1.0`,
    account: run.tenantId,
    responses: [
      ...servicePrincipals.responses,
      ...fullOwners.responses,
      ...applications.responses,
      ...assignments.responses,
      ...resourceRoles.responses,
      ...(signIns?.responses ?? []),
    ],
    identities: mapped.identities,
    rejects: mapped.rejects,
    notes: [...(mapped.notes ?? []), ...notes],
    ...(mapped.partial ? { partial: true } : {}),
  };
}

/**
 * User owners Graph returned as bare ids: with Application.Read.All alone, directory objects the app
 * may not read come back with `@odata.type` and `id` only, every other property null.
 */
function ownersWithoutDetails(items: readonly unknown[]): number {
  let count = 0;
  for (const item of items) {
    const owners = (item as { owners?: unknown } | null)?.owners;
    if (!Array.isArray(owners)) continue;
    for (const owner of owners as Array<Record<string, unknown> | null>) {
      const type =
        typeof owner?.['@odata.type'] === 'string' ? owner['@odata.type'] : '#microsoft.graph.user';
      if (/user$/i.test(type) && !owner?.mail && !owner?.userPrincipalName && !owner?.displayName) count++;
    }
  }
  return count;
}

/** Application registrations; where Graph refuses them, a note (their credentials are then not added). */
async function readApplications(
  run: Run,
  notes: ImportNote[],
): Promise<{ byAppId: Map<string, ApplicationObject> | null; responses: PulledResponse[] }> {
  const label = 'GET /v1.0/applications';
  try {
    const read = await readCollection(
      run,
      `/v1.0/applications?$top=${run.pageSize}&$select=id,appId,displayName,passwordCredentials,keyCredentials&$expand=owners(${OWNER_SELECT})`,
      label,
      (page) => run.context.onProgress(`Reading application registrations, page ${page}`, 0),
    );
    const applications = itemsOf(read.pages, applicationSchema, 'an application');
    const fullOwners = await readAllOwners(run, 'applications', idsWithFullExpansion(applications));
    const byAppId = new Map<string, ApplicationObject>();
    for (const application of applications) {
      const owners = fullOwners.owners.get(application.id);
      if (application.appId)
        byAppId.set(application.appId, owners ? { ...application, owners } : application);
    }
    return { byAppId, responses: [...read.responses, ...fullOwners.responses] };
  } catch (error) {
    if (error instanceof GraphHttpError && (error.status === 403 || error.status === 404)) {
      notes.push({
        file: `${label} (page 1)`,
        row: 0,
        message: `The application registrations could not be read${error.detail}, so credentials and owners held on them (not on the service principals) are missing. Grant ${READ_PERMISSION} to read them.`,
      });
      return { byAppId: null, responses: [] };
    }
    rethrowGraph(error, READ_PERMISSION);
  }
}

/** Every owner of the objects whose expanded owners were cut at 20, one paged list each. */
async function readAllOwners(
  run: Run,
  collection: 'servicePrincipals' | 'applications',
  ids: readonly string[],
): Promise<{ owners: Map<string, Array<Record<string, unknown>>>; responses: PulledResponse[] }> {
  const owners = new Map<string, Array<Record<string, unknown>>>();
  const responses: PulledResponse[] = [];
  for (const id of ids) {
    run.context.onProgress(
      `Reading every owner of ${collection === 'applications' ? 'application' : 'service principal'} ${id}`,
      0,
    );
    const read = await readCollection(
      run,
      `/v1.0/${collection}/${encodeURIComponent(id)}/owners?$top=${run.pageSize}&${OWNER_SELECT}`,
      `GET /v1.0/${collection}/${id}/owners`,
    ).catch((error: unknown) => rethrowGraph(error, READ_PERMISSION));
    owners.set(
      id,
      read.pages.flatMap((page) =>
        page.json.value.filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null),
      ),
    );
    responses.push(...read.responses);
  }
  return { owners, responses };
}

async function readAssignments(
  run: Run,
  servicePrincipalIds: readonly string[],
  listed: number,
): Promise<{ byServicePrincipal: Map<string, AppRoleAssignment[]>; responses: PulledResponse[] }> {
  const perServicePrincipal: Array<{ assignments: AppRoleAssignment[]; responses: PulledResponse[] }> = [];
  let done = 0;
  await forEachLimited(
    servicePrincipalIds,
    run.concurrency,
    run.context.signal,
    async (id, index, signal) => {
      const read = await readCollection(
        { ...run, context: { ...run.context, signal } },
        `/v1.0/servicePrincipals/${encodeURIComponent(id)}/appRoleAssignments?$top=${run.pageSize}`,
        `GET /v1.0/servicePrincipals/${id}/appRoleAssignments`,
      ).catch((error: unknown) => rethrowGraph(error, READ_PERMISSION));
      perServicePrincipal[index] = {
        assignments: itemsOf(read.pages, appRoleAssignmentSchema, 'an app role assignment'),
        responses: read.responses,
      };
      done++;
      run.context.onProgress(
        `Reading app role assignments, ${done} of ${servicePrincipalIds.length} service principals`,
        listed,
      );
    },
  );
  const byServicePrincipal = new Map<string, AppRoleAssignment[]>();
  servicePrincipalIds.forEach((id, index) =>
    byServicePrincipal.set(id, perServicePrincipal[index]!.assignments),
  );
  return { byServicePrincipal, responses: perServicePrincipal.flatMap((p) => p.responses) };
}

/** App roles of resources whose assigned roles the list did not carry (one GET per resource). */
async function readResourceRoles(
  run: Run,
  resourceIds: readonly string[],
  listed: number,
): Promise<{ roles: Map<string, AppRole[]>; responses: PulledResponse[] }> {
  const roles = new Map<string, AppRole[]>();
  const responses: PulledResponse[] = [];
  for (const id of resourceIds) {
    const what = `GET /v1.0/servicePrincipals/${id}`;
    run.context.onProgress('Reading the app roles of permission resources', listed);
    const answer = await run.graph
      .get(
        run.graph.urlFor(
          `/v1.0/servicePrincipals/${encodeURIComponent(id)}?$select=id,appId,displayName,appRoles`,
        ),
        what,
        run.context.signal,
      )
      .catch((error: unknown) => rethrowGraph(error, READ_PERMISSION));
    const parsed = z.looseObject({ appRoles: z.array(appRoleSchema).nullish() }).safeParse(answer.json);
    if (!parsed.success) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what}: the answer is not a service principal. Nothing was saved.`,
      );
    }
    roles.set(id, parsed.data.appRoles ?? []);
    responses.push({ name: what, body: answer.body });
  }
  return { roles, responses };
}

/**
 * The beta sign-in activity report. Without AuditLog.Read.All or a P1/P2 licence Graph answers 403
 * (or 404): that is a note, and the whole report is left out, since a partial report would make the
 * service principals it missed look unused.
 */
async function readSignInActivity(
  run: Run,
  notes: ImportNote[],
  listed: number,
): Promise<CollectionRead | null> {
  const label = 'GET /beta/reports/servicePrincipalSignInActivities';
  try {
    return await readCollection(run, '/beta/reports/servicePrincipalSignInActivities', label, (page) =>
      run.context.onProgress(`Reading sign-in activity, page ${page}`, listed),
    );
  } catch (error) {
    if (error instanceof GraphHttpError && (error.status === 403 || error.status === 404)) {
      const message = SIGN_IN_REPORT_NOTE.charAt(0).toUpperCase() + SIGN_IN_REPORT_NOTE.slice(1);
      notes.push({
        file: `${label} (page 1)`,
        row: 0,
        message: `${message} (Microsoft Graph answered${error.detail}).`,
      });
      return null;
    }
    rethrowGraph(error, 'AuditLog.Read.All');
  }
}

/** One read of a connection test: the first item's id when there is one. */
async function probe(run: Run, path: string): Promise<string | null> {
  const answer = await run.graph.get(run.graph.urlFor(path), `GET ${path.split('?')[0]}`, run.context.signal);
  const parsed = graphPageSchema.safeParse(answer.json);
  if (!parsed.success) {
    throw new AppError('CONNECTOR_FAILED', `GET ${path.split('?')[0]}: the answer is not a Graph list.`);
  }
  const first = parsed.data.value[0] as { id?: unknown } | undefined;
  return typeof first?.id === 'string' ? first.id : null;
}

async function testConnection(
  options: EntraOptions,
  secrets: EntraSecrets,
  context: ConnectorRunContext,
): Promise<ConnectionCheck[]> {
  const run = openRun(options, secrets, context);
  const checks: ConnectionCheck[] = [];
  const attempt = async (
    name: string,
    permission: string,
    check: () => Promise<string>,
    onForbidden?: (error: GraphHttpError) => string,
  ): Promise<boolean> => {
    try {
      checks.push({ name, ok: true, message: await check() });
      return true;
    } catch (error) {
      if (context.signal.aborted) throw cancelledError();
      if (error instanceof GraphHttpError && onForbidden && (error.status === 403 || error.status === 404)) {
        checks.push({ name, ok: false, message: onForbidden(error) });
      } else if (error instanceof GraphHttpError) {
        checks.push({ name, ok: false, message: graphFailure(error, permission).message });
      } else if (error instanceof AppError) {
        checks.push({ name, ok: false, message: error.message });
      } else {
        checks.push({ name, ok: false, message: 'The check failed unexpectedly; try again.' });
      }
      return false;
    }
  };
  try {
    const signedIn = await attempt('Sign in', '', async () => {
      await signIn(run);
      return `Signed in to tenant ${run.tenantId} as app ${options.clientId}.`;
    });
    const reads: Array<{ name: string; permission: string; run: () => Promise<string> }> = [];
    let firstServicePrincipal: string | null = null;
    reads.push({
      name: `List service principals (${READ_PERMISSION})`,
      permission: READ_PERMISSION,
      run: async () => {
        firstServicePrincipal = await probe(run, '/v1.0/servicePrincipals?$top=1&$select=id');
        return 'Service principals can be listed.';
      },
    });
    reads.push({
      name: `List application registrations (${READ_PERMISSION})`,
      permission: READ_PERMISSION,
      run: async () => {
        await probe(run, '/v1.0/applications?$top=1&$select=id');
        return 'Application registrations and their credentials can be read.';
      },
    });
    reads.push({
      name: `Read app role assignments (${READ_PERMISSION})`,
      permission: READ_PERMISSION,
      run: async () => {
        if (!firstServicePrincipal)
          return 'No service principal to try this on; it will be tried during a pull.';
        await probe(
          run,
          `/v1.0/servicePrincipals/${encodeURIComponent(firstServicePrincipal)}/appRoleAssignments?$top=1`,
        );
        return 'Application permissions can be read.';
      },
    });
    for (const read of reads) {
      if (!signedIn) {
        checks.push({ name: read.name, ok: false, message: 'Not tried: the sign-in failed.' });
        continue;
      }
      await attempt(read.name, read.permission, read.run);
    }
    const reportName = 'Read sign-in activity (AuditLog.Read.All, Entra ID P1/P2; optional)';
    if (!signedIn) checks.push({ name: reportName, ok: false, message: 'Not tried: the sign-in failed.' });
    else {
      await attempt(
        reportName,
        'AuditLog.Read.All',
        async () => {
          await probe(run, '/beta/reports/servicePrincipalSignInActivities?$top=1');
          return 'Last sign-in dates will be read.';
        },
        (error) => `Not available${error.detail}: ${SIGN_IN_REPORT_NOTE}. A pull still works without it.`,
      );
    }
    return checks;
  } finally {
    run.close();
  }
}

export const entraConnector: Connector<EntraOptions, EntraSecrets> = {
  type: 'entra',
  label: 'Microsoft Entra ID',
  sdk: `@azure/identity ${IDENTITY_SDK_VERSION} with Microsoft Graph REST v1.0 (node:https)`,
  optionsSchema: entraOptionsSchema,
  secretsSchema: entraSecretsSchema,
  test: testConnection,
  pull,
};
