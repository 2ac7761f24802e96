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
