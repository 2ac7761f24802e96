import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/api/result';
import { createCore, type Core } from '../../../electron/core/core';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const fixture = (...parts: string[]) => join(FIXTURES, ...parts);
const folderFiles = (...parts: string[]) =>
  readdirSync(fixture(...parts))
    .sort()
    .map((name) => fixture(...parts, name));

let core: Core;
let vaultFolder: string;

beforeEach(async () => {
  vaultFolder = tempFolder();
  core = createCore({ vaultFolder });
  expect(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true });
});
afterEach(() => core.close());

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function importFiles(paths: string[], extra: Record<string, unknown> = {}) {
  return value(await core.dispatch('imports.run', { paths, ...extra }));
}

async function allIdentities(asOf = '2026-11-01') {
  const page = value(await core.dispatch('identities.list', { asOf, limit: 1000 }));
  return page.items;
}

/** Every file in the vault folder with its SHA-256: the proof that a refused import wrote nothing. */
function vaultFingerprint(): Record<string, string> {
  const prints: Record<string, string> = {};
  for (const name of readdirSync(vaultFolder)) {
    const path = join(vaultFolder, name);
    if (statSync(path).isFile()) prints[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return prints;
}

describe('importing every vendor fixture', () => {
  it('AWS credential report: 45 IAM users and the root account, with the file hash as evidence', async () => {
    const summary = await importFiles([fixture('aws', 'iam_credential_report.csv')]);
    const bytes = readFileSync(fixture('aws', 'iam_credential_report.csv'));
    expect(summary).toMatchObject({
      preset: 'aws-credential-report',
      format: 'csv',
      imported: 46,
      rejected: 0,
    });
    expect(summary.files).toEqual([
      {
        name: 'iam_credential_report.csv',
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
    expect(summary.source).toMatch(/^aws:\d{12}$/);
    const backupBot = (await allIdentities()).find((i) => i.name === 'backup-bot')!;
    expect(backupBot.kind).toBe('iam-user');
    expect(backupBot.credentials.some((c) => c.type === 'access-key' && c.status === 'active')).toBe(true);
  });

  it('Entra: both Graph pages and the sign-in report make one snapshot of 54 service principals', async () => {
    const summary = await importFiles(folderFiles('entra'));
    expect(summary).toMatchObject({ preset: 'entra-service-principals', imported: 54 });
    const identities = await allIdentities();
    expect(identities.filter((i) => i.kind === 'managed-identity').length).toBeGreaterThan(0);
    expect(identities.find((i) => i.name === 'Old-Intranet-Search (decom)')?.status).toBe('disabled');
  });

  it('Kubernetes: 73 service accounts with cluster-admin bindings as privileged entitlements', async () => {
    const summary = await importFiles(folderFiles('kubernetes'));
    expect(summary).toMatchObject({ preset: 'kubernetes-service-accounts', imported: 73 });
    const ciDeployer = (await allIdentities()).find((i) => i.externalId === 'ci/ci-deployer')!;
    expect(ciDeployer.entitlements.some((e) => e.name === 'cluster-admin' && e.privileged)).toBe(true);
  });

  it('Kubernetes: preset parameters apply when the format is detected, not only when it is named', async () => {
    const summary = await importFiles(folderFiles('kubernetes'), {
      parameters: { clusterName: 'nwl-prod-eks' },
    });
    expect(summary.source).toBe('kubernetes:nwl-prod-eks');
  });

  it('GitHub: 30 app installations and 29 deploy keys from six repositories in one snapshot', async () => {
    const summary = await importFiles([
      fixture('github', 'org_installations.json'),
      ...folderFiles('github', 'deploy_keys'),
    ]);
    expect(summary).toMatchObject({ preset: 'github-org', imported: 59 });
    const identities = await allIdentities();
    expect(identities.filter((i) => i.kind === 'github-app')).toHaveLength(30);
    expect(identities.filter((i) => i.kind === 'deploy-key')).toHaveLength(29);
  });

  it('Active Directory: the gMSA export (34) and the svc_ user export (52) as two exports of one domain', async () => {
    const gmsa = await importFiles([fixture('active-directory', 'gmsa_export.csv')], { source: 'corp-ad' });
    const users = await importFiles([fixture('active-directory', 'svc_users_export.csv')], {
      source: 'corp-ad',
    });
    expect(gmsa).toMatchObject({ imported: 34, rejected: 0 });
    expect(users).toMatchObject({ imported: 52, rejected: 0, notSeen: 0 });
    expect(await allIdentities()).toHaveLength(86);
  });

  it('GCP: 34 service accounts with their user-managed keys', async () => {
    const summary = await importFiles([
      fixture('gcp', 'service_accounts.json'),
      ...folderFiles('gcp', 'keys'),
    ]);
    expect(summary).toMatchObject({ preset: 'gcp-service-accounts', imported: 34 });
    const withKeys = (await allIdentities()).filter((i) => i.credentials.some((c) => c.type === 'key'));
    expect(withKeys.length).toBeGreaterThan(0);
  });

  it('Okta: 30 API tokens, 28 service apps and 5 API service integrations', async () => {
    const summary = await importFiles(folderFiles('okta'));
    expect(summary).toMatchObject({ preset: 'okta', imported: 63 });
  });

  it('CMDB workbook: 122 records from the NHI Register sheet, the totals row left out', async () => {
    const summary = await importFiles([fixture('cmdb', 'nhi_inventory.xlsx')]);
    expect(summary).toMatchObject({ format: 'xlsx', imported: 122, rejected: 0 });
  });

  it('HR roster: 150 people, 16 of them terminated, and owners resolve against it', async () => {
    const roster = value(await core.dispatch('people.import', { path: fixture('hr', 'hr_roster.csv') }));
    expect(roster).toMatchObject({ imported: 150, terminated: 16, active: 134, rejected: 0 });
    await importFiles(folderFiles('kubernetes'));
    const owners = (await allIdentities()).flatMap((i) => i.owners);
    expect(owners.some((o) => o.status === 'active')).toBe(true);
    expect(owners.some((o) => o.status === 'terminated')).toBe(true);
  });
});

describe('messy files', () => {
  it('reads the Excel UTF-8-with-BOM and the UTF-16 "Unicode Text" exports of the same 40 records alike', async () => {
    const utf8 = await importFiles([fixture('messy', 'utf8_bom_cmdb_export.csv')], { source: 'cmdb-utf8' });
    const utf16 = await importFiles([fixture('messy', 'excel_unicode_text_export.txt')], {
      source: 'cmdb-utf16',
    });
    expect(utf8.imported).toBe(40);
    expect(utf16.imported).toBe(40);
    const identities = await allIdentities();
    const names = (source: string) =>
      identities
        .filter((i) => i.source === source)
        .map((i) => i.name)
        .sort();
    expect(names('cmdb-utf16')).toEqual(names('cmdb-utf8'));
  });

  it('reads the German semicolon export in Windows-1252', async () => {
    const summary = await importFiles([fixture('messy', 'european_semicolon_cp1252.csv')]);
    expect(summary.imported).toBeGreaterThan(40);
    const loader = (await allIdentities()).find((i) => i.name === 'nwl-data-lake-loader');
    expect(loader).toBeDefined();
  });

  it('stores CSV-injection payloads verbatim as text', async () => {
    const summary = await importFiles([fixture('messy', 'csv_injection_payloads.csv')]);
    expect(summary.imported).toBeGreaterThan(0);
    const text = JSON.stringify(await allIdentities());
    expect(text).toContain('=HYPERLINK(');
    expect(text).toContain('@SUM(');
  });

  it('reports ragged rows and duplicate ids by row, and does not merge conflicting duplicates', async () => {
    const summary = await importFiles([fixture('messy', 'duplicates_and_ragged.csv')]);
    expect(summary.rejected).toBeGreaterThanOrEqual(3);
    for (const reject of summary.rejects) {
      expect(reject.file).toBe('duplicates_and_ragged.csv');
      expect(reject.row).toBeGreaterThan(1);
    }
    expect(summary.rejects.some((r) => /different values/.test(r.reason))).toBe(true);
    expect(summary.rejects.some((r) => /Duplicate of row/.test(r.reason))).toBe(true);
  });

  it('imports a header-only AWS report as an empty snapshot without an error', async () => {
    const summary = await importFiles([fixture('messy', 'header_only.csv')]);
    expect(summary).toMatchObject({ preset: 'aws-credential-report', rowsRead: 0, imported: 0, rejected: 0 });
  });

  it('reads an XLSX renamed .csv as the workbook it is', async () => {
    const summary = await importFiles([fixture('messy', 'xlsx_renamed.csv')]);
    expect(summary).toMatchObject({ format: 'xlsx', imported: 122 });
  });

  it.each([
    ['empty.csv', /empty/],
    ['binary_png_renamed.csv', /PNG/],
  ])('refuses %s with a clear error and leaves the vault unchanged', async (name, message) => {
    await importFiles([fixture('aws', 'iam_credential_report.csv')]);
    await core.dispatch('vault.lock', {});
    await core.dispatch('vault.unlock', { passphrase: TEST_PASSPHRASE });
    const before = vaultFingerprint();
    const result = await core.dispatch('imports.run', { paths: [fixture('messy', name)] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
    expect(vaultFingerprint()).toEqual(before);
  });

  it('recognises the same file imported again and duplicates nothing', async () => {
    const first = await importFiles([fixture('aws', 'iam_credential_report.csv')]);
    const again = await importFiles([fixture('aws', 'iam_credential_report.csv')]);
    expect(again).toMatchObject({ alreadyImported: true, snapshotId: first.snapshotId });
    expect(await allIdentities()).toHaveLength(46);
  });
});
