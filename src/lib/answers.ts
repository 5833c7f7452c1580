import type { ParquetQueryFilter } from 'hyparquet';

// What a view's query answers, whichever engine answers it: shared by duckdb-wasm's client (db.ts), the reads
// without the engine (file-reads.ts) and the queries that describe both (sql/). It imports nothing of either engine,
// so that the build, which shares the queries, does not count the browser's engines in its code version.

/** One row of an answer. */
export type Row = Record<string, unknown>;

/**
 * A result kept as columns, for views with many rows: from duckdb-wasm a numeric column is one typed array, and a row's
 * strings are decoded only when that row is asked for (decoding every string of a 32k-row result costs more than the
 * query); `rowColumns` gives the same interface over rows already decoded.
 */
export interface Columns<T> {
  readonly length: number;
  /** The whole column `name`: from duckdb-wasm a Float64Array for a DOUBLE column, strings for a VARCHAR one. */
  column<K extends keyof T & string>(name: K): ArrayLike<T[K]>;
  /** Row `i` as a plain object. */
  row(i: number): T;
}

/**
 * Rows of one data file read without duckdb-wasm: the `columns` of the rows that pass `filter` (hyparquet's filter:
 * `{ column: { $eq: value } }`, `{ column: { $lte: n } }`). Row groups whose statistics rule the filter out are never
 * fetched, so a lookup on a file's sort key reads its footer and one group.
 */
export interface FileRead {
  file: string;
  columns: string[];
  filter?: ParquetQueryFilter;
}

/**
 * A query's answer read without the engine, for a chart drawn while duckdb-wasm loads: the rows of `reads`, in order,
 * shaped by `answer` into what the query returns (the rows themselves without it). Tests hold each to its query.
 */
export interface DirectRead {
  reads: FileRead[];
  /**
   * The reads fetch a row group or two: answered this way even once the engine is ready, as one request where
   * duckdb-wasm 1.28 sends three or more (a HEAD, the footer, the data). Reads of whole files (a bacterium's every
   * value, the Overview) go to the engine once it is ready: it decodes them off the page's thread.
   */
  lookup?: boolean;
  answer?: (rows: Row[]) => unknown[] | Columns<unknown>;
}

/** `Columns` over row objects, for an answer read without the engine where the query's is kept as columns. */
export function rowColumns<T>(rows: T[]): Columns<T> {
  return {
    length: rows.length,
    column: (name) => rows.map((r) => r[name]),
    row: (i) => rows[i]!,
  };
}
