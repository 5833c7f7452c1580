import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import type { Dataset, Manifest } from '../../src/lib/manifest.ts';
import { bacteriumPairsSql } from '../../src/lib/sql/compare.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { DOWNLOAD_FORMATS, downloadSource } from './downloads.ts';
import { compareBytes } from '../../src/lib/byte-order.ts';
import { queryRows } from './duck.ts';
import type { Log } from './log.ts';
import { extractionColumns, qualifiedName, type TableSchema } from './schema.ts';

/**
 * What the build proves equal in the source and in its output, per bacterium, over the finite non-NULL cells: how
 * many, their sum, the sum of their squares, and their sum weighted by the feature's ordinal (its 1-based position
 * in byte order of the names), which changes when values move between features although count and sums do not.
 */
export interface CellAggregates {
  cells: number;
  sum: number;
  sumSquares: number;
  weightedSum: number;
  /** NaN and ±∞ cells: the source's are reported as not measured; any other is garbage and fails the build. */
  nonFinite: number;
}

/** The aggregates of one dataset, by bacterium id. */
export type DatasetAggregates = Record<string, CellAggregates>;

/** Bacteria per PostgreSQL query: five aggregates each stay well under its 1,664 result columns. */
const BACTERIA_PER_QUERY = 100;

/** The queries PostgreSQL answers with a dataset's aggregates: one scan per group of bacteria, one row each. */
export function sourceAggregateQueries(t: TableSchema): { sql: string; bacteria: string[] }[] {
  const [name, , , , , ...values] = extractionColumns(t);
  const groups: { sql: string; bacteria: string[] }[] = [];
  for (let start = 0; start < t.bacteria.length; start += BACTERIA_PER_QUERY) {
    const bacteria = t.bacteria.slice(start, start + BACTERIA_PER_QUERY);
    const columns = bacteria.map((_, i) => `${values[start + i]} AS b${i}`);
    // abs(v) < 'Infinity' is false for NaN too: PostgreSQL orders NaN above every number.
    const aggregates = bacteria.map((_, i) => {
      const finite = `FILTER (WHERE abs(b${i}) < 'Infinity')`;
      return [
        `count(*) ${finite} AS n${i}`,
        `count(b${i}) FILTER (WHERE NOT abs(b${i}) < 'Infinity') AS x${i}`,
        `coalesce(sum(b${i}) ${finite}, 0) AS s${i}`,
        `coalesce(sum(b${i} * b${i}) ${finite}, 0) AS q${i}`,
        `coalesce(sum(b${i} * ord) ${finite}, 0) AS w${i}`,
      ].join(', ');
    });
    groups.push({
      bacteria,
      sql: `SELECT ${aggregates.join(',\n  ')}
        FROM (SELECT *, row_number() OVER (ORDER BY name COLLATE "C") AS ord
                FROM (SELECT ${name} AS name, ${columns.join(', ')} FROM ${qualifiedName(t)}) AS s
               WHERE trim(coalesce(name, '')) <> '') AS t`,
    });
  }
  return groups;
}

/** Runs one query of `sourceAggregateQueries` and reads its row back. */
export async function readSourceAggregates(
  client: pg.ClientBase,
  { sql, bacteria }: { sql: string; bacteria: string[] },
): Promise<DatasetAggregates> {
  const { rows } = await client.query<Record<string, string | number>>(sql);
  const row = rows[0]!;
  return Object.fromEntries(
    bacteria.map((id, i) => [
      id,
      {
        cells: Number(row[`n${i}`]),
        nonFinite: Number(row[`x${i}`]),
        sum: Number(row[`s${i}`]),
        sumSquares: Number(row[`q${i}`]),
        weightedSum: Number(row[`w${i}`]),
      },
    ]),
  );
}

/** The aggregates of staged values, with the scales that bound their rounding error. */
interface StagedAggregates extends CellAggregates {
  absSum: number;
  absWeightedSum: number;
  /** Cells whose feature is not in the features file. */
  orphans: number;
  /** Rows whose label, type, m/z or RT are not their feature's in the features file (downloads only), the least. */
  mismatches: number;
  mismatched: string | null;
}

