import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/engine/calendar.ts';
import {
  assessRisk,
  emptyRiskFacts,
  normalCdf,
  RISK_THRESHOLDS,
  summarizeHistory,
  tagForScore,
  type PaymentHistory,
  type RiskReason,
} from '../../src/engine/risk.ts';

const TODAY = '2026-11-21';

type Bill = { dueOn: string; paidOn: string };

/** `count` bills due every `every` days, the last one due `lastDueAgo` days ago, each paid `late(i)` days late (i = 0 is the oldest). */
function bills(count: number, late: (i: number) => number, options: { every?: number; lastDueAgo?: number } = {}): Bill[] {
  const every = options.every ?? 20;
  const lastDueAgo = options.lastDueAgo ?? 60;
  return Array.from({ length: count }, (_, i) => {
    const dueOn = addDays(TODAY, -lastDueAgo - every * (count - 1 - i));
    return { dueOn, paidOn: addDays(dueOn, late(i)) };
  });
}

function history(overrides: Partial<PaymentHistory> = {}): PaymentHistory {
  const paid = overrides.paid ?? [];
  const lastPaymentOn = paid.reduce<string | null>((last, b) => (last === null || b.paidOn > last ? b.paidOn : last), null);
  return { paid, open: [], promises: [], disputes: [], lastPaymentOn, ...overrides };
}

function assess(h: PaymentHistory) {
  return assessRisk(summarizeHistory(h, TODAY));
}

function codes(reasons: RiskReason[]): string[] {
  return reasons.map((r) => r.code);
}

