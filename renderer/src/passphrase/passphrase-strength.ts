import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import { useEffect, useMemo, useState } from 'react';

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PassphraseStrength {
  score: StrengthScore;
  label: string;
  /** One sentence that tells the user how to do better, or how long guessing would take. */
  hint: string;
}

/** Below this zxcvbn score a new passphrase is refused: 3 means "safely unguessable" against offline attacks. */
export const MIN_ACCEPTABLE_SCORE: StrengthScore = 3;

const LABELS: Record<StrengthScore, string> = {
  0: 'Very weak',
  1: 'Weak',
  2: 'Fair',
  3: 'Strong',
  4: 'Very strong',
};

// Words anyone attacking a Steward vault would try first.
const APP_WORDS = ['steward', 'vault', 'passphrase', 'access', 'review', 'northwind'];

let estimatorPromise: Promise<ZxcvbnFactory> | null = null;

/** Loads zxcvbn and its dictionaries once, as a separate chunk, the first time a form asks for them. */
export function loadStrengthEstimator(): Promise<ZxcvbnFactory> {
  estimatorPromise ??= import('./strength-estimator').then((module) => module.createStrengthEstimator());
  return estimatorPromise;
}

function describe(result: ZxcvbnResult): PassphraseStrength {
  const score = result.score as StrengthScore;
  const advice = result.feedback.warning ?? result.feedback.suggestions[0] ?? null;
  // zxcvbn's crack-time figures assume a fast hash; scrypt is far slower, so they would mislead here.
  const hint =
    score === 4
      ? 'Hard to guess, even for someone holding a copy of the vault.'
      : score === 3
        ? (advice ?? 'Good. Another uncommon word would make it stronger still.')
        : (advice ?? 'Add more words that are less common.');
  return { score, label: LABELS[score], hint };
}

function check(estimator: ZxcvbnFactory, passphrase: string, personalWords: string[]): PassphraseStrength {
  return describe(estimator.check(passphrase, [...APP_WORDS, ...personalWords]));
}

/** The strength of `passphrase`, loading the estimator first if needed; what a form checks on submit. */
export async function estimateStrength(
  passphrase: string,
  personalWords: string[] = [],
): Promise<PassphraseStrength> {
  return check(await loadStrengthEstimator(), passphrase, personalWords);
}

/**
 * The strength of `passphrase`, or null while the estimator loads or the field is empty.
 * `personalWords` (the vault folder name, say) count as easy to guess.
 */
export function usePassphraseStrength(
  passphrase: string,
  personalWords: string[] = [],
): PassphraseStrength | null {
  const [estimator, setEstimator] = useState<ZxcvbnFactory | null>(null);

  useEffect(() => {
    let current = true;
    void loadStrengthEstimator().then((loaded) => {
      if (current) setEstimator(loaded);
    });
    return () => {
      current = false;
    };
  }, []);

  const wordsKey = personalWords.join('\u0000');
  return useMemo(() => {
    if (!estimator || passphrase.length === 0) return null;
    const words = wordsKey ? wordsKey.split('\u0000') : [];
    return check(estimator, passphrase, words);
  }, [estimator, passphrase, wordsKey]);
}
