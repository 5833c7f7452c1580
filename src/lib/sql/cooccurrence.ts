import type { FeatureType } from '../manifest.ts';
import { byteOrder, topProducersOf, type DatasetSources, type Query } from './sources.ts';

/** "all": every selected bacterium is a top producer; "any": at least one is. */
export const MODES = ['all', 'any'] as const;
export type Mode = (typeof MODES)[number];

/** One selected bacterium that is a top producer of a qualifying feature. */
export interface CooccurrenceRow {
  feature: string;
  label: string;
  type: FeatureType;
  bacterium: string;
  rank: number;
  value: number;
  /** The highest value among the selected bacteria in this feature's top producers. */
  peak: number;
  /** How many features qualify in all, before the limit. */
  total: number;
}

/**
 * Why a selection cannot be answered, as a sentence for the page, or null when it can; `ranks` is how many top
 * producers each feature keeps (the manifest's `topProducerRanks`).
 */
export function cooccurrenceProblem(bacteria: string[], mode: Mode, ranks: number): string | null {
  const n = new Set(bacteria).size;
  if (n < 2) return 'Select at least 2 bacteria';
  if (mode === 'all' && n > ranks) {
    return (
      `${n} bacteria are selected, but a metabolite has only ${ranks} top producers: ` +
      `no metabolite can have all of them. Select at most ${ranks}, or switch to "any of them".`
    );
  }
  return null;
}

/**
 * Features whose top producers include all (or any) of the selected bacteria, by peak descending then feature id;
 * the first `limit` features (every one for a null limit), each with one row per selected bacterium among its top
 * producers, by rank.
 */
export function cooccurrenceQuery(
  src: DatasetSources,
  {
    bacteria,
    mode,
    type,
    limit = 50,
  }: { bacteria: string[]; mode: Mode; type: 'all' | FeatureType; limit?: number | null },
): Query {
  const selected = [...new Set(bacteria)];
  const params: (string | number)[] = [...selected];
  // One `bacterium = ?` scan per selected bacterium, of the part holding it, not `bacterium IN (...)`: DuckDB 0.9
  // (duckdb-wasm 1.28) pushes only comparisons into the Parquet reader, so IN read the whole file where equality skips
  // to the bacterium's row groups (the parts are sorted by bacterium); MATERIALIZED runs those scans once, not once
  // per use of `sel`. 3-6x faster for 2 to 10 bacteria at full demo scale (BENCHMARKS.md).
  const columns = (from: string) => `SELECT bacterium, feature, rank, value FROM ${from}`;
  const sel =
    selected.length > 0
      ? selected.map((b) => `${columns(topProducersOf(src, b))} WHERE bacterium = ?`).join('\n    UNION ALL ')
      : `${columns(src.topProducers[0]!.source)} WHERE FALSE`;
  let having = '';
  if (mode === 'all') {
    having = '\n     HAVING count(DISTINCT bacterium) = ?';
    params.push(selected.length);
  }
  let typeClause = '';
  if (type !== 'all') {
    typeClause = '\n     WHERE f.type = ?';
    params.push(type);
  }
  if (limit !== null) params.push(limit);
  const sql = `WITH sel AS MATERIALIZED (
    ${sel}
), hits AS (
    SELECT feature, max(value) AS peak FROM sel GROUP BY feature${having}
), ranked AS (
    SELECT h.feature, f.label, f.type, h.peak, count(*) OVER ()::INTEGER AS total,
           row_number() OVER (ORDER BY h.peak DESC, ${byteOrder('h.feature')} ASC) AS ord
      FROM hits AS h JOIN ${src.features} AS f ON f.name = h.feature${typeClause}
)
SELECT r.feature, r.label, r.type, s.bacterium, s.rank, s.value, r.peak, r.total
  FROM ranked AS r JOIN sel AS s ON s.feature = r.feature${limit === null ? '' : '\n WHERE r.ord <= ?'}
 ORDER BY r.ord, s.rank`;
  return { sql, params };
}
