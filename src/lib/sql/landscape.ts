import type { FeatureType } from '../manifest.ts';
import { byteOrder, type DatasetSources, type Query } from './sources.ts';

/** The landscape's "Show" choices: every point, the N highest values, or the N lowest. */
export const SHOWS = ['all', 'top', 'bottom'] as const;
export type Show = (typeof SHOWS)[number];

/** One point of a metabolite's profile: a bacterium with a value for that feature. */
export interface MetaboliteProfileRow {
  bacterium: string;
  name: string;
  value: number;
}

/** One point of a bacterium's profile: a feature with a value for that bacterium. */
export interface BacteriumProfileRow {
  feature: string;
  label: string;
  type: FeatureType;
  value: number;
}

/**
 * ORDER BY and LIMIT of the Top/Bottom rule: Top N = the N highest values, Bottom N = the N lowest, ties by `id`
 * ascending in both; "all" lists every value, highest first.
 */
function showClause(show: Show, n: number, id: string, params: (string | number)[]): string {
  const order = `ORDER BY value ${show === 'bottom' ? 'ASC' : 'DESC'}, ${byteOrder(id)} ASC`;
  if (show === 'all') return order;
  params.push(n);
  return `${order}\n LIMIT ?`;
}

/** One row per bacterium with a value for `feature`, with its display name, per the Top/Bottom rule. */
export function metaboliteProfileQuery(
  src: DatasetSources,
  { feature, show, n }: { feature: string; show: Show; n: number },
): Query {
  const params: (string | number)[] = [feature];
  const order = showClause(show, n, 'bacterium', params);
  const sql = `SELECT v.bacterium, b.name, v.value
  FROM ${src.values} AS v JOIN ${src.bacteria} AS b ON b.id = v.bacterium
 WHERE v.feature = ? AND v.value IS NOT NULL
 ${order}`;
  return { sql, params };
}

/** One row per feature with a value in a bacterium's shard, type filter applied, per the Top/Bottom rule. */
export function bacteriumProfileQuery(
  shard: string,
  { type, show, n }: { type: 'all' | FeatureType; show: Show; n: number },
): Query {
  const params: (string | number)[] = [];
  let typeClause = '';
  if (type !== 'all') {
    typeClause = ' AND type = ?';
    params.push(type);
  }
  const order = showClause(show, n, 'feature', params);
  const sql = `SELECT feature, label, type, value
  FROM ${shard}
 WHERE value IS NOT NULL${typeClause}
 ${order}`;
  return { sql, params };
}
