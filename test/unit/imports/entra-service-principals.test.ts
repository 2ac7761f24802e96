import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import {
  createEntraServicePrincipalsPreset,
  entraServicePrincipalsPreset as preset,
} from '../../../electron/core/imports/presets/entra-service-principals';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';
import { tempFolder } from '../../support/temp-folder';

const folder = join(import.meta.dirname, '../../fixtures/entra');
const read = (name: string) => readJsonDocument(join(folder, name));

interface RawPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Array<Record<string, unknown>>;
}
interface RawActivity {
  appId: string;
  lastSignInActivity: { lastSignInDateTime: string | null };
}

let page1: DocumentFile;
let page2: DocumentFile;
let activity: DocumentFile;
let identities: NormalizedIdentity[];
let byName: (name: string) => NormalizedIdentity;

beforeAll(async () => {
  [page1, page2, activity] = await Promise.all([
    read('servicePrincipals_page1.json'),
    read('servicePrincipals_page2.json'),
    read('servicePrincipalSignInActivities.json'),
  ]);
  const result = preset.map([page1, page2, activity]);
  identities = result.identities;
  byName = (name) => {
    const found = identities.filter((i) => i.name === name);
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };
});

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('entra-service-principals detection', () => {
  it('is confident about the pages, with or without the sign-in report', () => {
    expect(preset.detect([page1, page2, activity])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([page2])).toBeGreaterThanOrEqual(0.9);
  });

  it('is not confident about the sign-in report alone, a foreign file, or a mixed set', async () => {
    const okta = await readJsonDocument(join(import.meta.dirname, '../../fixtures/okta/api_tokens.json'));
    expect(preset.detect([activity])).toBeLessThan(0.5);
    expect(preset.detect([okta])).toBe(0);
    expect(preset.detect([page1, page2, okta])).toBeLessThan(0.5);
  });
});

