import { z } from 'zod';
import type {
  ImportReject,
  NormalizedCredential,
  NormalizedEntitlement,
  NormalizedIdentity,
  NormalizedOwner,
} from '../../../../shared/domain/identity';
import type { DocumentFile, DocumentPreset, ImportNote, PresetMapResult } from '../preset-types';
import {
  describeJsonShape,
  describeSchemaProblems,
  isJsonObject,
  isoDateOrNull,
} from '../readers/json-reader';
import { environmentFromName, isPrivilegedGraphPermission } from './privilege-rules';

/**
 * Microsoft Entra ID service principals from Microsoft Graph:
 * `GET /v1.0/servicePrincipals?$expand=owners(...)` (one file per page, following `@odata.nextLink`),
 * optionally with the beta `reports/servicePrincipalSignInActivities` report for last use.
 *
 * Key: the service principal's object `id`. It is what owners, role assignments and the portal point
 * at inside the tenant; `appId` is kept as an attribute (it is shared by every tenant's copy of a
 * multi-tenant app, and the sign-in report is keyed by it).
 */
export const MICROSOFT_FIRST_PARTY_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

export interface EntraPresetOptions {
  /** The tenant whose own apps these are; inferred from the export when not given. */
  homeTenantId?: string;
}

const text = z.string().nullish();

const passwordCredentialSchema = z.object({
  keyId: text,
  displayName: text,
  customKeyIdentifier: text,
  startDateTime: text,
  endDateTime: text,
});

const keyCredentialSchema = z.object({
  keyId: text,
  displayName: text,
  customKeyIdentifier: text,
  startDateTime: text,
  endDateTime: text,
  type: text,
  usage: text,
});

const ownerSchema = z.object({
  '@odata.type': text,
  id: text,
  displayName: text,
  userPrincipalName: text,
  mail: text,
});

const servicePrincipalSchema = z.object({
  id: z.string().min(1),
  appId: text,
  displayName: text,
  appDisplayName: text,
  accountEnabled: z.boolean().nullish(),
  servicePrincipalType: text,
  appOwnerOrganizationId: text,
  createdDateTime: text,
  description: text,
  appDescription: text,
  notes: text,
  disabledByMicrosoftStatus: text,
  alternativeNames: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  signInAudience: text,
  preferredSingleSignOnMode: text,
  passwordCredentials: z.array(passwordCredentialSchema).nullish(),
  keyCredentials: z.array(keyCredentialSchema).nullish(),
  owners: z.array(ownerSchema).nullish(),
  appRoles: z.array(z.object({ id: z.string(), value: text })).nullish(),
  // Only present when the export expanded them ($expand=appRoleAssignments): the app permissions it holds.
  appRoleAssignments: z
    .array(z.object({ appRoleId: z.string(), resourceId: text, resourceDisplayName: text }))
    .nullish(),
  verifiedPublisher: z.object({ displayName: text }).nullish(),
});
type ServicePrincipal = z.infer<typeof servicePrincipalSchema>;

const signInStampSchema = z.object({ lastSignInDateTime: text }).nullish();
const signInActivitySchema = z.object({
  appId: z.string().min(1),
  lastSignInActivity: signInStampSchema,
  delegatedClientSignInActivity: signInStampSchema,
  delegatedResourceSignInActivity: signInStampSchema,
  applicationAuthenticationClientSignInActivity: signInStampSchema,
  applicationAuthenticationResourceSignInActivity: signInStampSchema,
});
type SignInActivity = z.infer<typeof signInActivitySchema>;

type EntraFileRole = 'service-principal-page' | 'sign-in-activity';

