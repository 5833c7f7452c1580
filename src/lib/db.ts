import * as duckdb from '@duckdb/duckdb-wasm';
// Served from the site itself: the page never talks to another origin.
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { takeEngineWorker } from './engine.ts';
import type { Columns, Row } from './answers.ts';
import { keeper } from './kept.ts';
import { copySql, type ExportFormat } from './sql/export.ts';
import type { Query } from './sql/sources.ts';

export type { Columns, Row } from './answers.ts';

/** A failed query, carrying its SQL; the message names the data file when one could not be read. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueryError';
  }
}

/** The page's one duckdb-wasm database: lazily started, shared by every view. */
export interface Database {
  /**
   * Runs a parameterised query over the given data files (paths relative to the data folder). With `keep`, the
   * answer is kept and the same query is answered from memory (data files are content-addressed, so an answer never
   * goes stale); the last KEPT_ANSWERS are kept.
   */
  query<T = Row>(query: Query, files: string[], options?: { keep?: boolean }): Promise<T[]>;
  /** Runs a query like `query`, and keeps its result as columns. */
  queryColumns<T = Row>(query: Query, files: string[]): Promise<Columns<T>>;
  /**
   * Writes the rows of a query over the data `files` to a file of `format` in the worker and returns its bytes.
   * `select` is given the names under which `texts` (files made in the page, such as a CSV) are registered for this
   * copy only.
   */
  copyTo(
    format: ExportFormat,
    select: (texts: string[]) => string,
    inputs?: { files?: string[]; texts?: string[] },
  ): Promise<Uint8Array<ArrayBuffer>>;
}

/** duckdb-wasm returns BIGINT as bigint and structs as Arrow rows: plain numbers and objects for the views. */
function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
  return out;
}

/** The parts of an Arrow table that `Columns` reads. */
interface ArrowTable {
  numRows: number;
  getChild(name: string): { toArray(): ArrayLike<unknown> } | null;
  get(i: number): ArrowRow | null;
  toArray(): ArrowRow[];
}

/** A row of an Arrow table. */
interface ArrowRow {
  toJSON(): Record<string, unknown>;
}

/** `Columns` over an Arrow table. */
function columns<T>(table: ArrowTable): Columns<T> {
  return {
    length: table.numRows,
    column(name) {
      const child = table.getChild(name);
      if (!child) throw new Error(`result has no column: ${name}`);
      return child.toArray() as ArrayLike<T[typeof name]>;
    },
    row: (i) => plain(table.get(i)!.toJSON()) as T,
  };
}

/** Finds which of `files` could not be fetched, for an error message in words. */
async function diagnose(dataUrl: URL, files: string[], error: unknown): Promise<string> {
  const detail = error instanceof Error ? error.message : String(error);
  for (const file of files) {
    const response = await fetch(new URL(file, dataUrl), { method: 'HEAD' }).catch(() => null);
    if (!response) return `data file ${file} could not be fetched`;
    if (!response.ok) return `data file ${file} is missing (HTTP ${response.status})`;
  }
  return files.length === 1 ? `data file ${files[0]} could not be read: ${detail}` : detail;
}

async function start(dataUrl: URL): Promise<Database> {
  const { worker, failed } = takeEngineWorker();
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  let conn: duckdb.AsyncDuckDBConnection;
  try {
    await Promise.race([db.instantiate(new URL(wasmUrl, location.href).href), failed]);
    conn = await Promise.race([db.connect(), failed]);
  } catch (error) {
    worker.terminate();
    throw error;
  }
  // Keep each Parquet file's footer once read: without it every query fetched and parsed it again (a 50-feature
  // heatmap, one scan per feature, 827 -> 276 ms in the node bundle). Files are content-addressed: never stale.
  await conn.query('SET enable_object_cache = true');
  // Coalesce concurrent registrations of the same file.
  const registered = new Map<string, Promise<void>>();
  const register = (file: string) => {
    let done = registered.get(file);
    if (!done) {
      done = db.registerFileURL(file, new URL(file, dataUrl).href, duckdb.DuckDBDataProtocol.HTTP, false);
      registered.set(file, done);
    }
    return done;
  };
  const run = async ({ sql, params }: Query, files: string[]): Promise<ArrowTable> => {
    try {
      await Promise.all(files.map(register));
      const statement = await conn.prepare(sql);
      try {
        return await statement.query(...params);
      } finally {
        // Freeing the statement is one more round trip to the worker: the result does not wait for it.
        void statement.close().catch(() => {});
      }
    } catch (error) {
      throw new QueryError(await diagnose(dataUrl, files, error), sql, { cause: error });
    }
  };
  const query = async <T>(q: Query, files: string[]): Promise<T[]> => {
    const table = await run(q, files);
    return table.toArray().map((row) => plain(row.toJSON()) as T);
  };
  const kept = keeper<unknown[]>(KEPT_ANSWERS);
  const keep = <T>(q: Query, files: string[]): Promise<T[]> =>
    kept(JSON.stringify([q.sql, q.params, files]), () => query(q, files)) as Promise<T[]>;
  let copies = 0;
  return {
    query: (q, files, options) => (options?.keep ? keep(q, files) : query(q, files)),
    queryColumns: async (q, files) => columns(await run(q, files)),
    async copyTo(format, select, { files = [], texts = [] } = {}) {
      const n = ++copies;
      const out = `copy-${n}.${format}`;
      const names = texts.map((_, i) => `copy-${n}-input-${i}.csv`);
      try {
        await Promise.all(texts.map((text, i) => db.registerFileText(names[i]!, text)));
        await run({ sql: copySql(select(names), out, format), params: [] }, files);
        // A copy the page owns, which a Blob takes (the worker's may sit on a shared buffer).
        return new Uint8Array(await db.copyFileToBuffer(out));
      } finally {
        for (const name of [out, ...names]) void db.dropFile(name).catch(() => {});
      }
    },
  };
}

/** How many kept answers the page holds (one per heatmap metabolite: at most a few hundred rows each). */
export const KEPT_ANSWERS = 1_000;

let database: Promise<Database> | undefined;

/** The shared database, started on first use; `dataUrl` is the folder holding manifest.json. */
export function openDatabase(dataUrl: URL): Promise<Database> {
  database ??= start(dataUrl);
  database.catch(() => (database = undefined));
  return database;
}