describe('entra-service-principals on the Northwind export', () => {
  it('imports all 54 service principals of both pages, each once', () => {
    const raw = [...(page1.json as RawPage).value, ...(page2.json as RawPage).value];
    expect(raw).toHaveLength(54);
    expect(identities).toHaveLength(54);
    expect(new Set(identities.map((i) => i.externalId))).toEqual(new Set(raw.map((sp) => sp.id)));
    const managed = raw.filter((sp) => sp.servicePrincipalType === 'ManagedIdentity').length;
    expect(identities.filter((i) => i.kind === 'managed-identity')).toHaveLength(managed);
    expect(identities.filter((i) => i.kind === 'service-principal')).toHaveLength(54 - managed);
  });

  it('applies the 43 sign-in records and notes the one whose app is gone, rejecting nothing', () => {
    const result = preset.map([page1, page2, activity]);
    const records = (activity.json as { value: RawActivity[] }).value;
    expect(records).toHaveLength(43);
    const appIds = new Set(identities.map((i) => i.attributes.appId));
    const orphan = records.filter((r) => !appIds.has(r.appId));
    expect(orphan).toHaveLength(1);
    // A sign-in record is not a member of the population: the orphan is a note, not a rejected row.
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([
      {
        file: 'servicePrincipalSignInActivities.json',
        row: records.indexOf(orphan[0]!) + 1,
        message: expect.stringContaining(`appId ${orphan[0]!.appId} matches no service principal`),
      },
    ]);
    expect(result.partial).toBe(false);
    const withSignIn = records.filter((r) => appIds.has(r.appId) && r.lastSignInActivity.lastSignInDateTime);
    expect(identities.filter((i) => i.attributes.signInActivity === 'recorded')).toHaveLength(
      withSignIn.length,
    );
    expect(identities.filter((i) => i.attributes.signInActivity === 'not-in-report')).toHaveLength(54 - 42);
    const litware = byName('Litware Learning');
    expect(litware.lastUsedAt).toBe('2026-10-11T17:46:09.000Z');
  });

  it('Depot Scanner Sync has a record with no sign-in at all: never used, not unknown', () => {
    const depot = byName('Depot Scanner Sync');
    expect(depot.lastUsedAt).toBeNull();
    expect(depot.attributes.signInActivity).toBe('no-sign-in');
    expect(depot.attributes.usageReported).toBe(true);
  });

  it('without the report, last use is unknown rather than never', () => {
    const result = preset.map([page1, page2]);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.partial).toBe(false);
    expect(
      result.identities.every((i) => i.lastUsedAt === null && i.attributes.usageReported === false),
    ).toBe(true);
    expect(result.identities.some((i) => 'signInActivity' in i.attributes)).toBe(false);
  });

  it('keeps the 2299 "never expires" secret of Backup Vault Reporter as written', () => {
    const backup = byName('Backup Vault Reporter');
    expect(backup.credentials).toEqual([
      expect.objectContaining({
        type: 'client-secret',
        status: 'active',
        expiresAt: '2299-12-31T23:59:59.000Z',
      }),
    ]);
  });

  it('marks Old-Intranet-Search (decom) disabled and keeps its expired secret active for the risk rules', () => {
    const old = byName('Old-Intranet-Search (decom)');
    expect(old.status).toBe('disabled');
    expect(old.credentials).toEqual([
      expect.objectContaining({ status: 'active', expiresAt: '2023-08-17T14:26:37.000Z' }),
    ]);
    expect(identities.filter((i) => i.status === 'disabled')).toEqual([old]);
  });

  it('nwl-keyvault-rotator is owned by a service principal that is itself in the export', () => {
    const rotator = byName('nwl-keyvault-rotator');
    expect(rotator.owners).toHaveLength(1);
    expect(rotator.owners[0]!.role).toBe('technical');
    const ownerId = rotator.owners[0]!.ref.replace(/^sp:/, '');
    expect(rotator.owners[0]!.ref).toBe(`sp:${ownerId}`);
    expect(identities.find((i) => i.externalId === ownerId)?.name).toBe('Terraform Cloud - prod');
  });

  it('resolves the B2B guest owner by mail, not by the #EXT# UPN', () => {
    const acme = byName('Acme Freight Visibility');
    expect(acme.owners).toEqual([{ ref: 'm.kowalski@brightpath-consulting.example', role: 'business' }]);
    expect(identities.flatMap((i) => i.owners).some((o) => o.ref.includes('#EXT#'))).toBe(false);
  });

  it('falls back to the guest address inside the #EXT# UPN when mail is empty', () => {
    const page = clone(page1.json as RawPage);
    const sp = page.value.find((s) => s.displayName === 'Acme Freight Visibility')!;
    const owner = (sp.owners as Array<Record<string, unknown>>)[0]!;
    owner.mail = null;
    const result = preset.map([{ name: 'p1.json', json: page }, page2]);
    const acme = result.identities.find((i) => i.name === 'Acme Freight Visibility')!;
    expect(acme.owners).toEqual([{ ref: 'm.kowalski@brightpath-consulting.example', role: 'business' }]);
  });

  it('counts a SAML signing certificate (Sign + Verify + its PFX password) as one certificate', () => {
    for (const name of ['Litware Learning', 'Acme Freight Visibility', 'Tailspin Dock Scheduling']) {
      const app = byName(name);
      expect(app.credentials, name).toHaveLength(1);
      expect(app.credentials[0]!.type).toBe('certificate');
      expect(app.attributes.samlSigningCertificate).toBe(true);
    }
    expect(byName('Litware Learning').credentials[0]).toMatchObject({
      externalId: '0F37F914A9986D1A239B6599805791887A08A638',
      expiresAt: '2026-07-17T05:25:48.000Z',
    });
  });

  it('keeps two unrelated secrets as two, and a lone Verify certificate as one', () => {
    expect(byName('nwl-edi-gateway').credentials.map((c) => [c.type, c.expiresAt])).toEqual([
      ['client-secret', '2025-08-21T12:38:35.000Z'],
      ['client-secret', '2027-09-25T23:03:10.000Z'],
    ]);
    expect(byName('nwl-api-gateway').credentials.map((c) => c.type)).toEqual(['certificate']);
    expect(byName('nwl-api-gateway').attributes.samlSigningCertificate).toBeUndefined();
  });

  it('marks apps owned by another organisation third-party, but not Microsoft first-party ones', () => {
    const litware = byName('Litware Learning');
    expect(litware.attributes).toMatchObject({ thirdParty: true, microsoftFirstParty: false });
    expect(byName('Azure DevOps').attributes).toMatchObject({ thirdParty: false, microsoftFirstParty: true });
    expect(byName('nwl-api-gateway').attributes).toMatchObject({ thirdParty: false });
    expect(byName('id-wms-prod').attributes).toMatchObject({
      thirdParty: false,
      appOwnerOrganizationId: null,
    });
    const raw = [...(page1.json as RawPage).value, ...(page2.json as RawPage).value];
    const foreignOrgs = raw.filter(
      (sp) =>
        sp.appOwnerOrganizationId &&
        sp.appOwnerOrganizationId !== 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' &&
        sp.appOwnerOrganizationId !== '74cf9d0e-425a-4019-ac21-4c3be7c613c8',
    );
    expect(identities.filter((i) => i.attributes.thirdParty === true)).toHaveLength(foreignOrgs.length);
  });

  it('uses a given home tenant instead of inferring one', () => {
    const litwareTenant = String(byName('Litware Learning').attributes.appOwnerOrganizationId);
    const custom = createEntraServicePrincipalsPreset({ homeTenantId: litwareTenant }).map([page1, page2]);
    expect(custom.identities.find((i) => i.name === 'Litware Learning')!.attributes.thirdParty).toBe(false);
    expect(custom.identities.find((i) => i.name === 'nwl-api-gateway')!.attributes.thirdParty).toBe(true);
  });

  it('describes managed identities by what they are attached to', () => {
    expect(byName('id-wms-prod')).toMatchObject({
      kind: 'managed-identity',
      environment: 'production',
      owners: [],
      attributes: { managedIdentityType: 'user-assigned', azureResourceGroup: 'rg-wms-prod' },
    });
    expect(byName('aa-nwl-runbooks').attributes.managedIdentityType).toBe('system-assigned');
  });

  it('takes age from the oldest credential because v1.0 returns createdDateTime as null', () => {
    const edi = byName('nwl-edi-gateway');
    const starts = edi.credentials.map((c) => c.createdAt!).sort();
    expect(edi.createdAt).toBe(starts[0]);
    expect(edi.attributes.createdAtSource).toBe('earliest-credential-start');
    expect(byName('Azure DevOps').createdAt).toBeNull();
  });

  it('reads the environment from names that state it', () => {
    expect(byName('Terraform Cloud - prod').environment).toBe('production');
    expect(byName('Terraform Cloud - nonprod').environment).toBe('non-production');
    expect(byName('Microsoft Graph').environment).toBeNull();
  });

  it('has no entitlements from tags or exposed app roles', () => {
    expect(identities.every((i) => i.entitlements.length === 0)).toBe(true);
  });
});

