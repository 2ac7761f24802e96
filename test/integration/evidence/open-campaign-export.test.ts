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

describe('evidence of an open campaign', () => {
  it('is written while reviewers have decided nothing yet, with every item pending, and verifies', async () => {
    core = createCore({ vaultFolder: tempFolder() });
    await must('vault.create', { passphrase: TEST_PASSPHRASE });
    await must('people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
    await must('imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
    const campaign = await must('campaigns.create', {
      name: 'Mid-quarter',
      asOf: '2026-11-01',
      owner: OWNER,
    });
    const launched = await must('campaigns.launch', { campaignId: campaign.id, actor: OWNER });
    const signer = await must('signer.create', { name: 'Keiko Jensen', email: OWNER });

    const pdfPath = join(tempFolder(), 'mid-quarter.pdf');
    const exported = await must('evidence.export', { campaignId: campaign.id, pdfPath });
    expect(exported.pdfPath).toBe(pdfPath);

    const verdict = await must('evidence.verify', { path: pdfPath, trust: [signer!.fingerprint] });
    expect(verdict.checks.filter((check) => !check.ok)).toEqual([]);
    expect(verdict).toMatchObject({ ok: true });
    expect(JSON.stringify(verdict)).toContain(String(launched.items));
  });
});
