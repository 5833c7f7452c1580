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
