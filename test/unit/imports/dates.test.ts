import { describe, expect, it } from 'vitest';
import { DateOrderDetector, parseSourceDate } from '../../../electron/core/imports/dates';

const date = (iso: string) => ({ kind: 'date', iso });

describe('parseSourceDate', () => {
  it('reads ISO 8601 as the AWS report and the CMDB write it', () => {
    expect(parseSourceDate('2026-10-30T04:53:16+00:00')).toEqual(date('2026-10-30T04:53:16.000Z'));
    expect(parseSourceDate('2026-04-02')).toEqual(date('2026-04-02T00:00:00.000Z'));
    expect(parseSourceDate('2026-08-06T20:52:40.000Z')).toEqual(date('2026-08-06T20:52:40.000Z'));
  });

  it('tells empty, never and unknown apart (AWS no_information is unknown, not never)', () => {
    expect(parseSourceDate('')).toEqual({ kind: 'empty' });
    expect(parseSourceDate('   ')).toEqual({ kind: 'empty' });
    expect(parseSourceDate(null)).toEqual({ kind: 'empty' });
    for (const text of ['no_information', 'N/A', 'not_supported', 'unknown']) {
      expect(parseSourceDate(text)).toEqual({ kind: 'unknown' });
    }
    for (const text of ['never', 'Never', 'nie']) expect(parseSourceDate(text)).toEqual({ kind: 'never' });
  });

  it('reads Windows FILETIMEs, with 0 and the int64 maximum meaning never in a FILETIME column', () => {
    // gmsa-sql-wms01: lastLogonTimestamp and the LastLogonDate PowerShell derived from it.
    const fromFiletime = parseSourceDate('134371984100000000');
    expect(fromFiletime).toEqual(parseSourceDate('10/23/2026 3:06:50 AM'));
    expect(fromFiletime).toEqual(date('2026-10-23T03:06:50.000Z'));
    expect(parseSourceDate('0', { filetime: true })).toEqual({ kind: 'never' });
    expect(parseSourceDate('9223372036854775807', { filetime: true })).toEqual({ kind: 'never' });
    expect(parseSourceDate('0').kind).toBe('invalid');
    expect(parseSourceDate('12345', { filetime: true }).kind).toBe('invalid');
  });

  it("reads PowerShell's en-US M/D/YYYY h:mm:ss AM/PM, and says when day and month cannot be told apart", () => {
    expect(parseSourceDate('7/29/2015 8:06:28 PM')).toEqual(date('2015-07-29T20:06:28.000Z'));
    expect(parseSourceDate('1/26/2024 12:37:00 AM', { dayOrder: 'mdy' })).toEqual(
      date('2024-01-26T00:37:00.000Z'),
    );
    expect(parseSourceDate('10/1/2026 12:30:30 PM')).toMatchObject({ kind: 'ambiguous' });
    expect(parseSourceDate('10/1/2026 12:30:30 PM', { dayOrder: 'mdy' })).toEqual(
      date('2026-10-01T12:30:30.000Z'),
    );
    const ambiguous = parseSourceDate('12/10/2018 5:53:09 PM');
    expect(ambiguous.kind).toBe('ambiguous');
    expect(ambiguous).toMatchObject({ reason: expect.stringContaining('12 October or 10 December') });
    expect(parseSourceDate('13/10/2018 13:00:00 PM').kind).toBe('invalid');
  });

  it('reads European dd.mm.yyyy as day first, always', () => {
    expect(parseSourceDate('02.08.2026')).toEqual(date('2026-08-02T00:00:00.000Z'));
    expect(parseSourceDate('25.10.2026')).toEqual(date('2026-10-25T00:00:00.000Z'));
    expect(parseSourceDate('3. März 2026')).toEqual(date('2026-03-03T00:00:00.000Z'));
  });

  it('reads dd/mm/yyyy when a day is above 12 or both numbers are equal, otherwise only with an order', () => {
    expect(parseSourceDate('29/10/2026')).toEqual(date('2026-10-29T00:00:00.000Z'));
    expect(parseSourceDate('05/05/2026')).toEqual(date('2026-05-05T00:00:00.000Z'));
    expect(parseSourceDate('06/08/2026').kind).toBe('ambiguous');
    expect(parseSourceDate('06/08/2026', { dayOrder: 'dmy' })).toEqual(date('2026-08-06T00:00:00.000Z'));
    expect(parseSourceDate('06/08/2026', { dayOrder: 'mdy' })).toEqual(date('2026-06-08T00:00:00.000Z'));
  });

  it('reads Excel serial numbers only in a column known to hold dates', () => {
    expect(parseSourceDate('45292', { excelSerial: true })).toEqual(date('2024-01-01T00:00:00.000Z'));
    expect(parseSourceDate('45292.5', { excelSerial: true })).toEqual(date('2024-01-01T12:00:00.000Z'));
    expect(parseSourceDate('59', { excelSerial: true })).toEqual(date('1900-02-28T00:00:00.000Z'));
    expect(parseSourceDate('61', { excelSerial: true })).toEqual(date('1900-03-01T00:00:00.000Z'));
    expect(parseSourceDate('60', { excelSerial: true }).kind).toBe('invalid');
    expect(parseSourceDate('45292').kind).toBe('invalid');
    expect(parseSourceDate('7,5').kind).toBe('invalid');
  });

  it('reads month names and refuses what is not a date, saying why', () => {
    expect(parseSourceDate('30 Oct 2026')).toEqual(date('2026-10-30T00:00:00.000Z'));
    expect(parseSourceDate('Oct 30, 2026 4:05 PM')).toEqual(date('2026-10-30T16:05:00.000Z'));
    expect(parseSourceDate('31/02/2026')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('does not exist'),
    });
    expect(parseSourceDate('1/2/26')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('two digits'),
    });
    expect(parseSourceDate('yesterday')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining("'yesterday'"),
    });
    expect(parseSourceDate(`1/1/2026${' '.repeat(100_000)}x`).kind).toBe('invalid');
  });
});

