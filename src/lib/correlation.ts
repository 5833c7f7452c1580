/** Fewer pairs than this give no correlation: two points always lie on a line. */
export const MIN_PAIRS = 3;

/** Ranks 1..n of `values` in ascending order; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    // Positions start..end (0-based) hold ranks start + 1 .. end + 1: their mean.
    for (let k = start; k <= end; k++) ranks[order[k]!] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

const constant = (values: readonly number[]) => values.every((v) => v === values[0]);

/**
 * Pearson's correlation of paired values; undefined for fewer than MIN_PAIRS pairs or a constant series, where it
 * is not defined (its standard deviation is 0). Constancy is tested on the values, not on a rounded deviation.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | undefined {
  if (xs.length !== ys.length) throw new Error(`pearson: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < MIN_PAIRS || constant(xs) || constant(ys)) return undefined;
  const mean = (v: readonly number[]) => v.reduce((sum, x) => sum + x, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const [dx, dy] = [xs[i]! - mx, ys[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can carry |r| a hair past 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's correlation: Pearson's over the average ranks, so ties are handled; undefined as Pearson's is. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | undefined {
  if (xs.length !== ys.length) throw new Error(`spearman: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < MIN_PAIRS || constant(xs) || constant(ys)) return undefined;
  return pearson(averageRanks(xs), averageRanks(ys));
}
