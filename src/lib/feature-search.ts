import { compareBytes } from './byte-order.ts';
import type { FeatureType } from './feature-types.ts';
import { parseSearch, type MzWindow } from './mz-query.ts';

/** A feature as the search reads it: a row of the features file. */
export interface SearchableFeature {
  name: string;
  label: string;
  type: FeatureType;
  mz: number | null;
  rt: number | null;
  n_values: number;
}

/** One feature the metabolite search offers, with the number of features the search matched in all. */
export interface FeatureMatch extends SearchableFeature {
  /** Every match of the search, not only the `limit` returned. */
  total: number;
}

/** What the search box asks for: free text or an m/z query (see parseSearch), a type filter and how many to show. */
export interface FeatureSearch {
  text: string;
  type: 'all' | FeatureType;
  limit?: number;
}

/** A feature's label and type, as `featureLabelQueries` (sql/features.ts) answers them. */
export type FeatureLabel = Pick<SearchableFeature, 'name' | 'label' | 'type'>;

/**
 * The labels of `names` as `find` knows them, in their order (a name given twice, twice; one `find` does not know,
 * nothing): the answers of `featureLabelQueries`, one query per name, put together.
 */
export function labelsOf(
  names: readonly string[],
  find: (name: string) => FeatureLabel | null | undefined,
): FeatureLabel[] {
  return names.flatMap((name) => {
    const f = find(name);
    return f ? [{ name: f.name, label: f.label, type: f.type }] : [];
  });
}

/** The metabolite search over a dataset's features, answered in the page from their columns. */
export interface FeatureIndex {
  search(search: FeatureSearch): FeatureMatch[];
  /** The label and type of each of `names` that is a feature, as `labelsOf` puts them. */
  labels(names: readonly string[]): FeatureLabel[];
}

/**
 * The `k` first of `items` by `order`, in that order, without sorting them all (a search may match most features),
 * and how many items there were.
 */
function firstOf<T>(items: Iterable<T>, k: number, order: (x: T, y: T) => number): { first: T[]; total: number } {
  const first: T[] = [];
  let total = 0;
  for (const item of items) {
    total += 1;
    if (first.length === k && (k === 0 || order(item, first[k - 1]!) >= 0)) continue;
    let lo = 0;
    let hi = first.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(first[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    first.splice(lo, 0, item);
    if (first.length > k) first.pop();
  }
  return { first, total };
}

/**
 * The search over `features`. Text: features whose label or id contains it (case-insensitive, every character
 * literal), exact matches first, then prefixes, then the rest; ties by label, then id, in byte order. An m/z query
 * (see parseSearch): features whose m/z lies in its window, bounds included, nearest first, ties by id in byte order;
 * none without an m/z. Text that is neither (an m/z below 0, say) is refused with the reason: the search box says it.
 */
export function featureIndex(features: readonly SearchableFeature[]): FeatureIndex {
  // Lowered once: a keystroke then scans two arrays of strings.
  const labels = features.map((f) => f.label.toLowerCase());
  const names = features.map((f) => f.name.toLowerCase());
  let byName: Map<string, SearchableFeature> | undefined;

  const textMatches = function* (text: string, type: FeatureSearch['type']) {
    const t = text.toLowerCase();
    for (let i = 0; i < features.length; i++) {
      const [label, name] = [labels[i]!, names[i]!];
      if ((type !== 'all' && features[i]!.type !== type) || !(label.includes(t) || name.includes(t))) continue;
      const rank = label === t || name === t ? 0 : label.startsWith(t) || name.startsWith(t) ? 1 : 2;
      yield { feature: features[i]!, rank };
    }
  };
  const mzMatches = function* ({ mz, halfWidth }: MzWindow, type: FeatureSearch['type']) {
    for (const feature of features) {
      if ((type !== 'all' && feature.type !== type) || feature.mz === null) continue;
      const distance = Math.abs(feature.mz - mz);
      if (distance <= halfWidth) yield { feature, rank: distance };
    }
  };

  return {
    search({ text, type, limit = 100 }) {
      const parsed = parseSearch(text);
      if (parsed.kind === 'invalid') throw new RangeError(parsed.message);
      const { first, total } =
        parsed.kind === 'mz'
          ? firstOf(
              mzMatches(parsed.window, type),
              limit,
              (x, y) => x.rank - y.rank || compareBytes(x.feature.name, y.feature.name),
            )
          : firstOf(
              textMatches(parsed.text, type),
              limit,
              (x, y) =>
                x.rank - y.rank ||
                compareBytes(x.feature.label, y.feature.label) ||
                compareBytes(x.feature.name, y.feature.name),
            );
      return first.map(({ feature }) => ({ ...feature, total }));
    },
    labels(wanted) {
      const known = (byName ??= new Map(features.map((f) => [f.name, f])));
      return labelsOf(wanted, (name) => known.get(name));
    },
  };
}
