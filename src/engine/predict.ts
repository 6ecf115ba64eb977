// When each open bill will be paid, from the same model that scores the debtor (src/engine/risk.ts),
// and the cash that adds up to per week. Pure: the caller passes `today`.
//
// A bill's date from history is its due date plus the debtor's expected lateness for a bill due
// then (level + trend projected to that due date + season + backlog), plus DISPUTE_DELAY_DAYS
// while it is disputed; never before today. A bill already overdue beyond that is expected soon:
// in the debtor's spread of lateness, between 3 and 14 days from today.
// An open promise dated today or later covers its amount (all of the bill without an amount): a
// promise about a bill covers that bill; a promise about no bill covers the debtor's bills without
// their own, oldest due first, until its amount runs out. The promised part is expected on the
// promised day when the debtor keeps most promises ((kept + 1) ÷ (kept + broken + 2) ≥ ½), else on
// the later of that day and the date from history; the rest of the bill on the date from history
// (never before the promised part).
import type { CalendarDate } from './calendar.ts';
import { addDays, compareCalendarDates, daysBetween } from './calendar.ts';
import type { LatenessFacts, LatenessModel, RiskFacts } from './risk.ts';
import { expectedLateness, latenessModel } from './risk.ts';

export const PREDICTION = Object.freeze({
  /** A disputed bill is expected this many days later than the debtor's usual. */
  disputeDelayDays: 21,
  /** A bill already later than expected: expected in its spread of lateness, within these bounds. */
  minWaitDays: 3,
  maxWaitDays: 14,
});

/** An open promise: its date, and its amount (null: the whole balance). */
export interface PromiseRef {
  on: CalendarDate;
  amountMinor: number | null;
}

export interface OpenBill {
  id: string;
  dueOn: CalendarDate;
  balanceMinor: number;
  disputed: boolean;
  /** The debtor's open dated promise about this bill, if any (the earliest). */
  promise: PromiseRef | null;
}

export type PredictionBasis = 'history' | 'overdue' | 'promise';

export interface PaymentPrediction {
  id: string;
  /** When the bill is expected to be paid in full. */
  predictedOn: CalendarDate;
  /** How that date was found: the debtor's history, "already late, soon", or their promise. */
  basis: PredictionBasis;
  balanceMinor: number;
  /** The money and when it is expected: one part, or two when a promise covers part of the bill. */
  parts: Array<{ on: CalendarDate; amountMinor: number }>;
}

// A forecast dates tens of thousands of bills that share a few hundred dates: work in day numbers,
// and turn each date into its number (and back) once, remembering the last few thousand.
const EPOCH: CalendarDate = '1970-01-01';
const numbers = new Map<CalendarDate, number>();
const dates = new Map<number, CalendarDate>();
function dayNumber(date: CalendarDate): number {
  let n = numbers.get(date);
  if (n === undefined) {
    if (numbers.size >= 4096) numbers.clear();
    numbers.set(date, (n = daysBetween(EPOCH, date)));
  }
  return n;
}
function dateOf(n: number): CalendarDate {
  let date = dates.get(n);
  if (date === undefined) {
    if (dates.size >= 4096) dates.clear();
    dates.set(n, (date = addDays(EPOCH, n)));
  }
  return date;
}

/**
 * The predicted payment of each open bill of one debtor, in the order given. `debtorPromise` is
 * their earliest open dated promise about no bill in particular, if any.
 */
export function predictPaymentDates(
  facts: Pick<RiskFacts, 'promisesBroken' | 'promisesKept'>,
  assessment: { model: LatenessModel },
  bills: readonly OpenBill[],
  today: CalendarDate,
  debtorPromise: PromiseRef | null = null,
): PaymentPrediction[] {
  const { model } = assessment;
  const keepsPromises = (facts.promisesKept + 1) / (facts.promisesKept + facts.promisesBroken + 2) >= 0.5;
  const wait = Math.min(PREDICTION.maxWaitDays, Math.max(PREDICTION.minWaitDays, Math.round(model.spread)));

  // What a promise about no bill covers: the bills without their own promise, oldest due first.
  const covered = new Map<string, number>();
  if (debtorPromise && compareCalendarDates(debtorPromise.on, today) >= 0) {
    let left = debtorPromise.amountMinor ?? Infinity;
    const uncovered = bills.filter((b) => b.promise === null).sort((a, b) => compareCalendarDates(a.dueOn, b.dueOn) || (a.id < b.id ? -1 : 1));
    for (const bill of uncovered) {
      if (left <= 0) break;
      const part = Math.min(bill.balanceMinor, left);
      covered.set(bill.id, part);
      left -= part;
    }
  }

  const todayN = dayNumber(today);
  const promiseDayN = debtorPromise ? dayNumber(debtorPromise.on) : null;
  return bills.map((bill) => {
    const dueN = dayNumber(bill.dueOn);
    const late = expectedLateness(model, (dueN - todayN) / 30) + (bill.disputed ? PREDICTION.disputeDelayDays : 0);
    const fromLateness = dueN + Math.round(late);
    let fromHistory: number;
    let basis: PredictionBasis;
    if (dueN < todayN && fromLateness <= todayN) {
      fromHistory = todayN + wait;
      basis = 'overdue';
    } else {
      fromHistory = Math.max(fromLateness, todayN);
      basis = 'history';
    }

    const promise = bill.promise && compareCalendarDates(bill.promise.on, today) >= 0 ? bill.promise : null;
    const promisedMinor = promise
      ? Math.min(bill.balanceMinor, promise.amountMinor ?? bill.balanceMinor)
      : covered.get(bill.id) ?? 0;
    if (promisedMinor <= 0) {
      const on = dateOf(fromHistory);
      return { id: bill.id, predictedOn: on, basis, balanceMinor: bill.balanceMinor, parts: [{ on, amountMinor: bill.balanceMinor }] };
    }
    const promisedN = promise ? dayNumber(promise.on) : promiseDayN!;
    const promisedPartN = keepsPromises ? promisedN : Math.max(promisedN, fromHistory);
    const parts = [{ on: dateOf(promisedPartN), amountMinor: promisedMinor }];
    const rest = bill.balanceMinor - promisedMinor;
    if (rest > 0) parts.push({ on: dateOf(Math.max(fromHistory, promisedPartN)), amountMinor: rest });
    return {
      id: bill.id,
      predictedOn: parts[parts.length - 1]!.on,
      basis: promisedPartN === promisedN ? 'promise' : basis,
      balanceMinor: bill.balanceMinor,
      parts,
    };
  });
}

/**
 * Every open bill of every debtor, dated (a bill a promise covers in part, in two parts): what the
 * cash forecast sums by week (analytics.expectedCashByWeek), each from its debtor's own facts.
 */
export function forecastPayments(
  debtors: ReadonlyArray<{ risk: LatenessFacts & Pick<RiskFacts, 'promisesBroken' | 'promisesKept'>; bills: readonly OpenBill[]; promise: PromiseRef | null }>,
  today: CalendarDate,
): Array<{ expectedOn: CalendarDate; amountMinor: number }> {
  return debtors.flatMap((debtor) =>
    predictPaymentDates(debtor.risk, { model: latenessModel(debtor.risk) }, debtor.bills, today, debtor.promise).flatMap((p) =>
      p.parts.map((part) => ({ expectedOn: part.on, amountMinor: part.amountMinor })),
    ),
  );
}
