import type { Columns, Database } from '../../lib/db.ts';
import { datasetFiles, datasetSources, featuresTable, type ExplorerDataset } from '../../lib/explorer-data.ts';
import { formatCount, formatValue, typeWords } from '../../lib/format.ts';
import { cooccurrenceProblem, cooccurrenceQuery, type CooccurrenceRow } from '../../lib/sql/cooccurrence.ts';
import { featuresByNameQuery } from '../../lib/sql/features.ts';
import {
  bacteriumProfileQuery,
  metaboliteProfileQuery,
  type BacteriumProfileRow,
  type MetaboliteProfileRow,
} from '../../lib/sql/landscape.ts';
import { heatmapGrid, heatmapQuery, shouldPrintValues, type HeatmapCellRow } from '../../lib/sql/network.ts';
import { parquetSource } from '../../lib/sql/sources.ts';
import type { ExplorerState } from '../../lib/url-state.ts';
import { barsChart, cooccurrenceChart, heatmapChart, profileCurve, type Bar } from './charts.ts';

/** Rows shown in the page's table; the CSV download has them all. */
const TABLE_ROWS = 300;

/** A table of the numbers behind a chart; `attrs` become data-* attributes of the row, `values` of numeric cells. */
export interface ResultTable {
  columns: { key: string; label: string; numeric?: boolean }[];
  /** The rows the page shows: the first `TABLE_ROWS`. */
  rows: { attrs: Record<string, string>; cells: Record<string, string>; values?: Record<string, number | null> }[];
  /** How many rows the result has. */
  total: number;
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
  fileName?: string;
}


async function featureLabels(db: Database, d: ExplorerDataset, names: string[]) {
  await db.materialize(featuresTable(d), d.files.features);
  const rows = await db.query<{ name: string; label: string; type: string }>(
    featuresByNameQuery(datasetSources(d).features, names),
    datasetFiles(d),
  );
  return new Map(rows.map((r) => [r.name, r]));
}

const NO_DATA = 'No data for this selection';
/** The first `count` rows of a columnar result (all by default), as objects. */
const rowsOf = <T>(c: Columns<T>, count = c.length): T[] =>
  Array.from({ length: Math.min(count, c.length) }, (_, i) => c.row(i));
const bacteriumName = (d: ExplorerDataset, id: string) => d.bacteria.find((b) => b.id === id)?.name ?? id;

async function landscape(db: Database, d: ExplorerDataset, state: ExplorerState, width: number): Promise<ViewResult> {
  const { metabolite, bacterium, show, n } = state.landscape;
  const what = show === 'all' ? 'All' : `${show === 'top' ? 'Top' : 'Bottom'} ${n}`;
  if (metabolite) {
    const [labels, rows] = await Promise.all([
      featureLabels(db, d, [metabolite]),
      db.query<MetaboliteProfileRow>(metaboliteProfileQuery(datasetSources(d), { feature: metabolite, show, n }), datasetFiles(d)),
    ]);
    const feature = labels.get(metabolite);
    const title = feature ? `${feature.label} (${metabolite})` : metabolite;
    if (!feature || rows.length === 0) return { summary: title, message: feature ? NO_DATA : `${NO_DATA}: no feature ${metabolite} in ${d.title}` };
    const bars: Bar[] = rows.map((r) => ({
      key: r.bacterium,
      label: r.name,
      value: r.value,
      tip: `${r.name}\n${feature.label} (${metabolite})\n${formatValue(r.value)}`,
    }));
    return {
      summary: `${what}: ${formatCount(rows.length)} bacteria with a value for ${title}`,
      chart: barsChart(bars, { width, xLabel: 'log2 fold change' }),
      table: {
        columns: [
          { key: 'bacterium', label: 'Bacterium' },
          { key: 'value', label: 'log2 fold change', numeric: true },
        ],
        rows: rows.slice(0, TABLE_ROWS).map((r) => ({
          attrs: { bacterium: r.bacterium, value: String(r.value) },
          cells: { bacterium: r.name, value: formatValue(r.value) },
        })),
        total: rows.length,
        csv: () => rows.map((r) => ({ feature: metabolite, bacterium: r.bacterium, value: r.value })),
      },
      fileName: `${d.id}-${metabolite}-${show}`,
    };
  }
  if (bacterium) {
    const b = d.bacteria.find((x) => x.id === bacterium);
    if (!b) return { summary: bacterium, message: `${NO_DATA}: no bacterium ${bacterium} in ${d.title}` };
    // Kept as columns: "All" has up to ~32k rows, of which the page decodes only the ones it shows.
    const result = await db.queryColumns<BacteriumProfileRow>(
      bacteriumProfileQuery(parquetSource(b.file), { type: state.type, show, n }),
      [b.file],
    );
    if (result.length === 0) return { summary: b.name, message: NO_DATA };
    const tip = (r: BacteriumProfileRow) => `${b.name}\n${r.label} (${r.feature})\n${typeWords(r.type)}\n${formatValue(r.value)}`;
    const yLabel = `log2 fold change, ${b.name}`;
    const chart =
      show === 'all'
        ? profileCurve({ values: result.column('value'), tip: (i) => tip(result.row(i)) }, { width, yLabel })
        : barsChart(
            rowsOf(result).map((r) => ({ key: r.feature, label: r.label, value: r.value, tip: tip(r) })),
            { width, xLabel: yLabel },
          );
    return {
      summary: `${what}: ${formatCount(result.length)} features with a value for ${b.name}`,
      chart,
      table: {
        columns: [
          { key: 'label', label: 'Metabolite' },
          { key: 'feature', label: 'Feature id' },
          { key: 'type', label: 'Type' },
          { key: 'value', label: 'log2 fold change', numeric: true },
        ],
        rows: rowsOf(result, TABLE_ROWS).map((r) => ({
          attrs: { feature: r.feature, value: String(r.value) },
          cells: { label: r.label, feature: r.feature, type: typeWords(r.type), value: formatValue(r.value) },
        })),
        total: result.length,
        csv: () => rowsOf(result).map((r) => ({ bacterium, feature: r.feature, label: r.label, type: r.type, value: r.value })),
      },
      fileName: `${d.id}-${bacterium}-${show}`,
    };
  }
  return { summary: '', message: 'Pick a metabolite or a bacterium to see its profile.' };
}