describe('the risk score', () => {
  it('a debtor who always pays on time is safe, and says so', () => {
    const risk = assess(history({ paid: bills(12, () => 0) }));
    expect(risk.tag).toBe('safe');
    expect(risk.score).toBeLessThan(5);
    expect(risk.reasons).toEqual([{ code: 'pays_on_time' }]);
  });

  it('a debtor with fewer than three bills paid has little payment history', () => {
    expect(assess(history({ paid: bills(2, () => 0) })).reasons).toEqual([{ code: 'little_history' }]);
    expect(assess(history()).reasons).toEqual([{ code: 'little_history' }]);
  });

  it('paying later raises the score, and the reason gives the share paid late and the days', () => {
    const scores = [0, 10, 20, 30, 45].map((days) => assess(history({ paid: bills(12, () => days) })).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]!);
    const twenty = assess(history({ paid: bills(12, () => 20) }));
    const paysLate = twenty.reasons.find((r) => r.code === 'pays_late');
    expect(paysLate).toMatchObject({ code: 'pays_late', share: 1 });
    // 20 days, pulled a little towards the prior of 5 days (worth half a bill).
    const avg = paysLate && paysLate.code === 'pays_late' ? paysLate.avgDaysLate : 0;
    expect(avg).toBeGreaterThan(15);
    expect(avg).toBeLessThan(20);
  });

  it('a steady payer 20 days late is watched more than a punctual one but is not risky', () => {
    const steady = assess(history({ paid: bills(12, (i) => 20 + ((i * 7) % 5) - 2) }));
    expect(steady.tag).not.toBe('risky');
    expect(steady.score).toBeGreaterThan(assess(history({ paid: bills(12, () => 0) })).score);
  });

  it('recent bills weigh more: late lately scores higher than late long ago', () => {
    // The same twelve latenesses, the late half first or last.
    const lateLately = assess(history({ paid: bills(12, (i) => (i >= 6 ? 30 : 0)) }));
    const lateLongAgo = assess(history({ paid: bills(12, (i) => (i < 6 ? 30 : 0)) }));
    expect(lateLately.score).toBeGreaterThan(lateLongAgo.score);
    expect(lateLately.model.level).toBeGreaterThan(lateLongAgo.model.level);
  });

  it('paying later and later adds a trend, in days per month, and "getting later"', () => {
    const drifting = assess(history({ paid: bills(12, (i) => 4 * i) }));
    const steady = assess(history({ paid: bills(12, () => 22) })); // about the same recent level
    expect(drifting.model.trendPerMonth).toBeGreaterThan(3);
    expect(codes(drifting.reasons)).toContain('getting_later');
    expect(drifting.expectedLateDays).toBeGreaterThan(drifting.model.level);
    expect(steady.model.trendPerMonth).toBeCloseTo(0, 0);
    expect(codes(steady.reasons)).not.toContain('getting_later');
  });

  it('paying sooner and sooner lowers the expected lateness and is said last', () => {
    const improving = assess(history({ paid: bills(12, (i) => 44 - 4 * i) }));
    expect(improving.model.trendPerMonth).toBeLessThan(-3);
    expect(improving.expectedLateDays).toBeLessThan(improving.model.level);
    expect(improving.reasons.at(-1)?.code).toBe('paying_sooner');
  });

  it('broken promises raise the score; kept promises soften them', () => {
    const base = bills(10, () => 10);
    const none = assess(history({ paid: base }));
    const broken = assess(history({ paid: base, promises: [{ promisedOn: addDays(TODAY, -30), status: 'broken' }, { promisedOn: addDays(TODAY, -60), status: 'broken' }] }));
    const mixed = assess(
      history({
        paid: base,
        promises: [
          { promisedOn: addDays(TODAY, -30), status: 'broken' },
          { promisedOn: addDays(TODAY, -60), status: 'broken' },
          { promisedOn: addDays(TODAY, -20), status: 'kept' },
          { promisedOn: addDays(TODAY, -40), status: 'kept' },
        ],
      }),
    );
    expect(broken.score).toBeGreaterThan(none.score);
    expect(mixed.score).toBeLessThan(broken.score);
    expect(mixed.score).toBeGreaterThan(none.score);
    expect(broken.reasons).toContainEqual({ code: 'broken_promises', broken: 2, kept: 0 });
  });

  it('a broken promise long ago counts less than one last month, and not at all after a year', () => {
    const base = bills(10, () => 10);
    const recent = assess(history({ paid: base, promises: [{ promisedOn: addDays(TODAY, -30), status: 'broken' }] })).score;
    const old = assess(history({ paid: base, promises: [{ promisedOn: addDays(TODAY, -300), status: 'broken' }] })).score;
    const tooOld = assess(history({ paid: base, promises: [{ promisedOn: addDays(TODAY, -400), status: 'broken' }] })).score;
    expect(recent).toBeGreaterThan(old);
    expect(tooOld).toBe(assess(history({ paid: base })).score);
  });

  it('an open dispute raises the score more than one resolved this year', () => {
    const base = bills(10, () => 5);
    const none = assess(history({ paid: base })).score;
    const resolved = assess(history({ paid: base, disputes: [{ openedOn: addDays(TODAY, -100), open: false }] }));
    const open = assess(history({ paid: base, disputes: [{ openedOn: addDays(TODAY, -10), open: true }] }));
    expect(resolved.score).toBeGreaterThan(none);
    expect(open.score).toBeGreaterThan(resolved.score);
    expect(open.reasons).toContainEqual({ code: 'disputes', open: 1, recent: 1 });
  });

  it('a bill overdue well beyond their usual lateness raises the score, with both numbers', () => {
    const base = bills(10, () => 5, { lastDueAgo: 90 });
    const asUsual = assess(history({ paid: base, open: [{ dueOn: addDays(TODAY, -4), disputed: false }] }));
    const behind = assess(history({ paid: base, open: [{ dueOn: addDays(TODAY, -60), disputed: false }] }));
    expect(behind.score).toBeGreaterThan(asUsual.score + 20);
    const reason = behind.reasons.find((r) => r.code === 'behind_usual');
    expect(reason).toMatchObject({ code: 'behind_usual', days: 60 });
    expect(reason && reason.code === 'behind_usual' ? reason.usualDays : null).toBeCloseTo(5, 0);
    expect(codes(asUsual.reasons)).not.toContain('behind_usual');
  });

  it('a disputed overdue bill does not count as running behind', () => {
    const base = bills(10, () => 5, { lastDueAgo: 90 });
    const disputed = assess(history({ paid: base, open: [{ dueOn: addDays(TODAY, -60), disputed: true }], disputes: [{ openedOn: addDays(TODAY, -50), open: true }] }));
    expect(disputed.model.backlog).toBe(0);
    expect(codes(disputed.reasons)).not.toContain('behind_usual');
  });

  it('with money overdue, a long time since the last payment raises the score', () => {
    const base = bills(10, () => 5, { lastDueAgo: 150 });
    const open = [{ dueOn: addDays(TODAY, -20), disputed: false }];
    const paidRecently = assess(history({ paid: base, open, lastPaymentOn: addDays(TODAY, -10) }));
    const silent = assess(history({ paid: base, open, lastPaymentOn: addDays(TODAY, -140) }));
    expect(silent.score).toBeGreaterThan(paidRecently.score);
    expect(silent.reasons).toContainEqual({ code: 'no_payment', days: 140 });
    expect(codes(paidRecently.reasons)).not.toContain('no_payment');
    // Without anything overdue, silence is no risk.
    expect(assess(history({ paid: base, lastPaymentOn: addDays(TODAY, -140) })).points.noPayment).toBe(0);
  });

  it('paying much later at this time last year adds a seasonal swing', () => {
    // Bills every 15 days for 16 months; those due in the 60 days from a year ago were 40 days late.
    const paid = bills(32, () => 0, { every: 15, lastDueAgo: 20 }).map((b) => {
      const dayOfYear = (Date.parse(b.dueOn) - Date.parse(addDays(TODAY, -365))) / 86_400_000;
      const late = dayOfYear >= -20 && dayOfYear < 60 ? 40 : 2;
      return { dueOn: b.dueOn, paidOn: addDays(b.dueOn, late) };
    });
    const seasonal = assess(history({ paid }));
    expect(seasonal.model.season).toBeGreaterThan(25);
    expect(codes(seasonal.reasons)).toContain('seasonal_later');
    const flat = assess(history({ paid: paid.map((b) => ({ dueOn: b.dueOn, paidOn: addDays(b.dueOn, 2) })) }));
    expect(flat.model.season).toBeCloseTo(0, 0);
  });

  it('the tag follows the documented thresholds', () => {
    expect(RISK_THRESHOLDS).toEqual({ watch: 25, risky: 50 });
    expect(tagForScore(0)).toBe('safe');
    expect(tagForScore(24)).toBe('safe');
    expect(tagForScore(25)).toBe('watch');
    expect(tagForScore(49)).toBe('watch');
    expect(tagForScore(50)).toBe('risky');
    expect(tagForScore(100)).toBe('risky');
  });

  it('a chronic promise-breaker, very late and behind, is risky with the reasons largest first and the score within 0..100', () => {
    const risk = assess(
      history({
        paid: bills(10, (i) => 35 + (i % 3) * 10, { lastDueAgo: 100 }),
        open: [{ dueOn: addDays(TODAY, -90), disputed: false }],
        promises: [1, 2, 3, 4].map((k) => ({ promisedOn: addDays(TODAY, -20 * k), status: 'broken' as const })),
        disputes: [{ openedOn: addDays(TODAY, -5), open: true }],
        lastPaymentOn: addDays(TODAY, -100),
      }),
    );
    expect(risk.tag).toBe('risky');
    expect(risk.score).toBe(100);
    expect(Number.isInteger(risk.score)).toBe(true);
    const points = risk.reasons.map((r) => r.code);
    expect(points).toEqual(expect.arrayContaining(['pays_late', 'broken_promises', 'disputes', 'no_payment']));
  });

  it('events after today are not read', () => {
    const past = bills(6, () => 3);
    const future = [{ dueOn: addDays(TODAY, -5), paidOn: addDays(TODAY, 40) }];
    const withFuture = summarizeHistory(
      { paid: [...past, ...future], open: [], promises: [{ promisedOn: addDays(TODAY, 3), status: 'broken' }], disputes: [{ openedOn: addDays(TODAY, 2), open: true }], lastPaymentOn: addDays(TODAY, 40) },
      TODAY,
    );
    const without = summarizeHistory({ paid: past, open: [], promises: [], disputes: [], lastPaymentOn: null }, TODAY);
    expect(withFuture).toEqual(without);
  });

  it('no history at all scores low with the prior and little history', () => {
    const risk = assessRisk(emptyRiskFacts());
    expect(risk.tag).toBe('safe');
    expect(risk.model.level).toBe(5);
    expect(risk.reasons).toEqual([{ code: 'little_history' }]);
  });
});

describe('normalCdf', () => {
  it('matches known values of the standard normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.841345, 5);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024998, 5);
    expect(normalCdf(3)).toBeCloseTo(0.99865, 5);
  });
});
