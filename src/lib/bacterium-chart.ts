/** Server-side rendering of a bacterium page's chart: its highest and lowest values as horizontal bars. */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { accessibleChart } from './chart-a11y.ts';
import { CONSUMED, CONSUMED_LABEL, PRODUCED, PRODUCED_LABEL } from './colors.ts';
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
  // The legend is drawn inside the SVG, which the page embeds as it is: a swatch and its words for each sign.
  const legend = [
    { fill: PRODUCED, text: PRODUCED_LABEL, dx: -180 },
    { fill: CONSUMED, text: CONSUMED_LABEL, dx: -40 },
  ];
  const svg = Plot.plot({
    document,
    width: 640,
    height: 90 + 24 * rows.length,
    marginTop: 40,
    marginLeft: 200,
    marginRight: 20,
    marginBottom: 44,
    style: { fontSize: '12px' },
    ariaLabel: 'Bar chart of the highest and lowest values',
    ariaDescription:
      'One bar per metabolite, its length the log2 fold change: produced (positive) in blue to the right of 0, ' +
      'consumed (negative) in orange to the left. The same values are in the tables below.',
    x: { label: '← consumed · log2 fold change · produced →', labelAnchor: 'center', labelOffset: 38, grid: true },
    y: { domain: rows.map((row) => row.feature), axis: null },
    marks: [
      // dx is a constant of a mark, not a channel: one swatch and one text mark per item.
      ...legend.flatMap(({ fill, text, dx }) => [
        Plot.dot([0], { frameAnchor: 'top-left', dx, dy: -26, symbol: 'square', r: 6, fill, ariaHidden: 'true' }),
        Plot.text([text], {
          frameAnchor: 'top-left',
          dx: dx + 10,
          dy: -26,
          text: (t: string) => t,
          textAnchor: 'start',
          lineAnchor: 'middle',
        }),
      ]),
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
      Plot.ruleX([0], { ariaHidden: 'true' }),
    ],
  });
  return accessibleChart(svg).outerHTML;
}
