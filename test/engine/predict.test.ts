import { describe, expect, it } from 'vitest';
import { expectedCashByWeek } from '../../src/engine/analytics.ts';
import { addDays, daysBetween } from '../../src/engine/calendar.ts';
import { forecastPayments, PREDICTION, predictPaymentDates, type OpenBill } from '../../src/engine/predict.ts';
import { assessRisk, summarizeHistory, type PaymentHistory, type RiskFacts } from '../../src/engine/risk.ts';

const TODAY = '2026-11-18'; // a Wednesday: this week is 16–22 Nov, next week 23–29 Nov

/** A debtor who paid 12 bills, one every 20 days, each `late` days late. */
function facts(late: (i: number) => number, extra: Partial<PaymentHistory> = {}): RiskFacts {
  const paid = Array.from({ length: 12 }, (_, i) => {
    const dueOn = addDays(TODAY, -40 - 20 * (11 - i));
    return { dueOn, paidOn: addDays(dueOn, late(i)) };
  });
  return summarizeHistory({ paid, open: [], promises: [], disputes: [], lastPaymentOn: paid.at(-1)!.paidOn, ...extra }, TODAY);
}

function bill(id: string, dueOn: string, overrides: Partial<OpenBill> = {}): OpenBill {
  return { id, dueOn, balanceMinor: 10_000, disputed: false, promise: null, ...overrides };
}

function predict(f: RiskFacts, bills: OpenBill[], debtorPromise: Parameters<typeof predictPaymentDates>[4] = null) {
  return predictPaymentDates(f, assessRisk(f), bills, TODAY, debtorPromise);
}

