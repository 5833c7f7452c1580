import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duck.ts';

/**
 * Cuts the values (table `vals`) into parts of about `partRows` rows at feature boundaries: creates `table`
 * (feature, part) and returns each part's first feature, in part order.
 */
export async function featureParts(
  duck: DuckDBConnection,
  table: 'value_parts' | 'download_parts',
  partRows: number,
): Promise<{ first: string }[]> {
  await duck.run(`CREATE OR REPLACE TABLE ${table} AS
    SELECT feature,
           ((sum(n) OVER (ORDER BY feature ROWS UNBOUNDED PRECEDING) - n) // ${Math.trunc(partRows)})::INTEGER AS part
      FROM (SELECT feature, count(*) AS n FROM vals GROUP BY feature)`);
  return queryRows<{ first: string }>(duck, `SELECT min(feature) AS first FROM ${table} GROUP BY part ORDER BY part`);
}
