import { compareBytes } from '../byte-order.ts';
import type { TopProducerPart, ValuePart } from '../manifest.ts';
import { quoteLiteral } from './quote.ts';

/** One part of the values table: its FROM-item and the first feature it holds (parts are in feature order). */
export interface ValuePartSource extends Pick<ValuePart, 'firstFeature'> {
  source: string;
}

/** One part of the top producers: its FROM-item and the first bacterium it holds (parts are in bacterium order). */
export interface TopProducerPartSource extends Pick<TopProducerPart, 'firstBacterium'> {
  source: string;
}

/** Where one dataset's tables live: each a SQL FROM-item (a quoted table name or a `read_parquet(...)` call). */
export interface DatasetSources {
  /** The features file itself, sorted by name in small row groups: a `name = ?` lookup reads one group. */
  featureFile: string;
  bacteria: string;
  /** The values in parts cut at feature boundaries, in feature order; at least one. */
  values: ValuePartSource[];
  /** The top producers in parts cut at bacterium boundaries, in bacterium order; at least one. */
  topProducers: TopProducerPartSource[];
}

/**
 * The part that holds `key`, of parts sorted by their first key: the last whose first key is not after it, in byte
 * order as the build sorted them.
 */
function partHolding<T>(parts: T[], first: (part: T) => string, key: string): T {
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (compareBytes(first(parts[mid]!), key) <= 0) lo = mid;
    else hi = mid - 1;
  }
  return parts[lo]!;
}

/**
 * The FROM-item of the values part that holds `feature`. Scanning one file, not all parts, halves the cost of a
 * lookup in duckdb-wasm 1.28.
 */
export function valuesOf(src: DatasetSources, feature: string): string {
  return valuePartOf(src.values, feature).source;
}

/** The values part that holds `feature`, of parts in feature order (FROM-items for SQL, or paths for direct reads). */
export function valuePartOf<T extends Pick<ValuePart, 'firstFeature'>>(parts: T[], feature: string): T {
  return partHolding(parts, (p) => p.firstFeature, feature);
}

/** The FROM-item of the top-producers part that holds `bacterium`'s rows. */
export function topProducersOf(src: DatasetSources, bacterium: string): string {
  return topProducerPartOf(src.topProducers, bacterium).source;
}

/** The top-producers part that holds `bacterium`, of parts in bacterium order (FROM-items or paths). */
export function topProducerPartOf<T extends Pick<TopProducerPart, 'firstBacterium'>>(parts: T[], bacterium: string): T {
  return partHolding(parts, (p) => p.firstBacterium, bacterium);
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

/**
 * A sort key that orders strings by their UTF-8 bytes in both engines. duckdb-wasm 1.28 (DuckDB 0.9.1) sometimes
 * sorts a VARCHAR column by signed bytes in a full ORDER BY, putting 'Ü' before 'A'; BLOBs sort correctly.
 */
export function byteOrder(expr: string): string {
  return `encode(${expr})`;
}