describe('predicted payment dates', () => {
  it('a bill not yet due is expected its due date plus the debtor\'s usual lateness', () => {
    const steady = facts(() => 15);
    const [p] = predict(steady, [bill('a', addDays(TODAY, 10))]);
    // 15 days, pulled slightly towards the prior of 5 days.
    expect(daysBetween(addDays(TODAY, 10), p!.predictedOn)).toBeGreaterThanOrEqual(13);
    expect(daysBetween(addDays(TODAY, 10), p!.predictedOn)).toBeLessThanOrEqual(15);
    expect(p!.basis).toBe('history');
    expect(p!.parts).toEqual([{ on: p!.predictedOn, amountMinor: 10_000 }]);
  });

  it('a punctual payer\'s bill is expected on its due date', () => {
    const [p] = predict(facts(() => 0), [bill('a', addDays(TODAY, 10))]);
    expect(Math.abs(daysBetween(addDays(TODAY, 10), p!.predictedOn))).toBeLessThanOrEqual(1);
  });

  it('a worsening payer\'s next bill is expected later than their average says', () => {
    const worsening = facts((i) => 3 * i);
    const assessment = assessRisk(worsening);
    const [p] = predict(worsening, [bill('a', addDays(TODAY, 10))]);
    expect(daysBetween(addDays(TODAY, 10), p!.predictedOn)).toBeGreaterThan(assessment.model.level + 3);
  });

  it('an unpaid bill is never predicted before today', () => {
    const early = facts(() => -10);
    for (const p of predict(early, [bill('a', addDays(TODAY, 2)), bill('b', addDays(TODAY, -1)), bill('c', addDays(TODAY, -200))])) {
      expect(daysBetween(TODAY, p.predictedOn)).toBeGreaterThanOrEqual(0);
    }
  });

  it('a bill already later than expected is expected soon: in the spread of lateness, 3 to 14 days from today', () => {
    const steady = facts(() => 5);
    const [p] = predict(steady, [bill('a', addDays(TODAY, -40))]);
    expect(p!.basis).toBe('overdue');
    const wait = daysBetween(TODAY, p!.predictedOn);
    expect(wait).toBeGreaterThanOrEqual(PREDICTION.minWaitDays);
    expect(wait).toBeLessThanOrEqual(PREDICTION.maxWaitDays);
  });

  it('a debtor behind on an old bill is expected to pay newer ones later too', () => {
    const steady = facts(() => 5);
    const [onTrack] = predict(steady, [bill('new', addDays(TODAY, 10))]);
    const behind = summarizeHistory(
      {
        paid: [],
        open: [{ dueOn: addDays(TODAY, -45), disputed: false }],
        promises: [],
        disputes: [],
        lastPaymentOn: null,
      },
      TODAY,
    );
    const withBacklog: RiskFacts = { ...steady, maxDaysOverdue: behind.maxDaysOverdue };
    const [late] = predict(withBacklog, [bill('old', addDays(TODAY, -45)), bill('new', addDays(TODAY, 10))]).slice(1);
    expect(daysBetween(onTrack!.predictedOn, late!.predictedOn)).toBeGreaterThanOrEqual(35);
  });

  it('a disputed bill is expected three weeks later', () => {
    const steady = facts(() => 10);
    const [plain, disputed] = predict(steady, [bill('a', addDays(TODAY, 10)), bill('b', addDays(TODAY, 10), { disputed: true })]);
    expect(daysBetween(plain!.predictedOn, disputed!.predictedOn)).toBe(PREDICTION.disputeDelayDays);
  });

  it('a promise from a debtor who keeps promises dates the bill on the promised day', () => {
    const keeper = facts(() => 10, { promises: [{ promisedOn: addDays(TODAY, -30), status: 'kept' }] });
    const [p] = predict(keeper, [bill('a', addDays(TODAY, -5), { promise: { on: addDays(TODAY, 2), amountMinor: null } })]);
    expect(p!.predictedOn).toBe(addDays(TODAY, 2));
    expect(p!.basis).toBe('promise');
  });

  it('a promise from a debtor who breaks most promises is not earlier than the history says', () => {
    const breaker = facts(() => 30, {
      promises: [1, 2, 3].map((k) => ({ promisedOn: addDays(TODAY, -30 * k), status: 'broken' as const })),
    });
    const [p] = predict(breaker, [bill('a', addDays(TODAY, 5), { promise: { on: addDays(TODAY, 6), amountMinor: null } })]);
    expect(daysBetween(TODAY, p!.predictedOn)).toBeGreaterThan(20);
  });

  it('a promise of part of a bill splits it: the promised part on the day, the rest from history', () => {
    const keeper = facts(() => 10);
    const [p] = predict(keeper, [bill('a', addDays(TODAY, 5), { promise: { on: addDays(TODAY, 1), amountMinor: 4_000 } })]);
    expect(p!.parts[0]).toEqual({ on: addDays(TODAY, 1), amountMinor: 4_000 });
    expect(p!.parts[1]!.amountMinor).toBe(6_000);
    expect(daysBetween(addDays(TODAY, 5), p!.parts[1]!.on)).toBeGreaterThanOrEqual(8);
    expect(p!.predictedOn).toBe(p!.parts[1]!.on);
  });

  it('a promise about no bill covers the oldest bills first, up to its amount', () => {
    const keeper = facts(() => 10);
    const promise = { on: addDays(TODAY, 3), amountMinor: 15_000 };
    const predictions = predict(keeper, [bill('newer', addDays(TODAY, 20)), bill('oldest', addDays(TODAY, -10)), bill('middle', addDays(TODAY, 0))], promise);
    const byId = Object.fromEntries(predictions.map((p) => [p.id, p]));
    expect(byId['oldest']!.parts).toEqual([{ on: promise.on, amountMinor: 10_000 }]);
    expect(byId['middle']!.parts[0]).toEqual({ on: promise.on, amountMinor: 5_000 });
    expect(byId['middle']!.parts[1]!.amountMinor).toBe(5_000);
    expect(byId['newer']!.parts).toHaveLength(1);
    expect(byId['newer']!.basis).toBe('history');
  });

  it('a promise dated before today no longer counts', () => {
    const keeper = facts(() => 10);
    const [p] = predict(keeper, [bill('a', addDays(TODAY, 5), { promise: { on: addDays(TODAY, -1), amountMinor: null } })]);
    expect(p!.basis).toBe('history');
  });
});

describe('cash expected per week', () => {
  it('sums each bill\'s predicted payment into this week and next', () => {
    const punctual = facts(() => 0);
    const late = facts(() => 10);
    const expected = forecastPayments(
      [
        { risk: punctual, bills: [bill('p1', '2026-11-20', { balanceMinor: 100 }), bill('p2', '2026-11-25', { balanceMinor: 200 })], promise: null },
        // Due this week but paid about ten days late: next week.
        { risk: late, bills: [bill('l1', '2026-11-16', { balanceMinor: 400 })], promise: null },
        // A promise for this Friday.
        { risk: late, bills: [bill('l2', '2026-12-20', { balanceMinor: 800 })], promise: { on: '2026-11-20', amountMinor: null } },
      ],
      TODAY,
    );
    expect(expected.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(1_500);
    expect(expectedCashByWeek(expected, TODAY)).toEqual({ thisWeekMinor: 900, nextWeekMinor: 600 });
  });
});
