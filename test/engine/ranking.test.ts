import { describe, it, expect } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  InvalidWeightsError,
  WEIGHT_KEYS,
  explainScore,
  followUpCandidates,
  rankFollowUps,
  resolveWeights,
  type FollowUpFacts,
  type FollowUpWeights,
  type WeightKey,
} from '../../src/engine/ranking.ts';

const today = '2025-03-12'; // a Wednesday

function debtor(debtorId: string, overrides: Partial<FollowUpFacts> = {}): FollowUpFacts {
  return {
    debtorId,
    name: debtorId,
    overdueMinor: 10_000,
    openMinor: 10_000,
    maxDaysOverdue: 10,
    openPromise: null,
    brokenPromises90d: 0,
    keptPromises90d: 0,
    latePaidShare: 0,
    avgDaysLate: 0,
    invoicedLast12mMinor: 0,
    daysSinceLastContact: 3,
    requestedCallback: false,
    ...overrides,
  };
}

/** Weights with only the given keys set (everything else 0), to pin one factor at a time. */
function only(weights: Partial<Record<WeightKey, number>>): FollowUpWeights {
  const all = Object.fromEntries(WEIGHT_KEYS.map((key) => [key, 0])) as Record<WeightKey, number>;
  return { ...all, ...weights };
}

function rank(facts: FollowUpFacts[], weights: FollowUpWeights = DEFAULT_WEIGHTS, limit?: number) {
  return rankFollowUps(facts, { today, weights, limit });
}

function ids(facts: FollowUpFacts[], weights: FollowUpWeights = DEFAULT_WEIGHTS): string[] {
  return rank(facts, weights).map((r) => r.debtorId);
}

function scoreOf(subject: FollowUpFacts, others: FollowUpFacts[] = [], weights: FollowUpWeights = DEFAULT_WEIGHTS): number {
  return explainScore(subject.debtorId, [subject, ...others], { today, weights }).score;
}

describe('who is on the list', () => {
  it('a debtor with nothing overdue and no promise due is left off', () => {
    expect(ids([debtor('paid-up', { overdueMinor: 0, maxDaysOverdue: 0 }), debtor('late')])).toEqual(['late']);
  });

  it('a debtor with nothing overdue and a promise for next week is left off', () => {
    const handled = debtor('handled', { overdueMinor: 0, maxDaysOverdue: 0, openPromise: { promisedOn: '2025-03-19', amountMinor: 5000 } });
    expect(ids([handled])).toEqual([]);
  });

  it('a debtor with a promise due today is on the list even before anything is overdue', () => {
    const promised = debtor('promised', { overdueMinor: 0, maxDaysOverdue: 0, openPromise: { promisedOn: today, amountMinor: 5000 } });
    expect(ids([promised])).toEqual(['promised']);
  });

  it('a debtor whose promise date passed while it is still open is on the list', () => {
    const missed = debtor('missed', { overdueMinor: 0, maxDaysOverdue: 0, openPromise: { promisedOn: '2025-03-10', amountMinor: null } });
    expect(ids([missed])).toEqual(['missed']);
  });

  it('a debtor who asked for a call back is on the list', () => {
    const caller = debtor('caller', { overdueMinor: 0, maxDaysOverdue: 0, requestedCallback: true });
    expect(rank([caller])).toEqual([{ debtorId: 'caller', name: 'caller', score: expect.any(Number), reasons: [{ code: 'callback_requested' }] }]);
  });

  it('an empty set gives an empty list', () => {
    expect(rank([])).toEqual([]);
  });
});

