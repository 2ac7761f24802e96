import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/core/decisions/canonical-json';

describe('canonicalJson (RFC 8785 for the decision log shapes)', () => {
  it('sorts keys by UTF-16 code units at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    );
    // RFC 8785 3.2.3: "\u20ac" (€) sorts before "\ud83d\ude00" (😀) by code unit, although its code point is lower too;
    // "\ufb33" sorts after the surrogate pair by code unit although its code point is lower.
    expect(canonicalJson({ '\ufb33': 1, '😀': 2, '€': 3, '\r': 4, '1': 5 })).toBe(
      '{"\\r":4,"1":5,"€":3,"😀":2,"דּ":1}',
    );
  });

  it('escapes strings as RFC 8785 does (JSON.stringify rules)', () => {
    expect(canonicalJson('a"b\\c\u0001\n\u2028é')).toBe('"a\\"b\\\\c\\u0001\\n\u2028é"');
  });

  it('writes integers plainly and refuses fractions, NaN, infinities and unsafe integers', () => {
    expect(canonicalJson([0, -0, -7, 9007199254740991])).toBe('[0,0,-7,9007199254740991]');
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => canonicalJson(bad)).toThrow(/safe integers/);
    }
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(new Date())).toThrow(/plain objects/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});