/**
 * Σ of n doubles in any order differs from the exact sum by at most (n - 1)·2⁻⁵³·Σ|v| (Higham, recursive
 * summation); PostgreSQL and DuckDB each add in their own order, and a product adds one rounding more, so two correct
 * results differ by less than (n + 2)·2⁻⁵²·scale. At full demo scale that is about 5e-7 for a bacterium's sum of
 * 30,000 values: any cell wrong by more is caught, and the corruption this guards against changes values wholesale.
 */
export function tolerance(cells: number, scale: number): number {
  return (cells + 2) * 2 ** -52 * scale;
}

const fmt = (a: CellAggregates) =>
  `${a.cells} cells, sum ${a.sum}, sum of squares ${a.sumSquares}, ordinal-weighted sum ${a.weightedSum}`;

/**
 * Compares staged aggregates with the source's; returns the problem in words, or the largest difference as a
 * fraction of its tolerance.
 */
function compare(
  where: string,
  source: CellAggregates,
  staged: StagedAggregates,
): { problem: string } | { used: number } {
  const mismatch = (why: string) => ({ problem: `${where}: ${why}: ${fmt(staged)}; the source has ${fmt(source)}` });
  if (staged.nonFinite > 0) return mismatch(`${staged.nonFinite} NaN or infinite values`);
  if (staged.orphans > 0) return mismatch(`${staged.orphans} values of features missing from the features file`);
  if (staged.cells !== source.cells) return mismatch('cell count differs');
  let used = 0;
  for (const [key, scale] of [
    ['sum', staged.absSum],
    ['sumSquares', staged.sumSquares],
    ['weightedSum', staged.absWeightedSum],
  ] as const) {
    const allowed = tolerance(staged.cells, scale);
    const difference = Math.abs(staged[key] - source[key]);
    if (!(difference <= allowed)) return mismatch(`${key} differs by ${difference} (tolerance ${allowed})`);
    if (allowed > 0) used = Math.max(used, difference / allowed);
  }
  return { used };
}

const list = (paths: string[]) => `[${paths.map(quoteLiteral).join(', ')}]`;

/**
 * Per-bacterium aggregates of staged cells read by `cellsSql` (feature, bacterium, value), and the rows per file. A
 * download's rows (`download`) also hold the feature's label, type, mz and rt, and the file they come from: those
 * whose columns differ from the features file are counted, and its files' rows, in the same pass, so that each CSV
 * is parsed once (it was parsed three times: for its cells, its columns, and its row count in validation).
 */
async function stagedAggregates(
  duck: DuckDBConnection,
  featuresPath: string,
  cellsSql: string,
  { download = false } = {},
): Promise<{ cells: Record<string, StagedAggregates>; rowsPerFile: Record<string, number> }> {
  const mismatch = download
    ? 'f.ord IS NOT NULL AND (c.label, c.type, c.mz, c.rt) IS DISTINCT FROM (f.label, f.type, f.mz, f.rt)'
    : 'false';
  const rows = await queryRows<StagedAggregates & { bacterium: string; file: string; byFile: boolean; rows: number }>(
    duck,
    `WITH f AS (SELECT name, label, type, mz, rt, row_number() OVER (ORDER BY name) AS ord
                  FROM read_parquet(${quoteLiteral(featuresPath)})),
          v AS (SELECT c.feature, c.bacterium, c.value, ${download ? 'c.filename' : 'NULL'} AS file, f.ord,
                       isfinite(c.value) AS finite, ${mismatch} AS mismatch
                  FROM (${cellsSql}) AS c LEFT JOIN f ON f.name = c.feature)
     SELECT bacterium, file, grouping(bacterium) = 1 AS "byFile", count(*)::DOUBLE AS rows,
            count(*) FILTER (WHERE finite)::DOUBLE AS cells,
            count(*) FILTER (WHERE NOT finite)::DOUBLE AS "nonFinite",
            count(*) FILTER (WHERE ord IS NULL)::DOUBLE AS orphans,
            coalesce(sum(value) FILTER (WHERE finite), 0) AS sum,
            coalesce(sum(value * value) FILTER (WHERE finite), 0) AS "sumSquares",
            coalesce(sum(value * ord) FILTER (WHERE finite), 0) AS "weightedSum",
            coalesce(sum(abs(value)) FILTER (WHERE finite), 0) AS "absSum",
            coalesce(sum(abs(value) * ord) FILTER (WHERE finite), 0) AS "absWeightedSum",
            count(*) FILTER (WHERE mismatch)::DOUBLE AS mismatches,
            min(feature) FILTER (WHERE mismatch) AS mismatched
       FROM v GROUP BY GROUPING SETS ((bacterium), (file))`,
  );
  return {
    cells: Object.fromEntries(
      rows.filter((r) => !r.byFile).map(({ bacterium, file: _f, byFile: _b, rows: _r, ...a }) => [bacterium, a]),
    ),
    rowsPerFile: Object.fromEntries(rows.filter((r) => r.byFile && r.file !== null).map((r) => [r.file, r.rows])),
  };
}

