// Collections analytics as formulas over aggregates. The SQL layer sums and counts (so 100k
// invoices never pass through JS one by one); these functions define the buckets and turn the
// sums into the numbers an owner reads in the digest. Pure: the caller passes `today`.
import type { CalendarDate } from './calendar.ts';
import { addDays, compareCalendarDates, endOfIsoWeek, isoWeekday } from './calendar.ts';

export const AGING_BUCKET_KEYS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'd120_plus'] as const;
export type AgingBucketKey = (typeof AGING_BUCKET_KEYS)[number];

export interface AgingBucket {
  key: AgingBucketKey;
  label: { en: string; hi: string };
  /** Inclusive lower bound on days overdue, clamped at 0: GREATEST(0, today - effective_due_on). */
  minDays: number;
  /** Inclusive upper bound; null for the open-ended last bucket. */
  maxDays: number | null;
}

/**
 * Aging buckets over days overdue = max(0, today − effective due date), so an invoice not yet due,
 * or due today, has 0 days overdue and is current. The ranges are contiguous and inclusive:
 * 0 | 1–30 | 31–60 | 61–90 | 91–120 | 121+. Generate SQL from these, e.g.
 * `CASE WHEN d BETWEEN minDays AND maxDays THEN key … WHEN d >= minDays THEN key END`.
 */
export const AGING_BUCKETS: readonly AgingBucket[] = Object.freeze([
  { key: 'current', label: { en: 'Current', hi: 'चालू' }, minDays: 0, maxDays: 0 },
  { key: 'd1_30', label: { en: '1–30 days', hi: '1–30 दिन' }, minDays: 1, maxDays: 30 },
  { key: 'd31_60', label: { en: '31–60 days', hi: '31–60 दिन' }, minDays: 31, maxDays: 60 },
  { key: 'd61_90', label: { en: '61–90 days', hi: '61–90 दिन' }, minDays: 61, maxDays: 90 },
  { key: 'd91_120', label: { en: '91–120 days', hi: '91–120 दिन' }, minDays: 91, maxDays: 120 },
  { key: 'd120_plus', label: { en: '120+ days', hi: '120+ दिन' }, minDays: 121, maxDays: null },
] satisfies AgingBucket[]);

/** The bucket for a whole number of days overdue; zero or negative (not yet due) is current. */
export function agingBucketOf(daysOverdue: number): AgingBucket {
  if (!Number.isInteger(daysOverdue)) throw new RangeError(`days overdue must be a whole number: ${daysOverdue}`);
  const days = Math.max(0, daysOverdue);
  const bucket = AGING_BUCKETS.find((b) => days >= b.minDays && (b.maxDays === null || days <= b.maxDays));
  // The buckets cover 0..∞ without gaps, so this cannot happen.
  if (!bucket) throw new RangeError(`no aging bucket for ${daysOverdue} days`);
  return bucket;
}

export interface DsoInput {
  /** Receivables open at the end of the period. */
  endingReceivablesMinor: number;
  /** Invoiced on credit during the period. */
  creditSalesMinor: number;
  /** Length of the period in days (e.g. 30, 90). */
  periodDays: number;
}

/**
 * Days sales outstanding: ending receivables ÷ credit sales × period days, unrounded.
 * Null when there were no credit sales in the period (the ratio means nothing).
 */
export function dso(input: DsoInput): number | null {
  const { endingReceivablesMinor, creditSalesMinor, periodDays } = input;
  if (!Number.isInteger(periodDays) || periodDays <= 0) {
    throw new RangeError(`period must be a positive whole number of days: ${periodDays}`);
  }
  if (creditSalesMinor <= 0) return null;
  return (endingReceivablesMinor / creditSalesMinor) * periodDays;
}

export interface CeiInput {
  beginningReceivablesMinor: number;
  creditSalesMinor: number;
  endingReceivablesMinor: number;
  /** The part of the ending receivables that is not yet overdue. */
  endingCurrentReceivablesMinor: number;
}

/**
 * Collection effectiveness index, a percent in [0, 100], unrounded:
 * (beginning + sales − ending) ÷ (beginning + sales − ending current) × 100.
 * Null when the denominator is zero or negative (nothing was collectible).
 */
export function cei(input: CeiInput): number | null {
  const available = input.beginningReceivablesMinor + input.creditSalesMinor;
  const denominator = available - input.endingCurrentReceivablesMinor;
  if (denominator <= 0) return null;
  const collected = available - input.endingReceivablesMinor;
  return clamp((collected / denominator) * 100, 0, 100);
}

/** Share of resolved promises that were kept, as a fraction in [0, 1] (not a percent); null when none resolved. */
export function promiseKeptRate(input: { kept: number; broken: number }): number | null {
  const { kept, broken } = input;
  if (!Number.isInteger(kept) || kept < 0 || !Number.isInteger(broken) || broken < 0) {
    throw new RangeError(`promise counts must be whole numbers ≥ 0: kept ${kept}, broken ${broken}`);
  }
  const total = kept + broken;
  return total === 0 ? null : kept / total;
}

export interface DateRange {
  start: CalendarDate;
  end: CalendarDate; // inclusive
}

/** The Monday-to-Sunday week containing `today`, and the one after it (ends inclusive). */
export function weekBounds(today: CalendarDate): { thisWeek: DateRange; nextWeek: DateRange } {
  const start = addDays(today, 1 - isoWeekday(today));
  const end = endOfIsoWeek(today);
  return { thisWeek: { start, end }, nextWeek: { start: addDays(start, 7), end: addDays(end, 7) } };
}

/**
 * Cash expected this week and next from dated open items: the risk engine's predicted payment
 * date of each open bill (predict.forecastPayments). Anything dated before this week's end
 * counts toward this week, including dates already past (still open, still expected); anything
 * after next week is left out.
 */
export function expectedCashByWeek(
  items: ReadonlyArray<{ expectedOn: CalendarDate; amountMinor: number }>,
  today: CalendarDate,
): { thisWeekMinor: number; nextWeekMinor: number } {
  const { thisWeek, nextWeek } = weekBounds(today);
  let thisWeekMinor = 0;
  let nextWeekMinor = 0;
  for (const item of items) {
    if (compareCalendarDates(item.expectedOn, thisWeek.end) <= 0) thisWeekMinor += item.amountMinor;
    else if (compareCalendarDates(item.expectedOn, nextWeek.end) <= 0) nextWeekMinor += item.amountMinor;
  }
  return { thisWeekMinor, nextWeekMinor };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