describe('DateOrderDetector', () => {
  it('learns the order of a column from its first value with a day above 12', () => {
    // The Last Login column of the UTF-8 CMDB export, in file order.
    const column = new DateOrderDetector();
    expect(column.parse('06/08/2026').kind).toBe('ambiguous');
    expect(column.parse('10/09/2026').kind).toBe('ambiguous');
    expect(column.parse('29/10/2026')).toEqual(date('2026-10-29T00:00:00.000Z'));
    expect(column.order).toBe('dmy');
    expect(column.parse('06/08/2026')).toEqual(date('2026-08-06T00:00:00.000Z'));
    expect(column.parse('never')).toEqual({ kind: 'never' });
  });

  it('falls back on what the other date columns of the file have shown', () => {
    const file = new DateOrderDetector();
    const lastLogin = new DateOrderDetector(file);
    const passwordSet = new DateOrderDetector(file);
    expect(lastLogin.parse('06/08/2026').kind).toBe('ambiguous');
    expect(passwordSet.parse('31/03/2026')).toEqual(date('2026-03-31T00:00:00.000Z'));
    expect(lastLogin.parse('06/08/2026')).toEqual(date('2026-08-06T00:00:00.000Z'));
    // PowerShell en-US in another file: month first.
    const whenCreated = new DateOrderDetector();
    whenCreated.observe('10/23/2026 3:06:50 AM');
    expect(whenCreated.parse('12/10/2018 5:53:09 PM')).toEqual(date('2018-12-10T17:53:09.000Z'));
  });

  it('reports a column that writes both orders as ambiguous for its undecidable values', () => {
    const column = new DateOrderDetector();
    column.parse('31/01/2026');
    column.parse('01/31/2026');
    expect(column.contradictory).toBe(true);
    expect(column.parse('06/08/2026')).toMatchObject({
      kind: 'ambiguous',
      reason: expect.stringContaining('both day/month and month/day'),
    });
    column.confirm('mdy');
    expect(column.parse('06/08/2026')).toEqual(date('2026-06-08T00:00:00.000Z'));
  });
});
