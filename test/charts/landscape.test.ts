import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMED, PRODUCED } from '../../src/lib/colors.ts';
import type { BacteriumProfileRow } from '../../src/lib/sql/landscape.ts';
import { barsChart, profileCurve } from '../../src/views/landscape/chart.ts';
import { renderLandscape } from '../../src/views/landscape/render.ts';
import { ARIA, CONTEXT, expectGolden, useDom } from './snapshot.ts';
import { rowColumns } from '../../src/lib/answers.ts';
import { tableRows } from '../helpers/table.ts';

beforeAll(useDom);

const butyrate = [
  { bacterium: 'Clostridium_sporogenes', name: 'Clostridium sporogenes', value: 3.25 },
  { bacterium: 'Akkermansia_muciniphila', name: 'Akkermansia muciniphila', value: 0.5 },
  { bacterium: 'Bacteroides_fragilis', name: 'Bacteroides fragilis', value: -1.75 },
];
const profile: BacteriumProfileRow[] = [
  { feature: 'M100T10_NEG', label: 'indole', type: 'by_name', value: 2.5 },
  { feature: 'M200T20_POS', label: 'M200T20_POS', type: 'by_positive', value: 0 },
  { feature: 'M300T30_NEG', label: 'butyrate', type: 'by_negative', value: -0.125 },
];

describe('landscape charts', () => {
  it('bars: a metabolite across the bacteria, produced and consumed in their two hues', async () => {
    const chart = barsChart(
      butyrate.map((r) => ({ key: r.bacterium, label: r.name, value: r.value, tip: r.name })),
      { width: 640, xLabel: 'log2 fold change', ...ARIA, href: (bar) => `/?ds=in_vivo&b=${bar.key}` },
    );
    await expectGolden('landscape-bars', chart);
    const fills = [...chart.querySelectorAll('rect')].map((r) => r.getAttribute('fill'));
    expect(fills.filter((f) => f !== null && f !== 'none')).toEqual([PRODUCED, PRODUCED, CONSUMED]);
  });

  it('curve: a bacterium profile of 400 features, highest first', async () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => 4 - (i / 400) * 6 + Math.sin(i) * 0.1);
    const chart = profileCurve(
      { values, tip: (i) => `feature ${i}` },
      { width: 640, yLabel: 'log2 fold change', ...ARIA },
    );
    await expectGolden('landscape-curve', chart);
  });
});

describe('renderLandscape (rows in, chart, table and words out)', () => {
  it('metabolite mode', async () => {
    const result = renderLandscape(
      { labels: [{ name: 'M1', label: 'butyrate' }], rows: butyrate },
      { metabolite: 'M1', bacterium: null, show: 'all', n: 10, range: null },
      CONTEXT,
    );
    expect(result.summary).toBe('All: 3 bacteria with a value for butyrate (M1)');
    expect(tableRows(result.table!).map((r) => r.cells)).toEqual([
      { bacterium: 'Clostridium sporogenes', value: '3.2500' },
      { bacterium: 'Akkermansia muciniphila', value: '0.5000' },
      { bacterium: 'Bacteroides fragilis', value: '−1.7500' },
    ]);
    expect(result.table!.csv()).toEqual(
      butyrate.map((r) => ({ feature: 'M1', bacterium: r.bacterium, value: r.value })),
    );
    await expectGolden('landscape-metabolite', result.chart!);
  });

  it('bacterium mode, Top N: bars with the type in the table', async () => {
    const result = renderLandscape(
      { profile: rowColumns(profile) },
      { metabolite: null, bacterium: 'Akkermansia_muciniphila', show: 'top', n: 3, range: null },
      CONTEXT,
    );
    expect(result.summary).toBe('Top 3: 3 features with a value for Akkermansia muciniphila');
    expect(tableRows(result.table!).map((r) => r.cells.type)).toEqual([
      'Annotated metabolite',
      'Positive ion',
      'Negative ion',
    ]);
    await expectGolden('landscape-bacterium-top', result.chart!);
  });

  it('says so in words when a metabolite has no value, or is not in the dataset', () => {
    const state = { metabolite: 'M9', bacterium: null, show: 'all' as const, n: 10, range: null };
    expect(renderLandscape({ labels: [], rows: [] }, state, CONTEXT).message).toBe(
      'No data for this selection: no feature M9 in In Vivo',
    );
    const known = renderLandscape({ labels: [{ name: 'M9', label: 'x' }], rows: [] }, state, CONTEXT);
    expect(known).toEqual({ summary: 'x (M9)', message: 'No data for this selection' });
  });
});

describe('long bar charts', () => {
  it('repeat their value axis above the bars, to stay in view while the bars scroll', () => {
    const bars = Array.from({ length: 40 }, (_, i) => ({ key: `M${i}`, label: `M${i}`, value: 3 - i / 8, tip: '' }));
    const chart = barsChart(bars, { width: 640, xLabel: 'log2 fold change', ariaLabel: 'bars', ariaDescription: '' });
    const [axis, plot] = [...chart.querySelectorAll(':scope > svg')];
    expect(axis!.hasAttribute('data-sticky-axis')).toBe(true);
    expect(axis!.getAttribute('aria-hidden')).toBe('true');
    const ticks = (svg: Element) =>
      [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks(plot!).length).toBeGreaterThan(2);
    expect(ticks(axis!)).toEqual(ticks(plot!));
    const short = barsChart(bars.slice(0, 5), { width: 640, xLabel: '', ariaLabel: 'bars', ariaDescription: '' });
    expect(short.querySelector('[data-sticky-axis]')).toBeNull();
  });
});
