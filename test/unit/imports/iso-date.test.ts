import { describe, expect, it } from 'vitest';
import { canonicalIsoDateTime, parseIsoDateTime } from '../../../electron/core/imports/iso-date';

describe('parseIsoDateTime', () => {
  it.each([
    ['2026-10-30T16:05:00Z', '2026-10-30T16:05:00.000Z'],
    ['2026-10-30T16:05:00+00:00', '2026-10-30T16:05:00.000Z'],
    ['2023-08-06T16:43:55.000-05:00', '2023-08-06T21:43:55.000Z'],
    ['2019-04-12T09:10:11.1234567Z', '2019-04-12T09:10:11.123Z'],
    ['2024-02-01T10:00:00-8:00', '2024-02-01T18:00:00.000Z'],
    ['2024-02-01T10:00:00+0530', '2024-02-01T04:30:00.000Z'],
    ['2024-02-01 10:00', '2024-02-01T10:00:00.000Z'],
    ['2026-04-02', '2026-04-02T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s', (text, expected) => {
    expect(parseIsoDateTime(text)).toBe(expected);
  });

  it.each([
    '',
    'N/A',
    'no_information',
    '2026-02-30',
    '2026-13-01',
    '12/31/2025',
    '2026-01-01T25:00:00Z',
    '2026-01-01T10:00:00+5:3',
    '2026-01-01T10:00:00+530',
    '2026-01-01Tjunk',
  ])('refuses %j', (text) => {
    expect(parseIsoDateTime(text)).toBeNull();
  });
});

describe('canonicalIsoDateTime (the fast path for the shapes most exports write)', () => {
  it.each([
    ['2026-04-02', '2026-04-02T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59Z', '2000-02-29T23:59:59.000Z'],
    ['2026-10-30T16:05:00.123Z', '2026-10-30T16:05:00.123Z'],
  ])('reads %s', (text, expected) => {
    expect(canonicalIsoDateTime(text)).toBe(expected);
    expect(parseIsoDateTime(text)).toBe(expected);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-00-10',
    '0999-01-01',
    ' 2026-04-02',
    '2026-04-02t10:00:00Z',
    '2026-04-02T24:00:00Z',
    '2026-04-02T10:60:00Z',
    '2026-04-02T10:00:60Z',
    '2026-04-02T10:00:00+0000',
    '2026-04-02T10:00:00.12Z',
    '2026/04/02',
  ])('leaves %j to the general reader', (text) => {
    expect(canonicalIsoDateTime(text)).toBeNull();
  });

  it('answers as the general reader does for what it leaves to it', () => {
    expect(parseIsoDateTime('2026-04-02t10:00:00z')).toBe('2026-04-02T10:00:00.000Z');
    expect(parseIsoDateTime(' 2026-04-02 ')).toBe('2026-04-02T00:00:00.000Z');
    expect(parseIsoDateTime('2026-02-29')).toBeNull();
  });
});
