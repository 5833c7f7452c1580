import * as duckdb from '@duckdb/duckdb-wasm';
// Served from the site itself: the page never talks to another origin.
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { quoteIdent } from './sql/quote.ts';
import { parquetSource, type Query } from './sql/sources.ts';

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

export type Row = Record<string, unknown>;

/** The page's one duckdb-wasm database: lazily started, shared by every view. */
export interface Database {
  /** Runs a parameterised query over the given data files (paths relative to the data folder). */
  query<T = Row>(query: Query, files: string[]): Promise<T[]>;
  /** Copies a data file into an in-memory table once, for queries that scan it on every keystroke. */
  materialize(table: string, file: string): Promise<void>;
}

/** duckdb-wasm returns BIGINT as bigint and structs as Arrow rows: plain numbers and objects for the views. */
function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : value;
  return out;
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
  const worker = new Worker(workerUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL(wasmUrl, location.href).href);
  const conn = await db.connect();
  // Coalesce concurrent registrations and copies of the same file.
  const registered = new Map<string, Promise<void>>();
  const materialized = new Map<string, Promise<void>>();
  const register = (file: string) => {
    let done = registered.get(file);
    if (!done) {
      done = db.registerFileURL(file, new URL(file, dataUrl).href, duckdb.DuckDBDataProtocol.HTTP, false);
      registered.set(file, done);
    }
    return done;
  };
  const run = async <T>({ sql, params }: Query, files: string[]): Promise<T[]> => {
    try {
      await Promise.all(files.map(register));
      const statement = await conn.prepare(sql);
      try {
        const table = await statement.query(...params);
        return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => plain(row.toJSON()) as T);
      } finally {
        await statement.close();
      }
    } catch (error) {
      throw new QueryError(await diagnose(dataUrl, files, error), sql, { cause: error });
    }
  };
  return {
    query: run,
    materialize(table, file) {
      let done = materialized.get(table);
      if (!done) {
        done = run({ sql: `CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${parquetSource(file)}`, params: [] }, [
          file,
        ]).then(() => {});
        // A failed copy may be retried by the next caller.
        done.catch(() => materialized.delete(table));
        materialized.set(table, done);
      }
      return done;
    },
  };
}

let database: Promise<Database> | undefined;

/** The shared database, started on first use; `dataUrl` is the folder holding manifest.json. */
export function openDatabase(dataUrl: URL): Promise<Database> {
  database ??= start(dataUrl);
  database.catch(() => (database = undefined));
  return database;
}
