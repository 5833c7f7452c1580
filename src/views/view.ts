import type { Columns } from '../lib/db.ts';
import type { DirectRead } from '../lib/answers.ts';
import type { ExplorerComparison, ExplorerDataset } from '../lib/explorer-data.ts';
import type { TypeFilter } from '../lib/feature-types.ts';
import type { FeatureMatch } from '../lib/feature-search.ts';
import type { Query } from '../lib/sql/sources.ts';
import type { StateSlice } from '../lib/url-state.ts';

/** What every view shares: the dataset tab and the type filter. */
export interface SharedState {
  dataset: string;
  type: TypeFilter;
}

/** One query of a view, with the data files it reads. */
export type ViewQuery = {
  files: string[];
  /**
   * The same answer read without the engine. A view whose every query has one draws its first chart before
   * duckdb-wasm has loaded (3.1 MB over the wire, the most a first chart would otherwise wait for).
   */
  direct?: DirectRead;
  /**
   * The features (`names`) whose label and type this query answers from the features `file` (`featureLabels`): once
   * the search's worker has read that file, it answers them from its copy, and the page decodes no row group of it.
   */
  labels?: { file: string; names: string[] };
} & (
  | {
      query: Query;
      /** Keep the result as columns (many rows, decoded on demand) instead of row objects. */
      columns?: boolean;
      /** Keep the answer in the page, for a small one asked again and again (see Database.query's `keep`). */
      keep?: boolean;
    }
  | {
      /**
       * Small queries whose rows are answered as one list, each kept by the page once answered (see Database.query's
       * `keep`): a selection that grows by one item asks only for that item.
       */
      kept: Query[];
    }
);

/** A view's queries by name, or why the selection cannot be answered, in words. */
export type ViewQueries = { queries: Record<string, ViewQuery> } | { problem: string };

/** The answers to a view's queries, by the same names: row objects, or columns where asked. */
export type QueryResults = Record<string, unknown[] | Columns<unknown>>;

/**
 * One row of a result table: `attrs` become data-* attributes of the row (a `feature` or `bacterium` one makes its
 * first cell a link to that Landscape), `cells` the text shown, `values` the numbers behind numeric cells.
 */
export interface TableRow {
  attrs: Record<string, string>;
  cells: Record<string, string>;
  values?: Record<string, number | null>;
  /** Where a cell links to, by column key, for links other than the first cell's. */
  links?: Record<string, string>;
}

/** A table of the numbers behind a chart: every row of the result, built on demand. */
export interface ResultTable {
  columns: { key: string; label: string; numeric?: boolean }[];
  /** How many rows the result has. */
  total: number;
  row(i: number): TableRow;
  /** All rows, for the CSV download: built when the reader asks for it. */
  csv(): Record<string, string | number | null>[];
}

/** What a view shows: a sentence, and a chart with its table, or a message instead of an empty chart. */
export interface ViewResult {
  summary: string;
  /** Set when there is nothing to draw: said in words instead of a blank chart. */
  message?: string;
  chart?: Element;
  table?: ResultTable;
}

/** What a view's queries depend on besides its own slice. */
export interface QueryContext {
  dataset: ExplorerDataset;
  shared: SharedState;
  /** How many top producers each feature keeps, from the manifest. */
  topProducerRanks: number;
  /** The In vitro vs in vivo comparison; absent when the site has one dataset. */
  comparison?: ExplorerComparison;
}

/** What rendering needs besides the rows: the query context, the room the chart has, and a way back to the state. */
export interface RenderContext<S = unknown> extends QueryContext {
  width: number;
  /** The explorer page's path, which links to other selections (see links.ts) are relative to. */
  explorerPath: string;
  /** A feature's display label (its id until known). */
  label(feature: string): string;
  /** Changes the view's slice from the chart (a brushed range), as its controls do. */
  update(change: (state: S) => void): void;
}

/** Turns a view's query results into what the page shows; pure, so it is tested without a database. */
export type Render<S> = (results: QueryResults, state: S, ctx: RenderContext<S>) => ViewResult;

/** What a view's controls may do: change its slice of the state, search the features, read labels. */
export interface ControlApi<S> {
  /** Applies a change to the view's slice and records it in the URL (a new history entry unless `push` is false). */
  update(change: (state: S) => void, options?: { push?: boolean }): void;
  /** The view's slice as it is now. */
  state(): S;
  dataset(): ExplorerDataset;
  label(feature: string): string;
  /** Wires a feature search box (prerendered by SearchBox.astro) that calls `onPick` with the chosen feature. */
  searchBox(root: HTMLElement, onPick: (match: FeatureMatch) => void): { set value(text: string) };
}

/**
 * One view of the explorer: its URL state slice, its controls (markup in `Controls.astro` beside it, wired here), its
 * queries, and its renderer, loaded on first use since it brings Plot.
 */
export interface View<Id extends string = string, S = unknown> extends StateSlice<Id, S> {
  readonly title: string;
  /** The anchor of the About page's section that defines what this view shows (e.g. `net-balance`). */
  readonly definitions: string;
  /** The selection in words, for a chart's title and caption and its file names ('' when nothing is picked). */
  selection(state: S, ctx: { dataset: ExplorerDataset; label(feature: string): string }): string;
  /** The slice after a switch of dataset: selections belong to a dataset, options stay. */
  reset(state: S): S;
  /** Feature ids whose labels the controls show. */
  features(state: S): string[];
  wire(panel: HTMLElement, api: ControlApi<S>): void;
  /** Shows the state in the controls. */
  sync(panel: HTMLElement, state: S, api: ControlApi<S>): void;
  queries(state: S, ctx: QueryContext): ViewQueries;
  render(): Promise<Render<S>>;
}

/** Declares a view, keeping its id as a literal type so the explorer's state type names each slice. */
export function defineView<const Id extends string, S>(view: View<Id, S>): View<Id, S> {
  return view;
}