describe('entra-service-principals incomplete or unusual exports', () => {
  it('marks the population partial when the last page is dropped, and says why in a note', () => {
    const result = preset.map([page1]);
    expect(result.identities).toHaveLength(30);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([
      {
        file: page1.name,
        row: 0,
        message: expect.stringMatching(/export is incomplete.*population is partial/),
      },
    ]);
  });

  it('notes a page given twice, keeps each service principal once, and takes the population as partial', () => {
    const copy = { name: 'servicePrincipals_page1 (1).json', json: page1.json };
    const result = preset.map([page1, copy, page2]);
    expect(result.identities).toHaveLength(54);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes!.filter((n) => n.row === 0)).toEqual([
      {
        file: copy.name,
        row: 0,
        message: expect.stringMatching(/the same page was probably given twice.*population is partial/),
      },
    ]);
    const repeats = result.notes!.filter((n) => /appears again/.test(n.message));
    expect(repeats).toHaveLength(30);
    expect(repeats.every((n) => n.file === copy.name)).toBe(true);
  });

  it('notes two closing pages as possibly different exports and takes the population as partial', () => {
    const other = { name: 'other-export.json', json: page2.json };
    const result = preset.map([page1, page2, other]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: 'other-export.json',
      row: 0,
      message: expect.stringMatching(/each end an export.*population is partial/),
    });
    expect(result.notes!.filter((n) => /appears again/.test(n.message))).toHaveLength(24);
  });

  it('takes the population as partial when the pages hold fewer items than @odata.count', () => {
    const counted = (count: number) => ({
      name: 'servicePrincipals_page1.json',
      json: { ...(page1.json as RawPage), '@odata.count': count },
    });
    const short = preset.map([counted(60), page2]);
    expect(short.identities).toHaveLength(54);
    expect(short.partial).toBe(true);
    expect(short.rejects).toEqual([]);
    expect(short.notes).toEqual([
      {
        file: 'servicePrincipals_page1.json',
        row: 0,
        message: expect.stringMatching(/hold 54 of the 60 service principals.*population is partial/),
      },
    ]);
    const whole = preset.map([counted(54), page2]);
    expect(whole.partial).toBe(false);
    expect(whole.notes).toEqual([]);
  });

  it('takes the population as partial when only the sign-in report is given', () => {
    const result = preset.map([activity]);
    expect(result.identities).toEqual([]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: activity.name,
      row: 0,
      message: expect.stringContaining('no servicePrincipals page'),
    });
    // Without service principals every sign-in record is an orphan: each one is noted, none rejected.
    expect(result.notes!.filter((n) => /matches no service principal/.test(n.message))).toHaveLength(43);
  });

  it('rejects an unreadable item with its position, and notes a foreign file as a whole', async () => {
    const page = clone(page2.json as RawPage);
    delete page.value[3]!.id;
    const okta = await readJsonDocument(join(import.meta.dirname, '../../fixtures/okta/users_admins.json'));
    const result = preset.map([page1, { name: 'page2.json', json: page }, okta]);
    expect(result.identities).toHaveLength(53);
    expect(result.rejects).toEqual([
      {
        file: 'page2.json',
        row: 4,
        reason: "Service principal item 4 cannot be read: 'id' is missing.",
      },
    ]);
    expect(result.notes).toEqual([
      {
        file: 'users_admins.json',
        row: 0,
        message: expect.stringContaining('is not part of an Entra service principal export'),
      },
    ]);
    expect(result.partial).toBe(false);
  });

  it('names app permissions through the resource app roles and judges them', () => {
    const first = clone(page1.json as RawPage);
    const second = clone(page2.json as RawPage);
    const graph = [...first.value, ...second.value].find((sp) => sp.displayName === 'Microsoft Graph')!;
    graph.appRoles = [
      { id: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', value: 'Directory.ReadWrite.All' },
      { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All' },
    ];
    const app = [...first.value, ...second.value].find((sp) => sp.displayName === 'nwl-hr-sync (Workday)')!;
    app.appRoleAssignments = [
      {
        appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
        resourceId: graph.id,
        resourceDisplayName: 'Microsoft Graph',
      },
      {
        appRoleId: 'df021288-bdef-4463-88db-98f22de89214',
        resourceId: graph.id,
        resourceDisplayName: 'Microsoft Graph',
      },
      {
        appRoleId: '11111111-2222-3333-4444-555555555555',
        resourceId: 'not-in-export',
        resourceDisplayName: 'Other API',
      },
    ];
    const result = preset.map([
      { name: 'a.json', json: first },
      { name: 'b.json', json: second },
    ]);
    expect(result.identities.find((i) => i.name === 'nwl-hr-sync (Workday)')!.entitlements).toEqual([
      { name: 'Directory.ReadWrite.All', resource: 'Microsoft Graph', privileged: true },
      { name: 'User.Read.All', resource: 'Microsoft Graph', privileged: false },
      { name: '11111111-2222-3333-4444-555555555555', resource: 'Other API', privileged: false },
    ]);
  });

  it('maps a page carrying __proto__ keys without touching any prototype', async () => {
    const page = clone(page2.json as RawPage);
    const text = JSON.stringify(page).replace(
      '"value":[{',
      '"__proto__":{"polluted":"yes"},"value":[{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
    );
    expect(text).toContain('"__proto__"');
    const path = join(tempFolder(), 'page2-proto.json');
    writeFileSync(path, text);
    const doc = await readJsonDocument(path);
    const result = preset.map([page1, doc]);
    expect(result.identities).toHaveLength(54);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.identities[30]!.attributes)).toBe(Object.prototype);
  });
});
