import { AppError } from '../../../shared/api/errors';
import { describeRiskPolicyProblems, riskPolicySchema } from '../../../shared/api/schemas/risk';
import type { RiskPolicy } from '../../../shared/domain/risk';
import type { Db } from '../db/open-database';
import { invalidateSignalIndex } from './indexed-signals';

/**
 * The risk policy lives in the encrypted vault (`vault_meta`, key `risk-policy`) as JSON, so it
 * travels with the vault it judges. It is validated when written and again when read: a stored
 * policy that no longer validates (edited by hand, written by a newer Steward with a wider range)
 * is never half-applied. The defaults apply instead, and `problem` says so, for Settings to show.
 */
export const RISK_POLICY_KEY = 'risk-policy';

export interface RiskPolicyState {
  policy: RiskPolicy;
  /** True when no valid stored policy exists and the defaults apply. */
  isDefault: boolean;
  /** Why a stored policy was not used, in words for the Settings page; null otherwise. */
  problem: string | null;
}

/** A fresh copy of DEFAULT_RISK_POLICY: every field of the schema has its default. */
function defaults(): RiskPolicy {
  return riskPolicySchema.parse({});
}

export function readRiskPolicy(db: Db): RiskPolicyState {
  const row = db.prepare('SELECT value FROM vault_meta WHERE key = ?').get(RISK_POLICY_KEY) as
    { value: string } | undefined;
  if (!row) return { policy: defaults(), isDefault: true, problem: null };
  let stored: unknown;
  try {
    stored = JSON.parse(row.value);
  } catch {
    return {
      policy: defaults(),
      isDefault: true,
      problem:
        'The saved risk policy cannot be read (it is not valid JSON), so the default policy applies. Save the policy again in Settings.',
    };
  }
  const parsed = riskPolicySchema.safeParse(stored);
  if (!parsed.success) {
    return {
      policy: defaults(),
      isDefault: true,
      problem: `The saved risk policy is not valid, so the default policy applies: ${describeRiskPolicyProblems(parsed.error)} Correct it in Settings and save it again.`,
    };
  }
  return { policy: parsed.data, isDefault: false, problem: null };
}

/**
 * Validates and stores the policy (fields left out take their defaults) and returns it as stored.
 * An invalid policy is INVALID_INPUT with every problem named, and changes nothing.
 */
export function writeRiskPolicy(db: Db, policy: unknown): RiskPolicy {
  const parsed = riskPolicySchema.safeParse(policy);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_INPUT',
      `The risk policy was not saved: ${describeRiskPolicyProblems(parsed.error)}`,
    );
  }
  db.transaction(() => {
    db.prepare(
      'INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(RISK_POLICY_KEY, JSON.stringify(parsed.data));
    invalidateSignalIndex(db);
  })();
  return parsed.data;
}
