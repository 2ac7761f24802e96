/**
 * A strict, bounded DER reader for the CMS signature of an evidence PDF. Hand-written rather than
 * pkijs/asn1js because those are ESM-only and the CLI bundle is CommonJS; it reads exactly the few
 * structures verification needs, keeps every element's raw bytes (the signed attributes must be
 * verified as they were encoded, not as a library would re-encode them) and throws DerError on any
 * malformed or truncated input instead of reading out of bounds.
 */

export class DerError extends Error {}

export interface DerElement {
  /** The identifier octet: class, constructed bit and tag number (tag numbers above 30 are refused). */
  tag: number;
  /** Offset of the identifier octet in the buffer. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just after the element. */
  end: number;
  buffer: Buffer;
}

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
  CONTEXT_0_PRIMITIVE: 0x80,
  CONTEXT_1: 0xa1,
} as const;

/** Reads the element at `offset`, which must end at or before `limit`. */
export function readElement(buffer: Buffer, offset = 0, limit = buffer.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = buffer[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in CMS signatures');
  let length = buffer[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // Indefinite lengths (BER) and lengths beyond 4 octets are not DER a PDF signature needs.
    if (octets === 0 || octets > 4) throw new DerError('unsupported length encoding');
    if (contentStart + octets > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + buffer[contentStart + i]!;
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('element longer than its container');
  return { tag, start: offset, contentStart, end, buffer };
}

/** The children of a constructed element. */
export function children(element: DerElement): DerElement[] {
  if (!(element.tag & 0x20)) throw new DerError('expected a constructed element');
  const result: DerElement[] = [];
  let offset = element.contentStart;
  while (offset < element.end) {
    const child = readElement(element.buffer, offset, element.end);
    result.push(child);
    offset = child.end;
  }
  return result;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) throw new DerError(`${what} is missing or malformed`);
  return element;
}

export function raw(element: DerElement): Buffer {
  return element.buffer.subarray(element.start, element.end);
}

export function content(element: DerElement): Buffer {
  return element.buffer.subarray(element.contentStart, element.end);
}

/** Dotted form of an OBJECT IDENTIFIER. */
export function oid(element: DerElement): string {
  expectTag(element, TAG.OID, 'object identifier');
  const bytes = content(element);
  if (bytes.length === 0 || bytes.length > 64) throw new DerError('malformed object identifier');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('object identifier arc too large');
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if (bytes[bytes.length - 1]! & 0x80) throw new DerError('truncated object identifier');
  const first = arcs.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** A UTCTime or GeneralizedTime (the forms CMS signing-time uses), as a Date. */
export function time(element: DerElement): Date {
  const text = content(element).toString('latin1');
  let match: RegExpExecArray | null;
  if (element.tag === TAG.UTC_TIME && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const year = Number(match[1]);
    return utc(year >= 50 ? 1900 + year : 2000 + year, match.slice(2));
  }
  // GeneralizedTime may carry fractional seconds, which a signing time does not need: drop them.
  const whole = text.replace(/\.\d{1,9}Z$/, 'Z');
  if (
    element.tag === TAG.GENERALIZED_TIME &&
    (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(whole))
  ) {
    return utc(Number(match[1]), match.slice(2));
  }
  throw new DerError('malformed time');
}

function utc(year: number, parts: string[]): Date {
  const [month, day, hour, minute, second] = parts.map(Number) as [number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
