import * as Plot from '@observablehq/plot';
import { LINKED_TIP, accessibleChart } from '../../lib/chart-a11y.ts';
import { CONSUMED, PRODUCED } from '../../lib/colors.ts';

/** One matched metabolite measured in both datasets: its values, the words of its tip, and where it leads. */
export interface Point {
  x: number;
  y: number;
  tip: string;
  href: string;
}

/** What the scatter shows, in words. */
export interface ScatterOptions {
  width: number;
  xLabel: string;
  yLabel: string;
  ariaLabel: string;
  ariaDescription: string;
}

/**
 * One dot per metabolite, a dataset on each axis. The quadrant where both values are produced (> 0) is tinted with
 * the produced hue and named, the one where both are consumed (< 0) with the consumed hue: points there agree in
 * sign. The dots themselves are dark, since a point has two values and so no one sign.
 */
export function scatterChart(points: Point[], { width, xLabel, yLabel, ariaLabel, ariaDescription }: ScatterOptions) {
  const reach = (values: number[]) => 1.08 * Math.max(0.5, ...values.map(Math.abs));
  const [ex, ey] = [reach(points.map((p) => p.x)), reach(points.map((p) => p.y))];
  const quadrant = (sign: 1 | -1, fill: string, text: string) => [
    Plot.rect([{}], { x1: 0, x2: sign * ex, y1: 0, y2: sign * ey, fill, fillOpacity: 0.12, ariaHidden: 'true' }),
    Plot.text([text], {
      x: sign * ex,
      y: sign * ey,
      text: (t: string) => t,
      textAnchor: sign > 0 ? 'end' : 'start',
      dx: -sign * 4,
      dy: sign * 8,
      fill: fill,
      fontWeight: 'bold',
      ariaHidden: 'true',
    }),
  ];
  return accessibleChart(
    Plot.plot({
      width,
      height: Math.min(560, Math.max(320, width * 0.7)),
      marginLeft: 56,
      ariaLabel,
      ariaDescription,
      x: { domain: [-ex, ex], label: xLabel, grid: true },
      y: { domain: [-ey, ey], label: yLabel, grid: true },
      marks: [
        ...quadrant(1, PRODUCED, 'produced in both'),
        ...quadrant(-1, CONSUMED, 'consumed in both'),
        Plot.ruleX([0], { ariaHidden: 'true' }),
        Plot.ruleY([0], { ariaHidden: 'true' }),
        Plot.dot(points, {
          x: 'x',
          y: 'y',
          r: 4,
          fill: '#222',
          fillOpacity: 0.75,
          stroke: 'white',
          title: 'tip',
          tip: LINKED_TIP,
          ariaLabel: (p: Point) => p.tip.replaceAll('\n', ', '),
          href: 'href',
        }),
      ],
    }),
  );
}
