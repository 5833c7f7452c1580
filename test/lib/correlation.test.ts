import { describe, expect, it } from 'vitest';
import { Random } from '../../scripts/demo/random.ts';
import { averageRanks, MIN_PAIRS, pearson, spearman } from '../../src/lib/correlation.ts';

// Independent forms to compare with: ranks counted pairwise, Pearson from raw sums, Spearman's d² formula.
const countedRanks = (v: number[]) =>
  v.map((x) => 1 + v.filter((y) => y < x).length + (v.filter((y) => y === x).length - 1) / 2);
function sumsPearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const s = (f: (i: number) => number) => xs.reduce((sum, _, i) => sum + f(i), 0);
  const [sx, sy, sxy, sxx, syy] = [
    s((i) => xs[i]!),
    s((i) => ys[i]!),
    s((i) => xs[i]! * ys[i]!),
    s((i) => xs[i]! ** 2),
    s((i) => ys[i]! ** 2),
  ];
  return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx ** 2) * (n * syy - sy ** 2));
}

/** Values with ties: some drawn from a few rounded levels. */
function series(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => (rng.chance(0.3) ? Math.round(rng.normal(0, 2)) : rng.normal(0, 3)));
}

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    const rng = new Random(7);
    for (let t = 0; t < 50; t++) {
      const v = series(rng, 1 + Math.floor(rng.uniform() * 30));
      expect(averageRanks(v)).toEqual(countedRanks(v));
    }
  });
});

describe('pearson and spearman', () => {
  it('equal the textbook formulas on random series with ties', () => {
    const rng = new Random(11);
    for (let t = 0; t < 50; t++) {
      const n = MIN_PAIRS + Math.floor(rng.uniform() * 40);
      const xs = series(rng, n);
      const ys = xs.map((x) => x * rng.normal(0, 1) + rng.normal(0, 2));
      expect(pearson(xs, ys)).toBeCloseTo(sumsPearson(xs, ys), 9);
      expect(spearman(xs, ys)).toBeCloseTo(sumsPearson(countedRanks(xs), countedRanks(ys)), 9);
    }
  });

  it("without ties, Spearman's is 1 - 6Σd²/(n(n²-1))", () => {
    const rng = new Random(3);
    const xs = Array.from({ length: 25 }, () => rng.normal(0, 1));
    const ys = xs.map((x) => x + rng.normal(0, 1));
    const [rx, ry] = [countedRanks(xs), countedRanks(ys)];
    const d2 = rx.reduce((sum, r, i) => sum + (r - ry[i]!) ** 2, 0);
    expect(spearman(xs, ys)).toBeCloseTo(1 - (6 * d2) / (25 * (25 ** 2 - 1)), 12);
  });

  it('a monotone but not linear relation has Spearman 1 and Pearson below 1', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    const ys = xs.map((x) => Math.exp(x));
    expect(spearman(xs, ys)).toBe(1);
    expect(pearson(xs, ys)!).toBeLessThan(0.99);
  });

  it('are undefined for a constant series, even one whose mean rounds', () => {
    const xs = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const ys = [1, 2, 3, 4, 5, 6, 7];
    expect(pearson(xs, ys)).toBeUndefined();
    expect(spearman(xs, ys)).toBeUndefined();
    expect(pearson(ys, xs)).toBeUndefined();
  });

  it(`are undefined for fewer than ${MIN_PAIRS} pairs`, () => {
    expect(pearson([1, 2], [2, 1])).toBeUndefined();
    expect(spearman([1, 2], [2, 1])).toBeUndefined();
    expect(pearson([1, 2, 3], [2, 1, 3])).toBeDefined();
  });

  it('refuse series of different lengths', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/3 x values but 2 y values/);
  });
});
