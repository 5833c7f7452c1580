import * as Plot from '@observablehq/plot';
import { LINKED_TIP, accessibleChart } from '../../lib/chart-a11y.ts';
import { SIGN_SCALE, signLabel } from '../../lib/colors.ts';
import { labelMargin, truncate } from '../axis-labels.ts';

/** One bar of a ranked profile: `key` is unique, `label` what the axis shows. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  tip: string;
}

/** What a bar chart shows, in words: its accessible name, and the values and what each bar leads to. */
export interface BarsOptions {
  width: number;
  xLabel: string;
  ariaLabel: string;
  ariaDescription: string;
  /** Where clicking a bar leads. */
  href?: (bar: Bar) => string;
}

/** Past this many bars a chart is taller than a screen, and its value axis is repeated on top to stay in view. */
const LONG_BARS = 30;

/**
 * Repeats the value axis of a long bar chart above its bars, in an SVG of its own that the page keeps at the top of
 * the window while the bars scroll by (CSS: `[data-sticky-axis]`).
 */
function keepAxisInView(chart: Element, { width, marginLeft }: { width: number; marginLeft: number }): void {
  const x = (chart as Element & { scale(name: 'x'): { domain: number[] } }).scale('x');
  const axis = Plot.plot({
    width,
    height: 30,
    marginLeft,
    marginTop: 24,
    marginBottom: 0,
    x: { domain: x.domain, grid: false, label: null },
    marks: [Plot.axisX({ anchor: 'top', ariaHidden: 'true' })],
  });
  // Read once already by the chart below: hidden from assistive technologies.
  axis.setAttribute('aria-hidden', 'true');
  axis.setAttribute('data-sticky-axis', '');
  const plot = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector(':scope > svg:last-of-type');
  plot?.before(axis);
}

/** Horizontal bars in the given order, coloured by sign: a metabolite's bacteria, or a bacterium's Top/Bottom N. */
export function barsChart(bars: Bar[], { width, xLabel, ariaLabel, ariaDescription, href }: BarsOptions) {
  const labels = new Map(bars.map((b) => [b.key, b.label]));
  const marginLeft = labelMargin([...labels.values()]);
  const chart = accessibleChart(
    Plot.plot({
      width,
      height: 40 + 18 * bars.length,
      marginLeft,
      ariaLabel,
      ariaDescription,
      x: { label: xLabel, grid: true },
      y: { domain: bars.map((b) => b.key), tickFormat: (k: string) => truncate(labels.get(k) ?? k), label: null },
      color: SIGN_SCALE,
      marks: [
        Plot.barX(bars, {
          x: 'value',
          y: 'key',
          fill: (b: Bar) => signLabel(b.value),
          title: 'tip',
          tip: LINKED_TIP,
          ariaLabel: (b: Bar) => b.tip.replaceAll('\n', ', '),
          ...(href ? { href } : {}),
        }),
        Plot.ruleX([0], { ariaHidden: 'true' }),
      ],
    }),
  );
  if (bars.length > LONG_BARS) keepAxisInView(chart, { width, marginLeft });
  return chart;
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

/** What the curve shows, in words. */
export interface CurveOptions {
  width: number;
  yLabel: string;
  ariaLabel: string;
  ariaDescription: string;
}

/**
 * A bacterium's whole profile as one sorted curve with a pointer tip. ~32k features are drawn from at most two points
 * per pixel column, and the tip's text is built only for the point under the pointer. The area under the curve takes
 * the colour of its sign.
 */
export function profileCurve({ values, tip }: Profile, { width, yLabel, ariaLabel, ariaDescription }: CurveOptions) {
  const kept = extremaIndices(values, Math.ceil(width));
  const x = (i: number) => i + 1;
  const y = (i: number) => values[i]!;
  return accessibleChart(
    Plot.plot({
      width,
      height: 360,
      ariaLabel,
      ariaDescription,
      x: { label: `Features ranked by value (${values.length.toLocaleString('en-US')})` },
      y: { label: yLabel, grid: true },
      color: SIGN_SCALE,
      marks: [
        Plot.ruleY([0], { ariaHidden: 'true' }),
        Plot.areaY(kept, { x, y, fill: (i: number) => signLabel(values[i]!), fillOpacity: 0.35 }),
        Plot.lineY(kept, { x, y, stroke: '#333', strokeWidth: 1 }),
        Plot.dot(kept, Plot.pointerX({ x, y, r: 4, fill: '#000' })),
        // The title channel holds the index; formatting it is what builds the text, for the one point shown.
        Plot.tip(kept, Plot.pointerX({ x, y, title: (i: number) => i, format: { title: tip } })),
      ],
    }),
  );
}
