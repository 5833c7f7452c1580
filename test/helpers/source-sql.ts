import { quoteIdent } from '../../src/lib/sql/quote.ts';

/**
 * Long format computed by PostgreSQL itself from a wide source table: every numeric non-metadata cell, through
 * jsonb, independent of the build's own unpivot.
 */
export function sourceCells(table: string): string {
  return `
  SELECT t.name AS feature, j.key AS bacterium, (j.value::text)::float8 AS value
    FROM ${quoteIdent(table)} AS t, jsonb_each(to_jsonb(t)) AS j
   WHERE lower(j.key) NOT IN ('name', 'mz', 'rt', 'list_2_match', 'type', 'metabolite')
     AND jsonb_typeof(j.value) = 'number'`;
}

/** Each feature's top-10 positive producers over all bacteria, ties by bacterium id (byte order), from the source. */
export function sourceTopProducers(table: string): string {
  return `
  SELECT feature, bacterium, rank, value FROM (
    SELECT *, row_number() OVER (PARTITION BY feature ORDER BY value DESC, bacterium COLLATE "C")::int AS rank
      FROM (${sourceCells(table)}) AS cells WHERE value > 0) AS ranked
   WHERE rank <= 10`;
}

/**
 * The cells, and the features of type `$1` placed by mean (the exact sum of values rounded to 12 decimals over
 * their count; none measured last), then id in byte order: `pos` from 0 among `n`.
 */
function placedFeatures(table: string): string {
  return `cells AS (${sourceCells(table)}),
  means AS (SELECT t.name, t."Type" AS type,
                   sum(c.value::numeric(38, 12))::float8 / nullif(count(c.value), 0) AS mean
              FROM ${quoteIdent(table)} AS t LEFT JOIN cells AS c ON c.feature = t.name
             GROUP BY t.name, t."Type"),
  placed AS (SELECT name, row_number() OVER (ORDER BY mean ASC NULLS LAST, name COLLATE "C") - 1 AS pos,
                    count(*) OVER () AS n
               FROM means WHERE type = $1)`;
}

/**
 * One bin of the overview computed from the source alone, by the rule the About page states: the features of `type`
 * ordered by mean (the exact sum of values rounded to 12 decimals over their count; none measured last), then id in
 * byte order, cut into `bins` equal runs; bin `index` (0-based). Per bacterium with a value there: how many, mean, max,
 * min and the strongest feature (largest |value|, ties by id) with its value; and the bin's features, first and last.
 * `$1` is the type, `$2` the bins, `$3` the index. The source table must have a "Type" column (in_vivo).
 */
export function sourceOverviewBin(table: string): string {
  return `
  WITH ${placedFeatures(table)},
  bin AS (SELECT name, pos FROM placed WHERE (pos * $2::int) / n = $3::int),
  ranked AS (SELECT c.*, row_number() OVER (PARTITION BY c.bacterium
                                          ORDER BY abs(c.value) DESC, c.feature COLLATE "C") AS r
               FROM cells AS c JOIN bin ON bin.name = c.feature)
  SELECT bacterium, count(*)::int AS measured,
         sum(value::numeric(38, 12))::float8 / count(*) AS mean, max(value) AS max, min(value) AS min,
         min(feature) FILTER (WHERE r = 1) AS strongest, min(value) FILTER (WHERE r = 1) AS strongest_value,
         (SELECT count(*)::int FROM bin) AS features,
         (SELECT name FROM bin ORDER BY pos LIMIT 1) AS first,
         (SELECT name FROM bin ORDER BY pos DESC LIMIT 1) AS last
    FROM ranked GROUP BY bacterium ORDER BY bacterium COLLATE "C"`;
}

/**
 * The largest |mean| of any cell of a type's overview (parameters: type, its number of bins): the reach of its colour
 * scale. The bins are placed as in `sourceOverviewBin`.
 */
