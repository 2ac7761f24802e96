import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compilePolicy } from '../../../electron/core/risk/risk-signals';
import {
  describeRiskPolicyProblems,
  riskPolicySchema,
  riskPolicyStateSchema,
  riskPolicyUpdateInputSchema,
  riskSignalSchema,
} from '../../../shared/api/schemas/risk';
import {
  DEFAULT_RISK_POLICY,
  HIGH_RISK_CANDIDATES,
  OWASP_NHI_TOP_10,
  RISK_POLICY_FIELDS,
  RISK_SIGNAL_CODES,
  RISK_SIGNALS,
  owaspRefFor,
} from '../../../shared/domain/risk';

function problems(input: unknown): string {
  const result = riskPolicySchema.safeParse(input);
  expect(result.success, JSON.stringify(input)).toBe(false);
  return describeRiskPolicyProblems((result as { error: z.ZodError }).error);
}

describe('the OWASP Non-Human Identities Top 10 (2025) catalogue', () => {
  it('has the ten risks with their published ids and names, in order', () => {
    expect(OWASP_NHI_TOP_10.map((risk) => `${risk.id} ${risk.name}`)).toEqual([
      'NHI1:2025 Improper Offboarding',
      'NHI2:2025 Secret Leakage',
      'NHI3:2025 Vulnerable Third-Party NHI',
      'NHI4:2025 Insecure Authentication',
      'NHI5:2025 Overprivileged NHI',
      'NHI6:2025 Insecure Cloud Deployment Configurations',
      'NHI7:2025 Long-Lived Secrets',
      'NHI8:2025 Environment Isolation',
      'NHI9:2025 NHI Reuse',
      'NHI10:2025 Human Use of NHI',
    ]);
    expect(OWASP_NHI_TOP_10.every((risk) => risk.description.length > 20)).toBe(true);
  });

  it('maps each signal to the risk it is an instance of, and says so for the UI', () => {
    const mapping = Object.fromEntries(
      RISK_SIGNAL_CODES.map((code) => [code, owaspRefFor(code)?.id ?? null]),
    );
    expect(mapping).toEqual({
      'no-owner': 'NHI1:2025',
      'owner-terminated': 'NHI1:2025',
      'owner-not-in-roster': 'NHI1:2025',
      'never-used': 'NHI1:2025',
      stale: 'NHI1:2025',
      'usage-unknown': null,
      'credential-old': 'NHI7:2025',
      'credential-no-expiry': 'NHI7:2025',
      'credential-expired-but-active': 'NHI7:2025',
      privileged: 'NHI5:2025',
      'third-party': 'NHI3:2025',
      'interactive-login': 'NHI10:2025',
      'shared-across-environments': 'NHI8:2025',
      'disabled-with-active-credential': 'NHI1:2025',
    });
    for (const code of RISK_SIGNAL_CODES) {
      expect(RISK_SIGNALS[code]).toMatchObject({ code });
      expect(RISK_SIGNALS[code].label.length).toBeGreaterThan(2);
    }
    expect(owaspRefFor('third-party')).toEqual({ id: 'NHI3:2025', name: 'Vulnerable Third-Party NHI' });
  });
});

