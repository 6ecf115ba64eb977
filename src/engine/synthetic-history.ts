// Synthetic payment histories with known behaviour types, for measuring the risk engine
// (bench/risk.ts) and pinning it in tests. Seeded and deterministic: the same options give the
// same debtors, invoices, promises and disputes, byte for byte. Pure: dates come from `start`.
//
// Each debtor buys on credit every `cadence` days (10–35, ±40%) on 15-, 30- or 45-day terms, for
// `months` months from `start`, and pays each bill some days late by type:
//   punctual         N(0, 2) days; 4% of bills slip by 5–20 days;
//   late_steady      N(μ, 4) with μ from 8 to 24 per debtor; 5% slip by 5–15 more;
//   promise_breaker  N(μ, 12) with μ from 12 to 30, never more than 2 days early; 10% of bills
//                    20–40 days later still; promises on most late bills, four in five broken;
//   drifting         on time (N(μ₀, 4), μ₀ 0–8) until a day between a quarter and three quarters
//                    of the way through, then r = 3–8 days later every month; half of them stop
//                    paying altogether once they would be 60–100 days late (those bills stay unpaid,
//                    and credit stops two months after the first of them fell due);
//   seasonal         N(μ_off, 3) with μ_off 0–8, but N(μ_in, 7) with μ_in 30–50 for bills due in a
//                    slack season of 3–4 months that comes back every year.
// A bill paid more than a week late drew a promise, made 2–6 days after the due date, with a
// type's probability; a kept promise is dated 0–2 days after the payment, a broken one before it,
// and a broken one may be followed by another. 1–6% of bills (by type) are disputed some time
// after issue, which delays their payment by 10–30 days; the dispute is resolved when they pay.
//
// Payment dates may fall after the end of the period: they are the truth a benchmark compares
// predictions with. observeAsOf(debtor, day) is what the business knew at the end of that day.
import type { CalendarDate } from './calendar.ts';
import { addDays, compareCalendarDates, daysBetween, parseCalendarDate } from './calendar.ts';
import type { OpenBill } from './predict.ts';
import type { PaymentHistory } from './risk.ts';

export const BEHAVIOUR_TYPES = ['punctual', 'late_steady', 'promise_breaker', 'drifting', 'seasonal'] as const;
export type BehaviourType = (typeof BEHAVIOUR_TYPES)[number];

/** The default share of each type among the debtors. */
export const DEFAULT_MIX: Readonly<Record<BehaviourType, number>> = Object.freeze({
  punctual: 0.3,
  late_steady: 0.25,
  promise_breaker: 0.15,
  drifting: 0.15,
  seasonal: 0.15,
});

export interface SyntheticInvoice {
  id: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  amountMinor: number;
  /** The day it was paid in full; null when it never is. */
  paidOn: CalendarDate | null;
  dispute: { openedOn: CalendarDate; resolvedOn: CalendarDate | null } | null;
}

export interface SyntheticPromise {
  invoiceId: string;
  madeOn: CalendarDate;
  promisedOn: CalendarDate;
}

export interface SyntheticDebtor {
  id: string;
  type: BehaviourType;
  invoices: SyntheticInvoice[];
  promises: SyntheticPromise[];
}

export interface SyntheticOptions {
  seed: number;
  debtors: number;
  /** First day of the period. */
  start: CalendarDate;
  /** Length of the period in months of 30 days; 18 by default. */
  months?: number;
  mix?: Readonly<Record<BehaviourType, number>>;
}

export interface SyntheticHistories {
  start: CalendarDate;
  /** The day after the last day of the period. */
  end: CalendarDate;
  debtors: SyntheticDebtor[];
}

/** mulberry32: a small, well-known seeded PRNG giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Draw {
  constructor(private readonly next: () => number) {}
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.uniform(min, max + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(mean: number, sd: number): number {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.next() * items.length))]!;
  }
}

interface TypeTraits {
  promiseChance: number;
  keepChance: number;
  /** After a broken promise, the chance of another. */
  againChance: number;
  disputeChance: number;
}

const TRAITS: Record<BehaviourType, TypeTraits> = {
  punctual: { promiseChance: 0.5, keepChance: 0.9, againChance: 0.3, disputeChance: 0.01 },
  late_steady: { promiseChance: 0.4, keepChance: 0.85, againChance: 0.3, disputeChance: 0.02 },
  promise_breaker: { promiseChance: 0.9, keepChance: 0.2, againChance: 0.6, disputeChance: 0.06 },
  drifting: { promiseChance: 0.6, keepChance: 0.5, againChance: 0.4, disputeChance: 0.04 },
  seasonal: { promiseChance: 0.5, keepChance: 0.75, againChance: 0.3, disputeChance: 0.02 },
};

/** Days late a bill due on `dueOn` is paid, for one debtor; null: never paid. */
type LatenessFn = (dueOn: CalendarDate) => number | null;

