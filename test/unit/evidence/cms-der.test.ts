import { describe, expect, it } from 'vitest';
import { children, DerError, oid, readElement, TAG, time } from '../../../electron/core/evidence/cms-der';
import { csvRecords } from '../../../electron/core/evidence/verify-evidence';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('the DER reader of CMS signatures', () => {
  it('reads object identifiers, times and nested sequences with their offsets', () => {
    // SEQUENCE { OID 1.2.840.113549.1.9.4, UTCTime 261124173027Z }
    const der = hex('30 1a 06 09 2a864886f70d010904 17 0d 3236313132343137333032375a');
    const sequence = readElement(der);
    expect(sequence).toMatchObject({ tag: TAG.SEQUENCE, start: 0, contentStart: 2, end: 28 });
    const [id, when] = children(sequence);
    expect(oid(id!)).toBe('1.2.840.113549.1.9.4');
    expect(time(when!).toISOString()).toBe('2026-11-24T17:30:27.000Z');
    const gt = Buffer.concat([hex('18 13'), Buffer.from('20501231235959.123Z')]);
    expect(time(readElement(gt)).toISOString()).toBe('2050-12-31T23:59:59.000Z');
  });

  it('reads long-form lengths and ignores bytes after the element (the zero padding of /Contents)', () => {
    const body = Buffer.alloc(300, 0x41);
    const der = Buffer.concat([hex('04 82 01 2c'), body, Buffer.alloc(50)]);
    expect(readElement(der)).toMatchObject({ tag: TAG.OCTET_STRING, contentStart: 4, end: 304 });
  });

  it('throws DerError, never reads out of bounds, on truncated or malformed input', () => {
    const bad = [
      hex(''),
      hex('30'),
      hex('30 05 02 01'),
      hex('30 80 00 00'),
      hex('30 85 0000000001'),
      hex('30 03 02 05 00'),
      hex('1f 01 00'),
    ];
    for (const input of bad) {
      expect(() => {
        const element = readElement(input);
        children(element);
      }).toThrow(DerError);
    }
    expect(() => oid(readElement(hex('06 02 2a 86')))).toThrow(DerError);
    expect(() => time(readElement(Buffer.concat([hex('17 05'), Buffer.from('xxxxx')])))).toThrow(DerError);
  });
});

describe('csvRecords', () => {
  it('counts RFC 4180 records: quoted commas, quotes and line breaks stay inside one field', () => {
    const text = '\ufeffid,name\r\n1,"a, ""b"""\r\n2,"two\nlines"\n3,plain';
    expect(csvRecords(text)).toEqual([
      ['id', 'name'],
      ['1', 'a, "b"'],
      ['2', 'two\nlines'],
      ['3', 'plain'],
    ]);
    expect(csvRecords('h\r\n1\r\n')).toEqual([['h'], ['1']]);
    expect(csvRecords('')).toEqual([]);
  });
});
