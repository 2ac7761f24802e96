import { z } from 'zod';
import type { DocumentFile } from '../../imports/preset-types';

/**
 * What the API gives beyond a servicePrincipals export, folded into the export's own documents so the
 * `entra-service-principals` preset normalises it like everything else:
 * - app role assignments (`/servicePrincipals/{id}/appRoleAssignments`) become the item's
 *   `appRoleAssignments`, the shape of a `$expand=appRoleAssignments` export, which the preset already
 *   turns into entitlements named by the resource's app role value (`Directory.ReadWrite.All`) and marks
 *   privileged by the shared Graph rules;
 * - resources whose `appRoles` the list left out get them from `/servicePrincipals/{id}`, so those
 *   names resolve;
 * - owners past the first 20 (all that `$expand` returns) come from `/servicePrincipals/{id}/owners`;
 * - the application object's credentials and owners (`/applications`) are added to its service
 *   principal when the service principal lacks them: an app registration's secrets and certificates
 *   live on the application, and they sign in as this service principal.
 * The documents are copies: the responses kept as evidence are the bytes Graph sent.
 */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

const looseRecord = z.record(z.string(), z.unknown());

export const appRoleAssignmentSchema = z.looseObject({
  appRoleId: z.string(),
  resourceId: z.string().nullish(),
  resourceDisplayName: z.string().nullish(),
});
export type AppRoleAssignment = z.infer<typeof appRoleAssignmentSchema>;

export const applicationSchema = z.looseObject({
  id: z.string(),
  appId: z.string().nullish(),
  passwordCredentials: z.array(looseRecord).nullish(),
  keyCredentials: z.array(looseRecord).nullish(),
  owners: z.array(looseRecord).nullish(),
});
export type ApplicationObject = z.infer<typeof applicationSchema>;

export const appRoleSchema = z.looseObject({ id: z.string(), value: z.string().nullish() });
export type AppRole = z.infer<typeof appRoleSchema>;

export interface PageDocument {
  name: string;
  json: { value: unknown[] } & Record<string, unknown>;
}

/** Graph expands at most this many related objects per item: an expansion this full may hold more. */
export const EXPANDED_OWNERS_LIMIT = 20;

/** Ids of the items whose expanded owners may have been cut short. */
export function idsWithFullExpansion(items: ReadonlyArray<{ id?: unknown; owners?: unknown }>): string[] {
  return items.flatMap((item) =>
    typeof item.id === 'string' && Array.isArray(item.owners) && item.owners.length >= EXPANDED_OWNERS_LIMIT
      ? [item.id]
      : [],
  );
}

export interface Enrichment {
  /** Every owner of the service principals whose expansion was full, keyed by id. */
  fullOwners: ReadonlyMap<string, ReadonlyArray<Record<string, unknown>>>;
  /** Keyed by service principal id; absent when the assignments were not read. */
  assignmentsByServicePrincipal: ReadonlyMap<string, readonly AppRoleAssignment[]>;
  /** Keyed by appId; null when the applications could not be read. */
  applicationsByAppId: ReadonlyMap<string, ApplicationObject> | null;
  /** App roles of resources, read separately, keyed by the resource's service principal id. */
  resourceRoles: ReadonlyMap<string, readonly AppRole[]>;
}

export interface EnrichmentCounts {
  assignments: number;
  credentials: number;
  owners: number;
  ownersBeyondExpansion: number;
}