/**
 * The rows of a download whose label, type, m/z or RT are not their feature's, in words, from its aggregates; or
 * undefined when there are none. Their cells are checked against the source like the values.
 */
function attributeProblems(cells: Record<string, StagedAggregates>): string | undefined {
  const wrong = Object.values(cells).filter((a) => a.mismatches > 0);
  if (wrong.length === 0) return undefined;
  const n = wrong.reduce((sum, a) => sum + a.mismatches, 0);
  const example = wrong.map((a) => a.mismatched!).reduce((least, f) => (compareBytes(f, least) < 0 ? f : least));
  const rows = `${n} rows whose label, type, m/z or RT differ from the features file`;
  return `${rows}, e.g. feature ${JSON.stringify(example)}`;
}

/** The aggregates of two disjoint sets of rows, as of their union (`mismatched` the least in byte order). */
function union(a: StagedAggregates, b: StagedAggregates): StagedAggregates {
  const [x, y] = [a.mismatched, b.mismatched];
  return {
    cells: a.cells + b.cells,
    nonFinite: a.nonFinite + b.nonFinite,
    orphans: a.orphans + b.orphans,
    sum: a.sum + b.sum,
    sumSquares: a.sumSquares + b.sumSquares,
    weightedSum: a.weightedSum + b.weightedSum,
    absSum: a.absSum + b.absSum,
    absWeightedSum: a.absWeightedSum + b.absWeightedSum,
    mismatches: a.mismatches + b.mismatches,
    mismatched: x === null ? y : y === null || compareBytes(x, y) <= 0 ? x : y,
  };
}

const NONE: StagedAggregates = {
  cells: 0,
  nonFinite: 0,
  orphans: 0,
  sum: 0,
  sumSquares: 0,
  weightedSum: 0,
  absSum: 0,
  absWeightedSum: 0,
  mismatches: 0,
  mismatched: null,
};

/**
 * Checks the top-producer rows against the staged values, without the ranking query that wrote them: each row's
 * value is its cell's and positive; a feature's ranks run 1..k in order of value (descending) then bacterium id;
 * k is the smaller of `ranks` and the feature's positive cells; no cell left out beats the last row; and each row's
 * type and label are its feature's in the features file (the label NULL where it is the feature id). And the parts:
 * each begins with its first bacterium and holds no bacterium of the next, which the browser reads instead.
 */
