import { formatCount, formatValue } from '../../lib/format.ts';
import { heatmapGrid, shouldPrintValues, type HeatmapCellRow } from '../../lib/sql/network.ts';
import { bacteriumName } from '../controls.ts';
import { TABLE_ROWS } from '../results.ts';
import type { Render } from '../view.ts';
import { heatmapChart } from './chart.ts';
import type { NetworkState } from './state.ts';

/** The heatmap of the selected bacteria × metabolites, Net Balance first, and its table. */
export const renderNetwork: Render<NetworkState> = (results, { bacteria, metabolites }, { dataset: d, width }) => {
  const labels = new Map((results.labels as { name: string; label: string }[]).map((r) => [r.name, r.label]));
  const cells = results.cells as HeatmapCellRow[];
  const grid = heatmapGrid(cells, bacteria, metabolites);
  for (const row of grid.rows) if (row.kind === 'bacterium') row.label = bacteriumName(d, row.bacterium);
  const featureLabel = (id: string) => labels.get(id) ?? id;
  const cellCount = grid.rows.length * grid.columns.length;
  const printValues = shouldPrintValues(grid);
  return {
    summary:
      `${bacteria.length} bacteria × ${metabolites.length} metabolites, ${formatCount(cells.length)} measured cells` +
      (printValues ? '' : ` (${formatCount(cellCount)} cells: values shown on hover)`),
    chart: heatmapChart(grid, { width, featureLabel, printValues }),
    table: {
      columns: [
        { key: 'row', label: 'Row' },
        ...grid.columns.map((f) => ({ key: `f:${f}`, label: featureLabel(f), numeric: true })),
      ],
      rows: grid.rows.slice(0, TABLE_ROWS).map((row) => ({
        attrs: (row.kind === 'balance' ? { balance: 'true' } : { bacterium: row.bacterium }) as Record<string, string>,
        cells: Object.fromEntries([
          ['row', row.label],
          ...row.cells.map((c) => [`f:${c.feature}`, formatValue(c.value)]),
        ]),
        values: Object.fromEntries(row.cells.map((c) => [`f:${c.feature}`, c.value])),
      })),
      total: grid.rows.length,
      csv: () =>
        grid.rows.flatMap((row) =>
          row.cells.map((c) => ({
            row: row.kind === 'balance' ? 'Net Balance' : row.bacterium,
            feature: c.feature,
            value: c.value,
          })),
        ),
    },
    fileName: `${d.id}-heatmap`,
  };
};