function classify(file: DocumentFile): EntraFileRole | null {
  const json = file.json;
  if (!isJsonObject(json) || !Array.isArray(json.value)) return null;
  const context = typeof json['@odata.context'] === 'string' ? json['@odata.context'] : '';
  if (/servicePrincipalSignInActivities/i.test(context)) return 'sign-in-activity';
  if (/#servicePrincipals(?:\(|\/|$)/i.test(context)) return 'service-principal-page';
  const first: unknown = json.value[0];
  if (context === '' && isJsonObject(first)) {
    if ('servicePrincipalType' in first) return 'service-principal-page';
    if ('lastSignInActivity' in first && 'appId' in first) return 'sign-in-activity';
  }
  return null;
}

/** What this preset sees in a file, for detection messages; null when it is not an Entra file. */
export function describeEntraFile(file: DocumentFile): string | null {
  const role = classify(file);
  if (role === 'service-principal-page') return 'a Microsoft Graph servicePrincipals page (Entra ID)';
  if (role === 'sign-in-activity')
    return 'a Microsoft Graph servicePrincipalSignInActivities report (Entra ID)';
  return null;
}

export function createEntraServicePrincipalsPreset(options: EntraPresetOptions = {}): DocumentPreset {
  return {
    id: 'entra-service-principals',
    label: 'Microsoft Entra ID service principals (Graph)',
    sourceKind: 'entra',
    shape: 'documents',
    detect(files) {
      const roles = files.map(classify);
      if (!roles.includes('service-principal-page')) return roles.includes('sign-in-activity') ? 0.3 : 0;
      return roles.includes(null) ? 0.4 : 0.95;
    },
    map(files) {
      return mapEntraExport(files, options);
    },
  };
}

export const entraServicePrincipalsPreset = createEntraServicePrincipalsPreset();

/** Row 0 in a note means the file (or the set of files) as a whole, not one item. */
const WHOLE_FILE = 0;

/**
 * Rejects are service principal items that could not become an identity (each one missing from the
 * population); everything else worth reading (stray files, the page chain, sign-in records) is a note.
 */
function mapEntraExport(files: readonly DocumentFile[], options: EntraPresetOptions): PresetMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  const pages: DocumentFile[] = [];
  const activityFiles: DocumentFile[] = [];
  for (const file of files) {
    const role = classify(file);
    if (role === 'service-principal-page') pages.push(file);
    else if (role === 'sign-in-activity') activityFiles.push(file);
    else {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is not part of an Entra service principal export (it is ${describeJsonShape(file.json)}); it was not imported.`,
      });
    }
  }
  const chain = checkPageChain(pages);
  notes.push(...chain.notes);
  let partial = chain.partial;
  if (pages.length === 0 && files.length > 0) {
    partial = true;
    notes.push({
      file: files[0]!.name,
      row: WHOLE_FILE,
      message:
        'The files hold no servicePrincipals page, so no service principal was imported and this population is partial. Import the pages of GET /v1.0/servicePrincipals together with the other files.',
    });
  }

  const servicePrincipals: Array<{ sp: ServicePrincipal; file: string; row: number }> = [];
  const seen = new Map<string, string>();
  let unreadableItems = 0;
  for (const page of orderPages(pages)) {
    const items = (page.json as { value: unknown[] }).value;
    items.forEach((item, index) => {
      const row = index + 1;
      const parsed = servicePrincipalSchema.safeParse(item);
      if (!parsed.success) {
        unreadableItems++;
        rejects.push({
          file: page.name,
          row,
          reason: `Service principal item ${row} cannot be read: ${describeSchemaProblems(parsed.error, item)}.`,
        });
        return;
      }
      const sp = parsed.data;
      const firstSeen = seen.get(sp.id);
      if (firstSeen) {
        notes.push({
          file: page.name,
          row,
          message: `Service principal ${nameOf(sp)} (${sp.id}) appears again (first in ${firstSeen}): the same page may have been given twice. The first copy was kept.`,
        });
        return;
      }
      seen.set(sp.id, `${page.name} item ${row}`);
      servicePrincipals.push({ sp, file: page.name, row });
    });
  }

  const count = checkDeclaredCount(pages, servicePrincipals.length + unreadableItems);
  if (count) {
    notes.push(count);
    partial = true;
  }

  const activityByAppId = readSignInActivities(
    activityFiles,
    new Set(servicePrincipals.map((s) => s.sp.appId)),
    notes,
  );
  const homeTenantId =
    options.homeTenantId?.trim().toLowerCase() || inferHomeTenant(servicePrincipals.map((s) => s.sp));
  if (!homeTenantId && servicePrincipals.length > 0) {
    notes.push({
      file: pages[0]!.name,
      row: WHOLE_FILE,
      message:
        'The home tenant could not be inferred (no single most common app owner organisation), so third-party apps are not marked. Give the tenant id as a parameter to mark them.',
    });
  }
  const byId = new Map(servicePrincipals.map((s) => [s.sp.id, s.sp]));
  const identities = servicePrincipals.map(({ sp }) =>
    toIdentity(sp, {
      homeTenantId,
      activityByAppId: activityFiles.length > 0 ? activityByAppId : null,
      byId,
    }),
  );
  return { identities, rejects, notes, partial };
}

/**
 * Graph pages carry only the link to the next page, not their own address, so a missing first or middle
 * page cannot be seen (the skip token is opaque by contract). What can be seen makes the population
 * partial, with a note saying why: no page without `@odata.nextLink` (the last page is missing), several
 * such pages (two exports mixed), and the same next link twice (a page given twice, so the chain cannot
 * be trusted to be whole). The import still proceeds with what is there.
 */
function checkPageChain(pages: readonly DocumentFile[]): { notes: ImportNote[]; partial: boolean } {
  const notes: ImportNote[] = [];
  if (pages.length === 0) return { notes, partial: false };
  const names = pages.map((p) => p.name).join(', ');
  const lastPages = pages.filter((p) => nextLinkOf(p) === null);
  if (lastPages.length === 0) {
    notes.push({
      file: pages[pages.length - 1]!.name,
      row: WHOLE_FILE,
      message: `The export is incomplete: every page given (${names}) has an @odata.nextLink, so at least the last page is missing. Follow @odata.nextLink until a page has none and import all pages together; until then this population is partial.`,
    });
  }
  if (lastPages.length > 1) {
    notes.push({
      file: lastPages[1]!.name,
      row: WHOLE_FILE,
      message: `${lastPages.map((p) => p.name).join(' and ')} each end an export (no @odata.nextLink): they may come from different exports, so neither is known to be complete and this population is partial. Check that all pages belong to one export.`,
    });
  }
  let repeated = false;
  const byLink = new Map<string, string>();
  for (const page of pages) {
    const link = nextLinkOf(page);
    if (link === null) continue;
    const earlier = byLink.get(link);
    if (earlier) {
      repeated = true;
      notes.push({
        file: page.name,
        row: WHOLE_FILE,
        message: `${page.name} and ${earlier} point to the same next page: the same page was probably given twice, so the page chain cannot be checked and this population is partial. Import each page of the export once.`,
      });
    } else byLink.set(link, page.name);
  }
  return { notes, partial: lastPages.length !== 1 || repeated };
}

/**
 * A page fetched with `$count=true` says how many service principals the tenant has (`@odata.count`).
 * Fewer items than that (each page counted once) means pages are missing, whatever the chain says.
 */
function checkDeclaredCount(pages: readonly DocumentFile[], listed: number): ImportNote | null {
  let declared: { count: number; file: string } | null = null;
  for (const page of pages) {
    const count = (page.json as Record<string, unknown>)['@odata.count'];
    if (typeof count === 'number' && Number.isInteger(count) && count > (declared?.count ?? -1)) {
      declared = { count, file: page.name };
    }
  }
  if (!declared || listed >= declared.count) return null;
  return {
    file: declared.file,
    row: WHOLE_FILE,
    message: `The pages hold ${listed} of the ${declared.count} service principals Graph counted (@odata.count): fetch the missing pages and import them together; until then this population is partial.`,
  };
}

function nextLinkOf(page: DocumentFile): string | null {
  const link = (page.json as Record<string, unknown>)['@odata.nextLink'];
  return typeof link === 'string' && link !== '' ? link : null;
}

/** Pages that continue first (in the order given), the closing page last: duplicates keep the earlier copy. */
function orderPages(pages: readonly DocumentFile[]): DocumentFile[] {
  return [...pages.filter((p) => nextLinkOf(p) !== null), ...pages.filter((p) => nextLinkOf(p) === null)];
}

/** The sign-in report only dates use: none of its records is a member of the population, so all are notes. */
function readSignInActivities(
  files: readonly DocumentFile[],
  knownAppIds: ReadonlySet<string | null | undefined>,
  notes: ImportNote[],
): Map<string, SignInActivity> {
  const byAppId = new Map<string, SignInActivity>();
  for (const file of files) {
    (file.json as { value: unknown[] }).value.forEach((item, index) => {
      const row = index + 1;
      const parsed = signInActivitySchema.safeParse(item);
      if (!parsed.success) {
        notes.push({
          file: file.name,
          row,
          message: `Sign-in activity item ${row} cannot be read: ${describeSchemaProblems(parsed.error, item)}; it was ignored.`,
        });
        return;
      }
      const activity = parsed.data;
      if (!knownAppIds.has(activity.appId)) {
        notes.push({
          file: file.name,
          row,
          message: `Sign-in activity for appId ${activity.appId} matches no service principal in the export (the app may have been deleted); it was ignored.`,
        });
        return;
      }
      if (byAppId.has(activity.appId)) {
        notes.push({
          file: file.name,
          row,
          message: `Sign-in activity for appId ${activity.appId} appears twice; the first record was kept.`,
        });
        return;
      }
      byAppId.set(activity.appId, activity);
    });
  }
  return byAppId;
}

/**
 * The tenant's own apps are usually the largest group by `appOwnerOrganizationId` once Microsoft's
 * first-party apps and managed identities (no owner organisation) are set aside. A tie means no answer.
 */
function inferHomeTenant(servicePrincipals: readonly ServicePrincipal[]): string | null {
  const counts = new Map<string, number>();
  for (const sp of servicePrincipals) {
    const org = sp.appOwnerOrganizationId?.toLowerCase();
    if (!org || org === MICROSOFT_FIRST_PARTY_TENANT_ID) continue;
    counts.set(org, (counts.get(org) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return null;
  if (ranked.length > 1 && ranked[1]![1] === ranked[0]![1]) return null;
  return ranked[0]![0];
}

interface MappingContext {
  homeTenantId: string | null;
  /** Null when no sign-in report was given: then last use is unknown rather than "never". */
  activityByAppId: Map<string, SignInActivity> | null;
  byId: Map<string, ServicePrincipal>;
}

function nameOf(sp: ServicePrincipal): string {
  return sp.displayName || sp.appDisplayName || sp.appId || sp.id;
}

function toIdentity(sp: ServicePrincipal, context: MappingContext): NormalizedIdentity {
  const isManagedIdentity = sp.servicePrincipalType === 'ManagedIdentity';
  const { credentials, foldedSamlSigningCertificate } = credentialsOf(sp);
  const createdFromGraph = isoDateOrNull(sp.createdDateTime);
  const earliestCredential = credentials
    .map((c) => c.createdAt)
    .filter((d): d is string => d !== null)
    .sort()[0];
  const attributes: NormalizedIdentity['attributes'] = {
    appId: sp.appId ?? null,
    servicePrincipalType: sp.servicePrincipalType ?? null,
    appOwnerOrganizationId: sp.appOwnerOrganizationId ?? null,
    signInAudience: sp.signInAudience ?? null,
    preferredSingleSignOnMode: sp.preferredSingleSignOnMode ?? null,
    tags: (sp.tags ?? []).join(',') || null,
    verifiedPublisher: sp.verifiedPublisher?.displayName ?? null,
    // v1.0 returns createdDateTime as null; the oldest credential start is then the best lower bound on age.
    createdAtSource: createdFromGraph
      ? 'createdDateTime'
      : earliestCredential
        ? 'earliest-credential-start'
        : null,
  };
  const org = sp.appOwnerOrganizationId?.toLowerCase() ?? null;
  attributes.microsoftFirstParty = org === MICROSOFT_FIRST_PARTY_TENANT_ID;
  if (context.homeTenantId) {
    attributes.thirdParty =
      org !== null && org !== MICROSOFT_FIRST_PARTY_TENANT_ID && org !== context.homeTenantId;
  }
  if (isManagedIdentity) Object.assign(attributes, managedIdentityFacts(sp.alternativeNames ?? []));
  if (foldedSamlSigningCertificate) attributes.samlSigningCertificate = true;

  let lastUsedAt: string | null = null;
  if (context.activityByAppId) {
    const activity = sp.appId ? context.activityByAppId.get(sp.appId) : undefined;
    lastUsedAt = activity ? lastSignInOf(activity) : null;
    attributes.usageReported = true;
    attributes.signInActivity = !activity ? 'not-in-report' : lastUsedAt ? 'recorded' : 'no-sign-in';
  } else attributes.usageReported = false;

  return {
    externalId: sp.id,
    kind: isManagedIdentity ? 'managed-identity' : 'service-principal',
    name: nameOf(sp),
    environment:
      environmentFromName(sp.displayName) ??
      (isManagedIdentity ? environmentFromName(String(attributes.azureResourceGroup ?? '')) : null),
    status: sp.accountEnabled === false || sp.disabledByMicrosoftStatus ? 'disabled' : 'active',
    description: sp.description || sp.appDescription || sp.notes || null,
    createdAt: createdFromGraph ?? earliestCredential ?? null,
    lastUsedAt,
    owners: ownersOf(sp),
    credentials,
    entitlements: entitlementsOf(sp, context.byId),
    attributes,
  };
}

function managedIdentityFacts(alternativeNames: readonly string[]): NormalizedIdentity['attributes'] {
  const explicit = alternativeNames.find((n) => /^isExplicit=/i.test(n));
  const resourceId = alternativeNames.find((n) => n.startsWith('/subscriptions/')) ?? null;
  const resourceGroup = resourceId ? (/\/resourcegroups\/([^/]+)/i.exec(resourceId)?.[1] ?? null) : null;
  return {
    // isExplicit=True is a user-assigned identity (its own resource); False is tied to one resource's lifetime.
    managedIdentityType: explicit ? (/=true$/i.test(explicit) ? 'user-assigned' : 'system-assigned') : null,
    azureResourceId: resourceId,
    azureResourceGroup: resourceGroup,
  };
}

function lastSignInOf(activity: SignInActivity): string | null {
  const overall = isoDateOrNull(activity.lastSignInActivity?.lastSignInDateTime);
  if (overall) return overall;
  // Defensive: if the summary is empty but a specific kind of sign-in is not, the latest of those is it.
  const parts = [
    activity.delegatedClientSignInActivity,
    activity.delegatedResourceSignInActivity,
    activity.applicationAuthenticationClientSignInActivity,
    activity.applicationAuthenticationResourceSignInActivity,
  ]
    .map((stamp) => isoDateOrNull(stamp?.lastSignInDateTime))
    .filter((d): d is string => d !== null)
    .sort();
  return parts[parts.length - 1] ?? null;
}

function ownersOf(sp: ServicePrincipal): NormalizedOwner[] {
  const owners: NormalizedOwner[] = [];
  for (const owner of sp.owners ?? []) {
    const type = owner['@odata.type'] ?? '#microsoft.graph.user';
    let result: NormalizedOwner | null = null;
    if (/servicePrincipal$/i.test(type) && owner.id) {
      // Same key as that service principal's own identity, so the two can be linked.
      result = { ref: `sp:${owner.id}`, role: 'technical' };
    } else if (/user$/i.test(type)) {
      const ref =
        userOwnerRef(owner.mail, owner.userPrincipalName) ?? (owner.id ? `entra:${owner.id}` : null);
      if (ref) result = { ref, role: 'business' };
    } else if (owner.id) result = { ref: `entra:${owner.id}`, role: 'technical' };
    if (result && !owners.some((o) => o.ref.toLowerCase() === result.ref.toLowerCase())) owners.push(result);
  }
  return owners;
}

/**
 * The roster is keyed by e-mail, so `mail` comes first. A B2B guest's UPN is the mangled
 * `name_domain#EXT#@tenant.onmicrosoft.com`: without `mail`, its part before `#EXT#` is the guest's own
 * address with the last `_` standing for `@`.
 */
function userOwnerRef(mail: string | null | undefined, upn: string | null | undefined): string | null {
  if (mail && mail.trim() !== '') return mail.trim();
  if (!upn || upn.trim() === '') return null;
  const guest = /^(.*)#EXT#@/i.exec(upn.trim());
  if (!guest) return upn.trim();
  const local = guest[1]!;
  const at = local.lastIndexOf('_');
  return at > 0 ? `${local.slice(0, at)}@${local.slice(at + 1)}` : upn.trim();
}

/**
 * A SAML app's token-signing certificate shows up three times in Graph: the private key (`usage: Sign`),
 * its public half (`usage: Verify`) and a password credential protecting the PFX, all with the same
 * dates (and thumbprint). It is one certificate, rotated as one: counting three secrets would triple
 * every expiry and rotation finding. Key entries are grouped by thumbprint and dates; a password entry
 * with the dates of a signing certificate is that certificate's PFX password and is folded in.
 */
function credentialsOf(sp: ServicePrincipal): {
  credentials: NormalizedCredential[];
  foldedSamlSigningCertificate: boolean;
} {
  const groups = new Map<string, Array<z.infer<typeof keyCredentialSchema>>>();
  for (const key of sp.keyCredentials ?? []) {
    const groupKey = [
      key.customKeyIdentifier || key.keyId || '',
      isoDateOrNull(key.startDateTime),
      isoDateOrNull(key.endDateTime),
    ].join('|');
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), key]);
  }
  const certificates = [...groups.values()].map((group) => {
    const first = group[0]!;
    return {
      thumbprint: first.customKeyIdentifier ?? null,
      signs: group.some((k) => k.usage === 'Sign'),
      credential: {
        externalId: first.customKeyIdentifier || first.keyId || null,
        type: 'certificate',
        status: 'active',
        createdAt: isoDateOrNull(first.startDateTime),
        lastRotatedAt: null,
        expiresAt: isoDateOrNull(first.endDateTime),
        lastUsedAt: null,
      } satisfies NormalizedCredential,
    };
  });
  let folded = false;
  const secrets: NormalizedCredential[] = [];
  for (const password of sp.passwordCredentials ?? []) {
    const start = isoDateOrNull(password.startDateTime);
    const end = isoDateOrNull(password.endDateTime);
    const protectsSigningCertificate = certificates.some(
      (c) =>
        c.signs &&
        c.credential.createdAt === start &&
        c.credential.expiresAt === end &&
        (!password.customKeyIdentifier || password.customKeyIdentifier === c.thumbprint),
    );
    if (protectsSigningCertificate) {
      folded = true;
      continue;
    }
    // Far-future end dates (2299, 9999) are how "never expires" looks: kept as written for the risk rules.
    secrets.push({
      externalId: password.keyId ?? null,
      type: 'client-secret',
      status: 'active',
      createdAt: start,
      lastRotatedAt: null,
      expiresAt: end,
      lastUsedAt: null,
    });
  }
  return {
    credentials: [...secrets, ...certificates.map((c) => c.credential)],
    foldedSamlSigningCertificate: folded,
  };
}

