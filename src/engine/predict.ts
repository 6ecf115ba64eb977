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

function later(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareCalendarDates(a, b) >= 0 ? a : b;
}

// A forecast dates tens of thousands of bills that share a few hundred due dates: remember the
// last few thousand date shifts rather than parse and format each again.
const shifted = new Map<string, CalendarDate>();
function shift(date: CalendarDate, days: number): CalendarDate {
  const key = `${date}|${days}`;
  let result = shifted.get(key);
  if (result === undefined) {
    if (shifted.size >= 4096) shifted.clear();
    shifted.set(key, (result = addDays(date, days)));
  }
  return result;
}
const spans = new Map<string, number>();
function span(from: CalendarDate, to: CalendarDate): number {
  const key = `${from}|${to}`;
  let result = spans.get(key);
  if (result === undefined) {
    if (spans.size >= 4096) spans.clear();
    spans.set(key, (result = daysBetween(from, to)));
  }
  return result;
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

  return bills.map((bill) => {
    const months = span(today, bill.dueOn) / 30;
    const late = expectedLateness(model, months) + (bill.disputed ? PREDICTION.disputeDelayDays : 0);
    const fromLateness = shift(bill.dueOn, Math.round(late));
    let fromHistory: CalendarDate;
    let basis: PredictionBasis;
    if (compareCalendarDates(bill.dueOn, today) < 0 && compareCalendarDates(fromLateness, today) <= 0) {
      fromHistory = shift(today, wait);
      basis = 'overdue';
    } else {
      fromHistory = later(fromLateness, today);
      basis = 'history';
    }

    const promise = bill.promise && compareCalendarDates(bill.promise.on, today) >= 0 ? bill.promise : null;
    const promisedMinor = promise
      ? Math.min(bill.balanceMinor, promise.amountMinor ?? bill.balanceMinor)
      : covered.get(bill.id) ?? 0;
    if (promisedMinor <= 0) {
      return { id: bill.id, predictedOn: fromHistory, basis, balanceMinor: bill.balanceMinor, parts: [{ on: fromHistory, amountMinor: bill.balanceMinor }] };
    }
    const promisedOn = (promise ?? debtorPromise)!.on;
    const promisedPartOn = keepsPromises ? promisedOn : later(promisedOn, fromHistory);
    const parts = [{ on: promisedPartOn, amountMinor: promisedMinor }];
    const rest = bill.balanceMinor - promisedMinor;
    if (rest > 0) parts.push({ on: later(fromHistory, promisedPartOn), amountMinor: rest });
    const predictedOn = parts[parts.length - 1]!.on;
    return {
      id: bill.id,
      predictedOn,
      basis: compareCalendarDates(promisedPartOn, promisedOn) === 0 ? 'promise' : basis,
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
