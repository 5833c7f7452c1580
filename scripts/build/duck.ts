import { totalmem } from 'node:os';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { createScratch } from './scratch.ts';

/**
 * DuckDB's memory limit: METANEXUS_DUCKDB_MEMORY_LIMIT when set (tests set it small to force spilling), else 1.5 GiB,
 * or 40 % of the machine's memory when that is less. At 4 × the demo the build failed at the former 256 MB (out of
 * memory in precompute: not every operator spills), and at 1.5 GiB the whole process stays under the 3 GiB budget
 * (the rest is Node and DuckDB's memory outside its buffers). DuckDB's own default, 80 % of the machine's memory,
 * would take far more than the build needs on a large machine, and leave a small one nothing for Node.
 */
export function duckMemoryLimit(env: NodeJS.ProcessEnv = process.env, machineBytes = totalmem()): string {
  if (env.METANEXUS_DUCKDB_MEMORY_LIMIT) return env.METANEXUS_DUCKDB_MEMORY_LIMIT;
  return `${Math.min(1_536, Math.floor((0.4 * machineBytes) / 2 ** 20))}MiB`;
}

/**
 * An in-memory DuckDB for one build; `threads` bounds its CPU use and `memoryLimit` its buffers, past which it
 * spills to a scratch folder of its own, removed by `close()`.
 */
export async function openDuck(
  threads = 2,
  memoryLimit = duckMemoryLimit(),
): Promise<{ duck: DuckDBConnection; spillDir: string; close(): Promise<void> }> {
  const spill = await createScratch('duckdb');
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads),
    memory_limit: memoryLimit,
    temp_directory: spill.dir,
  });
  const duck = await instance.connect();
  return {
    duck,
    spillDir: spill.dir,
    async close() {
      duck.closeSync();
      instance.closeSync();
      await spill.remove();
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
