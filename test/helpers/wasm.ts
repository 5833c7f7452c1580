import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A minimal view of duckdb-wasm's blocking node bundle: the browser's reader, run in node. */
type ArrowRows = { toArray(): { toJSON(): Record<string, unknown> }[] };
interface BlockingConnection {
  query(sql: string): ArrowRows;
  prepare(sql: string): { query(...params: unknown[]): ArrowRows; close(): void };
  close(): void;
}

export interface WasmDatabase {
  /** Runs SQL, binding `params` through a prepared statement as the browser does. */
  query<T>(sql: string, params?: unknown[]): T[];
  version: string;
  close(): void;
}

const require = createRequire(import.meta.url);

/** Opens duckdb-wasm 1.28.0 (DuckDB 0.9), the engine the browser uses, to prove it reads and runs what we ship. */
export async function openWasm(): Promise<WasmDatabase> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn: BlockingConnection = db.connect();
  const rows = <T>(result: ArrowRows) => result.toArray().map((row) => row.toJSON() as T);
  const query = <T>(sql: string, params?: unknown[]): T[] => {
    if (!params) return rows<T>(conn.query(sql));
    const statement = conn.prepare(sql);
    try {
      return rows<T>(statement.query(...params));
    } finally {
      statement.close();
    }
  };
  const [row] = query<{ v: string }>('SELECT version() AS v');
  return { query, version: row!.v, close: () => conn.close() };
}