function latenessFor(type: BehaviourType, draw: Draw, start: CalendarDate, periodDays: number): LatenessFn {
  switch (type) {
    case 'punctual':
      return () => Math.round(draw.normal(0, 2)) + (draw.chance(0.04) ? draw.int(5, 20) : 0);
    case 'late_steady': {
      const mean = draw.uniform(8, 24);
      return () => Math.round(draw.normal(mean, 4)) + (draw.chance(0.05) ? draw.int(5, 15) : 0);
    }
    case 'promise_breaker': {
      const mean = draw.uniform(12, 30);
      return () => Math.max(-2, Math.round(draw.normal(mean, 12))) + (draw.chance(0.1) ? draw.int(20, 40) : 0);
    }
    case 'drifting': {
      const onTime = draw.uniform(0, 8);
      const driftFrom = addDays(start, Math.round(periodDays * draw.uniform(0.25, 0.75)));
      const perMonth = draw.uniform(3, 8);
      const stopsAt = draw.chance(0.5) ? draw.uniform(60, 100) : Infinity;
      let stopped = false;
      return (dueOn) => {
        const mean = onTime + (perMonth * Math.max(0, daysBetween(driftFrom, dueOn))) / 30;
        if (stopped || mean >= stopsAt) {
          stopped = true;
          return null;
        }
        return Math.round(draw.normal(mean, 4));
      };
    }
    case 'seasonal': {
      const offSeason = draw.uniform(0, 8);
      const inSeason = draw.uniform(30, 50);
      const firstMonth = draw.int(1, 12);
      const length = draw.int(3, 4);
      return (dueOn) => {
        const month = parseCalendarDate(dueOn).month;
        const inSlack = (month - firstMonth + 12) % 12 < length;
        return Math.round(inSlack ? draw.normal(inSeason, 7) : draw.normal(offSeason, 3));
      };
    }
  }
}

function pickType(draw: Draw, mix: Readonly<Record<BehaviourType, number>>): BehaviourType {
  const total = BEHAVIOUR_TYPES.reduce((sum, type) => sum + mix[type], 0);
  let at = draw.uniform(0, total);
  for (const type of BEHAVIOUR_TYPES) {
    at -= mix[type];
    if (at < 0) return type;
  }
  return BEHAVIOUR_TYPES[BEHAVIOUR_TYPES.length - 1]!;
}

/** Generates `debtors` debtors' histories over the period; the same options give the same output. */
export function generateSyntheticHistories(options: SyntheticOptions): SyntheticHistories {
  const months = options.months ?? 18;
  if (!Number.isInteger(options.debtors) || options.debtors < 0) throw new RangeError(`debtors must be a whole number ≥ 0: ${options.debtors}`);
  if (!(months > 0)) throw new RangeError(`months must be positive: ${months}`);
  const periodDays = Math.round(months * 30);
  const end = addDays(options.start, periodDays);
  const draw = new Draw(mulberry32(options.seed));
  const mix = options.mix ?? DEFAULT_MIX;
  const debtors: SyntheticDebtor[] = [];
  for (let d = 0; d < options.debtors; d++) {
    const id = `D${String(d + 1).padStart(5, '0')}`;
    const type = pickType(draw, mix);
    const traits = TRAITS[type];
    const lateness = latenessFor(type, draw, options.start, periodDays);
    const cadence = draw.uniform(10, 35);
    const typicalMinor = Math.round(Math.exp(draw.normal(Math.log(20_000), 0.8))) * 100;
    const invoices: SyntheticInvoice[] = [];
    const promises: SyntheticPromise[] = [];
    let issuedOn = addDays(options.start, draw.int(0, Math.round(cadence)));
    let creditStopsOn: CalendarDate | null = null;
    while (compareCalendarDates(issuedOn, end) < 0 && (creditStopsOn === null || compareCalendarDates(issuedOn, creditStopsOn) < 0)) {
      const invoiceId = `${id}-I${String(invoices.length + 1).padStart(3, '0')}`;
      const terms = draw.pick([15, 30, 30, 45]);
      const dueOn = addDays(issuedOn, terms);
      const amountMinor = Math.round((typicalMinor * draw.uniform(0.5, 1.5)) / 100) * 100;
      let late = lateness(dueOn);
      let dispute: SyntheticInvoice['dispute'] = null;
      if (draw.chance(traits.disputeChance)) {
        if (late !== null) late += draw.int(10, 30);
        const openedOn = addDays(issuedOn, draw.int(1, terms + 10));
        dispute = { openedOn, resolvedOn: null };
      }
      const paidOn = late === null ? null : later(addDays(dueOn, late), addDays(issuedOn, 1));
      if (paidOn === null && creditStopsOn === null) creditStopsOn = addDays(dueOn, 60);
      if (dispute) {
        if (paidOn !== null && compareCalendarDates(dispute.openedOn, paidOn) >= 0) dispute.openedOn = addDays(issuedOn, 1);
        if (paidOn !== null) dispute.resolvedOn = later(dispute.openedOn, addDays(paidOn, -draw.int(0, 3)));
      }
      invoices.push({ id: invoiceId, issuedOn, dueOn, amountMinor, paidOn, dispute });
      // Promises, for bills paid more than a week late (or never).
      if ((late === null || late > 7) && draw.chance(traits.promiseChance)) {
        let madeOn = addDays(dueOn, draw.int(2, 6));
        for (let n = 0; n < 3; n++) {
          if (paidOn !== null && compareCalendarDates(madeOn, paidOn) >= 0) break;
          const keep = paidOn !== null && draw.chance(traits.keepChance);
          if (keep) {
            promises.push({ invoiceId, madeOn, promisedOn: addDays(paidOn, draw.int(0, 2)) });
            break;
          }
          const promisedOn = addDays(madeOn, draw.int(2, 10));
          if (paidOn !== null && compareCalendarDates(promisedOn, paidOn) >= 0) break; // would have been kept
          promises.push({ invoiceId, madeOn, promisedOn });
          if (!draw.chance(traits.againChance)) break;
          madeOn = addDays(promisedOn, draw.int(1, 4));
        }
      }
      issuedOn = addDays(issuedOn, Math.max(3, Math.round(cadence * draw.uniform(0.6, 1.4))));
    }
    debtors.push({ id, type, invoices, promises });
  }
  return { start: options.start, end, debtors };
}

