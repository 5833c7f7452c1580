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

/**
 * Which points of a series in x order to draw at `columns` pixel columns: the lowest and highest of each column's
 * share of the points, and always the first and last point, so that a line or area through them looks the same as one
 * through every point.
 */
export function extremaIndices(values: ArrayLike<number>, columns: number): number[] {
  const n = values.length;
  if (n <= 2 * columns + 2) return Array.from({ length: n }, (_, i) => i);
  const kept = [0];
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * n) / columns);
    const end = Math.floor(((c + 1) * n) / columns);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    for (const i of lo < hi ? [lo, hi] : [hi, lo]) if (i > kept.at(-1)!) kept.push(i);
  }
  if (kept.at(-1) !== n - 1) kept.push(n - 1);
  return kept;
}

/** A bacterium's whole profile, highest value first: `tip(i)` is the hover text of the point at index `i`. */
export interface Profile {
  values: ArrayLike<number>;
  tip(i: number): string;
}

/**
 * A bacterium's whole profile as one sorted curve with a pointer tip. ~32k features are drawn from at most two points
 * per pixel column, and the tip's text is built only for the point under the pointer.
 */
export function profileCurve({ values, tip }: Profile, { width, yLabel }: { width: number; yLabel: string }) {
  const kept = extremaIndices(values, Math.ceil(width));
  const x = (i: number) => i + 1;
  const y = (i: number) => values[i]!;
  return Plot.plot({
    width,
    height: 360,
    x: { label: `Features ranked by value (${values.length.toLocaleString('en-US')})` },
    y: { label: yLabel, grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.areaY(kept, { x, y, fill: (i: number) => (values[i]! >= 0 ? PRODUCED : CONSUMED), fillOpacity: 0.25 }),
      Plot.lineY(kept, { x, y, stroke: '#333', strokeWidth: 1 }),
      Plot.dot(kept, Plot.pointerX({ x, y, r: 4, fill: '#000' })),
      // The title channel holds the index; formatting it is what builds the text, for the one point shown.
      Plot.tip(kept, Plot.pointerX({ x, y, title: (i: number) => i, format: { title: tip } })),
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