describe('the risk policy', () => {
  it('defaults to 90 stale days, 365-day credentials, 5 years for "never expires", no extra names, six high-risk codes', () => {
    expect(DEFAULT_RISK_POLICY).toEqual({
      staleDays: 90,
      maxCredentialAgeDays: 365,
      farFutureExpiryYears: 5,
      privilegedNamePatterns: [],
      highRiskSignals: [
        'owner-terminated',
        'no-owner',
        'privileged',
        'credential-expired-but-active',
        'third-party',
        'interactive-login',
      ],
    });
    expect(Object.isFrozen(DEFAULT_RISK_POLICY)).toBe(true);
    // An empty (or old, shorter) stored policy reads as the defaults; each default is stated in the UI help.
    expect(riskPolicySchema.parse({})).toEqual(DEFAULT_RISK_POLICY);
    expect(riskPolicySchema.parse({ staleDays: 30 })).toEqual({ ...DEFAULT_RISK_POLICY, staleDays: 30 });
    expect(RISK_POLICY_FIELDS.staleDays.help).toContain('Default: 90.');
    expect(RISK_POLICY_FIELDS.maxCredentialAgeDays.help).toContain('Default: 365.');
    expect(RISK_POLICY_FIELDS.farFutureExpiryYears.help).toContain('Default: 5.');
    expect(RISK_POLICY_FIELDS.highRiskSignals.help).toContain('Owner left, No owner, Privileged');
  });

  it('trims name patterns and keeps a valid policy as given', () => {
    const policy = {
      staleDays: 30,
      maxCredentialAgeDays: 90,
      farFutureExpiryYears: 2,
      privilegedNamePatterns: ['  *Admin*  ', 'roles/owner'],
      highRiskSignals: ['stale', 'shared-across-environments'],
    };
    expect(riskPolicySchema.parse(policy)).toEqual({
      ...policy,
      privilegedNamePatterns: ['*Admin*', 'roles/owner'],
    });
  });

  it('explains what is wrong in the words of the Settings form', () => {
    const days = 'Stale after (days) must be a whole number of days from 1 to 3650.';
    expect(problems({ staleDays: 0 })).toBe(days);
    expect(problems({ staleDays: 1.5 })).toBe(days);
    expect(problems({ staleDays: '90' })).toBe(days);
    expect(problems({ staleDays: 4000 })).toBe(days);
    expect(problems({ maxCredentialAgeDays: -1 })).toBe(
      'Maximum credential age (days) must be a whole number of days from 1 to 3650.',
    );
    expect(problems({ farFutureExpiryYears: 0 })).toBe(
      'Expiry counted as "never" after (years) must be a whole number of years from 1 to 100.',
    );
    expect(problems({ privilegedNamePatterns: ['  '] })).toBe(
      'Also privileged: entitlement names: remove the empty entry.',
    );
    expect(problems({ privilegedNamePatterns: ['*'] })).toContain(
      'each entry needs at least one letter or digit; a pattern of only * or ? would mark every entitlement privileged.',
    );
    expect(problems({ privilegedNamePatterns: ['a'.repeat(201)] })).toContain('at most 200 characters');
    expect(problems({ privilegedNamePatterns: Array.from({ length: 101 }, (_, i) => `role${i}`) })).toContain(
      'at most 100 entries',
    );
    expect(problems({ highRiskSignals: ['usage-unknown'] })).toMatch(
      /^High-risk signals: choose from No owner, /,
    );
    expect(problems({ highRiskSignals: ['stale', 'stale'] })).toBe(
      'High-risk signals: each signal can be listed once.',
    );
    expect(problems({ staleDays: 0, colour: 'red' })).toBe(
      `${days} colour is not a setting of the risk policy.`,
    );
    expect(problems(null)).toBe('The risk policy must be an object with the policy settings.');
  });

  it('lets every signal but usage-unknown be high-risk', () => {
    expect([...HIGH_RISK_CANDIDATES].sort()).toEqual(
      RISK_SIGNAL_CODES.filter((c) => c !== 'usage-unknown').sort(),
    );
  });

  it('compiles once per policy object and gives each code its severity', () => {
    const compiled = compilePolicy(DEFAULT_RISK_POLICY);
    expect(compilePolicy(DEFAULT_RISK_POLICY)).toBe(compiled);
    expect(compilePolicy(compiled)).toBe(compiled);
    expect(compiled.severity).toMatchObject({
      'no-owner': 'high',
      stale: 'medium',
      'credential-no-expiry': 'low',
      'usage-unknown': 'info',
    });
  });

  it('matches name patterns without letter case, and a hostile pattern cannot backtrack for ever', () => {
    const compiled = compilePolicy({
      ...DEFAULT_RISK_POLICY,
      privilegedNamePatterns: ['db_owner', 'roles/*.admin', '*Admin*', `${'*a'.repeat(60)}*b`],
    });
    expect(compiled.privilegedPatternFor('DB_OWNER')).toBe('db_owner');
    expect(compiled.privilegedPatternFor('Global Administrator')).toBe('*Admin*');
    expect(compiled.privilegedPatternFor('roles/cloudsql.admin')).toBe('roles/*.admin');
    expect(compiled.privilegedPatternFor('roles/viewer')).toBeNull();
    expect(compiled.privilegedPatternFor('a'.repeat(5000))).toBeNull();
    expect(compiled.privilegedPatternFor(`${'a'.repeat(100)}b`)).toBe(`${'*a'.repeat(60)}*b`);
  });
});

describe('the contract shapes proposed for policy.get, policy.update and signals', () => {
  it('round-trip through JSON', () => {
    const state = {
      policy: DEFAULT_RISK_POLICY,
      defaults: DEFAULT_RISK_POLICY,
      isDefault: true,
      problem: null,
    };
    expect(riskPolicyStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(riskPolicyUpdateInputSchema.parse({ policy: { staleDays: 60 } })).toEqual({
      policy: { ...DEFAULT_RISK_POLICY, staleDays: 60 },
    });
    expect(riskPolicyUpdateInputSchema.safeParse({ policy: {}, extra: 1 }).success).toBe(false);
    const signal = {
      code: 'stale',
      reason: 'Not used for 143 days (last used on 2026-06-11; policy: 90).',
      owasp: { id: 'NHI1:2025', name: 'Improper Offboarding' },
      severity: 'medium',
    };
    expect(riskSignalSchema.parse(JSON.parse(JSON.stringify(signal)))).toEqual(signal);
  });
});
