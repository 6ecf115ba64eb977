import { describe, expect, it } from 'vitest';
import { median, rocAuc } from '../../src/engine/evaluation.ts';

describe('rocAuc', () => {
  it('is 1 when every positive scores above every negative, 0 when below', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
  });

  it('is ½ when every score is the same', () => {
    expect(rocAuc([5, 5, 5, 5, 5], [true, false, true, false, false])).toBe(0.5);
  });

  it('counts each pair once, ties as half: a worked example', () => {
    // Positives 3, 2, 2; negatives 2, 1. Pairs: (3>2) (3>1) (2=2 ½) (2>1) (2=2 ½) (2>1) = 5 of 6.
    expect(rocAuc([3, 2, 2, 2, 1], [true, true, true, false, false])).toBeCloseTo(5 / 6, 12);
  });

  it('agrees with counting every pair on random scores with ties', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const scores = Array.from({ length: 300 }, () => Math.floor(next() * 20));
    const labels = scores.map((s) => next() < s / 25);
    let wins = 0;
    let pairs = 0;
    scores.forEach((s, i) => {
      if (!labels[i]) return;
      scores.forEach((t, j) => {
        if (labels[j]) return;
        pairs += 1;
        wins += s > t ? 1 : s === t ? 0.5 : 0;
      });
    });
    expect(rocAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('is null without positives or without negatives, and refuses mismatched or non-finite input', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNull();
    expect(rocAuc([1, 2], [false, false])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
    expect(() => rocAuc([1, 2], [true])).toThrow(RangeError);
    expect(() => rocAuc([1, Number.NaN], [true, false])).toThrow(RangeError);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two, and null for nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
