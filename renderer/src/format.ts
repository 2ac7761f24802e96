/** How Steward writes numbers, sizes, dates and ages, so every screen says them the same way. */

const countFormat = new Intl.NumberFormat(undefined);
const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** `1 identity`, `46 identities`: the count and the noun that goes with it. */
export function plural(value: number, one: string, many: string): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${decimalFormat.format(value)} ${units[unit]}`;
}

export function formatDay(iso: string): string {
  return dayFormat.format(new Date(iso));
}

export function formatDayTime(iso: string): string {
  return dayTimeFormat.format(new Date(iso));
}

/** Today in the user's own time zone as YYYY-MM-DD, the form `asOf` takes. */
export function todayIsoDay(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

/** The end of an as-of day, so something that happened on that day counts as before it. */
function endOfDay(asOf: string): number {
  return Date.parse(`${asOf}T23:59:59.999Z`);
}

/** Whole days from `iso` to the as-of day; never negative. */
export function ageInDays(iso: string, asOf: string): number {
  const days = Math.floor((endOfDay(asOf) - Date.parse(iso)) / 86_400_000);
  return Math.max(0, days);
}

/** `412 days`, `1 day`, `today`. */
export function formatAge(days: number): string {
  if (days === 0) return 'today';
  return plural(days, 'day', 'days');
}
