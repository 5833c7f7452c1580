import type { DirectRead } from '../answers.ts';
import type { Query } from './sources.ts';

/**
 * Label and type of each given feature id (for titles, axes and chips of selections restored from a URL), one query
 * per id on the features file: its small row groups make each read one group, where the whole file (2.4 MiB at full
 * scale) would have to arrive first. Equality, not IN: DuckDB 0.9 (duckdb-wasm 1.28) prunes row groups only for a
 * comparison.
 */
export function featureLabelQueries(featureFile: string, names: string[]): Query[] {
  return names.map((name) => ({ sql: `SELECT name, label, type FROM ${featureFile} WHERE name = ?`, params: [name] }));
}

/** `featureLabelQueries` without the engine: the same row group of the features file for each id, a lookup. */
export function featureLabelRead(featureFile: string, names: string[]): DirectRead {
  return {
    reads: names.map((name) => ({
      file: featureFile,
      columns: ['name', 'label', 'type'],
      filter: { name: { $eq: name } },
    })),
    lookup: true,
  };
}
