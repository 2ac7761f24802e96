import type { PassphraseStrength } from '../passphrase/passphrase-strength';

interface StrengthMeterProps {
  strength: PassphraseStrength | null;
  /** Id of the hint paragraph, so the field can point to it with aria-describedby. */
  hintId: string;
  /** What to say before anything is typed. */
  emptyHint: string;
}

const SEGMENTS = [1, 2, 3, 4];

/** Four bars and a sentence; colour is never the only signal, the label says the same in words. */
export function StrengthMeter({ strength, hintId, emptyHint }: StrengthMeterProps) {
  const score = strength?.score ?? 0;
  // "Very weak" still lights one bar, so a rated passphrase never looks like an empty field.
  const filled = strength === null ? 0 : Math.max(1, score);
  const tone = strength === null ? 'none' : score >= 3 ? 'good' : score === 2 ? 'fair' : 'poor';
  return (
    <div className="strength" data-tone={tone}>
      <div
        className="strength-bar"
        role="meter"
        aria-label="Passphrase strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={score}
        aria-valuetext={strength ? strength.label : 'Not rated yet'}
      >
        {SEGMENTS.map((segment) => (
          <span
            key={segment}
            className={filled >= segment ? 'strength-segment is-filled' : 'strength-segment'}
          />
        ))}
      </div>
      <p id={hintId} className="strength-hint">
        {strength ? (
          <>
            <strong className="strength-label">{strength.label}.</strong> {strength.hint}
          </>
        ) : (
          emptyHint
        )}
      </p>
    </div>
  );
}
