import * as Plot from '@observablehq/plot';
import { CONSUMED, OKABE_ITO, PRODUCED } from '../../lib/colors.ts';
import { formatValue } from '../../lib/format.ts';
import type { HeatmapGrid } from '../../lib/sql/network.ts';


/** One bar of a ranked profile: `key` is unique, `label` what the axis shows. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  tip: string;
}

const truncate = (text: string, max = 42) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const margin = (labels: string[]) => Math.min(300, 12 + 6.5 * Math.max(4, ...labels.map((l) => truncate(l).length)));

/** Horizontal bars in the given order, coloured by sign: a metabolite's bacteria, or a bacterium's Top/Bottom N. */
export function barsChart(bars: Bar[], { width, xLabel }: { width: number; xLabel: string }) {
  const labels = new Map(bars.map((b) => [b.key, b.label]));
  return Plot.plot({
    width,
    height: 40 + 18 * bars.length,
    marginLeft: margin([...labels.values()]),
    x: { label: xLabel, grid: true },
    y: { domain: bars.map((b) => b.key), tickFormat: (k: string) => truncate(labels.get(k) ?? k), label: null },
    color: { domain: ['produced', 'consumed'], range: [PRODUCED, CONSUMED], legend: true },
    marks: [
      Plot.barX(bars, {
        x: 'value',
        y: 'key',
        fill: (b: Bar) => (b.value >= 0 ? 'produced' : 'consumed'),
        title: 'tip',
        tip: true,
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** A bacterium's whole profile as one sorted curve: ~32k features stay one SVG path, with a pointer tip. */
export function profileCurve(points: Bar[], { width, yLabel }: { width: number; yLabel: string }) {
  const indexed = points.map((p, i) => ({ ...p, rank: i + 1 }));
  return Plot.plot({
    width,
    height: 360,
    x: { label: `Features ranked by value (${indexed.length.toLocaleString('en-US')})` },
    y: { label: yLabel, grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.areaY(indexed, { x: 'rank', y: 'value', fill: (p: Bar) => (p.value >= 0 ? PRODUCED : CONSUMED), fillOpacity: 0.25 }),
      Plot.lineY(indexed, { x: 'rank', y: 'value', stroke: '#333', strokeWidth: 1 }),
      Plot.dot(indexed, Plot.pointerX({ x: 'rank', y: 'value', r: 4, fill: '#000' })),
      Plot.tip(indexed, Plot.pointerX({ x: 'rank', y: 'value', title: 'tip' })),
    ],
  });
}

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
  const cellWidth = Math.max(14, Math.min(64, (width - margin(rowLabels) - 20) / Math.max(1, grid.columns.length)));
  return Plot.plot({
    width: Math.min(width, margin(rowLabels) + 20 + cellWidth * grid.columns.length),
    height: 120 + 26 * grid.rows.length,
    marginLeft: margin(rowLabels),
    marginBottom: 110,
    padding: 0.04,
    x: { domain: grid.columns, tickFormat: (id: string) => truncate(featureLabel(id), 24), tickRotate: -40, label: null },
    y: { domain: grid.rows.map((_, r) => r), tickFormat: (r: number) => truncate(rowLabels[r] ?? ''), label: null },
    color: { type: 'diverging', scheme: 'PuOr', pivot: 0, domain: [-extent, extent], legend: true, label: 'log2 fold change' },
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

/** One dot per (feature, selected top producer): one colour and shape per bacterium, rank in the tip. */
export interface CooccurrenceDot {
  feature: string;
  label: string;
  bacterium: string;
  bacteriumName: string;
  rank: number;
  value: number;
}

export function cooccurrenceChart(dots: CooccurrenceDot[], { width, bacteria }: { width: number; bacteria: { id: string; name: string }[] }) {
  const features = [...new Set(dots.map((d) => d.feature))];
  const labels = new Map(dots.map((d) => [d.feature, d.label]));
  const names = bacteria.map((b) => b.name);
  return Plot.plot({
    width,
    height: 60 + 22 * features.length,
    marginLeft: margin([...labels.values()]),
    x: { label: 'log2 fold change', grid: true },
    y: { domain: features, tickFormat: (f: string) => truncate(labels.get(f) ?? f), label: null },
    color: { domain: names, range: OKABE_ITO, legend: true },
    symbol: { domain: names },
    marks: [
      Plot.dot(dots, {
        x: 'value',
        y: 'feature',
        fill: 'bacteriumName',
        symbol: 'bacteriumName',
        r: 5,
        title: (d: CooccurrenceDot) =>
          `${d.label} (${d.feature})\n${d.bacteriumName}: rank ${d.rank} of its top producers\n${formatValue(d.value)}`,
        tip: true,
      }),
    ],
  });
}
