/** Server-side rendering of a bacterium page's chart: its highest and lowest values as horizontal bars. */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { CONSUMED, PRODUCED } from './colors.ts';
import { formatValue } from './format.ts';
import type { ShardRow } from './site-data.ts';

/** Top and bottom rows in one list, each feature once, ordered by value DESC then feature ASC (byte order). */
export function chartRows(top: ShardRow[], bottom: ShardRow[]): ShardRow[] {
  const byFeature = new Map([...top, ...bottom].map((row) => [row.feature, row]));
  return [...byFeature.values()].sort(
    (a, b) => b.value - a.value || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
}

/**
 * The chart as an SVG string. Data reaches it only as text nodes, which the serializer escapes; attributes hold
 * constants because linkedom leaves `<` and `&` raw in attribute values. The page's caption names the bacterium.
 */
export function bacteriumChartSvg(rows: ShardRow[]): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const labels = new Map(rows.map((row) => [row.feature, row.label]));
  const svg = Plot.plot({
    document,
    width: 640,
    height: 60 + 24 * rows.length,
    marginLeft: 200,
    marginRight: 20,
    marginBottom: 44,
    style: { fontSize: '12px' },
    ariaLabel: 'Bar chart of the highest and lowest values',
    ariaDescription: 'Produced (positive) in red to the right of 0, consumed (negative) in blue to the left.',
    x: { label: '← consumed · log2 fold change · produced →', labelAnchor: 'center', labelOffset: 38, grid: true },
    y: { domain: rows.map((row) => row.feature), axis: null },
    marks: [
      Plot.axisY({
        tickFormat: (feature: string) => labels.get(feature),
        label: null,
        lineWidth: 16,
        textOverflow: 'ellipsis',
      }),
      Plot.barX(rows, {
        x: 'value',
        y: 'feature',
        fill: (row: ShardRow) => (row.value < 0 ? CONSUMED : PRODUCED),
        title: (row: ShardRow) => `${row.label} (${row.feature}): ${formatValue(row.value)}`,
      }),
      Plot.ruleX([0]),
    ],
  });
  return svg.outerHTML;
}
