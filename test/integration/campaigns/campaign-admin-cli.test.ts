import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runSteward } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };
const OWNER = 'ana.silva@northwindlogistics.example';
const KEIKO = 'keiko.jensen@northwindlogistics.example';

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

function dayFromToday(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('steward campaign reassign and extend', () => {
  it('moves a reviewer’s undecided queue or named items, and the due date, as the campaign owner only', async () => {
    const data = tempFolder();
    await ok(data, 'init');
    await ok(data, 'people', 'import', join(FIXTURES, 'hr', 'hr_roster.csv'));
    await ok(
      data,
      'import',
      join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
      join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
      '--source',
      'nwl-prod-eks',
    );
    const due = dayFromToday(10);
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
        due,
        '--owner',
        OWNER,
        '--json',
      ),
    ) as { id: number };
    const id = String(created.id);
    await ok(data, 'campaign', 'launch', id, '--as', OWNER);
    const items = JSON.parse(await ok(data, 'campaign', 'items', id, '--json')) as Array<{
      id: number;
      name: string;
      reviewer: string;
    }>;
    const scheduler = items.find((i) => i.name === 'data-pipeline/airflow-scheduler')!;

    // Usage: items or a queue, not both, not neither; ids are numbers.
    for (const args of [
      ['--to', KEIKO, '--reason', 'cover'],
      ['--to', KEIKO, '--reason', 'cover', '--items', '1', '--from', OWNER],
      ['--to', KEIKO, '--reason', 'cover', '--items', '1,x'],
    ]) {
      const run = await steward(data, 'campaign', 'reassign', id, ...args, '--as', OWNER);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toBe('');
    }
    const notOwner = await steward(
      data,
      'campaign',
      'reassign',
      id,
      '--items',
      String(scheduler.id),
      '--to',
      KEIKO,
      '--reason',
      'cover',
      '--as',
      KEIKO,
    );
    expect(notOwner.code).toBe(2);
    expect(notOwner.stderr).toMatch(/Only the campaign owner/);

    const byItem = JSON.parse(
      await ok(
        data,
        'campaign',
        'reassign',
        id,
        '--items',
        String(scheduler.id),
        '--to',
        KEIKO,
        '--reason',
        'Ingrid is on leave',
        '--as',
        OWNER,
        '--json',
      ),
    );
    expect(byItem).toMatchObject({ moved: 1, toReviewer: KEIKO, itemIds: [scheduler.id] });
    const human = await ok(
      data,
      'campaign',
      'reassign',
      id,
      '--from',
      KEIKO,
      '--to',
      'ingrid.osei@northwindlogistics.example',
      '--reason',
      'Back from leave',
      '--as',
      OWNER,
    );
    expect(human).toContain(`Moved 1 item(s) to ingrid.osei@northwindlogistics.example (1 from ${KEIKO})`);

    const later = dayFromToday(30);
    const early = await steward(
      data,
      'campaign',
      'extend',
      id,
      '--due',
      dayFromToday(3),
      '--reason',
      'freeze',
      '--as',
      OWNER,
    );
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`later than the current one, ${due}`);
    expect(
      await ok(data, 'campaign', 'extend', id, '--due', later, '--reason', 'Year-end freeze', '--as', OWNER),
    ).toContain(`due ${later}`);
    expect(await ok(data, 'log', 'verify')).toMatch(/The decision log holds/);
    // A dozen runs of the real bin, each deriving the vault key: generous for a loaded machine.
  }, 300_000);
});
