import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** An in-memory DuckDB for one build; `threads` bounds its CPU use on a shared machine. */
export async function openDuck(threads = 2): Promise<{ duck: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
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
