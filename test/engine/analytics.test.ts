import { describe, it, expect } from 'vitest';
import {
  AGING_BUCKETS,
  agingBucketOf,
  cei,
  dso,
  expectedCashByWeek,
  promiseKeptRate,
  weekBounds,
} from '../../src/engine/analytics.ts';

describe('aging buckets', () => {
  it.each([
    [-30, 'current'],
    [-1, 'current'],
    [0, 'current'],
    [1, 'd1_30'],
    [30, 'd1_30'],
    [31, 'd31_60'],
    [60, 'd31_60'],
    [61, 'd61_90'],
    [90, 'd61_90'],
    [91, 'd91_120'],
    [120, 'd91_120'],
    [121, 'd120_plus'],
    [5000, 'd120_plus'],
  ])('an invoice %i days overdue is in the %s bucket', (days, key) => {
    expect(agingBucketOf(days).key).toBe(key);
  });

  it('an invoice 31 days overdue is in the 31–60 bucket', () => {
    expect(agingBucketOf(31).label).toEqual({ en: '31–60 days', hi: '31–60 दिन' });
  });

  it('the buckets run in order from current to 120+, contiguous and without overlap', () => {
    expect(AGING_BUCKETS.map((b) => b.key)).toEqual(['current', 'd1_30', 'd31_60', 'd61_90', 'd91_120', 'd120_plus']);
    expect(AGING_BUCKETS[0]).toMatchObject({ minDays: 0, maxDays: 0 });
    for (let i = 1; i < AGING_BUCKETS.length; i++) {
      const previous = AGING_BUCKETS[i - 1];
      expect(AGING_BUCKETS[i]?.minDays).toBe((previous?.maxDays ?? Number.NaN) + 1);
    }
    expect(AGING_BUCKETS.at(-1)).toMatchObject({ minDays: 121, maxDays: null });
  });

  it('every bucket has an English and a Hindi label', () => {
    for (const bucket of AGING_BUCKETS) {
      expect(bucket.label.en.length).toBeGreaterThan(0);
      expect(bucket.label.hi.length).toBeGreaterThan(0);
    }
  });

  it('refuses a fractional number of days', () => {
    expect(() => agingBucketOf(1.5)).toThrow(RangeError);
  });
});

describe('dso', () => {
  it('is ending receivables over credit sales times the period', () => {
    expect(dso({ endingReceivablesMinor: 100_000, creditSalesMinor: 300_000, periodDays: 90 })).toBe(30);
  });

  it('is 0 when nothing is owed at the end of the period', () => {
    expect(dso({ endingReceivablesMinor: 0, creditSalesMinor: 300_000, periodDays: 30 })).toBe(0);
  });

  it('is null when there were no credit sales', () => {
    expect(dso({ endingReceivablesMinor: 100_000, creditSalesMinor: 0, periodDays: 30 })).toBeNull();
  });

  it('refuses a period that is not a positive whole number of days', () => {
    expect(() => dso({ endingReceivablesMinor: 1, creditSalesMinor: 1, periodDays: 0 })).toThrow(RangeError);
  });
});

describe('cei', () => {
  it('CEI is 100 when everything collectible was collected', () => {
    // Only current (not yet due) receivables remain at the end.
    expect(
      cei({ beginningReceivablesMinor: 1000, creditSalesMinor: 2000, endingReceivablesMinor: 500, endingCurrentReceivablesMinor: 500 }),
    ).toBe(100);
  });

  it('CEI is 0 when nothing was collected', () => {
    expect(
      cei({ beginningReceivablesMinor: 1000, creditSalesMinor: 2000, endingReceivablesMinor: 3000, endingCurrentReceivablesMinor: 1000 }),
    ).toBe(0);
  });

  it('CEI is collected over collectible as a percent', () => {
    // (1000 + 2000 − 1200) / (1000 + 2000 − 800) × 100 = 1800 / 2200 × 100
    const value = cei({
      beginningReceivablesMinor: 1000,
      creditSalesMinor: 2000,
      endingReceivablesMinor: 1200,
      endingCurrentReceivablesMinor: 800,
    });
    expect(value).toBeCloseTo(81.818, 3);
  });

  it('CEI is clamped to 0..100 when the aggregates are inconsistent', () => {
    expect(
      cei({ beginningReceivablesMinor: 1000, creditSalesMinor: 0, endingReceivablesMinor: 200, endingCurrentReceivablesMinor: 500 }),
    ).toBe(100);
    expect(
      cei({ beginningReceivablesMinor: 1000, creditSalesMinor: 0, endingReceivablesMinor: 1500, endingCurrentReceivablesMinor: 0 }),
    ).toBe(0);
  });

  it('CEI is null when nothing was collectible', () => {
    expect(
      cei({ beginningReceivablesMinor: 0, creditSalesMinor: 0, endingReceivablesMinor: 0, endingCurrentReceivablesMinor: 0 }),
    ).toBeNull();
    expect(
      cei({ beginningReceivablesMinor: 0, creditSalesMinor: 500, endingReceivablesMinor: 500, endingCurrentReceivablesMinor: 500 }),
    ).toBeNull();
  });
});

