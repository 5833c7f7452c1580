/** Summary statistics of repeated measurements; pure, so the numbers in the report are unit-tested. */

/** What the report shows of a series of measurements. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
}

/** The q-quantile (0..1) of `values`, interpolated linearly between the closest ranks (R's type 7, numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile: no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be within 0..1, got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Median, extremes and the 50th and 95th percentiles of a non-empty series. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const median = quantile(values, 0.5);
  return {
    n: values.length,
    median,
    min: Math.min(...values),
    max: Math.max(...values),
    p50: median,
    p95: quantile(values, 0.95),
  };
}

/** How a measurement grows between two sizes, normalised so that 1 is exactly linear (2x the rows, 2x the time). */
export function growthRatio(small: { size: number; value: number }, large: { size: number; value: number }): number {
  return large.value / small.value / (large.size / small.size);
}

/** `live / ours`: how many times faster ours is; rounded for display by the caller. */
export function speedup(live: number, ours: number): number {
  return ours > 0 ? live / ours : Number.POSITIVE_INFINITY;
}
