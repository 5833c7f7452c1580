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
