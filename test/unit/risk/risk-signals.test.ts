import { beforeAll, describe, expect, it } from 'vitest';
import {
  compilePolicy,
  createRiskEvaluator,
  riskSignalsFor,
  type RiskSubject,
} from '../../../electron/core/risk/risk-signals';
import {
  DEFAULT_RISK_POLICY,
  OWASP_NHI_TOP_10,
  RISK_SIGNALS,
  type RiskPolicy,
  type RiskSignal,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import { jsonFilesIn, loadPopulation, type Population } from './support/fixture-population';

/**
 * Every signal on the vendor fixtures, imported through the real core (see support/). "Today" for the
 * fixtures is 2026-11-01 (the exports were taken on 2026-10-30).
 */
const AS_OF = '2026-11-01';
let population: Population;
let named: Population['named'];

beforeAll(async () => {
  population = await loadPopulation(AS_OF);
  named = population.named;
}, 120_000);

const AWS = 'aws:731846209152';
const GCP = 'gcp:nwl-prod-data';
const K8S = 'nwl-prod-eks';

function signalsOf(identity: RiskSubject, asOf = AS_OF, policy: RiskPolicy = DEFAULT_RISK_POLICY) {
  return riskSignalsFor(identity, asOf, policy);
}
function codesOf(identity: RiskSubject, asOf = AS_OF, policy: RiskPolicy = DEFAULT_RISK_POLICY) {
  return signalsOf(identity, asOf, policy).map((s) => s.code);
}
function signalOf(
  identity: RiskSubject,
  code: RiskSignalCode,
  asOf = AS_OF,
  policy: RiskPolicy = DEFAULT_RISK_POLICY,
): RiskSignal {
  const found = signalsOf(identity, asOf, policy).find((s) => s.code === code);
  expect(found, `${identity.name}: ${code}`).toBeDefined();
  return found!;
}
/** Whole days from a timestamp's UTC day to an as-of day, computed independently with Date. */
function daysSince(iso: string, asOf = AS_OF): number {
  return (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${iso.slice(0, 10)}T00:00:00Z`)) / 86_400_000;
}
function withCode(code: RiskSignalCode, asOf = AS_OF): RiskSubject[] {
  return population.identities.filter((identity) => codesOf(identity, asOf).includes(code));
}

describe('ownership (NHI1 Improper Offboarding)', () => {
  it('owner-terminated: Okta tokens of a creator who left in HR but is still ACTIVE in Okta', () => {
    for (const token of ['Zendesk SSO', 'Onboarding bot', 'BambooHR import (old)', 'ServiceNow catalog']) {
      const identity = named(token, 'okta');
      expect(identity.attributes.userStatus).toBe('ACTIVE');
      expect(signalOf(identity, 'owner-terminated').reason).toBe(
        'Business owner mei.zimmermann@northwindlogistics.example left on 2025-08-03 (terminated in the HR roster).',
      );
    }
  });

  it('owner-terminated: a cluster-admin service account whose owner annotation names a leaver', () => {
    const account = named('wms/wms-batch-legacy', K8S);
    expect(signalOf(account, 'owner-terminated').reason).toBe(
      'Business owner rafael.walsh@northwindlogistics.example left on 2024-04-20 (terminated in the HR roster).',
    );
    expect(codesOf(account)).toContain('privileged');
  });

  it('owner-terminated is judged at the as-of date: two days before she left, her tokens have an active owner', async () => {
    const before = await loadPopulation('2025-08-01', [{ paths: jsonFilesIn('okta') }]);
    const token = before.named('Zendesk SSO', 'okta');
    expect(token.owners).toEqual([
      expect.objectContaining({ email: 'mei.zimmermann@northwindlogistics.example', status: 'active' }),
    ]);
    expect(codesOf(token, '2025-08-01')).not.toContain('owner-terminated');
  }, 60_000);

  it('one sentence per person when a register names them as business and technical owner', () => {
    const row = population.identities.find(
      (i) =>
        i.sourceKind === 'cmdb' && i.owners.length === 2 && i.owners.every((o) => o.status === 'terminated'),
    )!;
    const reason = signalOf(row, 'owner-terminated').reason;
    expect(reason).toMatch(
      /^Business and technical owner \S+ left on \d{4}-\d{2}-\d{2} \(terminated in the HR roster\)\.$/,
    );
  });

  it('no-owner: the AWS credential report has no owner column, so backup-bot has none', () => {
    expect(signalOf(named('backup-bot', AWS), 'no-owner')).toEqual({
      code: 'no-owner',
      reason: 'No owner is recorded for this identity, so nobody is accountable for it.',
      owasp: { id: 'NHI1:2025', name: 'Improper Offboarding' },
      severity: 'high',
    });
  });

  it("no-owner is not raised on Microsoft's own service principals, which nobody in the tenant owns", () => {
    const microsoft = population.identities.filter((i) => i.attributes.microsoftFirstParty === true);
    expect(microsoft.length).toBeGreaterThan(0);
    for (const identity of microsoft) {
      expect(identity.owners).toEqual([]);
      expect(codesOf(identity)).not.toContain('no-owner');
    }
  });

  it('owner-not-in-roster: a shared mailbox, a name no roster knows, an AD group', () => {
    expect(signalOf(named('Invoice OCR Pipeline', 'entra'), 'owner-not-in-roster').reason).toBe(
      'Business owner it-ops@northwindlogistics.example is not in the HR roster, so no current employee is confirmed to answer for this identity.',
    );
    expect(
      signalOf(named('dataflow-runner@nwl-prod-data.iam.gserviceaccount.com', GCP), 'owner-not-in-roster')
        .reason,
    ).toContain('lena.hartmann@northwindlogistics.example is not in the HR roster');
    expect(signalOf(named('gmsa-depot-kiosk', 'corp-ad'), 'owner-not-in-roster').reason).toContain(
      'CN=IT-Ops-Admins,OU=Groups,',
    );
    expect(signalOf(named('gmsa-depot-kiosk', 'corp-ad'), 'owner-not-in-roster').severity).toBe('medium');
  });
});

describe('use (NHI1)', () => {
  it('backup-bot was used two days ago: neither stale nor never used', () => {
    const codes = codesOf(named('backup-bot', AWS));
    expect(codes).not.toContain('stale');
    expect(codes).not.toContain('never-used');
    expect(codes).not.toContain('usage-unknown');
  });

  it('stale: the days since last use against the policy', () => {
    const api = named('Legacy Label Printing API', 'entra');
    expect(api.lastUsedAt!.slice(0, 10)).toBe('2026-07-04');
    expect(signalOf(api, 'stale').reason).toBe(
      `Not used for ${daysSince(api.lastUsedAt!)} days (last used on 2026-07-04; policy: 90).`,
    );
    expect(signalOf(named('athena-report-runner', AWS), 'stale').reason).toMatch(
      /^Not used for 1852 days \(last used on 2021-10-06; policy: 90\)\.$/,
    );
  });

  it('never-used: a key that exists and was never used (sftp-transfer-legacy, lambda-deployer-old)', () => {
    const sftp = named('sftp-transfer-legacy', AWS);
    expect(sftp.credentials.map((c) => c.lastUsedAt)).toEqual([null]);
    expect(signalOf(sftp, 'never-used').reason).toBe(
      `Never used since it was created on 2022-09-26, ${daysSince('2022-09-26')} days ago (policy: used within 90 days).`,
    );
    expect(codesOf(named('lambda-deployer-old', AWS))).toContain('never-used');
  });

  it('ops-console-legacy: password_last_used no_information is unknown use, not never used', () => {
    const ops = named('ops-console-legacy', AWS);
    const codes = codesOf(ops);
    expect(codes).not.toContain('never-used');
    expect(codes).not.toContain('stale');
    const unknown = signalOf(ops, 'usage-unknown');
    expect(unknown).toMatchObject({ severity: 'info', owasp: null });
    expect(unknown.reason).toContain('AWS has no record of when the console password was last used');
  });

  it('usage-unknown, never never-used, where the export does not report use (GCP, Kubernetes, GitHub apps)', () => {
    for (const identity of population.identities.filter((i) => i.attributes.usageReported === false)) {
      const codes = codesOf(identity);
      expect(codes, identity.name).not.toContain('never-used');
      if (identity.lastUsedAt === null && identity.credentials.every((c) => c.lastUsedAt === null))
        expect(codes, identity.name).toContain('usage-unknown');
    }
    expect(signalOf(named('ci/ci-deployer', K8S), 'usage-unknown').reason).toBe(
      'The export does not report when this identity was last used, so whether it is still needed cannot be told from it.',
    );
  });

  it('an identity younger than the stale period is not "never used" yet (quicksight-export)', () => {
    const quicksight = named('quicksight-export', AWS);
    expect(quicksight.createdAt!.slice(0, 10)).toBe('2025-07-07');
    expect(codesOf(quicksight, '2025-08-01')).not.toContain('never-used');
    expect(codesOf(quicksight, AS_OF)).toContain('never-used');
  });
});

describe('credentials (NHI7 Long-Lived Secrets)', () => {
  it('backup-bot: its active key was last rotated 814 days ago', () => {
    const signal = signalOf(named('backup-bot', AWS), 'credential-old');
    expect(signal).toEqual({
      code: 'credential-old',
      reason: 'The access key was last rotated 814 days ago, on 2024-08-09 (policy: 365).',
      owasp: { id: 'NHI7:2025', name: 'Long-Lived Secrets' },
      severity: 'medium',
    });
    expect(daysSince('2024-08-09')).toBe(814);
  });

  it('the 365-day boundary: tms-rate-shopper (364 days) is not old, datadog-integration (368) is', () => {
    const tms = named('tms-rate-shopper', AWS);
    const datadog = named('datadog-integration', AWS);
    expect(daysSince(tms.credentials[0]!.lastRotatedAt!)).toBe(364);
    expect(codesOf(tms)).not.toContain('credential-old');
    expect(signalOf(datadog, 'credential-old').reason).toBe(
      'The access key was last rotated 368 days ago, on 2025-10-29 (policy: 365).',
    );
    // Exactly at the limit is still within it; one day more is not.
    const atLimit = { ...DEFAULT_RISK_POLICY, maxCredentialAgeDays: 364 };
    expect(codesOf(tms, AS_OF, atLimit)).not.toContain('credential-old');
    expect(codesOf(tms, AS_OF, { ...DEFAULT_RISK_POLICY, maxCredentialAgeDays: 363 })).toContain(
      'credential-old',
    );
  });

  it('edi-partner-upload: two active keys (an unfinished rotation), each named by the day it was made', () => {
    const edi = named('edi-partner-upload', AWS);
    expect(edi.credentials.filter((c) => c.type === 'access-key' && c.status === 'active')).toHaveLength(2);
    expect(signalOf(edi, 'credential-old').reason).toBe(
      'The access key created on 2024-11-29 was last rotated 702 days ago (policy: 365).',
    );
    expect(signalOf(edi, 'credential-no-expiry').reason).toBe(
      'The access key created on 2024-11-29 has no expiry date, so it stays valid until someone revokes it. ' +
        'The access key created on 2026-09-30 has no expiry date, so it stays valid until someone revokes it.',
    );
  });

  it('quicksight-export has no credentials, so no credential signal', () => {
    const codes = codesOf(named('quicksight-export', AWS));
    expect(codes.filter((code) => code.startsWith('credential-'))).toEqual([]);
    expect(codes).not.toContain('disabled-with-active-credential');
  });

  it('credential-no-expiry: the Entra secret ending 2299-12-31 and the GCP keys ending 9999-12-31', () => {
    expect(signalOf(named('Backup Vault Reporter', 'entra'), 'credential-no-expiry').reason).toBe(
      'Client secret 1ee73591-0222-400b-89c9-826aca3a1f49 expires on 2299-12-31, more than 5 years after 2026-11-01: in effect it never expires.',
    );
    const tailspin = named('partner-tailspin-sftp@nwl-prod-data.iam.gserviceaccount.com', GCP);
    const reason = signalOf(tailspin, 'credential-no-expiry').reason;
    // The key with a 90-day expiry policy is fine; the uploaded 9999 key is not.
    expect(reason).toContain('Key 5899dd45b862f11a597776c847a53c910fe9acd6 expires on 9999-12-31');
    expect(reason).not.toContain('7fdd66963bae33111aafec8fd2e84b395857e0af');
  });

  it('credential-no-expiry: a far-future cutoff the policy moves', () => {
    const reporter = named('Backup Vault Reporter', 'entra');
    expect(codesOf(reporter, AS_OF, { ...DEFAULT_RISK_POLICY, farFutureExpiryYears: 100 })).toContain(
      'credential-no-expiry',
    );
    const tailspin = named('partner-tailspin-sftp@nwl-prod-data.iam.gserviceaccount.com', GCP);
    const key = tailspin.credentials.find(
      (c) => c.externalId === '7fdd66963bae33111aafec8fd2e84b395857e0af',
    )!;
    expect(key.expiresAt!.slice(0, 10)).toBe('2027-01-08');
    expect(codesOf({ ...tailspin, credentials: [key] })).not.toContain('credential-no-expiry');
    const sa = named('sa-legacy-etl@nwl-prod-data.iam.gserviceaccount.com', GCP);
    expect(
      signalOf(sa, 'credential-no-expiry', AS_OF, { ...DEFAULT_RISK_POLICY, farFutureExpiryYears: 100 })
        .reason,
    ).toContain('expires on 9999-12-31, more than 100 years after 2026-11-01');
  });

  it('credential-no-expiry on AD: PasswordNeverExpires is flagged; domain-expiring and gMSA passwords are not', () => {
    expect(signalOf(named('svc_adconnect', 'corp-ad'), 'credential-no-expiry').reason).toBe(
      'The password is set never to expire (PasswordNeverExpires).',
    );
    const ad = population.identities.filter((i) => i.source === 'corp-ad');
    for (const identity of ad.filter(
      (i) => i.attributes.managedPassword === true || i.attributes.passwordNeverExpires === false,
    ))
      expect(codesOf(identity), identity.name).not.toContain('credential-no-expiry');
  });

  it('credential-expired-but-active: the nwl-sharepoint-addin-legacy secret expired in 2017', () => {
    const addin = named('nwl-sharepoint-addin-legacy', 'entra');
    expect(signalOf(addin, 'credential-expired-but-active')).toEqual({
      code: 'credential-expired-but-active',
      reason: `Client secret 33d9c9b5-0500-4c28-a7e4-b9053ac3231a expired on 2017-06-30, ${daysSince('2017-06-30')} days ago, but is still listed as active.`,
      owasp: { id: 'NHI7:2025', name: 'Long-Lived Secrets' },
      severity: 'high',
    });
    // An expired credential is reported once, as expired: not also as old.
    expect(codesOf(addin)).not.toContain('credential-old');
  });

  it('the expired SAML certificate of Litware Learning', () => {
    expect(signalOf(named('Litware Learning', 'entra'), 'credential-expired-but-active').reason).toMatch(
      /^Certificate [0-9A-F]{40} expired on 2026-07-17, 107 days ago, but is still listed as active\.$/,
    );
  });

  it('inactive credentials raise nothing (lambda-deployer-old has only a deactivated key)', () => {
    const lambda = named('lambda-deployer-old', AWS);
    expect(lambda.credentials.every((c) => c.status === 'inactive')).toBe(true);
    expect(codesOf(lambda).filter((code) => code.startsWith('credential-'))).toEqual([]);
  });
});

describe('disabled-with-active-credential (NHI1)', () => {
  it('sa-legacy-etl is disabled but its never-expiring key is active', () => {
    expect(
      signalOf(
        named('sa-legacy-etl@nwl-prod-data.iam.gserviceaccount.com', GCP),
        'disabled-with-active-credential',
      ).reason,
    ).toBe(
      'The identity is disabled, but key 52a732c9113c6e5b5d69e239eb2c0208a2b17ce2 (valid until 9999-12-31) is still active: re-enabling it would make that credential usable again.',
    );
  });

  it('Old-Intranet-Search (decom): its secret expired in 2023, so today it is "expired", not "still usable"', () => {
    const decom = named('Old-Intranet-Search (decom)', 'entra');
    expect(decom.status).toBe('disabled');
    expect(codesOf(decom)).toContain('credential-expired-but-active');
    expect(codesOf(decom)).not.toContain('disabled-with-active-credential');
    expect(signalOf(decom, 'disabled-with-active-credential', '2023-01-01').reason).toBe(
      'The identity is disabled, but client secret e1f5d432-8518-4568-9af0-0ed3217ecebc (valid until 2023-08-17) is still active: re-enabling it would make that credential usable again.',
    );
  });

  it('disabled identities whose credentials are inactive raise nothing (AD, GitHub, Okta)', () => {
    for (const name of ['svc_old_intranet', 'gmsa-old-sharepoint'])
      expect(codesOf(named(name, 'corp-ad'))).not.toContain('disabled-with-active-credential');
    expect(codesOf(named('infra-terraform: atlantis (decommissioned)', 'github'))).not.toContain(
      'disabled-with-active-credential',
    );
    expect(withCode('disabled-with-active-credential').map((i) => i.name)).toEqual([
      'sa-legacy-etl@nwl-prod-data.iam.gserviceaccount.com',
    ]);
  });
});

describe('privilege and exposure', () => {
  it('privileged (NHI5): the Kubernetes service accounts bound to cluster-admin', () => {
    for (const name of ['ci/ci-deployer', 'wms/wms-batch-legacy', 'default/debug-shell']) {
      expect(signalOf(named(name, K8S), 'privileged')).toEqual({
        code: 'privileged',
        reason: 'Cluster role binding cluster-admin grants full control of the cluster.',
        owasp: { id: 'NHI5:2025', name: 'Overprivileged NHI' },
        severity: 'high',
      });
    }
    expect(signalOf(named('data-pipeline/airflow-worker', K8S), 'privileged').reason).toBe(
      'Cluster role admin, bound cluster-wide, reads secrets and runs pods as other service accounts in every namespace.',
    );
  });

  it('privileged: the AWS root user, AD groups, GitHub write permissions, Okta manage scopes', () => {
    expect(signalOf(named('<root_account>', AWS), 'privileged').reason).toBe(
      'It is the AWS account root user, with full control of account 731846209152.',
    );
    expect(signalOf(named('svc_adconnect', 'corp-ad'), 'privileged').reason).toBe(
      'Privileged entitlement: Domain Admins.',
    );
    expect(signalOf(named('renovate', 'github'), 'privileged').reason).toBe(
      'Privileged entitlements: contents:write on northwind-logistics (all repositories) and workflows:write on northwind-logistics (all repositories).',
    );
    expect(signalOf(named('Access Review SaaS', 'okta'), 'privileged').reason).toContain(
      'okta.groups.manage',
    );
  });

  it('privileged: the policy adds entitlement names by pattern, and the reason names the pattern', () => {
    // The export has no ClusterRoles, so the import cannot judge Argo CD's own cluster role; the policy can.
    const controller = named('argocd/argocd-application-controller', K8S);
    expect(codesOf(controller)).not.toContain('privileged');
    const policy = { ...DEFAULT_RISK_POLICY, privilegedNamePatterns: ['cluster-admin', 'ARGOCD-*'] };
    expect(signalOf(controller, 'privileged', AS_OF, policy).reason).toBe(
      'Privileged entitlement: argocd-application-controller on cluster (matches the policy pattern ARGOCD-*).',
    );
    for (const pattern of [
      '*-application-*',
      'argocd-?pplication-controller',
      '*argocd*controller',
      '*CONTROLLER',
    ])
      expect(codesOf(controller, AS_OF, { ...policy, privilegedNamePatterns: [pattern] }), pattern).toContain(
        'privileged',
      );
    for (const pattern of ['argocd', 'argocd-server', '*-server', 'argocd-?-controller'])
      expect(
        codesOf(controller, AS_OF, { ...policy, privilegedNamePatterns: [pattern] }),
        pattern,
      ).not.toContain('privileged');
  });

  it('third-party (NHI3): apps of other tenants whose permissions the export does not show', () => {
    const thirdParty = withCode('third-party');
    expect(thirdParty.map((i) => i.name).sort()).toEqual([
      'Acme Freight Visibility',
      'Adatum Signature',
      'Contoso Expense',
      'Fabrikam HR Connector',
      'Litware Learning',
      'Proseware Status Page',
      'Tailspin Dock Scheduling',
      'Wingtip Carrier Portal',
    ]);
    expect(signalOf(named('Contoso Expense', 'entra'), 'third-party')).toEqual({
      code: 'third-party',
      reason:
        'An app of another organisation (tenant 859aeed5-b373-473a-a1f4-1887f2895ff6, verified publisher Contoso Ltd). ' +
        'The export does not list its permissions: check what it was granted before certifying it.',
      owasp: { id: 'NHI3:2025', name: 'Vulnerable Third-Party NHI' },
      severity: 'high',
    });
    expect(signalOf(named('Litware Learning', 'entra'), 'third-party').reason).toContain(
      'publisher not verified',
    );
    // The home tenant's own apps and Microsoft's are not third parties.
    expect(codesOf(named('Terraform Cloud - prod', 'entra'))).not.toContain('third-party');
  });

  it('third-party: privileged permissions are named; only unprivileged ones raise nothing', () => {
    const contoso = named('Contoso Expense', 'entra');
    const withMail = {
      ...contoso,
      entitlements: [
        { name: 'User.Read.All', resource: 'Microsoft Graph', privileged: false },
        { name: 'Mail.ReadWrite', resource: 'Microsoft Graph', privileged: true },
      ],
    };
    expect(signalOf(withMail, 'third-party').reason).toBe(
      'An app of another organisation (tenant 859aeed5-b373-473a-a1f4-1887f2895ff6, verified publisher Contoso Ltd). ' +
        'It holds privileged permissions: Mail.ReadWrite on Microsoft Graph.',
    );
    const readOnly = { ...contoso, entitlements: [withMail.entitlements[0]!] };
    expect(codesOf(readOnly)).not.toContain('third-party');
  });

  it('interactive-login (NHI10): IAM users with a console password; the root user is a person by design', () => {
    const interactive = withCode('interactive-login');
    expect(interactive.length).toBeGreaterThan(0);
    expect(interactive.every((i) => i.source === AWS && i.attributes.interactiveLogin === true)).toBe(true);
    expect(codesOf(named('<root_account>', AWS))).not.toContain('interactive-login');
    expect(signalOf(named('ops-console-legacy', AWS), 'interactive-login')).toEqual({
      code: 'interactive-login',
      reason:
        'It has a console password (last use not recorded, with MFA): a person can sign in as this non-human identity, and what they do is logged under its name.',
      owasp: { id: 'NHI10:2025', name: 'Human Use of NHI' },
      severity: 'high',
    });
    expect(codesOf(named('backup-bot', AWS))).not.toContain('interactive-login');
  });
});

describe('mapping, severity and policy', () => {
  it('every signal on the fixtures carries its OWASP risk, with the name from the catalogue', () => {
    const seen = new Set<RiskSignalCode>();
    for (const identity of population.identities) {
      for (const signal of signalsOf(identity)) {
        seen.add(signal.code);
        const id = RISK_SIGNALS[signal.code].owasp;
        if (id === null) expect(signal.owasp).toBeNull();
        else expect(signal.owasp).toEqual({ id, name: OWASP_NHI_TOP_10.find((r) => r.id === id)!.name });
        expect(signal.reason.length).toBeGreaterThan(20);
      }
    }
    // Every per-identity signal occurs on the fixtures (shared-across-environments has its own tests).
    expect([...seen].sort()).toEqual(
      Object.keys(RISK_SIGNALS)
        .filter((code) => code !== 'shared-across-environments')
        .sort(),
    );
  });

  it('severity: high for the policy high-risk codes, the code own severity otherwise', () => {
    const bot = named('backup-bot', AWS);
    expect(signalOf(bot, 'no-owner').severity).toBe('high');
    expect(signalOf(bot, 'credential-old').severity).toBe('medium');
    expect(signalOf(bot, 'credential-no-expiry').severity).toBe('low');
    const policy = { ...DEFAULT_RISK_POLICY, highRiskSignals: ['credential-old' as const] };
    expect(signalOf(bot, 'no-owner', AS_OF, policy).severity).toBe('medium');
    expect(signalOf(bot, 'credential-old', AS_OF, policy).severity).toBe('high');
  });

  it('changing the stale days changes the result', () => {
    const api = named('Legacy Label Printing API', 'entra');
    const idle = daysSince(api.lastUsedAt!);
    expect(codesOf(api)).toContain('stale');
    expect(codesOf(api, AS_OF, { ...DEFAULT_RISK_POLICY, staleDays: idle })).not.toContain('stale');
    expect(signalOf(api, 'stale', AS_OF, { ...DEFAULT_RISK_POLICY, staleDays: idle - 1 }).reason).toBe(
      `Not used for ${idle} days (last used on 2026-07-04; policy: ${idle - 1}).`,
    );
    const stale90 = withCode('stale').length;
    const lenient = population.identities.filter((i) =>
      codesOf(i, AS_OF, { ...DEFAULT_RISK_POLICY, staleDays: 365 }).includes('stale'),
    ).length;
    expect(lenient).toBeGreaterThan(0);
    expect(lenient).toBeLessThan(stale90);
  });

  it('the same records at two as-of dates give the signals of each date', () => {
    const datadog = named('datadog-integration', AWS);
    const label = named('Legacy Label Printing API', 'entra');
    const addin = named('nwl-sharepoint-addin-legacy', 'entra');
    // 2026-10-01: datadog's key is 337 days old, the label API idle 89 days.
    expect(codesOf(datadog, '2026-10-01')).not.toContain('credential-old');
    expect(codesOf(datadog, AS_OF)).toContain('credential-old');
    expect(codesOf(label, '2026-10-01')).not.toContain('stale');
    expect(codesOf(label, AS_OF)).toContain('stale');
    // 2017-06-01: the add-in's secret had not expired yet.
    expect(codesOf(addin, '2017-06-01')).toEqual([]);
    expect(codesOf(addin, AS_OF)).toContain('credential-expired-but-active');
    // edi-partner-upload's second key did not exist on 2025-06-01, so only the first one is named.
    const edi = named('edi-partner-upload', AWS);
    expect(signalOf(edi, 'credential-no-expiry', '2025-06-01').reason).not.toContain('2026-09-30');
  });

  it('is pure: the same inputs give equal signals, whichever entry point and policy object', () => {
    const evaluate = createRiskEvaluator(AS_OF, compilePolicy(DEFAULT_RISK_POLICY));
    for (const identity of population.identities) {
      const once = riskSignalsFor(identity, AS_OF, DEFAULT_RISK_POLICY);
      expect(riskSignalsFor(identity, AS_OF, { ...DEFAULT_RISK_POLICY })).toEqual(once);
      expect(evaluate(identity)).toEqual(once);
    }
  });

  it('refuses an as-of date that is not a day', () => {
    expect(() => riskSignalsFor(named('backup-bot', AWS), '01/11/2026', DEFAULT_RISK_POLICY)).toThrow(
      'The as-of date must look like 2026-11-01',
    );
  });
});

describe('third-party on an AWS role', () => {
  it('names the outside account its trust policy lets in, not an app publisher', () => {
    const role: RiskSubject = {
      id: 1,
      source: AWS,
      kind: 'iam-role',
      name: 'cross-account-deployer',
      environment: null,
      status: 'active',
      createdAt: '2024-01-10T00:00:00Z',
      lastUsedAt: '2026-10-20T00:00:00Z',
      owners: [],
      credentials: [],
      entitlements: [{ name: 'AdministratorAccess', resource: null, privileged: true }],
      attributes: { thirdParty: true, trustsExternalAccounts: '111122223333' },
      sourceKind: 'aws',
    };
    const signal = signalsOf(role).find((s) => s.code === 'third-party');
    expect(signal?.reason).toMatch(/^A role that AWS account 111122223333 outside this account can assume\./);
    expect(signal?.reason).toContain('AdministratorAccess');
  });
});
