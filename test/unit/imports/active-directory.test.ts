import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { parseSourceDate } from '../../../electron/core/imports/dates';
import type { RowOutcome, TablePreset } from '../../../electron/core/imports/preset-types';
import {
  commonNameOf,
  isDotNetPlaceholder,
  isPrivilegedAdGroup,
} from '../../../electron/core/imports/presets/active-directory-common';
import { activeDirectoryGmsaPreset } from '../../../electron/core/imports/presets/active-directory-gmsa';
import { activeDirectorySvcUsersPreset } from '../../../electron/core/imports/presets/active-directory-svc-users';
import { awsCredentialReportPreset } from '../../../electron/core/imports/presets/aws-credential-report';
import { cmdbGenericPreset } from '../../../electron/core/imports/presets/cmdb-generic';
import { openCsvTable } from '../../../electron/core/imports/readers/csv-reader';

const GMSA = join('test/fixtures', 'active-directory/gmsa_export.csv');
const USERS = join('test/fixtures', 'active-directory/svc_users_export.csv');

async function mapWith(preset: TablePreset, path: string): Promise<RowOutcome[]> {
  const table = await openCsvTable(path);
  const map = preset.createRowMapper(table.header, table.file);
  const outcomes: RowOutcome[] = [];
  for await (const row of table.rows) outcomes.push(map(row));
  return outcomes;
}

async function byName(preset: TablePreset, path: string): Promise<Map<string, NormalizedIdentity>> {
  const all = new Map<string, NormalizedIdentity>();
  for (const outcome of await mapWith(preset, path))
    if ('identity' in outcome) all.set(outcome.identity.name, outcome.identity);
  return all;
}

/** The fixture's raw records by a column's value, read without the reader (every field is quoted). */
function rawRecord(path: string, column: string, value: string): Record<string, string> {
  const lines = readFileSync(path, 'ascii').split('\r\n').slice(1);
  const parse = (line: string) => line.slice(1, -1).split('","');
  const header = parse(lines[0]!);
  const cells = lines.map(parse).find((record) => record[header.indexOf(column)] === value)!;
  return Object.fromEntries(header.map((name, index) => [name, cells[index]!]));
}

describe('which Active Directory preset a header belongs to', () => {
  it('tells the gMSA export from the user export, and claims neither the AWS nor the CMDB file', async () => {
    const gmsa = (await openCsvTable(GMSA)).header;
    const users = (await openCsvTable(USERS)).header;
    expect(activeDirectoryGmsaPreset.detect(gmsa)).toBeGreaterThan(0.9);
    expect(activeDirectorySvcUsersPreset.detect(gmsa)).toBe(0);
    expect(activeDirectorySvcUsersPreset.detect(users)).toBeGreaterThan(0.8);
    expect(activeDirectoryGmsaPreset.detect(users)).toBe(0);
    expect(cmdbGenericPreset.detect(users)).toBeLessThan(activeDirectorySvcUsersPreset.detect(users));
    const aws = (await openCsvTable(join('test/fixtures', 'aws/iam_credential_report.csv'))).header;
    expect(activeDirectoryGmsaPreset.detect(aws) + activeDirectorySvcUsersPreset.detect(aws)).toBe(0);
    expect(awsCredentialReportPreset.detect(gmsa)).toBe(0);
  });
});

