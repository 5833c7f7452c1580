import { quoteLiteral } from './quote.ts';

/** Where one dataset's tables live: each a SQL FROM-item (a quoted table name or a `read_parquet(...)` call). */
export interface DatasetSources {
  features: string;
  bacteria: string;
  values: string;
  topProducers: string;
}

/** A query with positional `?` placeholders, bound in order by `params`. */
export interface Query {
  sql: string;
  params: (string | number)[];
}

/** The FROM-item that reads one Parquet file, or several as one table (build-time paths or URLs, never user input). */
export function parquetSource(path: string | string[]): string {
  return typeof path === 'string'
    ? `read_parquet(${quoteLiteral(path)})`
    : `read_parquet([${path.map(quoteLiteral).join(', ')}])`;
}

/** `(?, ?, ...)` for a non-empty list; callers handle the empty list, which SQL's IN cannot take. */
export function placeholders(count: number): string {
  return `(${Array.from({ length: count }, () => '?').join(', ')})`;
}

/**
 * A sort key that orders strings by their UTF-8 bytes in both engines. duckdb-wasm 1.28 (DuckDB 0.9.1) sometimes
 * sorts a VARCHAR column by signed bytes in a full ORDER BY, putting 'Ü' before 'A'; BLOBs sort correctly.
 */
export function byteOrder(expr: string): string {
  return `encode(${expr})`;
}
