import * as Plot from '@observablehq/plot';
import { formatValue } from '../../lib/format.ts';
import type { HeatmapGrid } from '../../lib/sql/network.ts';
import { labelMargin, truncate } from '../axis-labels.ts';

/** The interaction heatmap: Net Balance first, NULL cells grey and marked, values printed on small grids. */
export function heatmapChart(
  grid: HeatmapGrid,
  { width, featureLabel, printValues }: { width: number; featureLabel: (id: string) => string; printValues: boolean },
) {
  const cells = grid.rows.flatMap((row, r) =>
    row.cells.map((c) => ({ ...c, row: r, rowLabel: row.label, featureText: featureLabel(c.feature) })),
  );
  const measured = cells.filter((c) => c.value !== null);
  const missing = cells.filter((c) => c.value === null);
  const extent = Math.max(1e-9, ...measured.map((c) => Math.abs(c.value!)));
  const tip = (c: (typeof cells)[number]) =>
    `${c.rowLabel}\n${c.featureText} (${c.feature})\n${c.value === null ? 'not measured' : formatValue(c.value)}`;
  const rowLabels = grid.rows.map((r) => r.label);
  const margin = labelMargin(rowLabels);
  const cellWidth = Math.max(14, Math.min(64, (width - margin - 20) / Math.max(1, grid.columns.length)));
  return Plot.plot({
    width: Math.min(width, margin + 20 + cellWidth * grid.columns.length),
    height: 120 + 26 * grid.rows.length,
    marginLeft: margin,
    marginBottom: 110,
    padding: 0.04,
    x: {
      domain: grid.columns,
      tickFormat: (id: string) => truncate(featureLabel(id), 24),
      tickRotate: -40,
      label: null,
    },
    y: { domain: grid.rows.map((_, r) => r), tickFormat: (r: number) => truncate(rowLabels[r] ?? ''), label: null },
    color: {
      type: 'diverging',
      scheme: 'PuOr',
      pivot: 0,
      domain: [-extent, extent],
      legend: true,
      label: 'log2 fold change',
    },
    marks: [
      Plot.cell(measured, { x: 'feature', y: 'row', fill: 'value', title: tip, tip: true }),
      Plot.cell(missing, { x: 'feature', y: 'row', fill: '#9e9e9e', fillOpacity: 0.35, title: tip, tip: true }),
      Plot.text(missing, { x: 'feature', y: 'row', text: () => '∅', fill: '#555' }),
      ...(printValues
        ? [
            Plot.text(measured, {
              x: 'feature',
              y: 'row',
              text: (c: (typeof cells)[number]) => formatValue(c.value),
              fill: (c: (typeof cells)[number]) => (Math.abs(c.value!) > extent * 0.6 ? 'white' : 'black'),
              fontSize: 9,
            }),
          ]
        : []),
      Plot.ruleY([0.5], { stroke: '#333', strokeWidth: 1.5 }),
    ],
  });
}