describe('the score', () => {
  it('is 100 × Σ(weight × factor) / Σ weight: days overdue grow linearly and saturate at 90', () => {
    const weights = only({ daysOverdue: 1 });
    expect(scoreOf(debtor('d', { maxDaysOverdue: 0 }), [], weights)).toBe(0);
    expect(scoreOf(debtor('d', { maxDaysOverdue: 1 }), [], weights)).toBe(1);
    expect(scoreOf(debtor('d', { maxDaysOverdue: 30 }), [], weights)).toBe(33);
    expect(scoreOf(debtor('d', { maxDaysOverdue: 45 }), [], weights)).toBe(50);
    expect(scoreOf(debtor('d', { maxDaysOverdue: 90 }), [], weights)).toBe(100);
    expect(scoreOf(debtor('d', { maxDaysOverdue: 121 }), [], weights)).toBe(100);
  });

  it('scales the overdue amount on a log scale relative to the largest overdue amount in the set', () => {
    const weights = only({ amount: 1 });
    const largest = debtor('largest', { overdueMinor: 1_000_000 });
    expect(scoreOf(largest, [], weights)).toBe(100);
    expect(scoreOf(debtor('half', { overdueMinor: 500_000 }), [largest], weights)).toBe(85);
    expect(scoreOf(debtor('tenth', { overdueMinor: 100_000 }), [largest], weights)).toBe(52);
    expect(scoreOf(debtor('hundredth', { overdueMinor: 10_000 }), [largest], weights)).toBe(15);
  });

  it('weights only matter relative to each other', () => {
    const facts = [debtor('a', { maxDaysOverdue: 45, latePaidShare: 1, avgDaysLate: 30 })];
    expect(scoreOf(facts[0]!, [], only({ daysOverdue: 1, paymentHistory: 1 }))).toBe(75);
    expect(scoreOf(facts[0]!, [], only({ daysOverdue: 5, paymentHistory: 5 }))).toBe(75);
  });

  it('a debtor at the top of every factor scores 100', () => {
    const worst = debtor('worst', {
      overdueMinor: 900_000,
      maxDaysOverdue: 200,
      openPromise: { promisedOn: today, amountMinor: 900_000 },
      brokenPromises90d: 12,
      latePaidShare: 1,
      avgDaysLate: 60,
      invoicedLast12mMinor: 5_000_000,
      daysSinceLastContact: null,
    });
    expect(scoreOf(worst)).toBe(100);
  });

  it('stays within 0..100 and is a whole number', () => {
    const facts = [
      debtor('a', { overdueMinor: 1, maxDaysOverdue: 1, daysSinceLastContact: 0 }),
      debtor('b', { overdueMinor: 7_777_777, maxDaysOverdue: 77, brokenPromises90d: 1, keptPromises90d: 3, latePaidShare: 0.33 }),
    ];
    for (const entry of rank(facts)) {
      expect(Number.isInteger(entry.score)).toBe(true);
      expect(entry.score).toBeGreaterThanOrEqual(0);
      expect(entry.score).toBeLessThanOrEqual(100);
    }
  });

  it('broken promises count for more when none were kept', () => {
    const weights = only({ brokenPromises: 1 });
    expect(scoreOf(debtor('d', { brokenPromises90d: 0 }), [], weights)).toBe(0);
    expect(scoreOf(debtor('d', { brokenPromises90d: 1 }), [], weights)).toBe(50);
    expect(scoreOf(debtor('d', { brokenPromises90d: 2 }), [], weights)).toBe(75);
    expect(scoreOf(debtor('d', { brokenPromises90d: 1, keptPromises90d: 1 }), [], weights)).toBe(25);
  });

  it('with a risk score, payment history is the score: 72 of 100 gives 72', () => {
    const weights = only({ paymentHistory: 1 });
    expect(scoreOf(debtor('d', { riskAssessment: { score: 72, tag: 'risky', reasons: [] }, latePaidShare: 0 }), [], weights)).toBe(72);
    expect(scoreOf(debtor('d', { riskAssessment: { score: 10, tag: 'safe', reasons: [] }, latePaidShare: 1, avgDaysLate: 60 }), [], weights)).toBe(10);
  });

  it('a higher risk score ranks a debtor higher, all else equal', () => {
    const low = debtor('low', { riskAssessment: { score: 20, tag: 'safe', reasons: [] } });
    const high = debtor('high', { riskAssessment: { score: 80, tag: 'risky', reasons: [] } });
    expect(ids([low, high])).toEqual(['high', 'low']);
  });

  it('without a risk score, a debtor the risk engine marked risky scores at least 80 on payment history', () => {
    const weights = only({ paymentHistory: 1 });
    expect(scoreOf(debtor('d', { riskTag: 'risky' }), [], weights)).toBe(80);
    expect(scoreOf(debtor('d', { riskTag: 'watch' }), [], weights)).toBe(40);
    expect(scoreOf(debtor('d', { riskTag: 'safe' }), [], weights)).toBe(0);
  });
});

