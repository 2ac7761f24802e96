import { canonicalIsoDateTime, parseIsoDateTime } from './iso-date';

/**
 * Dates as the sources write them, read without guessing. Every answer says what the text meant:
 * a date, nothing written, an explicit "never", an explicit "unknown", or why it could not be read.
 * Presets decide what "unknown" and "never" mean for their column (for AWS, `N/A` in a key's
 * last-used column of an existing key means it was never used; `no_information` means nobody knows).
 *
 * Times without a zone (PowerShell's en-US text, Excel cells, European dates) are taken as UTC: the
 * exports carry no zone, and the AD fixture's text dates equal its FILETIME values read as UTC.
 */
export type SourceDate =
  | { kind: 'date'; iso: string }
  | { kind: 'empty' }
  | { kind: 'never' }
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; reason: string }
  | { kind: 'invalid'; reason: string };

/** `dmy` = 31/12/2026 (Europe), `mdy` = 12/31/2026 (US, PowerShell en-US). */
export type DayOrder = 'dmy' | 'mdy';

export interface SourceDateHint {
  /** How to read a slash or dash date whose day and month are both 12 or less. */
  dayOrder?: DayOrder | null;
  /** The column holds Windows FILETIMEs (AD `lastLogonTimestamp`, `pwdLastSet`): `0` and the int64 maximum mean never. */
  filetime?: boolean;
  /** The column is known to hold dates, so a bare number is an Excel serial date (1900 date system). */
  excelSerial?: boolean;
}

const NEVER_WORDS = new Set([
  'never',
  'nie',
  'niemals',
  'nooit',
  'jamais',
  'nunca',
  'never used',
  'never logged in',
]);
const UNKNOWN_WORDS = new Set([
  'n/a',
  'na',
  '#n/a',
  'no_information',
  'not_supported',
  'unknown',
  'unbekannt',
  'onbekend',
  'inconnu',
  'k.a.',
  'k. a.',
  'keine angabe',
  'none',
  'null',
  'tbd',
  '-',
  '--',
  '?',
]);

/** The int64 maximum AD writes for "never" (e.g. `accountExpires`). */
const FILETIME_NEVER = 9223372036854775807n;
/** 100-nanosecond intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;
/** FILETIMEs between 1990 and 9999: an 18-19 digit integer in this range cannot be anything else. */
const FILETIME_MIN = 126227808000000000n;
const FILETIME_MAX = 2650467743990000000n;

// Flat patterns (no nested quantifiers: no catastrophic backtracking on hostile cells); the time
// of day is split off first and read on its own.
const DATE_THEN_TIME = /^(.+?)[T\s,]+(\d{1,2}:\d{2}.*)$/;
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const YEAR_FIRST_DATE = /^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$/;
const TWO_DIGIT_YEAR = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/;
const DAY_MONTH_NAME_YEAR = /^(\d{1,2})[\s.-]+([A-Za-zäéû]{3,9})[\s,.-]+(\d{4})$/;
const MONTH_NAME_DAY_YEAR = /^([A-Za-zäéû]{3,9})[\s.]+(\d{1,2})[\s,]+(\d{4})$/;
const MONTH_NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  mär: 3,
  mrt: 3,
  maa: 3,
  apr: 4,
  may: 5,
  mai: 5,
  mei: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  okt: 10,
  oct: 10,
  nov: 11,
  dec: 12,
  dez: 12,
};

