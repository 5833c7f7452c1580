import type { Columns, DirectRead } from '../answers.ts';
import { compareBytes } from '../byte-order.ts';
import type { FeatureType, TopProducerPart } from '../manifest.ts';
import { byteOrder, topProducerPartOf, topProducersOf, type DatasetSources, type Query } from './sources.ts';

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

/** What a co-occurrence asks: the selected bacteria, all or any, a type filter, and how many features (null: all). */
export interface CooccurrenceOptions {
  bacteria: string[];
  mode: Mode;
  type: 'all' | FeatureType;
  limit: number | null;
}

/**
 * Features whose top producers include all (or any) of the selected bacteria, by peak descending then feature id;
 * the first `limit` features (every one for a null limit), each with one row per selected bacterium among its top
 * producers, by rank. Label and type come with the top producers' rows: no other file is read.
 */
export function cooccurrenceQuery(src: DatasetSources, { bacteria, mode, type, limit }: CooccurrenceOptions): Query {
  const selected = [...new Set(bacteria)];
  const params: (string | number)[] = [...selected];
  // One `bacterium = ?` scan per selected bacterium, of the part holding it, not `bacterium IN (...)`: DuckDB 0.9
  // (duckdb-wasm 1.28) pushes only comparisons into the Parquet reader, so IN read the whole file where equality skips
  // to the bacterium's row groups (the parts are sorted by bacterium); MATERIALIZED runs those scans once, not once
  // per use of `sel`. 3-6x faster for 2 to 10 bacteria at full demo scale (BENCHMARKS.md).
  const columns = (from: string) =>
    `SELECT bacterium, feature, coalesce(label, feature) AS label, type, rank, value FROM ${from}`;
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
    typeClause = '\n     WHERE type = ?';
    params.push(type);
  }
  if (limit !== null) params.push(limit);
  const sql = `WITH sel AS MATERIALIZED (
    ${sel}
), hits AS (
    SELECT feature, label, type, max(value) AS peak FROM sel GROUP BY feature, label, type${having}
), ranked AS (
    SELECT feature, label, type, peak, count(*) OVER ()::INTEGER AS total,
           row_number() OVER (ORDER BY peak DESC, ${byteOrder('feature')} ASC) AS ord
      FROM hits${typeClause}
)
SELECT r.feature, r.label, r.type, s.bacterium, s.rank, s.value, r.peak, r.total
  FROM ranked AS r JOIN sel AS s ON s.feature = r.feature${limit === null ? '' : '\n WHERE r.ord <= ?'}
 ORDER BY r.ord, s.rank`;
  return { sql, params };
}

/** A row of a top-producers file: its label is NULL where it is the feature id. */
type TopProducerRow = Omit<CooccurrenceRow, 'peak' | 'total' | 'label'> & { label: string | null };

/**
 * `cooccurrenceQuery`'s answer without the engine: each selected bacterium's rows of the part that holds it (a row
 * group or two), grouped here by the same rules.
 */
export function cooccurrenceRead(
  parts: Pick<TopProducerPart, 'path' | 'firstBacterium'>[],
  { bacteria, mode, type, limit }: CooccurrenceOptions,
): DirectRead {
  const selected = [...new Set(bacteria)];
  return {
    reads: selected.map((bacterium) => ({
      file: topProducerPartOf(parts, bacterium).path,
      columns: ['bacterium', 'feature', 'label', 'type', 'rank', 'value'],
      filter: { bacterium: { $eq: bacterium } },
    })),
    lookup: true,
    answer: (rows) => cooccurrenceOf(rows as unknown as TopProducerRow[], selected.length, { mode, type, limit }),
  };
}

/**
 * The rules of `cooccurrenceQuery` on the selected bacteria's top-producer rows (`selected` distinct bacteria), as
 * row numbers in answer order: "any" of 5 bacteria groups ~40k rows on the page's thread, where an object per row
 * and an array per feature cost three times the grouping (CPU profile, BENCHMARKS.md). Rows are built when asked for.
 */
function cooccurrenceOf(
  rows: TopProducerRow[],
  selected: number,
  { mode, type, limit }: Omit<CooccurrenceOptions, 'bacteria'>,
): Columns<CooccurrenceRow> {
  // Each kept row's feature as a number, with each feature's first row, row count and peak.
  const groupOf = new Map<string, number>();
  const featureOf = new Int32Array(rows.length).fill(-1);
  const first: number[] = [];
  const count: number[] = [];
  const peak: number[] = [];
  rows.forEach((r, i) => {
    if (type !== 'all' && r.type !== type) return;
    let g = groupOf.get(r.feature);
    if (g === undefined) {
      g = first.length;
      groupOf.set(r.feature, g);
      first.push(i);
      count.push(0);
      peak.push(r.value);
    }
    featureOf[i] = g;
    count[g]! += 1;
    if (r.value > peak[g]!) peak[g] = r.value;
  });
  // A feature's rows are of distinct bacteria: it has one rank per bacterium.
  const hits = first
    .map((_, g) => g)
    .filter((g) => mode === 'any' || count[g] === selected)
    .sort((x, y) => peak[y]! - peak[x]! || compareBytes(rows[first[x]!]!.feature, rows[first[y]!]!.feature));
  const total = hits.length;
  const shown = hits.slice(0, limit ?? total);
  // Where each shown feature's rows start in the answer; then each row in its place, a feature's rows sorted by rank
  // as they come (at most one per selected bacterium).
  const start = new Int32Array(first.length).fill(-1);
  let length = 0;
  for (const g of shown) {
    start[g] = length;
    length += count[g]!;
  }
  const order = new Int32Array(length);
  const filled = new Int32Array(first.length);
  featureOf.forEach((g, i) => {
    if (g < 0 || start[g]! < 0) return;
    let at = start[g]! + filled[g]!++;
    for (; at > start[g]! && rows[order[at - 1]!]!.rank > rows[i]!.rank; at--) order[at] = order[at - 1]!;
    order[at] = i;
  });
  const row = (k: number): CooccurrenceRow => {
    const r = rows[order[k]!]!;
    return { ...r, label: r.label ?? r.feature, peak: peak[featureOf[order[k]!]!]!, total };
  };
  return {
    length,
    column: (name) => Array.from({ length }, (_, k) => row(k)[name]),
    row,
  };
}