const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * App permissions the service principal holds, when the export expanded `appRoleAssignments`. A role id
 * is named through the resource's own `appRoles` when that service principal is in the export too
 * (Microsoft Graph's is, in a full list); otherwise the id is kept and not judged.
 */
function entitlementsOf(sp: ServicePrincipal, byId: Map<string, ServicePrincipal>): NormalizedEntitlement[] {
  const entitlements: NormalizedEntitlement[] = [];
  for (const assignment of sp.appRoleAssignments ?? []) {
    const resource = assignment.resourceId ? byId.get(assignment.resourceId) : undefined;
    const role = resource?.appRoles?.find((r) => r.id === assignment.appRoleId);
    const name =
      role?.value ??
      (assignment.appRoleId === DEFAULT_ACCESS_ROLE_ID ? 'default access' : assignment.appRoleId);
    const entitlement: NormalizedEntitlement = {
      name,
      resource:
        assignment.resourceDisplayName ?? (resource ? nameOf(resource) : (assignment.resourceId ?? null)),
      privileged: role?.value ? isPrivilegedGraphPermission(role.value) : false,
    };
    if (!entitlements.some((e) => e.name === entitlement.name && e.resource === entitlement.resource)) {
      entitlements.push(entitlement);
    }
  }
  return entitlements;
}