export function parseSourceDate(text: string | null | undefined, hint: SourceDateHint = {}): SourceDate {
  const value = (text ?? '').trim();
  if (value === '') return { kind: 'empty' };
  // The shapes most exports write, before any lower-casing or pattern: a third of the mapping time
  // of a million-row import went here.
  const canonical = canonicalIsoDateTime(value);
  if (canonical !== null) return { kind: 'date', iso: canonical };
  const lower = value.toLowerCase();
  if (NEVER_WORDS.has(lower)) return { kind: 'never' };
  if (UNKNOWN_WORDS.has(lower)) return { kind: 'unknown' };

  // No date format is longer; refusing long text first keeps every pattern below cheap.
  if (value.length > 40) return invalid(value.slice(0, 40) + '…', 'it is far too long to be a date');

  const iso = parseIsoDateTime(value);
  if (iso) return { kind: 'date', iso };

  if (/^\d+$/.test(value)) return integerDate(value, hint);
  if (hint.excelSerial && /^\d+\.\d+$/.test(value)) return excelSerialDate(Number(value), value);

  const split = DATE_THEN_TIME.exec(value);
  const datePart = split ? split[1]! : value;
  let time: TimeOfDay | null = null;
  if (split) {
    time = parseTimeOfDay(split[2]!);
    if (!time) return invalid(value, 'the time of day is not h:mm[:ss] [AM/PM]');
  }

  const numeric = NUMERIC_DATE.exec(datePart);
  if (numeric) return numericDate(value, numeric, hint.dayOrder ?? null, time);

  const yearFirst = YEAR_FIRST_DATE.exec(datePart);
  if (yearFirst)
    return buildDate(value, Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4]), time);

  const dayFirstName = DAY_MONTH_NAME_YEAR.exec(datePart);
  const monthFirstName = MONTH_NAME_DAY_YEAR.exec(datePart);
  if (dayFirstName || monthFirstName) {
    const [day, monthText, year] = dayFirstName
      ? [dayFirstName[1]!, dayFirstName[2]!, dayFirstName[3]!]
      : [monthFirstName![2]!, monthFirstName![1]!, monthFirstName![3]!];
    const month = MONTH_NAMES[monthText.slice(0, 3).toLowerCase()];
    if (month === undefined) return invalid(value, 'the month name is not one Steward knows');
    return buildDate(value, Number(year), month, Number(day), time);
  }

  if (TWO_DIGIT_YEAR.test(datePart)) {
    return invalid(value, 'the year has two digits; export the dates with four-digit years');
  }
  return invalid(value, 'it is not a date format Steward reads (ISO 8601, dd.mm.yyyy, dd/mm/yyyy, m/d/yyyy)');
}

interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

/** `h:mm`, `h:mm:ss`, `h:mm:ss.fff`, each optionally with AM/PM. */
function parseTimeOfDay(text: string): TimeOfDay | null {
  let rest = text.trim();
  const suffix = rest.slice(-2).toLowerCase();
  const meridiem = suffix === 'am' || suffix === 'pm' ? suffix : null;
  if (meridiem) rest = rest.slice(0, -2).trim();
  const [clock = '', fraction = '', ...extra] = rest.split(/[.,]/);
  const parts = clock.split(':');
  if (extra.length > 0 || parts.length < 2 || parts.length > 3) return null;
  if (!parts.every((part, index) => (index === 0 ? /^\d{1,2}$/ : /^\d{2}$/).test(part))) return null;
  if (fraction !== '' && !/^\d{1,9}$/.test(fraction)) return null;
  let hour = Number(parts[0]);
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return { hour, minute: Number(parts[1]), second: Number(parts[2] ?? 0), fraction };
}

function integerDate(value: string, hint: SourceDateHint): SourceDate {
  if (hint.filetime || value.length >= 18) {
    const filetime = BigInt(value);
    if (hint.filetime && (filetime === 0n || filetime === FILETIME_NEVER)) return { kind: 'never' };
    if (filetime >= FILETIME_MIN && filetime <= FILETIME_MAX) {
      const millis = Number((filetime - FILETIME_UNIX_EPOCH) / 10_000n);
      return { kind: 'date', iso: new Date(millis).toISOString() };
    }
    if (hint.filetime) return invalid(value, 'it is not a Windows FILETIME between 1990 and 9999');
  }
  if (hint.excelSerial) return excelSerialDate(Number(value), value);
  return invalid(value, 'it is a bare number; if the column holds Excel dates, map it as a date column');
}

/** Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is the fictitious 29 February 1900. */
function excelSerialDate(serial: number, value: string): SourceDate {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) {
    return invalid(value, 'it is outside the range of Excel dates');
  }
  if (Math.floor(serial) === 60)
    return invalid(value, 'Excel serial 60 is 29 February 1900, which never existed');
  const days = serial < 60 ? serial - 1 : serial - 2;
  const millis = Date.UTC(1900, 0, 1) + Math.round(days * 86_400_000);
  return { kind: 'date', iso: new Date(millis).toISOString() };
}

