import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../electron/core/vault/vault';
import { ensureCliBuilt, runSteward } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };
const OWNER = 'ana.silva@northwindlogistics.example';

beforeAll(() => ensureCliBuilt());

async function steward(data: string, ...args: string[]) {
  return runSteward(['--data', data, ...args], env);
}

async function ok(data: string, ...args: string[]): Promise<string> {
  const run = await steward(data, ...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

describe('steward campaign and log verify', () => {
  it('runs a campaign end to end through the real bin, and log verify names a record edited on disk', async () => {
    const data = tempFolder();
    await ok(data, 'init');
    await ok(data, 'people', 'import', join(FIXTURES, 'hr', 'hr_roster.csv'));
    await ok(data, 'import', join(FIXTURES, 'aws', 'iam_credential_report.csv'));
    await ok(
      data,
      'import',
      join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
      join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
      '--source',
      'nwl-prod-eks',
    );

    const created = JSON.parse(
      await ok(
        data,
        'campaign',
        'create',
        '--name',
        'Q4 EKS',
        '--as-of',
        '2026-11-01',
        '--due',
        '2026-11-30',
        '--scope-source',
        'nwl-prod-eks',
        '--owner',
        OWNER,
        '--json',
      ),
    );
    expect(created).toMatchObject({ state: 'draft', scope: { sources: ['nwl-prod-eks'] }, owner: OWNER });
    const id = String(created.id);

    // Only the owner launches.
    expect((await steward(data, 'campaign', 'launch', id, '--as', 'someone@example.com')).code).toBe(2);
    expect(JSON.parse(await ok(data, 'campaign', 'launch', id, '--as', OWNER, '--json'))).toMatchObject({
      state: 'open',
      items: 73,
    });

    const items = JSON.parse(await ok(data, 'campaign', 'items', id, '--json')) as Array<{
      id: number;
      name: string;
      reviewer: string;
    }>;
    expect(items).toHaveLength(73);
    const scheduler = items.find((i) => i.name === 'data-pipeline/airflow-scheduler')!;
    expect(scheduler.reviewer).toBe('ingrid.osei@northwindlogistics.example');

    const as = ['--as', scheduler.reviewer];
    const noComment = await steward(data, 'campaign', 'decide', id, String(scheduler.id), 'revoke', ...as);
    expect(noComment.code).toBe(2);
    expect(noComment.stderr).toMatch(/justification is required/);
    expect((await steward(data, 'campaign', 'decide', id, String(scheduler.id), 'approve', ...as)).code).toBe(
      2,
    );
    expect(
      JSON.parse(
        await ok(
          data,
          'campaign',
          'decide',
          id,
          String(scheduler.id),
          'reassign',
          '--owner',
          'keiko.jensen@northwindlogistics.example',
          '--comment',
          'Keiko runs the pipelines now.',
          ...as,
          '--json',
        ),
      ),
    ).toMatchObject({ decision: 'reassign', newOwner: 'keiko.jensen@northwindlogistics.example' });
    await ok(data, 'campaign', 'signoff', id, ...as);

    const status = JSON.parse(await ok(data, 'campaign', 'status', id, '--json'));
    expect(status).toMatchObject({ total: 73, decided: 1, byDecision: { reassign: 1, pending: 72 } });

    const notYet = await steward(data, 'campaign', 'close', id, '--as', OWNER);
    expect(notYet.code).toBe(2);
    expect(notYet.stderr).toMatch(/72 item\(s\) are undecided/);
    expect(
      JSON.parse(
        await ok(
          data,
          'campaign',
          'close',
          id,
          '--as',
          OWNER,
          '--pending-as-exception',
          'Deferred to Q1.',
          '--json',
        ),
      ),
    ).toMatchObject({ state: 'closed' });
    expect((await steward(data, 'campaign', 'decide', id, String(scheduler.id), 'certify', ...as)).code).toBe(
      2,
    );

    const verified = await steward(data, 'log', 'verify', '--json');
    expect(verified.code).toBe(0);
    const { head, records } = JSON.parse(verified.stdout);
    // create, launch, a decision, a sign-off, 72 exceptions, the close
    expect(records).toBe(1 + 1 + 1 + 1 + 72 + 1);
    expect((await steward(data, 'log', 'verify', '--head', `${head.seq}:${head.hash}`)).code).toBe(0);

    // An attacker with the key: open the vault, drop the trigger, change a decision's justification.
    const vault = new Vault(data);
    await vault.unlock(TEST_PASSPHRASE);
    vault.database.exec('DROP TRIGGER decision_log_no_update');
    vault.database
      .prepare(
        `UPDATE decision_log SET payload = replace(payload, 'Keiko runs', 'Nobody runs') WHERE seq = 3`,
      )
      .run();
    vault.lock();

    const broken = await steward(data, 'log', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/broken at record 3: Record 3 was changed/);
  }, 180_000);
});