export function sourceOverviewExtent(table: string): string {
  return `
  WITH ${placedFeatures(table)},
  binned AS (SELECT c.bacterium, (p.pos * $2::int) / p.n AS bin,
                    sum(c.value::numeric(38, 12))::float8 / count(*) AS mean
               FROM cells AS c JOIN placed AS p ON p.name = c.feature
              GROUP BY 1, 2)
  SELECT max(abs(mean)) AS extent FROM binned`;
}

/** A source table of the comparison, and whether its type comes from a "Type" column (else from the name's suffix). */
export interface ComparedTable {
  table: string;
  typed: boolean;
}

/**
 * PostgreSQL's own form of the comparison's matching key: lower case, blanks collapsed and trimmed, an isomer
 * suffix in any form rewritten as " (isomer N)". Written for the tests, apart from the build's.
 */
function sourceKey(expr: string): string {
  return `regexp_replace(
    btrim(regexp_replace(lower(${expr}), '[[:space:]]+', ' ', 'g')),
    '^(.*?)(?:[ _-]+[([]?|[([]) ?isomer[ _-]*([0-9]+) ?[])]?$', '\\1 (isomer \\2)')`;
}

/** A table's annotated features with their key. */
function sourceAnnotated({ table, typed }: ComparedTable): string {
  const t = quoteIdent(table);
  return typed
    ? `SELECT name, ${sourceKey("coalesce(nullif(btrim(metabolite), ''), name)")} AS key FROM ${t}
        WHERE "Type" = 'by_name'`
    : `SELECT name, ${sourceKey('name')} AS key FROM ${t} WHERE right(name, 4) NOT IN ('_POS', '_NEG')`;
}

/** The annotated metabolites matched by key (key, feature_x, feature_y); keys a table's features share left out. */
export function sourceMatched(x: ComparedTable, y: ComparedTable): string {
  const unique = (t: ComparedTable) =>
    `SELECT key, min(name) AS feature FROM (${sourceAnnotated(t)}) AS a GROUP BY key HAVING count(*) = 1`;
  return `SELECT key, ux.feature AS feature_x, uy.feature AS feature_y
    FROM (${unique(x)}) AS ux JOIN (${unique(y)}) AS uy USING (key)`;
}

/** The matched metabolites one bacterium (`$1` in x, `$2` in y) has a value for in both: key, features, x, y. */
export function sourceComparisonPairs(x: ComparedTable, y: ComparedTable): string {
  return `SELECT m.key, m.feature_x, m.feature_y, cx.value AS x, cy.value AS y
    FROM (${sourceMatched(x, y)}) AS m
    JOIN (${sourceCells(x.table)}) AS cx ON cx.feature = m.feature_x AND cx.bacterium = $1
    JOIN (${sourceCells(y.table)}) AS cy ON cy.feature = m.feature_y AND cy.bacterium = $2`;
}

/** Their count, Pearson's r by corr(), Spearman's ρ as corr() of average ranks (rank() + half the other ties). */
export function sourceCorrelations(x: ComparedTable, y: ComparedTable): string {
  return `WITH p AS (${sourceComparisonPairs(x, y)}),
          r AS (SELECT x, y,
                       rank() OVER (ORDER BY x) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS rx,
                       rank() OVER (ORDER BY y) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS ry
                  FROM p)
     SELECT count(*)::int AS n, corr(x, y) AS pearson, corr(rx::float8, ry::float8) AS spearman FROM r`;
}

/** Bacteria with the same id in both tables, by how many matched metabolites they have a value for in both. */
export function sourceBusiestCompared(x: ComparedTable, y: ComparedTable): string {
  return `SELECT cx.bacterium, count(*)::int AS n FROM (${sourceMatched(x, y)}) AS m
    JOIN (${sourceCells(x.table)}) AS cx ON cx.feature = m.feature_x
    JOIN (${sourceCells(y.table)}) AS cy ON cy.feature = m.feature_y AND cy.bacterium = cx.bacterium
   GROUP BY 1 ORDER BY count(*) DESC, cx.bacterium COLLATE "C"`;
}