describe('promises and contact', () => {
  it('a promise due today ranks above a larger debt with a promise next week', () => {
    const dueToday = debtor('due-today', { overdueMinor: 20_000, maxDaysOverdue: 10, openPromise: { promisedOn: today, amountMinor: 20_000 } });
    const nextWeek = debtor('next-week', {
      overdueMinor: 100_000,
      maxDaysOverdue: 40,
      openPromise: { promisedOn: '2025-03-19', amountMinor: 100_000 },
    });
    expect(ids([nextWeek, dueToday])).toEqual(['due-today', 'next-week']);
  });

  it('a promise due today lifts a small debt above bigger debts without promises', () => {
    const facts = [
      debtor('biggest', { overdueMinor: 1_000_000, maxDaysOverdue: 60 }),
      debtor('big', { overdueMinor: 500_000, maxDaysOverdue: 45 }),
      debtor('small-promised', { overdueMinor: 100_000, maxDaysOverdue: 5, openPromise: { promisedOn: today, amountMinor: 100_000 } }),
    ];
    expect(ids(facts)[0]).toBe('small-promised');
  });

  it('a promise that passed and is still open counts like one due today', () => {
    const facts = [debtor('other', { overdueMinor: 50_000 })];
    const dueToday = scoreOf(debtor('p', { openPromise: { promisedOn: today, amountMinor: null } }), facts);
    const missed = scoreOf(debtor('p', { openPromise: { promisedOn: '2025-03-11', amountMinor: null } }), facts);
    expect(missed).toBe(dueToday);
  });

  it('an open promise with a future date lowers the score: the debtor is handled', () => {
    const others = [debtor('other', { overdueMinor: 50_000 })];
    const without = scoreOf(debtor('d'), others);
    const pending = scoreOf(debtor('d', { openPromise: { promisedOn: '2025-03-14', amountMinor: 10_000 } }), others);
    expect(pending).toBeLessThan(without);
  });

  it('an open promise without a date counts like no promise', () => {
    const without = scoreOf(debtor('d'));
    const undated = scoreOf(debtor('d', { openPromise: { promisedOn: null, amountMinor: 10_000 } }));
    expect(undated).toBe(without);
  });

  it('a debtor contacted today scores lower than one last contacted ten days ago', () => {
    const others = [debtor('other', { overdueMinor: 50_000 })];
    expect(scoreOf(debtor('d', { daysSinceLastContact: 0 }), others)).toBeLessThan(
      scoreOf(debtor('d', { daysSinceLastContact: 10 }), others),
    );
  });

  it('a debtor never contacted scores like one not contacted for two weeks or more', () => {
    const weights = only({ recentContact: 1 });
    expect(scoreOf(debtor('d', { daysSinceLastContact: null }), [], weights)).toBe(100);
    expect(scoreOf(debtor('d', { daysSinceLastContact: 14 }), [], weights)).toBe(100);
    expect(scoreOf(debtor('d', { daysSinceLastContact: 7 }), [], weights)).toBe(50);
    expect(scoreOf(debtor('d', { daysSinceLastContact: 0 }), [], weights)).toBe(0);
  });

  it('a callback request counts as fully due for contact, even if contacted today', () => {
    const weights = only({ recentContact: 1 });
    expect(scoreOf(debtor('d', { daysSinceLastContact: 0, requestedCallback: true }), [], weights)).toBe(100);
  });
});