function numericDate(
  value: string,
  match: RegExpExecArray,
  dayOrder: DayOrder | null,
  time: TimeOfDay | null,
): SourceDate {
  const [, a, separator, b, y] = match;
  const first = Number(a);
  const second = Number(b);
  let order: DayOrder;
  // Dots are the German/Dutch/Nordic form, always day first; nobody writes month.day.year.
  if (separator === '.') order = 'dmy';
  else if (first > 12 && second <= 12) order = 'dmy';
  else if (second > 12 && first <= 12) order = 'mdy';
  else if (first === second) order = 'dmy';
  else if (first > 12 && second > 12)
    return invalid(value, 'neither of the first two numbers can be a month');
  else if (dayOrder) order = dayOrder;
  else {
    return {
      kind: 'ambiguous',
      reason:
        `'${value}' could be ${first} ${monthName(second)} or ${second} ${monthName(first)}: ` +
        'the column has not shown whether it writes day/month or month/day; confirm the date order of the column',
    };
  }
  const day = order === 'dmy' ? first : second;
  const month = order === 'dmy' ? second : first;
  return buildDate(value, Number(y), month, day, time);
}

function buildDate(
  value: string,
  year: number,
  month: number,
  day: number,
  time: TimeOfDay | null,
): SourceDate {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const clock = time
    ? `${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}${time.fraction ? `.${time.fraction}` : ''}`
    : '00:00:00';
  const iso = parseIsoDateTime(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${clock}Z`);
  return iso ? { kind: 'date', iso } : invalid(value, 'that day or time does not exist in the calendar');
}

function invalid(value: string, why: string): SourceDate {
  return { kind: 'invalid', reason: `'${value}' is not a date: ${why}` };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function monthName(month: number): string {
  return MONTHS[month - 1] ?? `month ${month}`;
}

const SLASH_OR_DASH_DATE = /^(\d{1,2})[/-](\d{1,2})[/-]\d{4}(?:\D|$)/;

/**
 * Learns whether a column writes day/month or month/day from the values it has seen: one value with
 * a day above 12 decides. Until then a date like 06/08/2026 stays ambiguous (reported, never
 * guessed). Columns of one export share the exporter's locale, so a detector can fall back on a
 * file-wide detector that every date column of the file feeds. Values that contradict each other
 * (31/01 and 01/31 in one column) leave the undecidable values ambiguous.
 */
export class DateOrderDetector {
  private dayFirst = 0;
  private monthFirst = 0;
  private confirmed: DayOrder | null = null;

  constructor(private readonly fileWide?: DateOrderDetector) {}

  /** Fixes the order (a user's confirmation, or a saved column mapping): evidence no longer changes it. */
  confirm(order: DayOrder): void {
    this.confirmed = order;
  }

  observe(text: string | null | undefined): void {
    // An ISO date (year first) tells nothing about day/month order: skip the pattern.
    if (text && canonicalIsoDateTime(text) !== null) return;
    const match = SLASH_OR_DASH_DATE.exec((text ?? '').trim());
    if (match) {
      const first = Number(match[1]);
      const second = Number(match[2]);
      if (first > 12 && second <= 12) this.dayFirst += 1;
      else if (second > 12 && first <= 12) this.monthFirst += 1;
    }
    this.fileWide?.observe(text);
  }

  /** The order this column has shown, the file's if the column has not shown one, or null. */
  get order(): DayOrder | null {
    if (this.confirmed) return this.confirmed;
    if (this.dayFirst > 0 || this.monthFirst > 0) return this.ownOrder;
    return this.fileWide?.order ?? null;
  }

  /** True when the column has shown both orders: its undecidable values cannot be read. */
  get contradictory(): boolean {
    return !this.confirmed && this.dayFirst > 0 && this.monthFirst > 0;
  }

  private get ownOrder(): DayOrder | null {
    if (this.dayFirst > 0 && this.monthFirst === 0) return 'dmy';
    if (this.monthFirst > 0 && this.dayFirst === 0) return 'mdy';
    return null;
  }

  /** Observes the value, then reads it with what the column (or file) has shown so far. */
  parse(text: string | null | undefined, hint: Omit<SourceDateHint, 'dayOrder'> = {}): SourceDate {
    const canonical = text ? canonicalIsoDateTime(text) : null;
    if (canonical !== null) return { kind: 'date', iso: canonical };
    this.observe(text);
    const result = parseSourceDate(text, { ...hint, dayOrder: this.order });
    if (result.kind === 'ambiguous' && this.contradictory) {
      return {
        kind: 'ambiguous',
        reason: `${result.reason} (the column holds both day/month and month/day dates)`,
      };
    }
    return result;
  }
}

/** The date as an ISO string, or null for anything that is not a date. */
export function dateOrNull(result: SourceDate): string | null {
  return result.kind === 'date' ? result.iso : null;
}
