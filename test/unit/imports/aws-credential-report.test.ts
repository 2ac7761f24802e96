import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import type { RowOutcome } from '../../../electron/core/imports/preset-types';
import { awsCredentialReportPreset } from '../../../electron/core/imports/presets/aws-credential-report';
import { cmdbGenericPreset } from '../../../electron/core/imports/presets/cmdb-generic';
import { openCsvTable } from '../../../electron/core/imports/readers/csv-reader';

const REPORT = join('test/fixtures', 'aws/iam_credential_report.csv');

async function mapFile(path: string): Promise<{ header: string[]; outcomes: RowOutcome[] }> {
  const table = await openCsvTable(path);
  const map = awsCredentialReportPreset.createRowMapper(table.header, table.file);
  const outcomes: RowOutcome[] = [];
  for await (const row of table.rows) outcomes.push(map(row));
  return { header: table.header, outcomes };
}

async function identities(): Promise<Map<string, NormalizedIdentity>> {
  const { outcomes } = await mapFile(REPORT);
  const byName = new Map<string, NormalizedIdentity>();
  for (const outcome of outcomes)
    if ('identity' in outcome) byName.set(outcome.identity.name, outcome.identity);
  return byName;
}

/** Whole calendar days from `iso` to `day`. */
function daysBefore(day: string, iso: string | null): number {
  return (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${iso!.slice(0, 10)}T00:00:00Z`)) / 86_400_000;
}

describe('aws-credential-report preset', () => {
  it('recognises the exact 22-column header, and nothing else claims it', async () => {
    const table = await openCsvTable(REPORT);
    expect(awsCredentialReportPreset.detect(table.header)).toBe(1);
    expect(cmdbGenericPreset.detect(table.header)).toBe(0);
    expect(awsCredentialReportPreset.detect(['Record ID', 'Account Name', 'Type'])).toBe(0);
  });

  it('imports 45 IAM users and the root account, rejecting nothing', async () => {
    const { outcomes } = await mapFile(REPORT);
    expect(outcomes.filter((outcome) => !('identity' in outcome))).toEqual([]);
    const all = [...(await identities()).values()];
    expect(all).toHaveLength(46);
    expect(all.filter((identity) => identity.attributes.root)).toHaveLength(1);
    expect(
      all.every(
        (identity) => identity.kind === 'iam-user' && identity.externalId.startsWith('arn:aws:iam::'),
      ),
    ).toBe(true);
  });

  it('keeps the root account as a privileged identity with its console use', async () => {
    const root = (await identities()).get('<root_account>')!;
    expect(root.externalId).toBe('arn:aws:iam::731846209152:root');
    expect(root.attributes).toMatchObject({
      root: true,
      mfaActive: true,
      accountId: '731846209152',
      path: null,
    });
    expect(root.entitlements).toEqual([
      { name: 'AWS account root user', resource: 'aws-account:731846209152', privileged: true },
    ]);
    expect(root.credentials.map((credential) => credential.type)).toEqual(['password']);
    expect(root.lastUsedAt).toBe('2026-10-10T08:39:14.000Z');
  });

  it('reads backup-bot: one active key about 812 days old at export, used on the export day', async () => {
    const bot = (await identities()).get('backup-bot')!;
    expect(bot.credentials).toHaveLength(1);
    const [key] = bot.credentials;
    expect(key).toMatchObject({
      type: 'access-key',
      status: 'active',
      createdAt: '2024-08-09T05:02:07.000Z',
    });
    expect(Math.floor((Date.parse('2026-10-30T16:05:00Z') - Date.parse(key!.createdAt!)) / 86_400_000)).toBe(
      812,
    );
    expect(bot.lastUsedAt).toBe('2026-10-30T04:53:16.000Z');
    expect(bot.attributes).toMatchObject({ path: '/service/', interactiveLogin: false, usageReported: true });
  });

  it('treats no_information as unknown use, not never (ops-console-legacy)', async () => {
    const legacy = (await identities()).get('ops-console-legacy')!;
    expect(legacy.lastUsedAt).toBeNull();
    expect(legacy.attributes).toMatchObject({
      usageReported: false,
      passwordLastUsed: 'no_information',
      interactiveLogin: true,
      path: '/',
    });
    expect(legacy.credentials).toEqual([
      {
        externalId: null,
        type: 'password',
        status: 'active',
        createdAt: null,
        lastRotatedAt: '2014-03-02T07:41:09.000Z',
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
  });

  it('decides key activeness from *_active: ci-deployer key 2 is inactive despite its dates', async () => {
    const ci = (await identities()).get('ci-deployer')!;
    expect(ci.credentials.map((credential) => [credential.status, credential.lastRotatedAt])).toEqual([
      ['active', '2026-09-20T16:53:41.000Z'],
      ['inactive', '2025-09-05T17:33:31.000Z'],
    ]);
    expect(ci.lastUsedAt).toBe('2026-10-29T05:38:26.000Z');
  });

  it('shows never-used keys, unfinished rotations, certificate-only and credential-less users', async () => {
    const all = await identities();
    const sftp = all.get('sftp-transfer-legacy')!;
    expect(sftp.credentials).toMatchObject([{ type: 'access-key', status: 'active', lastUsedAt: null }]);
    expect(sftp.attributes.usageReported).toBe(true);
    expect(sftp.lastUsedAt).toBeNull();
    expect(all.get('lambda-deployer-old')!.credentials).toMatchObject([
      { status: 'inactive', lastUsedAt: null },
    ]);
    const edi = all.get('edi-partner-upload')!;
    expect(edi.credentials.filter((credential) => credential.status === 'active')).toHaveLength(2);
    expect(edi.lastUsedAt).toBe('2026-10-29T18:25:13.000Z');
    expect(all.get('quicksight-export')!.credentials).toEqual([]);
    expect(all.get('cert-signer-legacy')!.credentials).toMatchObject([
      { type: 'certificate', status: 'active', lastRotatedAt: '2021-01-29T13:44:21.000Z' },
    ]);
    expect(all.has('svc.reporting@finance')).toBe(true);
    expect([...all.keys()].some((name) => name.startsWith('ses-smtp-user.'))).toBe(true);
  });

  it('keeps the 364/368-day rotation boundary pair apart', async () => {
    const all = await identities();
    expect(daysBefore('2026-11-01', all.get('tms-rate-shopper')!.credentials[0]!.lastRotatedAt)).toBe(364);
    expect(daysBefore('2026-11-01', all.get('datadog-integration')!.credentials[0]!.lastRotatedAt)).toBe(368);
  });

  it('imports a header-only report as zero identities without an error', async () => {
    const { header, outcomes } = await mapFile(join('test/fixtures', 'messy/header_only.csv'));
    expect(awsCredentialReportPreset.detect(header)).toBe(1);
    expect(outcomes).toEqual([]);
  });

  it('rejects a row that is cut short or has no IAM ARN, saying why', () => {
    const map = awsCredentialReportPreset.createRowMapper(
      [
        'user',
        'arn',
        'user_creation_time',
        'password_enabled',
        'password_last_used',
        'password_last_changed',
        'password_next_rotation',
        'mfa_active',
        'access_key_1_active',
        'access_key_1_last_rotated',
        'access_key_1_last_used_date',
        'access_key_1_last_used_region',
        'access_key_1_last_used_service',
        'access_key_2_active',
        'access_key_2_last_rotated',
        'access_key_2_last_used_date',
        'access_key_2_last_used_region',
        'access_key_2_last_used_service',
        'cert_1_active',
        'cert_1_last_rotated',
        'cert_2_active',
        'cert_2_last_rotated',
      ],
      'report.csv',
    );
    expect(map({ rowNumber: 5, cells: ['bob', 'arn:aws:iam::731846209152:user/bob'] })).toEqual({
      reject: expect.stringContaining('the row has 2 values but the header has 22 columns'),
    });
    const cells = Array.from({ length: 22 }, () => 'N/A');
    cells[0] = 'bob';
    cells[1] = 'not-an-arn';
    expect(map({ rowNumber: 6, cells })).toEqual({
      reject: expect.stringContaining("'arn' is 'not-an-arn'"),
    });
  });
});
