import { describe, expect, it } from 'vitest';
import { RISK_SIGNAL_CODES } from '../../../shared/domain/risk';
import { SIGNAL_NUMBER, signalOfNumber } from '../../../electron/core/risk/indexed-signals';

describe('the numbers the risk-signal index stores for signals', () => {
  it('gives every signal its own number, read back as the same signal', () => {
    const numbers = RISK_SIGNAL_CODES.map((code) => SIGNAL_NUMBER[code]);
    expect(new Set(numbers).size).toBe(RISK_SIGNAL_CODES.length);
    for (const code of RISK_SIGNAL_CODES) expect(signalOfNumber(SIGNAL_NUMBER[code])).toBe(code);
    // Small numbers: one byte each in the index's records.
    expect(Math.max(...numbers)).toBeLessThan(128);
  });

  it('refuses a number no signal has, rather than reading it as some signal', () => {
    expect(() => signalOfNumber(0)).toThrow(/unknown signal number 0/);
    expect(() => signalOfNumber(999)).toThrow(/unknown signal number 999/);
  });
});
