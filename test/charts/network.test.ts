import { beforeAll, describe, expect, it } from 'vitest';
import { heatmapGrid } from '../../src/lib/sql/network.ts';
import { heatmapChart, valuesFit } from '../../src/views/network/chart.ts';
import { renderNetwork } from '../../src/views/network/render.ts';
import { ARIA, CONTEXT, expectGolden, useDom } from './snapshot.ts';
import { tableRows } from '../helpers/table.ts';

beforeAll(useDom);

const bacteria = ['Akkermansia_muciniphila', 'Bacteroides_fragilis'];
const features = ['M1', 'M2', 'M3'];
// M3 is not measured for Bacteroides fragilis; M2 is measured as exactly 0 for Akkermansia.
const cells = [
  { feature: 'M1', bacterium: 'Akkermansia_muciniphila', value: 2 },
  { feature: 'M1', bacterium: 'Bacteroides_fragilis', value: -0.5 },
  { feature: 'M2', bacterium: 'Akkermansia_muciniphila', value: 0 },
  { feature: 'M2', bacterium: 'Bacteroides_fragilis', value: -3 },
  { feature: 'M3', bacterium: 'Akkermansia_muciniphila', value: 1.25 },
];

describe('heatmap', () => {
  it('Net Balance first, NULL grey and marked, values printed', async () => {
    const chart = heatmapChart(heatmapGrid(cells, bacteria, features), {
      width: 640,
      featureLabel: (id) => ({ M1: 'butyrate', M2: 'indole', M3: 'M3' })[id] ?? id,
      printValues: true,
      dense: false,
      ...ARIA,
      href: (cell) => `/?ds=in_vivo&m=${cell.feature}`,
    });
    await expectGolden('network-heatmap', chart);
    const texts = [...chart.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toContain('∅');
    expect(texts).toContain('1.5000');
  });

  it('renderNetwork: the summary and a row per bacterium after Net Balance', () => {
    const result = renderNetwork(
      { labels: [{ name: 'M1', label: 'butyrate' }], cells },
      { bacteria, metabolites: features },
      CONTEXT,
    );
    expect(result.summary).toBe('2 bacteria × 3 metabolites, 5 measured cells');
    expect(tableRows(result.table!).map((r) => r.cells.row)).toEqual([
      'Net Balance',
      'Akkermansia muciniphila',
      'Bacteroides fragilis',
    ]);
    expect(tableRows(result.table!)[0]!.values).toEqual({ 'f:M1': 1.5, 'f:M2': -3, 'f:M3': 1.25 });
    expect(tableRows(result.table!)[2]!.values!['f:M3']).toBeNull();
  });
});

describe('dense heatmap', () => {
  it('paints a grid too large to print its values as one image, with the tips and links in the table', () => {
    const many = Array.from({ length: 25 }, (_, i) => `M${i}`);
    const rows = Array.from({ length: 20 }, (_, i) => `B_${i}`);
    const result = renderNetwork(
      { labels: [], cells: [{ feature: 'M0', bacterium: 'B_0', value: 2 }] },
      { bacteria: rows, metabolites: many },
      { ...CONTEXT, width: 1200 },
    );
    const chart = result.chart!;
    // 21 rows (Net Balance first) x 25 columns, and not one SVG mark or link per cell.
    expect(chart.querySelector('image[data-cells]')!.getAttribute('data-cells')).toBe(String(21 * 25));
    const svg = chart.querySelector('svg[aria-description]')!;
    expect(svg.querySelectorAll('rect')).toHaveLength(0);
    expect(svg.querySelectorAll('a')).toHaveLength(0);
    expect(chart.querySelector('[data-tip]')).not.toBeNull();
    expect(svg.getAttribute('aria-description')).toContain('their values and links are in the table below');
    expect(tableRows(result.table!)[1]!.attrs).toEqual({ bacterium: 'B_0' });
    expect(tableRows(result.table!)[1]!.values!['f:M0']).toBe(2);
  });
});

describe('heatmap at phone width', () => {
  it('prints values only where a cell can hold them, else leaves them to the tips', () => {
    const six = [...features, 'M4', 'M5', 'M6'];
    const grid = heatmapGrid(cells, bacteria, six);
    expect(valuesFit(grid, 640)).toBe(true);
    // 390 px of screen leave 320 px for the chart: beside the row labels, 6 columns of about 22 px.
    expect(valuesFit(grid, 320)).toBe(false);
    const state = { bacteria, metabolites: six };
    const narrow = renderNetwork({ labels: [], cells }, state, { ...CONTEXT, width: 320 });
    expect(narrow.summary).toContain('values shown on hover: the cells are too narrow to print them');
    const printed = [...narrow.chart!.querySelectorAll('text')].map((t) => t.textContent);
    expect(printed).not.toContain('1.5000');
    expect(printed).toContain('∅');
    const wide = renderNetwork({ labels: [], cells }, state, { ...CONTEXT, width: 640 });
    expect([...wide.chart!.querySelectorAll('text')].map((t) => t.textContent)).toContain('1.5000');
  });
});
