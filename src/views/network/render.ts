import { formatValue, plural } from '../../lib/format.ts';
import { heatmapGrid, shouldPrintValues, type HeatmapCellRow } from '../../lib/sql/network.ts';
import { bacteriumName } from '../controls.ts';
import { landscapeSearch } from '../links.ts';
import type { Render } from '../view.ts';
import { heatmapChart, valuesFit } from './chart.ts';
import type { NetworkState } from './state.ts';

/** The heatmap of the selected bacteria × metabolites, Net Balance first, and its table. */
export const renderNetwork: Render<NetworkState> = (results, { bacteria, metabolites }, ctx) => {
  const { dataset: d, width } = ctx;
  const labels = new Map((results.labels as { name: string; label: string }[]).map((r) => [r.name, r.label]));
  const grid = heatmapGrid(results.cells as HeatmapCellRow[], bacteria, metabolites);
  const measured = grid.rows.reduce(
    (n, row) => n + (row.kind === 'bacterium' ? row.cells.filter((c) => c.value !== null).length : 0),
    0,
  );
  for (const row of grid.rows) if (row.kind === 'bacterium') row.label = bacteriumName(d, row.bacterium);
  const featureLabel = (id: string) => labels.get(id) ?? id;
  const cellCount = grid.rows.length * grid.columns.length;
  // Values are printed on small grids whose cells are wide enough; otherwise (a phone) they are in the tips.
  const fits = valuesFit(grid, width);
  const dense = !shouldPrintValues(grid);
  const printValues = !dense && fits;
  return {
    summary:
      `${plural(bacteria.length, 'bacterium', 'bacteria')} × ` +
      `${plural(metabolites.length, 'metabolite', 'metabolites')}, ` +
      `${plural(measured, 'measured cell', 'measured cells')}` +
      (printValues
        ? ''
        : fits
          ? ` (${plural(cellCount, 'cell', 'cells')}: values shown on hover)`
          : ' (values shown on hover: the cells are too narrow to print them)'),
    chart: heatmapChart(grid, {
      width,
      featureLabel,
      printValues,
      dense,
      ariaLabel:
        `Heatmap: log2 fold change of ${metabolites.length} metabolites in ${bacteria.length} bacteria, ` + d.title,
      ariaDescription:
        'One column per metabolite. The first row is the Net Balance, the sum over the bacteria (not measured ' +
        'counted as 0), on its own colour scale; then one row per bacterium. Blue is produced (> 0), orange ' +
        'consumed (< 0), lighter nearer 0; grey cells marked ∅ were not measured. Each bacterium cell links to the ' +
        'Landscape of its metabolite. The same values are in the table below.',
      href: (cell) => ctx.explorerPath + landscapeSearch(d.id, { metabolite: cell.feature }),
    }),
    table: {
      columns: [
        { key: 'row', label: 'Row' },
        ...grid.columns.map((f) => ({ key: `f:${f}`, label: featureLabel(f), numeric: true })),
      ],
      row: (i) => {
        const row = grid.rows[i]!;
        const attrs: Record<string, string> =
          row.kind === 'balance' ? { balance: 'true' } : { bacterium: row.bacterium };
        return {
          attrs,
          cells: Object.fromEntries([
            ['row', row.label],
            ...row.cells.map((c) => [`f:${c.feature}`, formatValue(c.value)]),
          ]),
          values: Object.fromEntries(row.cells.map((c) => [`f:${c.feature}`, c.value])),
        };
      },
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
  };
};