describe('promiseKeptRate', () => {
  it('is the share of resolved promises that were kept, as a fraction of 1', () => {
    expect(promiseKeptRate({ kept: 3, broken: 1 })).toBe(0.75);
    expect(promiseKeptRate({ kept: 0, broken: 2 })).toBe(0);
    expect(promiseKeptRate({ kept: 4, broken: 0 })).toBe(1);
  });

  it('is null when no promise has been resolved', () => {
    expect(promiseKeptRate({ kept: 0, broken: 0 })).toBeNull();
  });

  it('refuses negative or fractional counts', () => {
    expect(() => promiseKeptRate({ kept: -1, broken: 2 })).toThrow(RangeError);
    expect(() => promiseKeptRate({ kept: 1.5, broken: 2 })).toThrow(RangeError);
  });
});

describe('weekBounds', () => {
  it('a Wednesday is in the Monday-to-Sunday week around it, and next week follows', () => {
    expect(weekBounds('2025-01-15')).toEqual({
      thisWeek: { start: '2025-01-13', end: '2025-01-19' },
      nextWeek: { start: '2025-01-20', end: '2025-01-26' },
    });
  });

  it('a Monday starts its own week and a Sunday ends it', () => {
    expect(weekBounds('2025-01-13').thisWeek).toEqual({ start: '2025-01-13', end: '2025-01-19' });
    expect(weekBounds('2025-01-19').thisWeek).toEqual({ start: '2025-01-13', end: '2025-01-19' });
    expect(weekBounds('2025-01-19').nextWeek).toEqual({ start: '2025-01-20', end: '2025-01-26' });
  });

  it('a week can span the new year', () => {
    expect(weekBounds('2025-12-31')).toEqual({
      thisWeek: { start: '2025-12-29', end: '2026-01-04' },
      nextWeek: { start: '2026-01-05', end: '2026-01-11' },
    });
  });
});

describe('expectedCashByWeek', () => {
  const today = '2025-01-15'; // Wednesday; this week 13–19, next week 20–26

  it('sums what is expected this week and next, leaving out anything later', () => {
    const result = expectedCashByWeek(
      [
        { expectedOn: '2025-01-15', amountMinor: 100 },
        { expectedOn: '2025-01-19', amountMinor: 200 },
        { expectedOn: '2025-01-20', amountMinor: 400 },
        { expectedOn: '2025-01-26', amountMinor: 800 },
        { expectedOn: '2025-01-27', amountMinor: 1600 },
      ],
      today,
    );
    expect(result).toEqual({ thisWeekMinor: 300, nextWeekMinor: 1200 });
  });

  it('items dated in the past but still open count toward this week', () => {
    const result = expectedCashByWeek(
      [
        { expectedOn: '2024-11-02', amountMinor: 50 },
        { expectedOn: '2025-01-13', amountMinor: 70 },
      ],
      today,
    );
    expect(result).toEqual({ thisWeekMinor: 120, nextWeekMinor: 0 });
  });

  it('on a Sunday, tomorrow already belongs to next week', () => {
    const result = expectedCashByWeek([{ expectedOn: '2025-01-20', amountMinor: 10 }], '2025-01-19');
    expect(result).toEqual({ thisWeekMinor: 0, nextWeekMinor: 10 });
  });

  it('is zero for both weeks with nothing expected', () => {
    expect(expectedCashByWeek([], today)).toEqual({ thisWeekMinor: 0, nextWeekMinor: 0 });
  });
});
