import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A minimal view of duckdb-wasm's blocking node bundle: the browser's reader, run in node. */
interface BlockingConnection {
  query(sql: string): { toArray(): { toJSON(): Record<string, unknown> }[] };
  close(): void;
}

const require = createRequire(import.meta.url);

/** Opens duckdb-wasm 1.28.0 (DuckDB 0.9), the engine the browser uses, to prove it can read what the build wrote. */
export async function openWasm(): Promise<{ query<T>(sql: string): T[]; version: string; close(): void }> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn: BlockingConnection = db.connect();
  const query = <T>(sql: string) => conn.query(sql).toArray().map((row) => row.toJSON() as T);
  const [row] = query<{ v: string }>('SELECT version() AS v');
  return { query, version: row!.v, close: () => conn.close() };
}
