/**
 * RFC 8785 (JSON Canonicalization Scheme) for the shapes the decision log writes: objects with string
 * keys, arrays, strings, integers, booleans and null. Written here because no installed package does
 * it. Keys are sorted by UTF-16 code units (JavaScript's default string order) and strings are
 * serialised as JSON.stringify does, which matches RFC 8785 section 3.2.2.2. Non-integer numbers are
 * refused rather than formatted: the log never needs them, and ES number formatting is the part of the
 * RFC most easily got wrong, so a refusal is safer than a hash nobody else can reproduce.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`Canonical JSON here holds only safe integers; ${String(value)} is not one.`);
      }
      // -0 is written 0, as RFC 8785 requires.
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError('Canonical JSON here holds only plain objects.');
      }
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`Canonical JSON cannot hold a ${typeof value}.`);
  }
}
