import { compareBytes } from '../byte-order.ts';
import { rowColumns, type DirectRead } from '../answers.ts';
import type { FeatureType, ValuePart } from '../manifest.ts';
import { byteOrder, valuePartOf, valuesOf, type DatasetSources, type Query } from './sources.ts';

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

/** The Top/Bottom rule of `showClause` on rows in memory, for answers read without the engine. */
export function byShow<T extends { value: number }>(rows: T[], show: Show, n: number, id: (row: T) => string): T[] {
  const sign = show === 'bottom' ? 1 : -1;
  const sorted = rows.toSorted((x, y) => sign * (x.value - y.value) || compareBytes(id(x), id(y)));
  return show === 'all' ? sorted : sorted.slice(0, n);
}

/** One row per bacterium with a value for `feature`, with its display name, per the Top/Bottom rule. */
export function metaboliteProfileQuery(
  src: DatasetSources,
  { feature, show, n }: { feature: string; show: Show; n: number },
): Query {
  const params: (string | number)[] = [feature];
  const order = showClause(show, n, 'bacterium', params);
  const sql = `SELECT v.bacterium, b.name, v.value
  FROM ${valuesOf(src, feature)} AS v JOIN ${src.bacteria} AS b ON b.id = v.bacterium
 WHERE v.feature = ? AND v.value IS NOT NULL
 ${order}`;
  return { sql, params };
}

/**
 * `metaboliteProfileQuery`'s answer without the engine: the feature's rows of the values part that holds it (one row
 * group), named from the manifest's bacteria as the query names them from the bacteria file.
 */
export function metaboliteProfileRead(
  parts: Pick<ValuePart, 'path' | 'firstFeature'>[],
  bacteria: { id: string; name: string }[],
  { feature, show, n }: { feature: string; show: Show; n: number },
): DirectRead {
  const names = new Map(bacteria.map((b) => [b.id, b.name]));
  const file = valuePartOf(parts, feature).path;
  return {
    reads: [{ file, columns: ['bacterium', 'value'], filter: { feature: { $eq: feature } } }],
    lookup: true,
    answer: (rows) =>
      byShow(
        (rows as { bacterium: string; value: number | null }[]).filter(
          (r): r is { bacterium: string; value: number } => r.value !== null && names.has(r.bacterium),
        ),
        show,
        n,
        (r) => r.bacterium,
      ).map(({ bacterium, value }): MetaboliteProfileRow => ({ bacterium, name: names.get(bacterium)!, value })),
  };
}

/**
 * A bacterium's shard, from `cells` (one row per feature with a value: feature, label, type, value): sorted by value
 * descending, with its Top and Bottom ranks precomputed (ties by feature id in byte order, which the build's DuckDB
 * sorts right and duckdb-wasm 1.28 does not always). The build writes it with small row groups, so a Top or Bottom N
 * over all types reads only the groups holding those ranks.
 */
export function bacteriumShardSelect(cells: string): string {
  return `SELECT feature, label, type, value,
       row_number() OVER (ORDER BY value DESC, feature ASC)::INTEGER AS rank_desc,
       row_number() OVER (ORDER BY value ASC, feature ASC)::INTEGER AS rank_asc
  FROM ${cells}
 ORDER BY value DESC, feature ASC`;
}

/**
 * One row per feature in a bacterium's shard, type filter applied, per the Top/Bottom rule, in the order of the
 * precomputed rank. Over all types Top/Bottom N is a filter on that rank, which the Parquet reader answers from
 * row-group statistics; with a type filter it is the first N of that type by rank.
 */
export function bacteriumProfileQuery(
  shard: string,
  { type, show, n }: { type: 'all' | FeatureType; show: Show; n: number },
): Query {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`N must be a whole number >= 1, got ${n}`);
  const rank = show === 'bottom' ? 'rank_asc' : 'rank_desc';
  const params: (string | number)[] = [];
  const where: string[] = [];
  if (type !== 'all') {
    where.push('type = ?');
    params.push(type);
  } else if (show !== 'all') {
    // N is written into the SQL, not bound: DuckDB 0.9 (duckdb-wasm 1.28) prunes row groups by their statistics
    // only for a constant, so a bound `rank <= ?` fetched the whole shard (841 KiB for a Top 10 at full scale,
    // 104 KiB with the constant). N is a checked integer.
    where.push(`${rank} <= ${n}`);
  }
  const limit = type !== 'all' && show !== 'all';
  if (limit) params.push(n);
  const sql = `SELECT feature, label, type, value
  FROM ${shard}${where.length > 0 ? `\n WHERE ${where.join(' AND ')}` : ''}
 ORDER BY ${rank}${limit ? '\n LIMIT ?' : ''}`;
  return { sql, params };
}

/**
 * `bacteriumProfileQuery`'s answer without the engine, from the same shard: the rows its filter keeps (over all types,
 * Top/Bottom N reads only the row groups holding those ranks), in rank order, the first N of a type.
 */
export function bacteriumProfileRead(
  shard: string,
  { type, show, n }: { type: 'all' | FeatureType; show: Show; n: number },
): DirectRead {
  const rank = show === 'bottom' ? 'rank_asc' : 'rank_desc';
  const filter = type !== 'all' ? { type: { $eq: type } } : show !== 'all' ? { [rank]: { $lte: n } } : undefined;
  type Ranked = BacteriumProfileRow & Record<typeof rank, number>;
  return {
    reads: [{ file: shard, columns: ['feature', 'label', 'type', 'value', rank], filter }],
    // Over all types, Top/Bottom N reads the row groups of those ranks; the rest reads the whole shard.
    lookup: type === 'all' && show !== 'all',
    answer(rows) {
      const ranked = (rows as unknown as Ranked[]).toSorted((x, y) => x[rank] - y[rank]);
      const kept = type !== 'all' && show !== 'all' ? ranked.slice(0, n) : ranked;
      return rowColumns(
        kept.map(({ feature, label, type, value }): BacteriumProfileRow => ({ feature, label, type, value })),
      );
    },
  };
}
