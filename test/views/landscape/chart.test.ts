import { describe, expect, it } from 'vitest';
import { extremaIndices } from '../../../src/views/landscape/chart.ts';

/** A deterministic pseudo-random series (a linear congruential generator), for unsorted input. */
function noise(n: number, seed = 7): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 10 - 5);
}

/** Index ranges of the `columns` shares of `n` points, as extremaIndices cuts them. */
const buckets = (n: number, columns: number) =>
  Array.from(
    { length: columns },
    (_, c) => [Math.floor((c * n) / columns), Math.floor(((c + 1) * n) / columns)] as const,
  );

describe('extremaIndices', () => {
  it('keeps every point of a series short enough to draw whole', () => {
    expect(extremaIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
    expect(extremaIndices([], 10)).toEqual([]);
  });

  it('keeps at most two points per column of a 32k-point sorted curve, the first and last included, in order', () => {
    const values = Float64Array.from({ length: 32_000 }, (_, i) => 8 - i / 2000);
    const kept = extremaIndices(values, 1200);
    expect(kept.length).toBeLessThanOrEqual(2 * 1200 + 2);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(values.length - 1);
    expect(kept.every((i, k) => k === 0 || i > kept[k - 1]!)).toBe(true);
  });

  it("keeps each column's lowest and highest point of an unsorted series", () => {
    const values = noise(10_000);
    const kept = new Set(extremaIndices(values, 300));
    for (const [start, end] of buckets(values.length, 300)) {
      const share = [...values.subarray(start, end)];
      expect(kept.has(start + share.indexOf(Math.min(...share)))).toBe(true);
      expect(kept.has(start + share.indexOf(Math.max(...share)))).toBe(true);
    }
  });
});
