import { describe, expect, it } from 'vitest';
import { addDays, compareCalendarDates, daysBetween, parseCalendarDate } from '../../src/engine/calendar.ts';
import { median } from '../../src/engine/evaluation.ts';
import {
  BEHAVIOUR_TYPES,
  generateSyntheticHistories,
  mulberry32,
  observeAsOf,
  type BehaviourType,
  type SyntheticDebtor,
} from '../../src/engine/synthetic-history.ts';

const START = '2025-05-01';
const generated = generateSyntheticHistories({ seed: 42, debtors: 400, start: START });

function ofType(type: BehaviourType): SyntheticDebtor[] {
  return generated.debtors.filter((d) => d.type === type);
}

function latenesses(debtors: SyntheticDebtor[], keep: (dueOn: string, debtor: SyntheticDebtor) => boolean = () => true): number[] {
  return debtors.flatMap((d) => d.invoices.filter((i) => i.paidOn !== null && keep(i.dueOn, d)).map((i) => daysBetween(i.dueOn, i.paidOn!)));
}

describe('synthetic payment histories', () => {
  it('the same seed gives the same histories; another seed, others', () => {
    const again = generateSyntheticHistories({ seed: 42, debtors: 400, start: START });
    expect(again).toEqual(generated);
    const other = generateSyntheticHistories({ seed: 43, debtors: 400, start: START });
    expect(other.debtors.map((d) => d.invoices.length)).not.toEqual(generated.debtors.map((d) => d.invoices.length));
  });

  it('mulberry32 is deterministic and stays in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('covers about 18 months with every type, invoices issued in the period and due after issue', () => {
    expect(daysBetween(START, generated.end)).toBe(540);
    for (const type of BEHAVIOUR_TYPES) expect(ofType(type).length).toBeGreaterThan(25);
    for (const debtor of generated.debtors) {
      expect(debtor.invoices.length).toBeGreaterThan(3);
      for (const invoice of debtor.invoices) {
        expect(compareCalendarDates(invoice.issuedOn, START)).toBeGreaterThanOrEqual(0);
        expect(compareCalendarDates(invoice.issuedOn, generated.end)).toBeLessThan(0);
        expect(daysBetween(invoice.issuedOn, invoice.dueOn)).toBeGreaterThanOrEqual(15);
        if (invoice.paidOn) expect(compareCalendarDates(invoice.paidOn, invoice.issuedOn)).toBeGreaterThan(0);
      }
    }
  });

  it('punctual debtors pay around the due date; late-but-steady ones 8–24 days late with little spread', () => {
    expect(Math.abs(median(latenesses(ofType('punctual')))!)).toBeLessThanOrEqual(1);
    for (const debtor of ofType('late_steady')) {
      const own = latenesses([debtor]);
      const middle = median(own)!;
      expect(middle).toBeGreaterThanOrEqual(5);
      expect(middle).toBeLessThanOrEqual(28);
    }
  });

  it('promise-breakers break most promises; punctual and steady debtors keep most', () => {
    const brokenShare = (debtors: SyntheticDebtor[]) => {
      let broken = 0;
      let total = 0;
      for (const d of debtors) {
        for (const p of d.promises) {
          const paidOn = d.invoices.find((i) => i.id === p.invoiceId)!.paidOn;
          total += 1;
          if (paidOn === null || compareCalendarDates(paidOn, p.promisedOn) > 0) broken += 1;
        }
      }
      return broken / total;
    };
    expect(brokenShare(ofType('promise_breaker'))).toBeGreaterThan(0.7);
    expect(brokenShare([...ofType('punctual'), ...ofType('late_steady')])).toBeLessThan(0.35);
  });

  it('drifting debtors pay later in the last six months than in the first six', () => {
    const firstHalfYear = latenesses(ofType('drifting'), (due) => daysBetween(START, due) < 180);
    const lastHalfYear = latenesses(ofType('drifting'), (due) => daysBetween(START, due) >= 360);
    expect(median(lastHalfYear)!).toBeGreaterThan(median(firstHalfYear)! + 15);
    // Some stop paying altogether.
    expect(ofType('drifting').some((d) => d.invoices.some((i) => i.paidOn === null))).toBe(true);
  });

  it('seasonal debtors pay far later in some months of the year than in others, the same months each year', () => {
    for (const debtor of ofType('seasonal').slice(0, 10)) {
      const byMonth = new Map<number, number[]>();
      for (const i of debtor.invoices) {
        if (!i.paidOn) continue;
        const month = parseCalendarDate(i.dueOn).month;
        byMonth.set(month, [...(byMonth.get(month) ?? []), daysBetween(i.dueOn, i.paidOn)]);
      }
      const medians = [...byMonth.values()].map((xs) => median(xs)!);
      expect(Math.max(...medians) - Math.min(...medians)).toBeGreaterThan(15);
    }
  });

  it('observeAsOf shows only what was known by the end of that day', () => {
    const debtor = ofType('promise_breaker')[0]!;
    const asOf = addDays(START, 300);
    const { history, open } = observeAsOf(debtor, asOf);
    for (const bill of history.paid) expect(compareCalendarDates(bill.paidOn, asOf)).toBeLessThanOrEqual(0);
    for (const p of history.promises) {
      if (p.status === 'broken') expect(compareCalendarDates(p.promisedOn, asOf)).toBeLessThan(0);
    }
    for (const d of history.disputes) expect(compareCalendarDates(d.openedOn, asOf)).toBeLessThanOrEqual(0);
    const issued = debtor.invoices.filter((i) => compareCalendarDates(i.issuedOn, asOf) <= 0);
    expect(history.paid.length + open.length).toBe(issued.length);
    for (const bill of open) {
      const invoice = debtor.invoices.find((i) => i.id === bill.id)!;
      expect(invoice.paidOn === null || compareCalendarDates(invoice.paidOn, asOf) > 0).toBe(true);
      if (bill.promise) expect(compareCalendarDates(bill.promise.on, asOf)).toBeGreaterThanOrEqual(0);
    }
    expect(history.lastPaymentOn).toBe(history.paid.map((b) => b.paidOn).sort().at(-1) ?? null);
  });
});