describe('active-directory-gmsa preset', () => {
  it('imports the 34 managed service accounts (30 gMSA, 4 standalone MSA) keyed by objectGUID', async () => {
    const outcomes = await mapWith(activeDirectoryGmsaPreset, GMSA);
    expect(outcomes.filter((outcome) => !('identity' in outcome))).toEqual([]);
    const all = [...(await byName(activeDirectoryGmsaPreset, GMSA)).values()];
    expect(all).toHaveLength(34);
    const classes = all.map((identity) => identity.attributes.objectClass);
    expect(classes.filter((name) => name === 'msDS-GroupManagedServiceAccount')).toHaveLength(30);
    expect(classes.filter((name) => name === 'msDS-ManagedServiceAccount')).toHaveLength(4);
    expect(all.every((identity) => identity.attributes.externalIdFrom === 'objectGUID')).toBe(true);
    expect(all.every((identity) => identity.kind === 'service-account')).toBe(true);
    expect(all.some((identity) => identity.attributes.dateProblems)).toBe(false);
  });

  it('reads gmsa-sql-wms01: owner DN, FILETIME logon and password set, never-expiring account', async () => {
    const raw = rawRecord(GMSA, 'Name', 'gmsa-sql-wms01');
    const account = (await byName(activeDirectoryGmsaPreset, GMSA)).get('gmsa-sql-wms01')!;
    expect(account.externalId).toBe(raw.ObjectGUID);
    expect(account.owners).toEqual([
      {
        ref: 'CN=Nadia Fischer,OU=Staff,OU=Users,DC=corp,DC=northwindlogistics,DC=example',
        role: 'business',
      },
    ]);
    expect(account.lastUsedAt).toBe('2026-10-23T03:06:50.000Z');
    expect(parseSourceDate(raw.LastLogonDate)).toEqual({ kind: 'date', iso: account.lastUsedAt });
    expect(account.credentials).toEqual([
      {
        externalId: null,
        type: 'password',
        status: 'active',
        createdAt: null,
        lastRotatedAt: '2026-10-15T04:46:44.000Z',
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(account).toMatchObject({
      status: 'active',
      description: 'sql wms01 service',
      createdAt: '2018-12-10T17:53:09.000Z',
      attributes: {
        samAccountName: 'gmsa-sql-wms01$',
        sid: raw.objectSid,
        domain: 'corp.northwindlogistics.example',
        accountExpires: 'never',
        managedPassword: true,
        usageReported: true,
        trustedForDelegation: false,
      },
    });
    expect(account.entitlements).toEqual([
      {
        name: 'Domain Computers',
        resource: 'CN=Domain Computers,CN=Users,DC=corp,DC=northwindlogistics,DC=example',
        privileged: false,
      },
    ]);
    expect(
      Object.values(account.attributes).some(
        (value) => typeof value === 'string' && isDotNetPlaceholder(value),
      ),
    ).toBe(false);
  });

  it('keeps leaver, group and missing owners as the export states them, and never-used and disabled accounts', async () => {
    const all = await byName(activeDirectoryGmsaPreset, GMSA);
    expect(all.get('gmsa-adfs')!.owners[0]!.ref).toBe(
      'CN=Bj?rn Petrov,OU=Disabled Users,DC=corp,DC=northwindlogistics,DC=example',
    );
    expect(all.get('gmsa-ssis-etl')!.owners[0]!.ref).toBe(
      'CN=IT-Ops-Admins,OU=Groups,DC=corp,DC=northwindlogistics,DC=example',
    );
    expect(all.get('gmsa-tms-batch')!.owners).toEqual([]);
    expect(all.get('gmsa-depot-kiosk')).toMatchObject({
      lastUsedAt: null,
      attributes: { usageReported: true },
    });
    expect(all.get('gmsa-old-sharepoint')).toMatchObject({
      status: 'disabled',
      credentials: [{ status: 'inactive' }],
    });
  });
});

describe('active-directory-svc-users preset', () => {
  it('imports the 52 svc_* users, keyed by domain and SamAccountName (the export has no GUID or SID)', async () => {
    const outcomes = await mapWith(activeDirectorySvcUsersPreset, USERS);
    expect(outcomes.filter((outcome) => !('identity' in outcome))).toEqual([]);
    const all = await byName(activeDirectorySvcUsersPreset, USERS);
    expect(all.size).toBe(52);
    expect(all.get('svc_sql_wms')).toMatchObject({
      externalId: 'corp.northwindlogistics.example\\svc_sql_wms',
      lastUsedAt: '2026-10-23T15:39:29.000Z',
      createdAt: '2015-07-29T20:06:28.000Z',
      owners: [],
      attributes: {
        externalIdFrom: 'samAccountName',
        userPrincipalName: 'svc_sql_wms@corp.northwindlogistics.example',
        passwordNeverExpires: true,
        managedPassword: false,
      },
      credentials: [{ type: 'password', lastRotatedAt: '2023-11-14T01:09:39.000Z' }],
    });
    expect([...all.values()].some((identity) => identity.attributes.dateProblems)).toBe(false);
  });

  it('marks Domain Admins, Backup and Account Operators memberships privileged, from the flattened MemberOf', async () => {
    const all = await byName(activeDirectorySvcUsersPreset, USERS);
    expect(all.get('svc_adconnect')!.entitlements).toEqual([
      {
        name: 'Domain Admins',
        resource: 'CN=Domain Admins,CN=Users,DC=corp,DC=northwindlogistics,DC=example',
        privileged: true,
      },
    ]);
    expect(
      all
        .get('svc_breakglass_sql')!
        .entitlements.map((entitlement) => [entitlement.name, entitlement.privileged]),
    ).toEqual([
      ['SQL Sysadmins', false],
      ['Domain Admins', true],
    ]);
    expect(all.get('svc_backup')!.entitlements[0]).toMatchObject({
      name: 'Backup Operators',
      privileged: true,
    });
    expect(all.get('svc_pam_discovery')!.entitlements[0]).toMatchObject({
      name: 'Account Operators',
      privileged: true,
    });
    expect(all.get('svc_sccm_push')!.entitlements.every((entitlement) => !entitlement.privileged)).toBe(true);
    expect(all.get('svc_sql_tms')!.owners).toEqual([
      { ref: 'CN=Hannah Quinn,OU=Staff,OU=Users,DC=corp,DC=northwindlogistics,DC=example', role: 'business' },
    ]);
  });

  it('reads never-logged-on, never-set and disabled accounts', async () => {
    const all = await byName(activeDirectorySvcUsersPreset, USERS);
    expect(all.get('svc_hr_export')).toMatchObject({
      lastUsedAt: null,
      attributes: { usageReported: true },
      credentials: [{ lastRotatedAt: null }],
    });
    const withoutUpn = rawRecord(USERS, 'UserPrincipalName', '').SamAccountName!;
    expect(all.get(withoutUpn)!.attributes.userPrincipalName).toBeNull();
    expect(all.get('svc_test_do_not_use')).toMatchObject({ status: 'disabled', lastUsedAt: null });
    expect(all.get('svc_old_intranet')).toMatchObject({
      status: 'disabled',
      credentials: [{ status: 'inactive' }],
    });
  });
});

describe('Active Directory helpers', () => {
  it('reads CNs and privileged groups, and recognises .NET placeholders', () => {
    expect(commonNameOf('CN=Doe\\, John,OU=Staff,DC=corp,DC=example')).toBe('Doe, John');
    expect(isPrivilegedAdGroup('CN=Enterprise Admins,CN=Users,DC=corp,DC=example')).toBe(true);
    expect(isPrivilegedAdGroup('CN=GG-ServiceAccounts,OU=Groups,DC=corp,DC=example')).toBe(false);
    expect(isDotNetPlaceholder('Microsoft.ActiveDirectory.Management.ADPropertyValueCollection')).toBe(true);
    expect(isDotNetPlaceholder('System.Byte[]')).toBe(true);
    expect(
      isDotNetPlaceholder(
        'System.Collections.Generic.SortedDictionary`2+KeyCollection[System.String,Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]',
      ),
    ).toBe(true);
    expect(isDotNetPlaceholder('sql wms service')).toBe(false);
  });
});
