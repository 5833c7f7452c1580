import type { FeatureType } from '../manifest.ts';
import { byteOrder, type Query } from './sources.ts';

/** One feature the metabolite search offers. */
export interface FeatureMatch {
  name: string;
  label: string;
  type: FeatureType;
  n_values: number;
}

/** What the search box asks for: free text, a type filter and how many matches to show. */
export interface FeatureSearch {
  text: string;
  type: 'all' | FeatureType;
  limit?: number;
}

/**
 * Features whose label or name contains `text` (case-insensitive, trimmed), exact matches first, then prefixes,
 * then the rest; ties by label, then name, in byte order. The text is bound, and matched with contains/starts_with
 * rather than LIKE so that `%` and `_` in it are literal.
 */
export function searchFeaturesQuery(features: string, { text, type, limit = 100 }: FeatureSearch): Query {
  const params: (string | number)[] = [text.trim()];
  let typeClause = '';
  if (type !== 'all') {
    typeClause = '\n   AND f.type = ?';
    params.push(type);
  }
  params.push(limit);
  const sql = `WITH q AS (SELECT lower(?) AS t)
SELECT f.name, f.label, f.type, f.n_values
  FROM ${features} AS f, q
 WHERE (contains(lower(f.label), q.t) OR contains(lower(f.name), q.t))${typeClause}
 ORDER BY CASE WHEN lower(f.label) = q.t OR lower(f.name) = q.t THEN 0
               WHEN starts_with(lower(f.label), q.t) OR starts_with(lower(f.name), q.t) THEN 1
               ELSE 2 END,
          ${byteOrder('f.label')}, ${byteOrder('f.name')}
 LIMIT ?`;
  return { sql, params };
}

/** Bacteria whose id or name contains `text` (case-insensitive, trimmed): prefixes first, ties by id in byte order. */
export function filterBacteria<T extends { id: string; name: string }>(
  list: readonly T[],
  text: string,
  limit: number,
): T[] {
  const q = text.trim().toLowerCase();
  const rank = ({ id, name }: T) => {
    const [i, n] = [id.toLowerCase(), name.toLowerCase()];
    if (i.startsWith(q) || n.startsWith(q)) return 0;
    return i.includes(q) || n.includes(q) ? 1 : 2;
  };
  return list
    .map((item) => ({ item, rank: rank(item) }))
    .filter((m) => m.rank < 2)
    .sort((a, b) => a.rank - b.rank || compareCodePoints(a.item.id, b.item.id))
    .slice(0, limit)
    .map((m) => m.item);
}

/** Orders strings as DuckDB does (UTF-8 bytes, i.e. code points), unlike `<`, which compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const [x, y] = [a[Symbol.iterator](), b[Symbol.iterator]()];
  for (;;) {
    const [p, q] = [x.next(), y.next()];
    if (p.done || q.done) return (p.done ? 0 : 1) - (q.done ? 0 : 1);
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
