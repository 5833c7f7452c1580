import { bacteriumLabel } from '../format.ts';
import type { DirectRead } from '../answers.ts';
import type { ValuePart } from '../manifest.ts';
import { valuePartOf, valuesOf, type DatasetSources, type Query } from './sources.ts';

/** Above this many cells (Net Balance row included) the heatmap stops printing values in its cells. */
export const MAX_LABELLED_CELLS = 400;

// JSON keeps ids with any character apart, which a separator could not.
const key = (feature: string, bacterium: string) => JSON.stringify([feature, bacterium]);

/** One measured cell of a selected feature. */
export interface HeatmapCellRow {
  feature: string;
  bacterium: string;
  value: number;
}

/** One cell of the grid: `bacterium` is null in the Net Balance row, `value` is null where nothing was measured. */
export interface HeatmapCell {
  feature: string;
  bacterium: string | null;
  value: number | null;
}

/** A row of the grid: the Net Balance, or one selected bacterium (`label` starts as its id with spaces). */
export type HeatmapRow =
  | { kind: 'balance'; label: 'Net Balance'; cells: HeatmapCell[] }
  | { kind: 'bacterium'; bacterium: string; label: string; cells: HeatmapCell[] };

/** The heatmap: the Net Balance row first, then one row per selected bacterium; columns are feature ids. */
export interface HeatmapGrid {
  columns: string[];
  rows: HeatmapRow[];
}

/**
 * Every measured cell of each feature, one query per feature: the explorer keeps each answer, so a heatmap that gains
 * a bacterium asks nothing and one that gains a metabolite asks for that one (heatmapGrid picks the selected rows).
 * Each is a `feature = ?` scan of the one values part that holds it: DuckDB 0.9 (duckdb-wasm 1.28) prunes Parquet
 * row groups for `=` but not for `IN`, which reads all 3.2 M in vivo values (about 210 ms, against about 3 ms per
 * feature scanned this way, measured in its node bundle).
 */
export function featureCellsQueries(src: DatasetSources, features: string[]): Query[] {
  return features.map((feature) => ({
    sql: `SELECT feature, bacterium, value\n  FROM ${valuesOf(src, feature)}\n WHERE feature = ? AND value IS NOT NULL`,
    params: [feature],
  }));
}

/** `featureCellsQueries` without the engine: the row group of each feature in the values part that holds it. */
export function featureCellsRead(parts: Pick<ValuePart, 'path' | 'firstFeature'>[], features: string[]): DirectRead {
  return {
    reads: features.map((feature) => ({
      file: valuePartOf(parts, feature).path,
      columns: ['feature', 'bacterium', 'value'],
      filter: { feature: { $eq: feature } },
    })),
    answer: (rows) => rows.filter((r) => r.value !== null),
  };
}

/**
 * Lays out the selected bacteria's cells (`cells` may hold other bacteria's too) in selection order, with the Net
 * Balance row (sum over the selected bacteria, NULL counted as 0) first.
 */
export function heatmapGrid(cells: readonly HeatmapCellRow[], bacteria: string[], features: string[]): HeatmapGrid {
  const byKey = new Map(cells.map((c) => [key(c.feature, c.bacterium), c.value]));
  const rows: HeatmapRow[] = bacteria.map((bacterium) => ({
    kind: 'bacterium',
    bacterium,
    label: bacteriumLabel(bacterium),
    cells: features.map((feature) => ({ feature, bacterium, value: byKey.get(key(feature, bacterium)) ?? null })),
  }));
  const balance: HeatmapCell[] = features.map((feature, i) => ({
    feature,
    bacterium: null,
    value: rows.reduce((sum, row) => sum + (row.cells[i]!.value ?? 0), 0),
  }));
  return { columns: features, rows: [{ kind: 'balance', label: 'Net Balance', cells: balance }, ...rows] };
}

/** Whether the grid is small enough to print each cell's value. */
export function shouldPrintValues(grid: HeatmapGrid): boolean {
  return grid.rows.length * grid.columns.length <= MAX_LABELLED_CELLS;
}