async function topProducerProblems(
  duck: DuckDBConnection,
  {
    values,
    features,
    topProducers,
  }: { values: string[]; features: string; topProducers: { path: string; firstBacterium: string }[] },
  ranks: number,
): Promise<{ problems: string[]; rows: number }> {
  const parts = topProducers.map(
    (p, i) =>
      `(${quoteLiteral(p.path)}, ${quoteLiteral(p.firstBacterium)}, ` +
      `${i + 1 < topProducers.length ? quoteLiteral(topProducers[i + 1]!.firstBacterium) : 'NULL'})`,
  );
  const rows = await queryRows<{
    kind: string;
    n: number;
    feature: string | null;
    bacterium: string | null;
    total: number;
  }>(
    duck,
    `WITH v AS (SELECT feature, bacterium, value FROM read_parquet(${list(values)})),
          tp AS (SELECT * FROM read_parquet(${list(topProducers.map((p) => p.path))}, filename = true)),
          t AS (SELECT feature, bacterium, rank, value FROM tp),
          f AS (SELECT name, label, type FROM read_parquet(${quoteLiteral(features)})),
          parts AS (SELECT * FROM (VALUES ${parts.join(', ')}) AS parts(path, first, next)),
          k AS (SELECT feature, count(*) AS k, min(rank) AS lo, max(rank) AS hi, count(DISTINCT rank) AS d
                  FROM t GROUP BY feature),
          p AS (SELECT feature, count(*) AS positive FROM v WHERE value > 0 GROUP BY feature),
          last AS (SELECT t.feature, t.bacterium, t.value FROM t JOIN k ON k.feature = t.feature AND t.rank = k.k),
          problems AS (
            SELECT 'value differs from its cell, or is not positive' AS kind, t.feature, t.bacterium
              FROM t LEFT JOIN v USING (feature, bacterium)
             WHERE v.value IS DISTINCT FROM t.value OR t.value <= 0
            UNION ALL
            SELECT 'label or type differs from the features file', tp.feature, tp.bacterium
              FROM tp LEFT JOIN f ON f.name = tp.feature
             WHERE (coalesce(tp.label, tp.feature), tp.type) IS DISTINCT FROM (f.label, f.type)
                OR tp.label = tp.feature
            UNION ALL
            SELECT 'ranks do not run 1..k', feature, NULL FROM k WHERE lo <> 1 OR hi <> k OR d <> k
            UNION ALL
            SELECT 'ranks out of order', feature, bacterium FROM (
              SELECT *, lag(value) OVER w AS pv, lag(bacterium) OVER w AS pb
                FROM t WINDOW w AS (PARTITION BY feature ORDER BY rank))
             WHERE pv < value OR (pv = value AND pb >= bacterium)
            UNION ALL
            SELECT 'wrong number of producers', coalesce(p.feature, k.feature), NULL
              FROM p FULL JOIN k USING (feature)
             WHERE coalesce(k.k, 0) <> least(coalesce(p.positive, 0), ${Math.trunc(ranks)})
            UNION ALL
            SELECT 'a higher producer is left out', v.feature, v.bacterium
              FROM v JOIN last AS l USING (feature)
             WHERE (v.value > l.value OR (v.value = l.value AND v.bacterium < l.bacterium))
               AND NOT EXISTS (SELECT 1 FROM t WHERE t.feature = v.feature AND t.bacterium = v.bacterium)
            UNION ALL
            SELECT 'row outside the bacteria of its part', tp.feature, tp.bacterium
              FROM tp JOIN parts ON parts.path = tp.filename
             WHERE tp.bacterium < parts.first OR tp.bacterium >= parts.next
            UNION ALL
            SELECT 'part does not begin with its first bacterium', NULL, parts.first
              FROM parts JOIN (SELECT filename, min(bacterium) AS lowest FROM tp GROUP BY filename) AS m
                ON m.filename = parts.path
             WHERE m.lowest <> parts.first)
     SELECT kind, count(*)::DOUBLE AS n, min(feature) AS feature,
            arg_min(bacterium, coalesce(feature, '')) AS bacterium, (SELECT count(*) FROM t)::DOUBLE AS total
       FROM problems GROUP BY kind
     UNION ALL SELECT 'total', 0, '', NULL, (SELECT count(*) FROM t)::DOUBLE`,
  );
  const total = rows.find((r) => r.kind === 'total')!.total;
  const problems = rows
    .filter((r) => r.kind !== 'total')
    .map(
      (r) =>
        `${r.n} top-producer rows: ${r.kind}, e.g. ` +
        [
          ...(r.feature === null ? [] : [`feature ${JSON.stringify(r.feature)}`]),
          ...(r.bacterium === null ? [] : [`bacterium ${JSON.stringify(r.bacterium)}`]),
        ].join(', '),
    );
  return { problems, rows: total };
}

/**
 * Checks the overview against the staged values and features, without the binning that wrote it: per bacterium its
 * measured counts add up to its values, the largest of its bin maxima is its largest value and the smallest bin
 * minimum its smallest; every bin has a row per bacterium, the bins' features add up to the features file, and each
 * strongest value is its cell's.
 */