async function network(db: Database, d: ExplorerDataset, state: ExplorerState, width: number): Promise<ViewResult> {
  const { bacteria, metabolites } = state.network;
  if (bacteria.length === 0 || metabolites.length === 0) {
    return { summary: '', message: 'Select at least one bacterium and one metabolite.' };
  }
  const [labels, cells] = await Promise.all([
    featureLabels(db, d, metabolites),
    db.query<HeatmapCellRow>(heatmapQuery(datasetSources(d), { bacteria, features: metabolites }), datasetFiles(d)),
  ]);
  const grid = heatmapGrid(cells, bacteria, metabolites);
  for (const row of grid.rows) if (row.kind === 'bacterium') row.label = bacteriumName(d, row.bacterium);
  const featureLabel = (id: string) => labels.get(id)?.label ?? id;
  const cellCount = grid.rows.length * grid.columns.length;
  return {
    summary: `${bacteria.length} bacteria × ${metabolites.length} metabolites, ${formatCount(cells.length)} measured cells${
      shouldPrintValues(grid) ? '' : ` (${formatCount(cellCount)} cells: values shown on hover)`
    }`,
    chart: heatmapChart(grid, { width, featureLabel, printValues: shouldPrintValues(grid) }),
    table: {
      columns: [
        { key: 'row', label: 'Row' },
        ...grid.columns.map((f) => ({ key: `f:${f}`, label: featureLabel(f), numeric: true })),
      ],
      rows: grid.rows.slice(0, TABLE_ROWS).map((row) => ({
        attrs: (row.kind === 'balance' ? { balance: 'true' } : { bacterium: row.bacterium }) as Record<string, string>,
        cells: Object.fromEntries([['row', row.label], ...row.cells.map((c) => [`f:${c.feature}`, formatValue(c.value)])]),
        values: Object.fromEntries(row.cells.map((c) => [`f:${c.feature}`, c.value])),
      })),
      total: grid.rows.length,
      csv: () =>
        grid.rows.flatMap((row) =>
          row.cells.map((c) => ({ row: row.kind === 'balance' ? 'Net Balance' : row.bacterium, feature: c.feature, value: c.value })),
        ),
    },
    fileName: `${d.id}-heatmap`,
  };
}

async function cooccurrence(db: Database, d: ExplorerDataset, state: ExplorerState, width: number): Promise<ViewResult> {
  const { bacteria, mode } = state.cooccurrence;
  const problem = cooccurrenceProblem(bacteria, mode);
  if (problem) return { summary: '', message: problem };
  await db.materialize(featuresTable(d), d.files.features);
  const rows = await db.query<CooccurrenceRow>(
    cooccurrenceQuery(datasetSources(d), { bacteria, mode, type: state.type }),
    datasetFiles(d),
  );
  const who = mode === 'all' ? 'all' : 'at least one';
  if (rows.length === 0) {
    return { summary: '', message: `No metabolite has ${who} of the ${bacteria.length} selected bacteria among its top 10 producers.` };
  }
  const total = rows[0]!.total;
  const shown = new Set(rows.map((r) => r.feature)).size;
  const selected = bacteria.map((id) => ({ id, name: bacteriumName(d, id) }));
  return {
    summary: `${formatCount(total)} metabolites have ${who} of the selected bacteria among their top 10 producers${
      shown < total ? `; the ${shown} with the highest peak are shown` : ''
    }`,
    chart: cooccurrenceChart(
      rows.map((r) => ({ ...r, bacteriumName: bacteriumName(d, r.bacterium) })),
      { width, bacteria: selected },
    ),
    table: {
      columns: [
        { key: 'label', label: 'Metabolite' },
        { key: 'feature', label: 'Feature id' },
        { key: 'bacterium', label: 'Bacterium' },
        { key: 'rank', label: 'Rank', numeric: true },
        { key: 'value', label: 'log2 fold change', numeric: true },
      ],
      rows: rows.slice(0, TABLE_ROWS).map((r) => ({
        attrs: { feature: r.feature, bacterium: r.bacterium, rank: String(r.rank), value: String(r.value) },
        cells: {
          label: r.label,
          feature: r.feature,
          bacterium: bacteriumName(d, r.bacterium),
          rank: String(r.rank),
          value: formatValue(r.value),
        },
      })),
      total: rows.length,
      csv: () => rows.map((r) => ({ feature: r.feature, label: r.label, bacterium: r.bacterium, rank: r.rank, value: r.value, peak: r.peak })),
    },
    fileName: `${d.id}-cooccurrence-${mode}`,
  };
}

/** Runs the current view's queries and draws its chart. */
export function runView(db: Database, d: ExplorerDataset, state: ExplorerState, width: number): Promise<ViewResult> {
  const view = { landscape, network, cooccurrence }[state.view];
  return view(db, d, state, width);
}
