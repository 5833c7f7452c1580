import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { bacteriumChartSvg } from '../../src/lib/bacterium-chart.ts';
import { CONSUMED, NOT_MEASURED, PRODUCED } from '../../src/lib/colors.ts';
import { heatmapGrid } from '../../src/lib/sql/network.ts';
import { cooccurrenceChart } from '../../src/views/cooccurrence/chart.ts';
import { barsChart, profileCurve } from '../../src/views/landscape/chart.ts';
import { fillCellImages } from '../../src/views/cell-image.ts';
import { heatmapChart } from '../../src/views/network/chart.ts';
import { ARIA, useDom } from './snapshot.ts';

// One colour language, checked on the markup each chart function draws: whatever the chart, the mark of a positive
// value has the hue of PRODUCED and the mark of a negative one the hue of CONSUMED (a diverging scale lightens them
// towards 0 without turning them), and "not measured" is the grey outside both.

beforeAll(useDom);

/** The hue (degrees) and saturation (0–1, HSL) of `#rrggbb` or `rgb(r, g, b)`. */
function hueOf(color: string): { hue: number; saturation: number } {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const rgb = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(color);
  const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb?.slice(1).map(Number);
  if (!parts) throw new Error(`not a colour: ${color}`);
  const [r, g, b] = parts.map((p) => p / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  const l = (max + min) / 2;
  const saturation = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (d === 0) return { hue: 0, saturation };
  const hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { hue: (hue * 60 + 360) % 360, saturation };
}

/** Whether `color` has the hue of `reference`, within a few degrees (rounding to whole RGB units moves it). */
function sameHue(color: string, reference: string): boolean {
  const a = hueOf(color);
  const b = hueOf(reference);
  const gap = Math.abs(a.hue - b.hue);
  return a.saturation > 0.1 && Math.min(gap, 360 - gap) < 6;
}

const hueOk = (color: string | null | undefined, reference: string) => {
  expect(color, `a colour for ${reference}`).toBeTruthy();
  expect(sameHue(color!, reference), `${color} has the hue of ${reference}`).toBe(true);
};

const fillOf = (el: Element | null) => el?.getAttribute('fill') ?? el?.closest('[fill]')?.getAttribute('fill');

describe('one colour language: a positive value in the hue of PRODUCED, a negative one in that of CONSUMED', () => {
  it('is a pair readers can tell apart', () => {
    expect(sameHue(PRODUCED, CONSUMED)).toBe(false);
    expect(hueOf(NOT_MEASURED).saturation).toBe(0);
  });

  it('bars', () => {
    const chart = barsChart(
      [
        { key: 'a', label: 'a', value: 2, tip: 'a' },
        { key: 'b', label: 'b', value: -0.5, tip: 'b' },
      ],
      { width: 640, xLabel: 'log2 fold change', ...ARIA },
    );
    const [positive, negative] = chart.querySelectorAll('g[aria-label=bar] rect');
    hueOk(fillOf(positive!), PRODUCED);
    hueOk(fillOf(negative!), CONSUMED);
  });

  it('curve: the area above 0, and the one below', () => {
    const chart = profileCurve({ values: [3, 1, -1, -2], tip: String }, { width: 640, yLabel: 'y', ...ARIA });
    const [positive, negative] = [...chart.querySelectorAll('g[aria-label=area] path')].map(fillOf);
    hueOk(positive, PRODUCED);
    hueOk(negative, CONSUMED);
  });

  it('heatmap: a bacterium cell and a Net Balance cell of each sign, NULL grey', () => {
    const grid = heatmapGrid(
      [
        { feature: 'up', bacterium: 'A', value: 0.75 },
        { feature: 'down', bacterium: 'A', value: -2 },
      ],
      ['A', 'B'],
      ['up', 'down'],
    );
    const chart = heatmapChart(grid, { width: 640, featureLabel: String, printValues: false, dense: false, ...ARIA });
    const cell = (row: string, feature: string) =>
      fillOf(chart.querySelector(`[aria-label^="${row}, ${feature} "] rect, rect[aria-label^="${row}, ${feature} "]`));
    hueOk(cell('A', 'up'), PRODUCED);
    hueOk(cell('A', 'down'), CONSUMED);
    hueOk(cell('Net Balance', 'up'), PRODUCED);
    hueOk(cell('Net Balance', 'down'), CONSUMED);
    expect(cell('B', 'up')).toBe(NOT_MEASURED);

    // Painted as one image, the same cells in the same colours (the test canvas lists its fills, row by row).
    const painted = heatmapChart(grid, { width: 640, featureLabel: String, printValues: false, dense: true, ...ARIA });
    fillCellImages(painted);
    const fills = decodeURIComponent(painted.querySelector('image[data-cells]')!.getAttribute('href')!)
      .replace('data:text/plain,', '')
      .split(';');
    // Rows: Net Balance (up, down), A (up, down), B (up ∅, down ∅).
    hueOk(fills[0]!, PRODUCED);
    hueOk(fills[1]!, CONSUMED);
    hueOk(fills[2]!, PRODUCED);
    hueOk(fills[3]!, CONSUMED);
    expect(fills.slice(4)).toEqual([NOT_MEASURED, '#333 ∅', NOT_MEASURED, '#333 ∅']);
  });

  it('co-occurrence: every value is a top producer’s (> 0), on a stem in the produced hue', () => {
    const chart = cooccurrenceChart(
      [{ feature: 'M1', label: 'M1', bacterium: 'A', bacteriumName: 'A', rank: 1, value: 1.5 }],
      { width: 640, bacteria: [{ id: 'A', name: 'A' }], ...ARIA },
    );
    hueOk(chart.querySelector('g[aria-label=rule]')?.getAttribute('stroke'), PRODUCED);
  });

  it('bacterium page', () => {
    const svg = bacteriumChartSvg([
      { feature: 'up', label: 'up', type: 'by_name', value: 1 },
      { feature: 'down', label: 'down', type: 'by_name', value: -1 },
    ]);
    const [positive, negative] = parseHTML(svg).document.querySelectorAll('g[aria-label=bar] rect');
    hueOk(fillOf(positive!), PRODUCED);
    hueOk(fillOf(negative!), CONSUMED);
  });
});
