import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runSteward, STEWARD_BIN } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };

beforeAll(() => ensureCliBuilt());

async function newVault(): Promise<string> {
  const data = tempFolder();
  expect((await runSteward(['--data', data, 'init'], env)).code).toBe(0);
  return data;
}

describe('steward import, people import and identities', () => {
  it('prints the snapshot summary as JSON with the promised field names', async () => {
    const data = await newVault();
    const run = await runSteward(
      ['--data', data, 'import', join(FIXTURES, 'aws', 'iam_credential_report.csv'), '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      snapshotId: expect.any(Number),
      source: expect.stringMatching(/^aws:/),
      format: 'aws-credential-report',
      rowsRead: 46,
      imported: 46,
      rejected: 0,
      rejects: [],
    });
    expect(summary.files).toEqual([
      { name: 'iam_credential_report.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 11412 },
    ]);
  });

  it('imports files that belong together in one call, and lists the identities with resolved owners', async () => {
    const data = await newVault();
    expect(
      (await runSteward(['--data', data, 'people', 'import', join(FIXTURES, 'hr', 'hr_roster.csv')], env))
        .code,
    ).toBe(0);
    const k8s = await runSteward(
      [
        '--data',
        data,
        'import',
        join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
        join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
        '--source',
        'nwl-prod-eks',
        '--json',
      ],
      env,
    );
    expect(JSON.parse(k8s.stdout)).toMatchObject({ source: 'nwl-prod-eks', imported: 73 });

    const listed = await runSteward(['--data', data, 'identities', '--json', '--as-of', '2026-11-01'], env);
    expect(listed.code).toBe(0);
    const identities = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(identities).toHaveLength(73);
    const ciDeployer = identities.find((i) => i.externalId === 'ci/ci-deployer')!;
    expect(Object.keys(ciDeployer).sort()).toEqual(
      [
        'id',
        'source',
        'kind',
        'externalId',
        'name',
        'environment',
        'status',
        'description',
        'owners',
        'createdAt',
        'lastUsedAt',
        'credentials',
        'entitlements',
        'notSeenSince',
        'signals',
      ].sort(),
    );
    expect(ciDeployer).toMatchObject({ source: 'nwl-prod-eks', kind: 'kubernetes-service-account' });
    // ci-deployer is bound to cluster-admin (the fixture's ci-deployer-cluster-admin binding).
    expect(ciDeployer.signals).toContainEqual(
      expect.objectContaining({
        code: 'privileged',
        owasp: 'NHI5:2025',
        reason: expect.stringContaining('cluster-admin'),
      }),
    );
    const statuses = new Set(
      identities.flatMap((i) => (i.owners as Array<{ status: string }>).map((o) => o.status)),
    );
    expect(statuses).toContain('active');
  });

  it('uses a mapping file for a layout no format recognises', async () => {
    const data = await newVault();
    const folder = tempFolder();
    const csv = join(folder, 'register.csv');
    writeFileSync(
      csv,
      'Konto,Verantwortlich,Bemerkung\nsvc-backup,ana@x.example,nightly\nsvc-ftp,bo@x.example,legacy\n',
    );
    const refused = await runSteward(['--data', data, 'import', csv], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--mapping FILE/);

    const mapping = join(folder, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({ name: 'Konto', externalId: 'Konto', businessOwner: 'Verantwortlich' }),
    );
    const mapped = await runSteward(['--data', data, 'import', csv, '--mapping', mapping, '--json'], env);
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ imported: 2, format: 'column-mapping' });

    // The confirmed mapping is remembered for this layout: next quarter's file needs no --mapping.
    const next = join(folder, 'register-q4.csv');
    writeFileSync(next, 'Konto,Verantwortlich,Bemerkung\nsvc-backup,ana@x.example,nightly\n');
    const again = await runSteward(['--data', data, 'import', next, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 1, notSeen: 1 });
  });

  it('exits 2 with the file named when a file cannot be imported, and 2 for a bad mapping file', async () => {
    const data = await newVault();
    const empty = await runSteward(['--data', data, 'import', join(FIXTURES, 'messy', 'empty.csv')], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty\.csv is empty/);
    const missing = await runSteward(['--data', data, 'import', join(FIXTURES, 'nope.csv')], env);
    expect(missing.code).toBe(2);
    const badMapping = join(tempFolder(), 'm.json');
    writeFileSync(badMapping, '{ not json');
    const bad = await runSteward(
      ['--data', data, 'import', join(FIXTURES, 'aws', 'iam_credential_report.csv'), '--mapping', badMapping],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot be read as JSON/);
  });

  it('lists formats, and has help for every command', async () => {
    const data = await newVault();
    const formats = await runSteward(['--data', data, 'formats', '--json'], env);
    expect(JSON.parse(formats.stdout).map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining([
        'aws-credential-report',
        'entra-service-principals',
        'kubernetes-service-accounts',
      ]),
    );
    for (const command of [['import'], ['people', 'import'], ['identities'], ['formats']]) {
      const help = await runSteward([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: steward/);
    }
  });
});

describe('steward import on a terminal', () => {
  it('says what the import does once its rows are read, on one line rewritten in place', async () => {
    const data = await newVault();
    const file = join(FIXTURES, 'aws', 'iam_credential_report.csv');
    // `script` gives the CLI a real pseudo-terminal, as a person at a shell would.
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${STEWARD_BIN} --data ${data} import ${file}`, '/dev/null'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    child.stdout.on('data', (chunk) => (screen += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = stripVTControlCharacters(screen).split('\r');
    expect(lines).toContain('46 rows…');
    expect(lines).toContain('Building the search and sort indexes and saving the snapshot (46 rows)…');
    // Cleared before the summary, which starts on a clean line.
    expect(lines.at(-1)).not.toMatch(/…/);
    expect(stripVTControlCharacters(screen)).toMatch(/Rows read 46: imported 46/);
  });
});
