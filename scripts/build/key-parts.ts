import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duck.ts';

/**
 * Cuts the rows of `source` into parts of about `partRows` rows at boundaries of `key` (no key spans two parts):
 * creates `table` (key, part) and returns each part's first key, in part order (byte order of the key).
 */
export async function keyParts(
  duck: DuckDBConnection,
  {
    table,
    source,
    key,
    partRows,
  }: {
    table: 'value_parts' | 'download_parts' | 'top_producer_parts';
    source: 'vals' | 'top_producers';
    key: 'feature' | 'bacterium';
    partRows: number;
  },
): Promise<{ first: string }[]> {
  await duck.run(`CREATE OR REPLACE TABLE ${table} AS
    SELECT ${key},
           ((sum(n) OVER (ORDER BY ${key} ROWS UNBOUNDED PRECEDING) - n) // ${Math.trunc(partRows)})::INTEGER AS part
      FROM (SELECT ${key}, count(*) AS n FROM ${source} GROUP BY ${key})`);
  return queryRows<{ first: string }>(duck, `SELECT min(${key}) AS first FROM ${table} GROUP BY part ORDER BY part`);
}
