import { beforeAll, describe, expect, it } from 'vitest';
import type { CooccurrenceRow } from '../../src/lib/sql/cooccurrence.ts';
import { cooccurrenceChart } from '../../src/views/cooccurrence/chart.ts';
import { renderCooccurrence } from '../../src/views/cooccurrence/render.ts';
import { ARIA, CONTEXT, expectGolden, useDom } from './snapshot.ts';
import { rowColumns } from '../../src/lib/answers.ts';

beforeAll(useDom);

const row = (feature: string, bacterium: string, rank: number, value: number, peak: number): CooccurrenceRow => ({
  feature,
  label: feature === 'M1' ? 'butyrate' : feature,
  type: 'by_name',
  bacterium,
  rank,
  value,
  peak,
  total: 2,
});
const rows = [
  row('M1', 'Akkermansia_muciniphila', 1, 4, 4),
  row('M1', 'Bacteroides_fragilis', 3, 2.5, 4),
  row('M2', 'Bacteroides_fragilis', 1, 1.5, 1.5),
  row('M2', 'Akkermansia_muciniphila', 2, 1, 1.5),
];

describe('co-occurrence', () => {
  it('one colour and symbol per bacterium', async () => {
    const chart = cooccurrenceChart(
      rows.map((r) => ({ ...r, bacteriumName: r.bacterium.replace('_', ' ') })),
      {
        width: 640,
        bacteria: ['Akkermansia_muciniphila', 'Bacteroides_fragilis'].map((id) => ({ id, name: id.replace('_', ' ') })),
        ...ARIA,
        href: (dot) => `/?ds=in_vivo&m=${dot.feature}`,
      },
    );
    await expectGolden('cooccurrence-dots', chart);
  });

  it('30 bacteria (the most it takes): 30 distinct colour and symbol pairs, each named in the legend', () => {
    const bacteria = Array.from({ length: 30 }, (_, i) => ({ id: `B${i}`, name: `Bacterium ${i}` }));
    const dots = bacteria.map((b, i) => ({ ...rows[0]!, bacterium: b.id, bacteriumName: b.name, value: 1 + i }));
    const chart = cooccurrenceChart(dots, { width: 640, bacteria, ...ARIA });
    const items = [...chart.querySelectorAll('[class$=-swatch]')].map((item) => ({
      name: item.textContent,
      pair: `${item.querySelector('svg')!.getAttribute('fill')} ${item.querySelector('path')!.getAttribute('d')}`,
    }));
    expect(items.map((i) => i.name)).toEqual(bacteria.map((b) => b.name));
    expect(new Set(items.map((i) => i.pair)).size).toBe(30);
    // Each dot is drawn with its bacterium's pair, as the legend shows it.
    const drawn = [...chart.querySelectorAll('g[aria-label=dot] path')].map(
      (p) => `${p.getAttribute('fill')} ${p.getAttribute('d')}`,
    );
    expect(drawn).toEqual(items.map((i) => i.pair));
  });

  it('renderCooccurrence: words use the manifest top-producer count', () => {
    const state = { bacteria: ['Akkermansia_muciniphila', 'Bacteroides_fragilis'], mode: 'all' as const };
    const result = renderCooccurrence({ rows: rowColumns(rows) }, state, { ...CONTEXT, topProducerRanks: 7 });
    expect(result.summary).toBe('2 metabolites have all of the selected bacteria among their top 7 producers');
    expect(renderCooccurrence({ rows: rowColumns([]) }, state, CONTEXT).message).toBe(
      'No metabolite has all of the 2 selected bacteria among its top 10 producers.',
    );
  });
});

describe('co-occurrence of many metabolites', () => {
  it('draws the 50 with the highest peaks and lists every one in the table', () => {
    const many = Array.from({ length: 60 }, (_, i) => [
      row(`F${String(i).padStart(2, '0')}`, 'Akkermansia_muciniphila', 1, 100 - i, 100 - i),
      row(`F${String(i).padStart(2, '0')}`, 'Bacteroides_fragilis', 2, 50 - i / 2, 100 - i),
    ]).flat();
    const state = { bacteria: ['Akkermansia_muciniphila', 'Bacteroides_fragilis'], mode: 'any' as const };
    const result = renderCooccurrence({ rows: rowColumns(many.map((r) => ({ ...r, total: 60 }))) }, state, CONTEXT);
    expect(result.table!.total).toBe(120);
    expect(result.summary).toContain('the 50 with the highest peak are shown');
    const ticks = [...result.chart!.querySelectorAll('g[aria-label="y-axis tick label"] text')];
    expect(ticks.map((t) => t.textContent)).toEqual(
      many
        .slice(0, 100)
        .filter((_, i) => i % 2 === 0)
        .map((r) => r.feature),
    );
  });
});
