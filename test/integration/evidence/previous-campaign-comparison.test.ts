import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Method, MethodOutput } from '../../../shared/api/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const OWNER = 'keiko.jensen@northwindlogistics.example';

let core: Core;
afterEach(() => core.close());

function must<M extends Method>(method: M, input: unknown): Promise<MethodOutput<M>> {
  return dispatchOrThrow(core, method, input);
}

describe('the evidence pack compares with the previous campaign over the same scope', () => {
  it('counts what was reviewed in both, and lists what was revoked then and is still here', async () => {
    core = createCore({ vaultFolder: tempFolder() });
    await must('vault.create', { passphrase: TEST_PASSPHRASE });
    await must('people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
    await must('imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
    await must('signer.create', { name: 'Keiko Jensen', email: OWNER });

    // Q3: backup-bot's key is revoked, and nobody acts on it before Q4.
    const q3 = await must('campaigns.create', { name: 'Q3 review', asOf: '2026-08-01', owner: OWNER });
    await must('campaigns.launch', { campaignId: q3.id, actor: OWNER });
    const items = await must('campaigns.items', { campaignId: q3.id, limit: 1000 });
    const bot = (Array.isArray(items) ? items : items.items).find((item) => item.name === 'backup-bot')!;
    await must('decisions.record', {
      campaignId: q3.id,
      itemId: bot.id,
      decision: 'revoke',
      justification: 'Key unused since the backup job moved to an IAM role.',
      actor: bot.reviewer,
    });

    const q4 = await must('campaigns.create', { name: 'Q4 review', asOf: '2026-11-01', owner: OWNER });
    const launched = await must('campaigns.launch', { campaignId: q4.id, actor: OWNER });
    const pdfPath = join(tempFolder(), 'q4.pdf');
    await must('evidence.export', { campaignId: q4.id, pdfPath });

    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('What changed since the previous campaign over the same scope');
    expect(text).toMatch(new RegExp(`#${q3.id} Q3 review, as of 2026-08-01`));
    expect(text).toMatch(new RegExp(`Reviewed in both\\s+${launched.items}`));
    expect(text).toMatch(/Revoked then, still here\s+1: revoked in the previous campaign/);
    expect(text).toMatch(/backup-bot\s+aws:/);
  });
});