async function overviewProblems(
  duck: DuckDBConnection,
  { values, features, overview }: { values: string[]; features: string; overview: string },
  bacteria: number,
): Promise<string[]> {
  const rows = await queryRows<{ kind: string; n: number; example: string | null }>(
    duck,
    `WITH v AS (SELECT feature, bacterium, value FROM read_parquet(${list(values)})),
          o AS (SELECT * FROM read_parquet(${quoteLiteral(overview)})),
          vb AS (SELECT bacterium, count(*) AS n, max(value) AS hi, min(value) AS lo FROM v GROUP BY bacterium),
          ob AS (SELECT bacterium, sum(measured) AS n, max(max_value) AS hi, min(min_value) AS lo FROM o
                  GROUP BY bacterium),
          bins AS (SELECT bin, count(*) AS cells, count(DISTINCT bacterium) AS bacteria, min(features) AS features
                     FROM o GROUP BY bin),
          problems AS (
            SELECT 'measured counts, largest or smallest value differ from the values' AS kind,
                   coalesce(vb.bacterium, ob.bacterium) AS example
              FROM vb FULL JOIN ob USING (bacterium)
             WHERE coalesce(vb.n, 0) <> coalesce(ob.n, 0) OR vb.hi IS DISTINCT FROM ob.hi
                OR vb.lo IS DISTINCT FROM ob.lo
            UNION ALL
            SELECT 'a bin lacks a row per bacterium', bin::VARCHAR FROM bins
             WHERE cells <> ${Math.trunc(bacteria)} OR bacteria <> ${Math.trunc(bacteria)}
            UNION ALL
            SELECT 'the bins do not hold every feature once', NULL
             WHERE coalesce((SELECT sum(features) FROM bins), 0)
                   <> (SELECT count(*) FROM read_parquet(${quoteLiteral(features)}))
            UNION ALL
            SELECT 'strongest value differs from its cell', o.bacterium || ' ' || o.strongest
              FROM o LEFT JOIN v ON v.feature = o.strongest AND v.bacterium = o.bacterium
             WHERE o.measured > 0 AND v.value IS DISTINCT FROM o.strongest_value)
     SELECT kind, count(*)::DOUBLE AS n, min(example) AS example FROM problems GROUP BY kind ORDER BY kind`,
  );
  return rows.map(
    (r) => `overview: ${r.n} × ${r.kind}` + (r.example === null ? '' : `, e.g. ${JSON.stringify(r.example)}`),
  );
}

/** What the source check found for one dataset, for the build report. */
export interface DatasetVerification {
  id: string;
  bacteria: number;
  cells: number;
  topProducerRows: number;
  /** The largest difference between a staged and a source aggregate, as a fraction of its tolerance. */
  largestDifference: number;
}

/** One dataset as staged: its manifest entry, the source's aggregates and the NaN/∞ cells its precompute dropped. */
export interface StagedDataset {
  dataset: Pick<Dataset, 'id' | 'files' | 'bacteria' | 'counts' | 'downloads'>;
  source: DatasetAggregates;
  droppedNonFinite: Record<string, number>;
}

/**
 * Proves the staged files equal the source: per bacterium, the aggregates of the values parts, of the bacterium
 * file and of each format of the downloads equal PostgreSQL's (and the downloads' feature columns the features
 * file's), no NaN or ∞ appeared that the source did not hold, the counts the site shows are the source's, and the
 * top-producer rows and the overview follow from the values. Throws naming the dataset, bacterium and figures.
 */
