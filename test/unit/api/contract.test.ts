import { describe, expect, it } from 'vitest';
import { contract, isMethod, methods } from '../../../shared/api/contract';

describe('the contract', () => {
  it.each(methods)('%s: every sample survives a JSON round trip and matches both schemas', (method) => {
    const entry = contract[method];
    expect(entry.samples.length).toBeGreaterThan(0);
    for (const sample of entry.samples) {
      const input = JSON.parse(JSON.stringify(sample.input));
      const output = JSON.parse(JSON.stringify(sample.output));
      expect(entry.input.parse(input)).toEqual(entry.input.parse(sample.input));
      expect(entry.output.parse(output)).toEqual(entry.output.parse(sample.output));
    }
  });

  it('names every method domain.verbNoun', () => {
    for (const method of methods) expect(method).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
  });

  it('recognises only its own methods, not inherited object keys', () => {
    expect(isMethod('vault.unlock')).toBe(true);
    expect(isMethod('toString')).toBe(false);
    expect(isMethod('__proto__')).toBe(false);
    expect(isMethod(42)).toBe(false);
  });
});
