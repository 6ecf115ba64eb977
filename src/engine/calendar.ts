// Calendar dates in a business's time zone, as 'YYYY-MM-DD' strings.
// Pure: the caller passes `now`; nothing here reads the clock.
import { DateTime, IANAZone } from 'luxon';

/** A calendar date (no time, no zone) written 'YYYY-MM-DD'. */
export type CalendarDate = string;

export interface CalendarParts {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

const MS_PER_DAY = 86_400_000;
const CALENDAR_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** Whether y-m-d names a real day in the proleptic Gregorian calendar. */
export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in the given month (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Builds 'YYYY-MM-DD'; throws on an impossible date (callers validate user input first). */
export function makeCalendarDate(year: number, month: number, day: number): CalendarDate {
  if (!isValidCalendarDate(year, month, day)) {
    throw new RangeError(`not a calendar date: ${year}-${month}-${day}`);
  }
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

/** Whether the string is a well-formed, real 'YYYY-MM-DD' date. */
export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE_PATTERN.exec(value);
  if (!match) return false;
  return isValidCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function parseCalendarDate(date: CalendarDate): CalendarParts {
  const match = CALENDAR_DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!isValidCalendarDate(parts.year, parts.month, parts.day)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return parts;
}

/**
 * Memoizes a pure function of a short string (a date, a date and a language): rendering thousands
 * of reminders meets the same few dates again and again. Bounded: cleared when it grows large.
 */
function memoize<T>(compute: (key: string) => T, limit = 4096): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}

const toEpochDay = memoize((date: CalendarDate): number => {
  const { year, month, day } = parseCalendarDate(date);
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
});

function fromEpochDay(epochDay: number): CalendarDate {
  const utc = new Date(epochDay * MS_PER_DAY);
  return makeCalendarDate(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate());
}

/** The calendar date of the instant `now` in the IANA time zone `tz`. */
export function todayIn(now: Date, tz: string): CalendarDate {
  const local = DateTime.fromJSDate(now, { zone: tz });
  if (!local.isValid) throw new RangeError(`invalid time zone or instant: ${tz}`);
  return makeCalendarDate(local.year, local.month, local.day);
}

/** `date` moved by `days` (negative moves back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  // Epoch day 0 (1970-01-01) was a Thursday (ISO 4).
  const epochDay = toEpochDay(date);
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** b − a, in days. */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** The last day of the month `date` is in. */
export function endOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = parseCalendarDate(date);
  return makeCalendarDate(year, month, daysInMonth(year, month));
}

/** The first day of the month `date` is in. */
export function startOfMonth(date: CalendarDate): CalendarDate {
  const { year, month } = parseCalendarDate(date);
  return makeCalendarDate(year, month, 1);
}

/** The first day of the month `months` after (or before, if negative) the month of `date`. */
export function startOfMonthOffset(date: CalendarDate, months: number): CalendarDate {
  const { year, month } = parseCalendarDate(date);
  const index = year * 12 + (month - 1) + months;
  return makeCalendarDate(Math.floor(index / 12), (index % 12) + 1, 1);
}

/** The Sunday that ends the Monday-to-Sunday week containing `date` (the date itself on a Sunday). */
export function endOfIsoWeek(date: CalendarDate): CalendarDate {
  return addDays(date, 7 - isoWeekday(date));
}

/** -1, 0 or 1 as a is before, equal to, or after b. */
export function compareCalendarDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(lang: 'en' | 'hi'): Intl.DateTimeFormat {
  let formatter = formatterCache.get(lang);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang === 'hi' ? 'hi-IN' : 'en-US', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
      numberingSystem: 'latn',
    });
    formatterCache.set(lang, formatter);
  }
  return formatter;
}

/**
 * Short human form: "Mon 30 Nov" (en), "सोम 30 नव॰" (hi). Given `today` (in the business's time
 * zone), a date in another year carries its year: "Fri 5 Dec 2025", so a wrong year is seen.
 */
export function formatDay(date: CalendarDate, lang: 'en' | 'hi', today?: CalendarDate): string {
  const day = (lang === 'hi' ? formatDayHi : formatDayEn)(date);
  if (today === undefined || date.slice(0, 4) === today.slice(0, 4)) return day;
  return `${day} ${parseCalendarDate(date).year}`;
}

const formatDayEn = memoize((date: CalendarDate) => formatDayUncached(date, 'en'));
const formatDayHi = memoize((date: CalendarDate) => formatDayUncached(date, 'hi'));

function formatDayUncached(date: CalendarDate, lang: 'en' | 'hi'): string {
  const { year, month, day } = parseCalendarDate(date);
  const instant = new Date(Date.UTC(year, month - 1, day, 12));
  const parts = dayFormatter(lang).formatToParts(instant);
  const pick = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${pick('weekday')} ${pick('day')} ${pick('month')}`.replace(/\.$/, '');
}

/** Whether `tz` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  return typeof tz === 'string' && tz.length > 0 && knownTimeZone(tz);
}

/** Luxon checks a zone by building an Intl.DateTimeFormat each time: remembered per name. */
const knownTimeZone = memoize((tz: string) => IANAZone.isValidZone(tz));
