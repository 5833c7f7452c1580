import { describe, expect, it } from 'vitest';
import { growthRatio, quantile, speedup, summarize } from '../../bench/stats.ts';

describe('quantile', () => {
  it('interpolates between the closest ranks, whatever the input order', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
  });

  it('refuses an empty series and a q outside 0..1', () => {
    expect(() => quantile([], 0.5)).toThrow('no values');
    expect(() => quantile([1], 1.5)).toThrow('within 0..1');
  });
});

describe('summarize', () => {
  it('gives median (= p50), extremes and p95 of 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(values)).toEqual({ n: 100, median: 50.5, min: 1, max: 100, p50: 50.5, p95: 95.05 });
  });

  it('leaves its input unsorted', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('growth and speed-up', () => {
  it('reads 1 as linear growth', () => {
    expect(growthRatio({ size: 25, value: 4 }, { size: 100, value: 16 })).toBe(1);
    expect(growthRatio({ size: 50, value: 4 }, { size: 100, value: 6 })).toBe(0.75);
  });

  it('divides live by ours', () => {
    expect(speedup(300, 30)).toBe(10);
    expect(speedup(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