export async function verifyStaged(
  duck: DuckDBConnection,
  staging: string,
  { dataset, source, droppedNonFinite }: StagedDataset,
  topProducerRanks: number,
  log: Log,
): Promise<DatasetVerification> {
  const at = (path: string) => join(staging, path);
  const features = at(dataset.files.features.path);
  const values = dataset.files.values.map((p) => at(p.path));
  // Each check is timed on its own in the report (summed over the datasets, and part of verify's time).
  const { cells: fromParts } = await log.step('values (in verify)', () =>
    stagedAggregates(duck, features, `SELECT feature, bacterium, value FROM read_parquet(${list(values)})`),
  );
  const shards = dataset.bacteria.map((b) => `(${quoteLiteral(at(b.file.path))}, ${quoteLiteral(b.id)})`);
  const fromShards =
    shards.length === 0
      ? {}
      : (
          await log.step('bacterium files (in verify)', () =>
            stagedAggregates(
              duck,
              features,
              `SELECT s.feature, m.id AS bacterium, s.value
                 FROM read_parquet(${list(dataset.bacteria.map((b) => at(b.file.path)))}, filename = true) AS s
                 JOIN (VALUES ${shards.join(', ')}) AS m(path, id) ON m.path = s.filename`,
            ),
          )
        ).cells;

  // A format without parts has no cells: every bacterium with values then fails its count.
  const downloads: { file: string; cells: Record<string, StagedAggregates>; problems: string[] }[] = [];
  for (const format of DOWNLOAD_FORMATS) {
    const parts = (dataset.downloads?.parts ?? []).filter((p) => p.format === format);
    const paths = parts.map((p) => at(p.path));
    const file = `${format === 'csv' ? 'CSV' : 'Parquet'} download`;
    downloads.push(
      paths.length === 0
        ? { file, cells: {}, problems: [] }
        : await log.step(`${format} downloads (in verify)`, async () => {
            // A part at a time: DuckDB reads gzipped CSV outside its buffer pool, and reading every part at once set
            // the build's peak memory (BENCHMARKS.md, "Built: verify reads the download parts back one at a time").
            const cells: Record<string, StagedAggregates> = {};
            const rowsPerFile: Record<string, number> = {};
            for (const path of paths) {
              const rows = `SELECT * FROM ${downloadSource([path], format, { filename: true })}`;
              const part = await stagedAggregates(duck, features, rows, { download: true });
              for (const [id, a] of Object.entries(part.cells)) cells[id] = union(cells[id] ?? NONE, a);
              Object.assign(rowsPerFile, part.rowsPerFile);
            }
            const attributes = attributeProblems(cells);
            const counts = parts
              .filter((p) => (rowsPerFile[at(p.path)] ?? 0) !== p.rows)
              .map((p) => `${p.path}: ${rowsPerFile[at(p.path)] ?? 0} rows, the manifest says ${p.rows}`);
            return { file, cells, problems: [...(attributes ? [attributes] : []), ...counts] };
          }),
    );
  }

  const problems: string[] = [];
  let largestDifference = 0;
  const ids = new Set([
    ...Object.keys(source),
    ...Object.keys(fromParts),
    ...Object.keys(fromShards),
    ...downloads.flatMap((d) => Object.keys(d.cells)),
  ]);
  for (const id of [...ids].sort()) {
    const where = (file: string) => `${dataset.id}: bacterium ${JSON.stringify(id)}: ${file}`;
    const expected = source[id];
    if (!expected) {
      problems.push(`${where('values')}: not a bacterium of the source`);
      continue;
    }
    const dropped = droppedNonFinite[id] ?? 0;
    if (dropped !== expected.nonFinite) {
      problems.push(
        `${where('precompute')}: ${dropped} NaN or infinite values, the source holds ${expected.nonFinite}`,
      );
    }
    for (const [file, staged] of [
      ['values parts', fromParts[id]],
      ['bacterium file', fromShards[id]],
      ...downloads.map((d) => [d.file, d.cells[id]] as const),
    ] as const) {
      const result = compare(where(file), expected, staged ?? NONE);
      if ('problem' in result) problems.push(result.problem);
      else largestDifference = Math.max(largestDifference, result.used);
    }
    const listed = dataset.bacteria.find((b) => b.id === id)?.values;
    if (listed !== expected.cells)
      problems.push(`${where('manifest')}: ${listed} values, the source has ${expected.cells}`);
  }
  for (const d of downloads) problems.push(...d.problems.map((p) => `${dataset.id}: ${d.file}: ${p}`));
  const cells = Object.values(source).reduce((sum, a) => sum + a.cells, 0);
  if (dataset.counts.values !== cells) {
    problems.push(`${dataset.id}: manifest: ${dataset.counts.values} values in all, the source has ${cells}`);
  }
  const [summary] = await queryRows<{ values: bigint }>(
    duck,
    `SELECT "values" FROM read_parquet(${quoteLiteral(at(dataset.files.summary.path))})`,
  );
  if (Number(summary?.values ?? 0) !== cells) {
    problems.push(`${dataset.id}: summary file: ${summary?.values} values in all, the source has ${cells}`);
  }
  const top = await log.step('top producers (in verify)', () =>
    topProducerProblems(
      duck,
      { values, features, topProducers: dataset.files.topProducers.map((p) => ({ ...p, path: at(p.path) })) },
      topProducerRanks,
    ),
  );
  problems.push(...top.problems.map((p) => `${dataset.id}: ${p}`));
  const overview = await log.step('overview (in verify)', () =>
    overviewProblems(duck, { values, features, overview: at(dataset.files.overview.path) }, dataset.bacteria.length),
  );
  problems.push(...overview.map((p) => `${dataset.id}: ${p}`));

  if (problems.length > 0) {
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
    throw new Error(`verify: the staged data differs from the source:\n  ${problems.slice(0, 10).join('\n  ')}${more}`);
  }
  return { id: dataset.id, bacteria: ids.size, cells, topProducerRows: top.rows, largestDifference };
}

