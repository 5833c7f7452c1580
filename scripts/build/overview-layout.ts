import { compareBytes } from '../../src/lib/byte-order.ts';
import { FEATURE_TYPES, type FeatureType } from '../../src/lib/feature-types.ts';

/** Bins of the overview per dataset, about: its columns, shared among the feature types. */
export const OVERVIEW_BINS = 200;

/**
 * Bins per feature type: proportional to the type's features (rounded), at least 1 for a type that has any and
 * never more than its features, 0 for an empty type. The total is about `total` (rounding moves it by a few).
 */
export function binsPerType(sizes: Record<FeatureType, number>, total = OVERVIEW_BINS): Record<FeatureType, number> {
  const all = FEATURE_TYPES.reduce((sum, t) => sum + sizes[t], 0);
  return Object.fromEntries(
    FEATURE_TYPES.map((t) => {
      const n = sizes[t];
      return [t, n === 0 ? 0 : Math.min(n, Math.max(1, Math.round((total * n) / all)))];
    }),
  ) as Record<FeatureType, number>;
}

/** One bacterium's profile: its mean in each bin, in bin order, null where it has nothing measured in the bin. */
export interface Profile {
  id: string;
  means: (number | null)[];
}

/** Fewest bins two bacteria must both have measured for their correlation to count. */
const MIN_SHARED = 3;

/**
 * Correlation distance, 1 − Pearson's r, over the bins both profiles have measured (pairwise complete: not measured
 * is left out, never read as 0). Fewer than `MIN_SHARED` shared bins, or a constant profile on them, leave r
 * undefined: the distance is then 1, as for uncorrelated profiles.
 */
export function correlationDistance(a: (number | null)[], b: (number | null)[]): number {
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x !== null && x !== undefined && y !== null && y !== undefined) pairs.push([x, y]);
  }
  if (pairs.length < MIN_SHARED) return 1;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / pairs.length;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / pairs.length;
  let [sxy, sxx, syy] = [0, 0, 0];
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return 1;
  return 1 - Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * The bacteria in the leaf order of an average-linkage (UPGMA) hierarchical clustering on correlation distance, so
 * that similar profiles sit next to each other. Deterministic: the closest pair merges first, ties by the clusters'
 * smallest ids (byte order); the cluster with the smaller id goes first, and each side is flipped if that puts more
 * similar leaves next to each other at the join (no flip on a tie).
 */
export function similarityOrder(profiles: Profile[]): string[] {
  const sorted = [...profiles].sort((a, b) => compareBytes(a.id, b.id));
  const n = sorted.length;
  const leaf = sorted.map((p) => sorted.map((q) => correlationDistance(p.means, q.means)));
  const distance = leaf.map((row) => [...row]);
  // A cluster is its leaves in drawn order, kept at the index of its smallest id (a merge keeps the smaller index).
  const clusters: (number[] | null)[] = sorted.map((_, i) => [i]);
  const size = (i: number) => clusters[i]!.length;
  for (let left = n; left > 1; left--) {
    let best: [number, number] | null = null;
    for (let i = 0; i < n; i++) {
      if (!clusters[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!clusters[j]) continue;
        if (best === null || distance[i]![j]! < distance[best[0]]![best[1]]!) best = [i, j];
      }
    }
    // The first pair found in index order wins a tie: by the clusters' smallest ids, as i < j.
    const [i, j] = best!;
    for (let k = 0; k < n; k++) {
      if (!clusters[k] || k === i || k === j) continue;
      const d = (size(i) * distance[i]![k]! + size(j) * distance[j]![k]!) / (size(i) + size(j));
      distance[i]![k] = distance[k]![i] = d;
    }
    clusters[i] = joined(clusters[i]!, clusters[j]!, leaf);
    clusters[j] = null;
  }
  return n === 0 ? [] : clusters[0]!.map((i) => sorted[i]!.id);
}

/** `a` then `b`, each reversed or not, whichever puts the closest two leaves at the join (the first such on ties). */
function joined(a: number[], b: number[], leaf: number[][]): number[] {
  const options = [
    [a, b],
    [a, [...b].reverse()],
    [[...a].reverse(), b],
    [[...a].reverse(), [...b].reverse()],
  ];
  const gap = ([x, y]: number[][]) => leaf[x!.at(-1)!]![y![0]!]!;
  const best = options.reduce((kept, option) => (gap(option) < gap(kept) ? option : kept));
  return [...best[0]!, ...best[1]!];
}