function itemsOf(pages: readonly PageDocument[]): Array<Record<string, unknown>> {
  return pages.flatMap((page) =>
    page.json.value.filter(
      (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
    ),
  );
}

function rolesOf(item: Record<string, unknown>): AppRole[] {
  const parsed = z.array(appRoleSchema).safeParse(item.appRoles);
  return parsed.success ? parsed.data : [];
}

/**
 * Listed resources some assignment points at whose role is not among the `appRoles` the list returned
 * for them, sorted: each is read once by id. (A resource missing from the list cannot name anything
 * for the preset, which names roles from the listed service principals only.)
 */
export function resourcesToResolve(
  pages: readonly PageDocument[],
  assignments: ReadonlyMap<string, readonly AppRoleAssignment[]>,
): string[] {
  const rolesByResource = new Map<string, Set<string>>();
  for (const item of itemsOf(pages)) {
    if (typeof item.id === 'string') rolesByResource.set(item.id, new Set(rolesOf(item).map((r) => r.id)));
  }
  const missing = new Set<string>();
  for (const list of assignments.values()) {
    for (const assignment of list) {
      if (!assignment.resourceId || assignment.appRoleId === DEFAULT_ACCESS_ROLE_ID) continue;
      const listedRoles = rolesByResource.get(assignment.resourceId);
      if (listedRoles && !listedRoles.has(assignment.appRoleId)) missing.add(assignment.resourceId);
    }
  }
  return [...missing].sort();
}

/** Copies of the pages with the API's additions, in the export's shape, ready for the preset. */
export function enrichPages(
  pages: readonly PageDocument[],
  enrichment: Enrichment,
): { documents: DocumentFile[]; counts: EnrichmentCounts } {
  const counts: EnrichmentCounts = { assignments: 0, credentials: 0, owners: 0, ownersBeyondExpansion: 0 };
  const documents = pages.map((page) => {
    const json = structuredClone(page.json);
    for (const item of json.value) {
      if (typeof item !== 'object' || item === null) continue;
      enrichItem(item as Record<string, unknown>, enrichment, counts);
    }
    return { name: page.name, json };
  });
  return { documents, counts };
}

function enrichItem(item: Record<string, unknown>, enrichment: Enrichment, counts: EnrichmentCounts): void {
  const id = typeof item.id === 'string' ? item.id : null;
  if (!id) return;
  const assignments = enrichment.assignmentsByServicePrincipal.get(id);
  if (assignments && assignments.length > 0) {
    item.appRoleAssignments = assignments.map((a) => ({
      appRoleId: a.appRoleId,
      resourceId: a.resourceId ?? null,
      resourceDisplayName: a.resourceDisplayName ?? null,
    }));
    counts.assignments += assignments.length;
  }
  const extraRoles = enrichment.resourceRoles.get(id);
  if (extraRoles) {
    const roles = rolesOf(item);
    const known = new Set(roles.map((r) => r.id));
    item.appRoles = [...roles, ...extraRoles.filter((r) => !known.has(r.id))];
  }
  const allOwners = enrichment.fullOwners.get(id);
  if (allOwners) {
    const shown = Array.isArray(item.owners) ? item.owners.length : 0;
    counts.ownersBeyondExpansion += Math.max(0, allOwners.length - shown);
    item.owners = [...allOwners];
  }
  const appId = typeof item.appId === 'string' ? item.appId : null;
  const application = appId ? enrichment.applicationsByAppId?.get(appId) : undefined;
  if (!application) return;
  for (const field of ['passwordCredentials', 'keyCredentials'] as const) {
    const own = Array.isArray(item[field]) ? (item[field] as Array<Record<string, unknown>>) : [];
    const added = (application[field] ?? []).filter((c) => !own.some((o) => sameCredential(o, c)));
    if (added.length > 0) {
      item[field] = [...own, ...added];
      counts.credentials += added.length;
    }
  }
  const owners = Array.isArray(item.owners) ? (item.owners as Array<Record<string, unknown>>) : [];
  const addedOwners = (application.owners ?? []).filter(
    (o) => typeof o.id === 'string' && !owners.some((known) => known.id === o.id),
  );
  if (addedOwners.length > 0) {
    item.owners = [...owners, ...addedOwners];
    counts.owners += addedOwners.length;
  }
}

/** The same credential seen on both objects: same keyId, or (without one) same thumbprint and dates. */
function sameCredential(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (typeof a.keyId === 'string' && typeof b.keyId === 'string') return a.keyId === b.keyId;
  return (
    a.customKeyIdentifier === b.customKeyIdentifier &&
    a.startDateTime === b.startDateTime &&
    a.endDateTime === b.endDateTime
  );
}
