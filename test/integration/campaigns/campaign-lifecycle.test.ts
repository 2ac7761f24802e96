import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Method, MethodOutput } from '../../../shared/api/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const OWNER = 'ana.silva@northwindlogistics.example';
const K8S = [
  join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
  join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
];

type Item = MethodOutput<'campaigns.items'>['items'][number];

let core: Core | null = null;
afterEach(() => core?.close());

function must<M extends Method>(method: M, input: unknown): Promise<MethodOutput<M>> {
  return dispatchOrThrow(core!, method, input);
}

async function refused(method: string, input: unknown): Promise<string> {
  const result = await core!.dispatch(method, input);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error.message;
}

/** A vault with the HR roster, the AWS credential report and the EKS service accounts, and a launched campaign. */
async function launchedCampaign(): Promise<{ id: number; items: Item[] }> {
  core = createCore({ vaultFolder: tempFolder() });
  await must('vault.create', { passphrase: TEST_PASSPHRASE });
  await must('people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
  await must('imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
  await must('imports.run', { paths: K8S, source: 'nwl-prod-eks' });
  const campaign = await must('campaigns.create', {
    name: 'Q4 2026 machine identity review',
    asOf: '2026-11-01',
    due: '2026-11-30',
    owner: OWNER,
  });
  expect(campaign.state).toBe('draft');
  const launched = await must('campaigns.launch', {
    campaignId: campaign.id,
    actor: OWNER,
  });
  expect(launched).toMatchObject({ state: 'open', items: 119 });
  const { items } = await must('campaigns.items', {
    campaignId: campaign.id,
    limit: 1000,
  });
  return { id: campaign.id, items };
}

const byName = (items: Item[], name: string) => items.find((i) => i.name === name)!;

describe('a campaign on the fixtures, as of 2026-11-01', () => {
  it('launch freezes the population: a later import changing an owner does not change the item', async () => {
    const { id, items } = await launchedCampaign();
    const before = byName(items, 'data-pipeline/airflow-scheduler');
    expect(before.identity.owners).toEqual([
      { email: 'arjun.moreau@northwindlogistics.example', role: 'business', status: 'terminated' },
    ]);

    const changed = join(tempFolder(), 'serviceaccounts.json');
    writeFileSync(
      changed,
      readFileSync(K8S[0]!, 'utf8').replace(
        'arjun.moreau@northwindlogistics.example',
        'keiko.jensen@northwindlogistics.example',
      ),
    );
    await must('imports.run', { paths: [changed, K8S[1]], source: 'nwl-prod-eks' });
    const live = await must('identities.list', {
      asOf: '2026-11-01',
      search: 'airflow-scheduler',
    });
    expect(live.items[0]!.owners).toEqual([
      { email: 'keiko.jensen@northwindlogistics.example', role: 'business', status: 'active' },
    ]);

    const after = await must('campaigns.items', { campaignId: id, limit: 1000 });
    expect(byName(after.items, 'data-pipeline/airflow-scheduler')).toEqual(before);
    expect(after.items).toHaveLength(119);
  });

  it('routes a leaver’s identity to their roster manager, never to its only owner, and an unowned one to the campaign owner', async () => {
    const { items } = await launchedCampaign();
    expect(byName(items, 'data-pipeline/airflow-scheduler')).toMatchObject({
      reviewer: 'ingrid.osei@northwindlogistics.example',
      routing: { rule: 'manager-of-leaver', reason: expect.stringContaining('left on 2026-05-15') },
      selfReview: false,
      highRisk: true,
    });
    const soleOwner = byName(items, 'argocd/argocd-server');
    expect(soleOwner.identity.owners).toEqual([
      { email: 'isabel.horvat@northwindlogistics.example', role: 'business', status: 'active' },
    ]);
    expect(soleOwner).toMatchObject({
      reviewer: OWNER,
      routing: {
        rule: 'campaign-owner',
        reason: expect.stringContaining('isabel.horvat@northwindlogistics.example is the only owner'),
      },
    });
    expect(byName(items, 'backup-bot')).toMatchObject({
      reviewer: OWNER,
      routing: { rule: 'campaign-owner', reason: expect.stringContaining('no owner') },
    });
    expect(byName(items, 'backup-bot').signals.map((s) => s.code)).toContain('no-owner');
  });

  it('requires a justification to revoke, to reassign and to certify a high-risk item; reassigns only to an active roster person', async () => {
    const { id, items } = await launchedCampaign();
    const scheduler = byName(items, 'data-pipeline/airflow-scheduler');
    const reviewer = scheduler.reviewer;
    const decide = (extra: Record<string, unknown>) => ({
      campaignId: id,
      itemId: scheduler.id,
      actor: reviewer,
      ...extra,
    });

    expect(await refused('decisions.record', decide({ decision: 'revoke' }))).toMatch(
      /justification is required/,
    );
    expect(
      await refused(
        'decisions.record',
        decide({ decision: 'reassign', newOwner: 'keiko.jensen@northwindlogistics.example' }),
      ),
    ).toMatch(/justification is required/);
    expect(await refused('decisions.record', decide({ decision: 'certify' }))).toMatch(
      /high-risk.*owner-terminated/,
    );
    expect(
      await refused('decisions.record', {
        ...decide({ decision: 'certify', justification: 'ok' }),
        actor: OWNER,
      }),
    ).toMatch(/reviewed by ingrid\.osei/);
    expect(
      await refused(
        'decisions.record',
        decide({
          decision: 'reassign',
          newOwner: 'arjun.moreau@northwindlogistics.example',
          justification: 'x',
        }),
      ),
    ).toMatch(/has left/);
    expect(
      await refused(
        'decisions.record',
        decide({ decision: 'reassign', newOwner: 'nobody@example.com', justification: 'x' }),
      ),
    ).toMatch(/not in the HR roster/);

    const reassigned = await must(
      'decisions.record',
      decide({
        decision: 'reassign',
        newOwner: 'Keiko.Jensen@northwindlogistics.example',
        justification: 'Keiko leads data pipelines since Arjun left.',
      }),
    );
    expect(reassigned).toMatchObject({
      decision: 'reassign',
      newOwner: 'keiko.jensen@northwindlogistics.example',
      decidedBy: reviewer,
    });

    // A low-risk item certifies without a word; a revoke can name one entitlement.
    const lowRisk = items.find((i) => !i.highRisk && i.reviewer === OWNER)!;
    expect(
      await must('decisions.record', {
        campaignId: id,
        itemId: lowRisk.id,
        decision: 'certify',
        actor: OWNER,
      }),
    ).toMatchObject({ decision: 'certify', justification: null });
    const privileged = items.find((i) => i.reviewer === OWNER && i.identity.entitlements.length > 0)!;
    const entitlement = privileged.identity.entitlements[0]!.name;
    expect(
      await must('decisions.record', {
        campaignId: id,
        itemId: privileged.id,
        decision: 'revoke',
        target: { type: 'entitlement', ref: entitlement },
        justification: 'Not needed for its job.',
        actor: OWNER,
      }),
    ).toMatchObject({ decision: 'revoke', target: { type: 'entitlement', ref: entitlement } });
    expect(
      await refused('decisions.record', {
        campaignId: id,
        itemId: privileged.id,
        decision: 'revoke',
        target: { type: 'entitlement', ref: 'NoSuchRole' },
        justification: 'x',
        actor: OWNER,
      }),
    ).toMatch(/no entitlement "NoSuchRole"/);
  });

  it('lets decisions change until the reviewer signs off, each change a new log record; sign-off needs every item decided', async () => {
    const { id, items } = await launchedCampaign();
    const reviewer = 'ingrid.osei@northwindlogistics.example';
    const item = byName(items, 'data-pipeline/airflow-scheduler');
    expect(await refused('campaigns.signOff', { campaignId: id, actor: reviewer })).toMatch(
      /1 of 1 items are undecided/,
    );

    await must('decisions.record', {
      campaignId: id,
      itemId: item.id,
      decision: 'certify',
      justification: 'Still needed.',
      actor: reviewer,
    });
    await must('decisions.record', {
      campaignId: id,
      itemId: item.id,
      decision: 'revoke',
      justification: 'Owner gone; job retired.',
      actor: reviewer,
    });
    const signed = await must('campaigns.signOff', {
      campaignId: id,
      actor: reviewer,
    });
    expect(signed).toMatchObject({ reviewer, items: 1 });
    expect(
      await refused('decisions.record', {
        campaignId: id,
        itemId: item.id,
        decision: 'certify',
        justification: 'x',
        actor: reviewer,
      }),
    ).toMatch(/signed off/);
    expect(await refused('campaigns.signOff', { campaignId: id, actor: reviewer })).toMatch(
      /already signed off/,
    );

    const status = await must('campaigns.status', { campaignId: id });
    expect(status.byReviewer.find((r) => r.reviewer === reviewer)).toMatchObject({
      total: 1,
      decided: 1,
      signedOffAt: expect.any(String),
    });
    expect(status.byDecision).toMatchObject({ revoke: 1, certify: 0, pending: 118 });
    expect(status.bySignal.find((s) => s.code === 'owner-terminated')).toMatchObject({
      total: 5,
      decided: 1,
    });

    const log = await must('log.verify', {});
    // create, launch, two decisions, the sign-off
    expect(log).toMatchObject({ ok: true, records: 5, broken: null });
  });

  it('closes only by its owner with every item decided or carried as an exception, and is read-only after', async () => {
    const { id, items } = await launchedCampaign();
    expect(
      await refused('campaigns.close', { campaignId: id, actor: 'ingrid.osei@northwindlogistics.example' }),
    ).toMatch(/Only the campaign owner/);
    expect(await refused('campaigns.close', { campaignId: id, actor: OWNER })).toMatch(
      /119 item\(s\) are undecided/,
    );
    const first = items[0]!;
    await must('decisions.record', {
      campaignId: id,
      itemId: first.id,
      decision: 'revoke',
      justification: 'Retired.',
      actor: first.reviewer,
    });
    const exceptions = items
      .slice(1)
      .map((i) => ({ itemId: i.id, reason: 'Deferred to Q1: owner on leave.' }));
    expect(
      await refused('campaigns.close', {
        campaignId: id,
        actor: OWNER,
        exceptions: [...exceptions, { itemId: first.id, reason: 'Decided already.' }],
      }),
    ).toMatch(new RegExp(`${first.id} is decided or not in it`));
    expect(
      await refused('campaigns.close', { campaignId: id, actor: OWNER, exceptions: exceptions.slice(1) }),
    ).toMatch(/1 item\(s\) are undecided/);
    const closed = await must('campaigns.close', {
      campaignId: id,
      actor: OWNER,
      exceptions,
    });
    expect(closed).toMatchObject({ state: 'closed', closedAt: expect.any(String) });

    expect(
      await refused('decisions.record', {
        campaignId: id,
        itemId: first.id,
        decision: 'certify',
        justification: 'x',
        actor: first.reviewer,
      }),
    ).toMatch(/closed and read-only/);
    expect(await refused('campaigns.launch', { campaignId: id, actor: OWNER })).toMatch(
      /closed and read-only/,
    );
    expect(await refused('campaigns.close', { campaignId: id, actor: OWNER })).toMatch(
      /closed and read-only/,
    );
    const status = await must('campaigns.status', { campaignId: id });
    expect(status).toMatchObject({
      state: 'closed',
      decided: 119,
      byDecision: { revoke: 1, exception: 118, pending: 0 },
    });
    const exception = await must('campaigns.items', {
      campaignId: id,
      decision: 'exception',
      limit: 1,
    });
    expect(exception).toMatchObject({ total: 118, items: [{ decision: 'exception', decidedBy: OWNER }] });
    expect(await must('log.verify', {})).toMatchObject({
      ok: true,
      records: 1 + 1 + 1 + 118 + 1,
    });
  });

  it('pages, filters and sorts the items by reviewer, decision and signal', async () => {
    const { id } = await launchedCampaign();
    const mine = await must('campaigns.items', {
      campaignId: id,
      reviewer: 'INGRID.OSEI@northwindlogistics.example',
    });
    expect(mine.total).toBe(1);
    const terminated = await must('campaigns.items', {
      campaignId: id,
      signal: 'owner-terminated',
      sort: 'reviewer',
      limit: 2,
      offset: 1,
    });
    expect(terminated.total).toBe(5);
    expect(terminated.items).toHaveLength(2);
    expect(terminated.items[0]!.reviewer <= terminated.items[1]!.reviewer).toBe(true);
    const risky = await must('campaigns.items', {
      campaignId: id,
      sort: 'risk',
      limit: 1,
    });
    expect(risky.items[0]!.highRisk).toBe(true);
    const pending = await must('campaigns.items', {
      campaignId: id,
      decision: 'pending',
      limit: 1,
    });
    expect(pending.total).toBe(119);
  });
});
