import type { FeatureType } from '../manifest.ts';
import { parseSearch, type MzWindow } from '../mz-query.ts';
import { byteOrder, type Query } from './sources.ts';

/** One feature the metabolite search offers, with the number of features the search matched in all. */
export interface FeatureMatch {
  name: string;
  label: string;
  type: FeatureType;
  mz: number | null;
  rt: number | null;
  n_values: number;
  /** Every match of the search, not only the `limit` returned. */
  total: number;
}

/** What the search box asks for: free text or an m/z query (see parseSearch), a type filter and how many to show. */
export interface FeatureSearch {
  text: string;
  type: 'all' | FeatureType;
  limit?: number;
}

const COLUMNS = 'f.name, f.label, f.type, f.mz, f.rt, f.n_values, (count(*) OVER ())::INTEGER AS total';

/**
 * The features `text` asks for, as parseSearch reads it: an m/z window (textMatches otherwise). Text that is neither
 * (an m/z below 0, say) is refused: the search box says why before it searches.
 */
export function searchFeaturesQuery(features: string, search: FeatureSearch): Query {
  const parsed = parseSearch(search.text);
  if (parsed.kind === 'invalid') throw new RangeError(parsed.message);
  return parsed.kind === 'mz' ? mzMatches(features, parsed.window, search) : textMatches(features, parsed.text, search);
}

/** The type clause and its parameter, if any. */
function typeFilter(type: FeatureSearch['type']): { clause: string; params: string[] } {
  return type === 'all' ? { clause: '', params: [] } : { clause: '\n   AND f.type = ?', params: [type] };
}

/**
 * Features whose label or name contains `text` (case-insensitive), exact matches first, then prefixes, then the rest;
 * ties by label, then name, in byte order. The text is bound, and matched with contains/starts_with rather than LIKE
 * so that `%` and `_` in it are literal.
 */
function textMatches(features: string, text: string, { type, limit = 100 }: FeatureSearch): Query {
  const filter = typeFilter(type);
  const sql = `WITH q AS (SELECT lower(?) AS t)
SELECT ${COLUMNS}
  FROM ${features} AS f, q
 WHERE (contains(lower(f.label), q.t) OR contains(lower(f.name), q.t))${filter.clause}
 ORDER BY CASE WHEN lower(f.label) = q.t OR lower(f.name) = q.t THEN 0
               WHEN starts_with(lower(f.label), q.t) OR starts_with(lower(f.name), q.t) THEN 1
               ELSE 2 END,
          ${byteOrder('f.label')}, ${byteOrder('f.name')}
 LIMIT ?`;
  return { sql, params: [text, ...filter.params, limit] };
}

/** Features whose mz lies in the window (|mz − target| ≤ half-width, bounds included), nearest first, ties by id. */
function mzMatches(features: string, window: MzWindow, { type, limit = 100 }: FeatureSearch): Query {
  const filter = typeFilter(type);
  const sql = `WITH q AS (SELECT ?::DOUBLE AS mz, ?::DOUBLE AS half)
SELECT ${COLUMNS}
  FROM ${features} AS f, q
 WHERE abs(f.mz - q.mz) <= q.half${filter.clause}
 ORDER BY abs(f.mz - q.mz), ${byteOrder('f.name')}
 LIMIT ?`;
  return { sql, params: [window.mz, window.halfWidth, ...filter.params, limit] };
}