describe('order', () => {
  it('weights a business sets change the order', () => {
    const bigRecent = debtor('big-recent', { overdueMinor: 100_000, maxDaysOverdue: 10 });
    const smallOld = debtor('small-old', { overdueMinor: 1_000, maxDaysOverdue: 120 });
    expect(ids([smallOld, bigRecent])).toEqual(['big-recent', 'small-old']);
    expect(ids([smallOld, bigRecent], resolveWeights({ amount: 0, daysOverdue: 10 }))).toEqual(['small-old', 'big-recent']);
  });

  it('equal scores put the larger overdue amount first', () => {
    const weights = only({ daysOverdue: 1 });
    // Named so that the name order would put the smaller debt first.
    const facts = [
      debtor('a-smaller', { overdueMinor: 5_000, maxDaysOverdue: 30 }),
      debtor('z-larger', { overdueMinor: 9_000, maxDaysOverdue: 30 }),
    ];
    expect(ids(facts, weights)).toEqual(['z-larger', 'a-smaller']);
  });

  it('equal scores and amounts are ordered by name', () => {
    const facts = [debtor('id-2', { name: 'Sharma Traders' }), debtor('id-1', { name: 'Agarwal & Sons' }), debtor('id-3', { name: 'mehta stores' })];
    expect(rank(facts).map((r) => r.name)).toEqual(['Agarwal & Sons', 'mehta stores', 'Sharma Traders']);
  });

  it('is sorted by score, highest first', () => {
    const facts = [
      debtor('a', { overdueMinor: 2_000, maxDaysOverdue: 5 }),
      debtor('b', { overdueMinor: 90_000, maxDaysOverdue: 70, brokenPromises90d: 2 }),
      debtor('c', { overdueMinor: 40_000, maxDaysOverdue: 30 }),
    ];
    const scores = rank(facts).map((r) => r.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(ids(facts)).toEqual(['b', 'c', 'a']);
  });

  it('a limit keeps only the top of the list', () => {
    const facts = [debtor('a', { maxDaysOverdue: 5 }), debtor('b', { maxDaysOverdue: 50 }), debtor('c', { maxDaysOverdue: 20 })];
    expect(rank(facts, DEFAULT_WEIGHTS, 2).map((r) => r.debtorId)).toEqual(['b', 'c']);
    expect(rank(facts, DEFAULT_WEIGHTS, 0)).toEqual([]);
  });

  it('refuses a negative or fractional limit', () => {
    expect(() => rank([debtor('a')], DEFAULT_WEIGHTS, -1)).toThrow(RangeError);
    expect(() => rank([debtor('a')], DEFAULT_WEIGHTS, 1.5)).toThrow(RangeError);
  });

  it('refuses a malformed today', () => {
    expect(() => rankFollowUps([debtor('a')], { today: '12/03/2025', weights: DEFAULT_WEIGHTS })).toThrow(RangeError);
  });
});

describe('reasons', () => {
  it('a promise due today is the first reason, with the promised amount', () => {
    const [entry] = rank([debtor('p', { openPromise: { promisedOn: today, amountMinor: 4_000 } })]);
    expect(entry?.reasons[0]).toEqual({ code: 'promise_due_today', amountMinor: 4_000 });
  });

  it('a promise that passed unpaid is reported as missed, with its date', () => {
    const [entry] = rank([debtor('p', { openPromise: { promisedOn: '2025-03-09', amountMinor: null } })]);
    expect(entry?.reasons[0]).toEqual({ code: 'promise_missed', promisedOn: '2025-03-09', amountMinor: null });
  });

  it('a pending promise is given as the reason with its date', () => {
    const [entry] = rank([debtor('p', { openPromise: { promisedOn: '2025-03-14', amountMinor: 10_000 } })]);
    expect(entry?.reasons[0]).toEqual({ code: 'promise_pending', promisedOn: '2025-03-14' });
  });

  it('overdue gives the oldest days overdue and the overdue amount', () => {
    const [entry] = rank([debtor('d', { overdueMinor: 12_345, maxDaysOverdue: 31 })]);
    expect(entry?.reasons).toEqual([{ code: 'overdue', days: 31, amountMinor: 12_345 }]);
  });

  it('a missed promise comes first, then standing reasons by what they add, cut at three', () => {
    const [entry] = rank([
      debtor('d', { overdueMinor: 0, requestedCallback: false, openPromise: { promisedOn: '2025-03-01', amountMinor: null }, brokenPromises90d: 2, latePaidShare: 0.75, daysSinceLastContact: null }),
    ]);
    expect(entry?.reasons).toEqual([
      { code: 'promise_missed', promisedOn: '2025-03-01', amountMinor: null },
      { code: 'promise_broken', count: 2 },
      { code: 'no_recent_contact', days: null },
    ]);
  });

  it('after the events, reasons are ordered by how much they add to the score, at most three', () => {
    const [entry] = rank([
      debtor('d', {
        overdueMinor: 50_000,
        maxDaysOverdue: 90,
        brokenPromises90d: 2,
        latePaidShare: 0.6,
        daysSinceLastContact: 10,
        invoicedLast12mMinor: 1_000_000,
      }),
      debtor('small-customer', { invoicedLast12mMinor: 10_000 }),
    ]);
    // overdue 3×1 + 2×1 = 5; broken 2×0.75 = 1.5; big customer 1×1 = 1; contact 1×10/14 ≈ 0.71;
    // often late 1×0.42 — the last two do not make the cut.
    expect(entry?.reasons).toEqual([
      { code: 'overdue', days: 90, amountMinor: 50_000 },
      { code: 'promise_broken', count: 2 },
      { code: 'big_customer' },
    ]);
  });

  it('a debtor paying late at least half the time is often late, with the share', () => {
    const [entry] = rank([debtor('d', { latePaidShare: 0.5 })], only({ paymentHistory: 1 }));
    expect(entry?.reasons).toEqual([{ code: 'often_late', share: 0.5 }]);
  });

  it('a debtor the risk engine does not call safe gives its headline reason, not one the list already says', () => {
    const reasons = [
      { code: 'broken_promises', broken: 2, kept: 0 },
      { code: 'behind_usual', days: 40, usualDays: null },
      { code: 'getting_later', daysPerMonth: 6 },
    ] as const;
    const [entry] = rank([debtor('d', { riskAssessment: { score: 55, tag: 'risky', reasons: [...reasons] } })], only({ paymentHistory: 1 }));
    expect(entry?.reasons).toEqual([{ code: 'risk', tag: 'risky', reason: { code: 'getting_later', daysPerMonth: 6 } }]);
    const [safe] = rank([debtor('s', { riskAssessment: { score: 10, tag: 'safe', reasons: [{ code: 'pays_on_time' }] } })], only({ paymentHistory: 1 }));
    expect(safe?.reasons).toEqual([]);
  });

  it('a debtor marked risky but not often late says so', () => {
    const [entry] = rank([debtor('d', { latePaidShare: 0.2, riskTag: 'risky' })], only({ paymentHistory: 1 }));
    expect(entry?.reasons).toEqual([{ code: 'risky' }]);
  });

  it('a debtor invoiced at least half as much as the biggest customer is a big customer', () => {
    const facts = [debtor('big', { invoicedLast12mMinor: 600_000 }), debtor('biggest', { invoicedLast12mMinor: 1_000_000 }), debtor('small', { invoicedLast12mMinor: 400_000 })];
    const reasons = Object.fromEntries(rank(facts, only({ relationshipValue: 1 })).map((r) => [r.debtorId, r.reasons]));
    expect(reasons['big']).toEqual([{ code: 'big_customer' }]);
    expect(reasons['biggest']).toEqual([{ code: 'big_customer' }]);
    expect(reasons['small']).toEqual([]);
  });

  it('the only customer is not called big', () => {
    const [entry] = rank([debtor('only', { invoicedLast12mMinor: 600_000 })], only({ relationshipValue: 1 }));
    expect(entry?.reasons).toEqual([]);
  });

  it('contact reasons: a callback request, contact today, and silence for a week', () => {
    const weights = only({ recentContact: 1 });
    expect(rank([debtor('d', { requestedCallback: true, daysSinceLastContact: 0 })], weights)[0]?.reasons).toEqual([{ code: 'callback_requested' }]);
    expect(rank([debtor('d', { daysSinceLastContact: 0 })], weights)[0]?.reasons).toEqual([{ code: 'contacted_today' }]);
    expect(rank([debtor('d', { daysSinceLastContact: 6 })], weights)[0]?.reasons).toEqual([]);
    expect(rank([debtor('d', { daysSinceLastContact: 7 })], weights)[0]?.reasons).toEqual([{ code: 'no_recent_contact', days: 7 }]);
  });

  it('a factor weighted 0 gives no reason', () => {
    const [entry] = rank(
      [debtor('d', { openPromise: { promisedOn: today, amountMinor: null }, brokenPromises90d: 3, daysSinceLastContact: null })],
      resolveWeights({ promiseDue: 0, brokenPromises: 0 }),
    );
    expect(entry?.reasons.map((r) => r.code)).toEqual(['overdue', 'no_recent_contact']);
  });
});

describe('explainScore', () => {
  it('gives each factor, its contribution and whether the debtor is on the list', () => {
    const explanation = explainScore('d', [debtor('d', { maxDaysOverdue: 45 })], { today, weights: DEFAULT_WEIGHTS });
    expect(explanation.factors.daysOverdue).toBeCloseTo(0.5);
    expect(explanation.contributions.daysOverdue).toBeCloseTo(1);
    expect(explanation.factors.promiseDue).toBeCloseTo(0.3);
    expect(explanation.included).toBe(true);
    const total = WEIGHT_KEYS.reduce((sum, key) => sum + explanation.contributions[key], 0);
    const weightSum = WEIGHT_KEYS.reduce((sum, key) => sum + DEFAULT_WEIGHTS[key], 0);
    expect(explanation.exactScore).toBeCloseTo((100 * total) / weightSum);
  });

  it('refuses a debtor that is not among the facts', () => {
    expect(() => explainScore('nobody', [debtor('d')], { today, weights: DEFAULT_WEIGHTS })).toThrow(RangeError);
  });
});

describe('resolveWeights', () => {
  it('with nothing set gives the defaults', () => {
    expect(resolveWeights(undefined)).toEqual(DEFAULT_WEIGHTS);
    expect(resolveWeights({})).toEqual(DEFAULT_WEIGHTS);
  });

  it('the default weights favour a due promise, then money overdue', () => {
    expect(DEFAULT_WEIGHTS).toEqual({
      amount: 3,
      daysOverdue: 2,
      paymentHistory: 1,
      brokenPromises: 2,
      relationshipValue: 1,
      recentContact: 1,
      promiseDue: 5,
    });
  });

  it('overrides only the weights a business sets', () => {
    expect(resolveWeights({ amount: 10, recentContact: 0 })).toEqual({ ...DEFAULT_WEIGHTS, amount: 10, recentContact: 0 });
  });

  it('accepts the bounds 0 and 10', () => {
    expect(resolveWeights({ amount: 0, daysOverdue: 10 })).toMatchObject({ amount: 0, daysOverdue: 10 });
  });

  it('rejects an unknown key with an error that lists the valid keys', () => {
    expect(() => resolveWeights({ amont: 3 })).toThrow(InvalidWeightsError);
    expect(() => resolveWeights({ amont: 3 })).toThrow(
      'unknown weight "amont"; valid keys are amount, daysOverdue, paymentHistory, brokenPromises, relationshipValue, recentContact, promiseDue',
    );
  });

  it.each([[11], [-1], ['3'], [Number.NaN], [null]])('rejects a weight of %s', (value) => {
    expect(() => resolveWeights({ amount: value })).toThrow(/amount/);
  });

  it('rejects settings that are not an object', () => {
    expect(() => resolveWeights([1, 2])).toThrow(InvalidWeightsError);
    expect(() => resolveWeights('heavy')).toThrow(InvalidWeightsError);
  });

  it('rejects every weight set to 0', () => {
    const zeros = Object.fromEntries(WEIGHT_KEYS.map((key) => [key, 0]));
    expect(() => resolveWeights(zeros)).toThrow(/at least one weight/);
  });
});

describe('followUpCandidates', () => {
  /** A small seeded generator, so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  }

  it('ranking with only the candidates scored gives exactly the list ranking with everyone scored (300 random cases)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const n = 5 + Math.floor(next() * 60);
      const limit = 1 + Math.floor(next() * 12);
      const weights = resolveWeights(seed % 3 === 0 ? { paymentHistory: Math.floor(next() * 11), amount: Math.floor(next() * 11) } : {});
      const facts = Array.from({ length: n }, (_, i) =>
        debtor(`d${i}`, {
          name: `Debtor ${Math.floor(next() * 20)}`,
          overdueMinor: next() < 0.9 ? Math.floor(next() * 40) * 1_000 : 0,
          maxDaysOverdue: Math.floor(next() * 120),
          brokenPromises90d: Math.floor(next() * 3),
          invoicedLast12mMinor: Math.floor(next() * 10) * 10_000,
          daysSinceLastContact: next() < 0.2 ? null : Math.floor(next() * 20),
          openPromise: next() < 0.1 ? { promisedOn: today, amountMinor: null } : null,
          requestedCallback: next() < 0.05,
        }),
      );
      const scores = facts.map(() => Math.floor(next() * 101));
      const everyone = facts.map((f, i) => ({ ...f, riskAssessment: { score: scores[i]!, tag: 'watch' as const, reasons: [] } }));
      const candidates = followUpCandidates(facts, { today, weights, limit });
      // The others get any payment history at all: here, a random legacy one.
      const some = facts.map((f, i) =>
        candidates.has(f.debtorId) ? { ...f, riskAssessment: { score: scores[i]!, tag: 'watch' as const, reasons: [] } } : { ...f, latePaidShare: next(), avgDaysLate: next() * 60 },
      );
      const expected = rankFollowUps(everyone, { today, weights, limit }).map((r) => [r.debtorId, r.score]);
      expect({ seed, list: rankFollowUps(some, { today, weights, limit }).map((r) => [r.debtorId, r.score]) }).toEqual({ seed, list: expected });
    }
  });

  it('leaves out debtors who cannot make the list, and includes everyone when the list is short', () => {
    const facts = [
      ...Array.from({ length: 10 }, (_, i) => debtor(`big${i}`, { overdueMinor: 1_000_000, maxDaysOverdue: 90, daysSinceLastContact: null })),
      debtor('tiny', { overdueMinor: 1, maxDaysOverdue: 1, daysSinceLastContact: 0 }),
    ];
    const candidates = followUpCandidates(facts, { today, weights: DEFAULT_WEIGHTS, limit: 5 });
    expect(candidates.has('tiny')).toBe(false);
    expect(candidates.size).toBe(10);
    expect(followUpCandidates(facts, { today, weights: DEFAULT_WEIGHTS, limit: 20 }).size).toBe(11);
  });

  it('always includes a debtor who asked for a call, however small their score, and ranks them first', () => {
    const facts = [
      ...Array.from({ length: 10 }, (_, i) => debtor(`big${i}`, { overdueMinor: 1_000_000, maxDaysOverdue: 90, daysSinceLastContact: null })),
      debtor('caller', { overdueMinor: 1, maxDaysOverdue: 1, daysSinceLastContact: 0, requestedCallback: true }),
    ];
    const candidates = followUpCandidates(facts, { today, weights: DEFAULT_WEIGHTS, limit: 5 });
    expect(candidates.has('caller')).toBe(true);
    expect(rankFollowUps(facts, { today, weights: DEFAULT_WEIGHTS, limit: 5 })[0]!.debtorId).toBe('caller');
  });
});
