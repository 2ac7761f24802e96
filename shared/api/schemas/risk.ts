import { z } from 'zod';
import {
  DEFAULT_RISK_POLICY,
  HIGH_RISK_CANDIDATES,
  OWASP_NHI_IDS,
  RISK_POLICY_FIELDS,
  RISK_POLICY_LIMITS,
  RISK_SEVERITIES,
  RISK_SIGNAL_CODES,
  RISK_SIGNALS,
  type RiskPolicy,
} from '../../domain/risk';

/**
 * The risk policy as the Settings page edits it and the vault stores it. Every field has its default,
 * so a policy saved by an older Steward (without a field added since) still reads, and `{}` is the
 * default policy. Messages name the field as the form labels it.
 */
function wholeNumber(field: 'staleDays' | 'maxCredentialAgeDays' | 'farFutureExpiryYears', unit: string) {
  const { label } = RISK_POLICY_FIELDS[field];
  const { min, max } = RISK_POLICY_LIMITS[field];
  const range = `${label} must be a whole number of ${unit} from ${min} to ${max}.`;
  return z
    .number({ error: range })
    .int({ error: range })
    .min(min, { error: range })
    .max(max, { error: range })
    .default(DEFAULT_RISK_POLICY[field]);
}

const patternsLabel = RISK_POLICY_FIELDS.privilegedNamePatterns.label;
const { maxCount, maxLength } = RISK_POLICY_LIMITS.privilegedNamePatterns;

const privilegedNamePattern = z
  .string({ error: `${patternsLabel}: each entry must be text.` })
  .trim()
  .min(1, { error: `${patternsLabel}: remove the empty entry.`, abort: true })
  .max(maxLength, { error: `${patternsLabel}: an entry can be at most ${maxLength} characters long.` })
  .refine((pattern) => /[\p{L}\p{N}]/u.test(pattern), {
    error: `${patternsLabel}: each entry needs at least one letter or digit; a pattern of only * or ? would mark every entitlement privileged.`,
  });

const highRiskLabel = RISK_POLICY_FIELDS.highRiskSignals.label;

export const riskPolicySchema = z.strictObject(
  {
    staleDays: wholeNumber('staleDays', 'days'),
    maxCredentialAgeDays: wholeNumber('maxCredentialAgeDays', 'days'),
    farFutureExpiryYears: wholeNumber('farFutureExpiryYears', 'years'),
    privilegedNamePatterns: z
      .array(privilegedNamePattern, { error: `${patternsLabel} must be a list of names.` })
      .max(maxCount, { error: `${patternsLabel}: at most ${maxCount} entries.` })
      .default([...DEFAULT_RISK_POLICY.privilegedNamePatterns]),
    highRiskSignals: z
      .array(
        z.enum(HIGH_RISK_CANDIDATES, {
          error: `${highRiskLabel}: choose from ${HIGH_RISK_CANDIDATES.map((c) => RISK_SIGNALS[c].label).join(', ')}.`,
        }),
        { error: `${highRiskLabel} must be a list of signals.` },
      )
      .refine((codes) => new Set(codes).size === codes.length, {
        error: `${highRiskLabel}: each signal can be listed once.`,
      })
      .default([...DEFAULT_RISK_POLICY.highRiskSignals]),
  },
  { error: 'The risk policy must be an object with the policy settings.' },
);

// The schema and the domain type describe the same thing: a change to one alone fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _policyTypesAgree: Same<z.output<typeof riskPolicySchema>, RiskPolicy> = true;

/** Zod's issues in the words of the Settings form ("Stale after (days) must be ..."), one sentence each. */
export function describeRiskPolicyProblems(error: z.ZodError): string {
  const messages = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const many = issue.keys.length > 1;
      return `${issue.keys.join(', ')} ${many ? 'are not settings' : 'is not a setting'} of the risk policy.`;
    }
    return issue.message;
  });
  return [...new Set(messages)].join(' ');
}

export const owaspNhiRefSchema = z.object({ id: z.enum(OWASP_NHI_IDS), name: z.string() });

export const riskSignalSchema = z.object({
  code: z.enum(RISK_SIGNAL_CODES),
  reason: z.string(),
  owasp: owaspNhiRefSchema.nullable(),
  severity: z.enum(RISK_SEVERITIES),
});

/** `policy.get`: the policy in effect, the defaults the form states, and why a saved one was not used. */
export const riskPolicyStateSchema = z.object({
  policy: riskPolicySchema,
  defaults: riskPolicySchema,
  /** True when no valid saved policy exists and the defaults apply. */
  isDefault: z.boolean(),
  /** Set when a saved policy could not be used: what was wrong, and that the defaults apply instead. */
  problem: z.string().nullable(),
});

/** `policy.update`: the whole policy; a field left out takes its default. */
export const riskPolicyUpdateInputSchema = z.strictObject({ policy: riskPolicySchema });
