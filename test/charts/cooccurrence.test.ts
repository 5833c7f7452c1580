import { beforeAll, describe, expect, it } from 'vitest';
import type { CooccurrenceRow } from '../../src/lib/sql/cooccurrence.ts';
import { cooccurrenceChart } from '../../src/views/cooccurrence/chart.ts';
import { renderCooccurrence } from '../../src/views/cooccurrence/render.ts';
import { CONTEXT, expectGolden, useDom } from './snapshot.ts';

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
      },
    );
    await expectGolden('cooccurrence-dots', chart);
  });

  it('renderCooccurrence: words use the manifest top-producer count', () => {
    const state = { bacteria: ['Akkermansia_muciniphila', 'Bacteroides_fragilis'], mode: 'all' as const };
    const result = renderCooccurrence({ rows }, state, { ...CONTEXT, topProducerRanks: 7 });
    expect(result.summary).toBe('2 metabolites have all of the selected bacteria among their top 7 producers');
    expect(renderCooccurrence({ rows: [] }, state, CONTEXT).message).toBe(
      'No metabolite has all of the 2 selected bacteria among its top 10 producers.',
    );
  });
});
