import * as Plot from '@observablehq/plot';
import { CONSUMED, PRODUCED } from '../../lib/colors.ts';
import { labelMargin, truncate } from '../axis-labels.ts';

/** One bar of a ranked profile: `key` is unique, `label` what the axis shows. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  tip: string;
}

/** Horizontal bars in the given order, coloured by sign: a metabolite's bacteria, or a bacterium's Top/Bottom N. */
export function barsChart(bars: Bar[], { width, xLabel }: { width: number; xLabel: string }) {
  const labels = new Map(bars.map((b) => [b.key, b.label]));
  return Plot.plot({
    width,
    height: 40 + 18 * bars.length,
    marginLeft: labelMargin([...labels.values()]),
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