function later(a: CalendarDate, b: CalendarDate): CalendarDate {
  return compareCalendarDates(a, b) >= 0 ? a : b;
}

function onOrBefore(day: CalendarDate | null, asOf: CalendarDate): day is CalendarDate {
  return day !== null && compareCalendarDates(day, asOf) <= 0;
}

/**
 * What the business knew about a debtor at the end of `asOf`: bills paid by then, bills issued and
 * still open (with their open dispute and open promise), resolved promises (a promise is kept when
 * the bill was paid by its date, broken the day after its date otherwise), disputes raised.
 */
export function observeAsOf(debtor: SyntheticDebtor, asOf: CalendarDate): { history: PaymentHistory; open: OpenBill[] } {
  const paid: Array<{ dueOn: CalendarDate; paidOn: CalendarDate }> = [];
  const open: OpenBill[] = [];
  const disputes: Array<{ openedOn: CalendarDate; open: boolean }> = [];
  const paidOnById = new Map<string, CalendarDate | null>();
  let lastPaymentOn: CalendarDate | null = null;
  for (const invoice of debtor.invoices) {
    paidOnById.set(invoice.id, invoice.paidOn);
    if (compareCalendarDates(invoice.issuedOn, asOf) > 0) continue;
    const disputeOpen =
      invoice.dispute !== null && onOrBefore(invoice.dispute.openedOn, asOf) && !onOrBefore(invoice.dispute.resolvedOn, asOf);
    if (invoice.dispute !== null && onOrBefore(invoice.dispute.openedOn, asOf)) {
      disputes.push({ openedOn: invoice.dispute.openedOn, open: disputeOpen });
    }
    if (onOrBefore(invoice.paidOn, asOf)) {
      paid.push({ dueOn: invoice.dueOn, paidOn: invoice.paidOn });
      if (lastPaymentOn === null || compareCalendarDates(invoice.paidOn, lastPaymentOn) > 0) lastPaymentOn = invoice.paidOn;
    } else {
      open.push({ id: invoice.id, dueOn: invoice.dueOn, balanceMinor: invoice.amountMinor, disputed: disputeOpen, promise: null });
    }
  }
  const promises: Array<{ promisedOn: CalendarDate; status: 'kept' | 'broken' }> = [];
  const openById = new Map(open.map((bill) => [bill.id, bill]));
  for (const promise of debtor.promises) {
    if (compareCalendarDates(promise.madeOn, asOf) > 0) continue;
    const paidOn = paidOnById.get(promise.invoiceId) ?? null;
    if (onOrBefore(paidOn, asOf) && compareCalendarDates(paidOn, promise.promisedOn) <= 0) {
      promises.push({ promisedOn: promise.promisedOn, status: 'kept' });
    } else if (compareCalendarDates(promise.promisedOn, asOf) < 0) {
      promises.push({ promisedOn: promise.promisedOn, status: 'broken' });
    } else {
      const bill = openById.get(promise.invoiceId);
      if (bill && (bill.promise === null || compareCalendarDates(promise.promisedOn, bill.promise.on) < 0)) bill.promise = { on: promise.promisedOn, amountMinor: null };
    }
  }
  return { history: { paid, open, promises, disputes, lastPaymentOn }, open };
}
