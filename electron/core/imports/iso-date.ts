/**
 * Parses the ISO-8601 shapes the sources write (`Z`, `+00:00`, `-05:00`, milliseconds, and the
 * non-padded `-8:00` offsets of Microsoft's samples) into a UTC ISO string. A date without a time
 * is midnight UTC. Anything else is null: callers decide whether that is a reject or "unknown".
 */
// Small anchored patterns applied one after the other instead of one nested pattern: each is
// linear on any input, which matters for text from untrusted files.
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME_PART = /^[T ](\d{2}):(\d{2})/i;
const SECONDS_PART = /^:(\d{2})/;
const FRACTION_PART = /^[.,](\d{1,9})/;
const ZONE_PART = /^ ?(Z|[+-]\d{1,2}:?\d{0,2})$/i;

export function parseIsoDateTime(text: string): string | null {
  const canonical = canonicalIsoDateTime(text);
  if (canonical !== null) return canonical;
  const input = text.trim();
  const dateMatch = DATE_PART.exec(input);
  if (!dateMatch) return null;
  let rest = input.slice(dateMatch[0].length);
  const [, y, mo, d] = dateMatch;
  let h = '00';
  let mi = '00';
  let s = '00';
  let fraction = '';
  let zone: string | undefined;
  if (rest.length > 0) {
    const timeMatch = TIME_PART.exec(rest);
    if (!timeMatch) return null;
    [, h = '00', mi = '00'] = timeMatch;
    rest = rest.slice(timeMatch[0].length);
    const secondsMatch = SECONDS_PART.exec(rest);
    if (secondsMatch) {
      s = secondsMatch[1]!;
      rest = rest.slice(secondsMatch[0].length);
      const fractionMatch = FRACTION_PART.exec(rest);
      if (fractionMatch) {
        fraction = fractionMatch[1]!;
        rest = rest.slice(fractionMatch[0].length);
      }
    }
    if (rest.length > 0) {
      const zoneMatch = ZONE_PART.exec(rest);
      if (!zoneMatch) return null;
      zone = zoneMatch[1];
    }
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const millis = Number((fraction + '000').slice(0, 3));
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [hourText = '', minuteText] = zone.slice(1).split(':');
    let hours: number;
    let minutes: number;
    if (minuteText !== undefined) {
      if (minuteText.length !== 2) return null;
      [hours, minutes] = [Number(hourText), Number(minuteText)];
    } else if (hourText.length <= 2) {
      [hours, minutes] = [Number(hourText), 0];
    } else if (hourText.length === 4) {
      [hours, minutes] = [Number(hourText.slice(0, 2)), Number(hourText.slice(2))];
    } else {
      return null;
    }
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  const utc =
    Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offsetMinutes * 60_000;
  const date = new Date(utc);
  // Date.UTC rolls 31 February into March; a date that rolled over was not a real date.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the ASCII digits of `text` from `start` to `end`, or -1 if any is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The three shapes nearly every export writes, read without a regular expression or a Date:
 * `2026-04-02`, `2026-04-02T16:05:00Z` and `2026-04-02T16:05:00.000Z` (a million rows carry three
 * dates each, and the general reader costs a microsecond a date). Null for anything else, which the
 * general reader then reads, so the answers are the same. Years before 1000 are left to the general
 * reader too, whose Date arithmetic treats them in its own way.
 */
export function canonicalIsoDateTime(text: string): string | null {
  const length = text.length;
  if (length !== 10 && length !== 20 && length !== 24) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null; // '-'
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return null;
  if (length === 10) return `${text}T00:00:00.000Z`;
  // 'T', ':', ':' and the closing 'Z'; with milliseconds, a '.' before three digits.
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  if (text.charCodeAt(length - 1) !== 90) return null;
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (length === 20) return `${text.slice(0, 19)}.000Z`;
  if (text.charCodeAt(19) !== 46 || digitsAt(text, 20, 23) < 0) return null;
  return text;
}
