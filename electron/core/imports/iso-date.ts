/**
 * Parses the ISO-8601 shapes the sources write (`Z`, `+00:00`, `-05:00`, milliseconds, and the
 * non-padded `-8:00` offsets of Microsoft's samples) into a UTC ISO string. A date without a time
 * is midnight UTC. Anything else is null: callers decide whether that is a reject or "unknown".
 */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?$/i;

export function parseIsoDateTime(text: string): string | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match;
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
    const digits = zone.slice(1).replace(':', '');
    const hours = digits.length <= 2 ? Number(digits) : Number(digits.slice(0, digits.length - 2));
    const minutes = digits.length <= 2 ? 0 : Number(digits.slice(-2));
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
