import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/**
 * An in-memory DuckDB for one build; `threads` bounds its CPU use and `memoryLimit` its buffers, past which it
 * spills to a temp folder. DuckDB takes 80 % of RAM by default; at full demo scale 256 MB builds as fast as 768 MB
 * with half the peak memory of the process (588 vs 1173 MiB, measured).
 */
export async function openDuck(threads = 2, memoryLimit = '256MB'): Promise<{ duck: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads),
    memory_limit: memoryLimit,
    temp_directory: join(tmpdir(), 'metanexus-duckdb-spill'),
  });
  const duck = await instance.connect();
  return {
    duck,
    close() {
      duck.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs a query and returns plain JS row objects (BIGINT as bigint, DOUBLE as number). */
export async function queryRows<T = Record<string, unknown>>(
  duck: DuckDBConnection,
  sql: string,
  params?: DuckDBValue[],
): Promise<T[]> {
  const reader = await duck.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as T[];
}
