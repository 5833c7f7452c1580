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
 * One bin of the overview computed from the source alone, by the rule the About page states: the features of `type`
 * ordered by mean (the exact sum of values rounded to 12 decimals over their count; none measured last), then id in
 * byte order, cut into `bins` equal runs; bin `index` (0-based). Per bacterium with a value there: how many, mean, max,
 * min and the strongest feature (largest |value|, ties by id) with its value; and the bin's features, first and last.
 * `$1` is the type, `$2` the bins, `$3` the index. The source table must have a "Type" column (in_vivo).
 */
export function sourceOverviewBin(table: string): string {
  return `
  WITH cells AS (${sourceCells(table)}),
  means AS (SELECT t.name, t."Type" AS type,
                   sum(c.value::numeric(38, 12))::float8 / nullif(count(c.value), 0) AS mean
              FROM ${quoteIdent(table)} AS t LEFT JOIN cells AS c ON c.feature = t.name
             GROUP BY t.name, t."Type"),
  placed AS (SELECT name, row_number() OVER (ORDER BY mean ASC NULLS LAST, name COLLATE "C") - 1 AS pos,
                    count(*) OVER () AS n
               FROM means WHERE type = $1),
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