/**
 * Proves the comparison file equal to the staged values it was made from: each row's value in either dataset is that
 * cell's (NULL where the cell was not measured), its features are annotated features of their dataset, its bacteria
 * a pair of the manifest, no row is measured in neither or stands twice, and no measured cell of a listed metabolite
 * and bacterium pair is left out. Throws naming the bacterium and metabolite.
 */
export async function verifyComparison(
  duck: DuckDBConnection,
  staging: string,
  manifest: Pick<Manifest, 'datasets' | 'comparison'>,
): Promise<void> {
  const comparison = manifest.comparison!;
  const [x, y] = comparison.datasets.map((id) => manifest.datasets.find((d) => d.id === id)!);
  const at = (path: string) => quoteLiteral(join(staging, path));
  const values = (d: Dataset) => `read_parquet(${list(d.files.values.map((p) => join(staging, p.path)))})`;
  const rows = await queryRows<{ kind: string; n: number; bacterium: string | null; key: string | null }>(
    duck,
    `WITH c AS (SELECT * FROM read_parquet(${at(comparison.file.path)})),
          vx AS (SELECT feature, bacterium, value FROM ${values(x!)}),
          vy AS (SELECT feature, bacterium, value FROM ${values(y!)}),
          fx AS (SELECT name FROM read_parquet(${at(x!.files.features.path)}) WHERE type = 'by_name'),
          fy AS (SELECT name FROM read_parquet(${at(y!.files.features.path)}) WHERE type = 'by_name'),
          p AS (${bacteriumPairsSql(comparison.bacteria)}),
          m AS (SELECT DISTINCT key, feature_x, feature_y FROM c),
          problems AS (
            SELECT 'value differs from its cell in ${x!.id}' AS kind, c.bacterium, c.key
              FROM c LEFT JOIN vx ON vx.feature = c.feature_x AND vx.bacterium = c.bacterium
             WHERE vx.value IS DISTINCT FROM c.value_x
            UNION ALL
            SELECT 'value differs from its cell in ${y!.id}', c.bacterium, c.key
              FROM c LEFT JOIN vy ON vy.feature = c.feature_y AND vy.bacterium = c.bacterium_y
             WHERE vy.value IS DISTINCT FROM c.value_y
            UNION ALL
            SELECT 'measured in neither dataset', bacterium, key FROM c WHERE value_x IS NULL AND value_y IS NULL
            UNION ALL
            SELECT 'not an annotated feature of its dataset', bacterium, key FROM c
             WHERE feature_x NOT IN (SELECT name FROM fx) OR feature_y NOT IN (SELECT name FROM fy)
            UNION ALL
            SELECT 'bacteria not a pair of the manifest', c.bacterium, c.key
              FROM c LEFT JOIN p ON p.bacterium = c.bacterium AND p.bacterium_y = c.bacterium_y
             WHERE p.bacterium IS NULL
            UNION ALL
            SELECT 'row stands more than once', bacterium, key FROM c GROUP BY bacterium, key HAVING count(*) > 1
            UNION ALL
            SELECT 'a measured cell is left out', p.bacterium, m.key
              FROM m CROSS JOIN p
              LEFT JOIN vx ON vx.feature = m.feature_x AND vx.bacterium = p.bacterium
              LEFT JOIN vy ON vy.feature = m.feature_y AND vy.bacterium = p.bacterium_y
             WHERE (vx.value IS NOT NULL OR vy.value IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM c WHERE c.bacterium = p.bacterium AND c.key = m.key))
     SELECT kind, count(*)::DOUBLE AS n, min(bacterium) AS bacterium, arg_min(key, bacterium) AS key
       FROM problems GROUP BY kind ORDER BY kind`,
  );
  if (rows.length > 0) {
    const problems = rows.map(
      (r) =>
        `${r.n} comparison rows: ${r.kind}, e.g. bacterium ${JSON.stringify(r.bacterium)}, ` +
        `metabolite ${JSON.stringify(r.key)}`,
    );
    throw new Error(`verify: the comparison file differs from the staged values:\n  ${problems.join('\n  ')}`);
  }
}
