import { beforeAll, describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from '../../src/lib/correlation.ts';
import type { ExplorerComparison } from '../../src/lib/explorer-data.ts';
import { formatValue } from '../../src/lib/format.ts';
import type { ComparisonRow } from '../../src/lib/sql/compare.ts';
import { compare } from '../../src/views/compare/index.ts';
import { renderCompare } from '../../src/views/compare/render.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import type { RenderContext } from '../../src/views/view.ts';
import { tableRows } from '../helpers/table.ts';
import { CONTEXT, expectGolden, useDom } from './snapshot.ts';

beforeAll(useDom);

const COMPARISON: ExplorerComparison = {
  datasets: [
    { id: 'in_vitro', title: 'In Vitro' },
    { id: 'in_vivo', title: 'In Vivo' },
  ],
  bacteria: [{ x: 'E_coli', y: 'Escherichia_coli', name: 'E coli' }],
  unmatched: [[{ id: 'Only_vitro', name: 'Only vitro' }], []],
  matched: 5,
  file: 'comparison.parquet',
};
const ctx = { ...CONTEXT, comparison: COMPARISON } as RenderContext<never>;

const row = (key: string, x: number | null, y: number | null): ComparisonRow => ({
  key,
  feature_x: `${key}_x`,
  label_x: key,
  value_x: x,
  feature_y: `${key}_y`,
  label_y: key.toUpperCase(),
  value_y: y,
});
const render = (rows: ComparisonRow[]) => renderCompare({ rows }, { bacterium: 'E_coli' }, ctx);

describe('renderCompare', () => {
  it('plots the pairs measured in both, with both correlations; table rows link to both datasets', async () => {
    const rows = [row('a', 1, 2), row('b', 2, 2), row('c', 3, 5), row('d', -1, null), row('e', 0.5, -1)];
    const result = render(rows);
    const both = rows.filter((r) => r.value_x !== null && r.value_y !== null);
    const [xs, ys] = [both.map((r) => r.value_x!), both.map((r) => r.value_y!)];
    // The ties of y (2, 2) share rank 2.5.
    expect(averageRanks(ys)).toEqual([2.5, 2.5, 4, 1]);
    expect(result.summary).toBe(
      '5 annotated metabolites matched by name in In Vitro and In Vivo; E coli has a value in both for 4: ' +
        `Spearman ρ = ${formatValue(spearman(xs, ys)!)}, Pearson r = ${formatValue(pearson(xs, ys)!)}`,
    );
    await expectGolden('compare-scatter', result.chart!);
    expect(result.chart!.querySelectorAll('a').length).toBe(4);
    // The open tab is In Vivo: dots lead there.
    expect(result.chart!.querySelector('a')!.getAttribute('href')).toBe(
      `/${landscapeSearch('in_vivo', { metabolite: 'a_y' })}`,
    );
    const table = tableRows(result.table!);
    expect(table.map((r) => r.cells.value_y)).toEqual(['2.0000', '2.0000', '5.0000', 'no value', '\u22121.0000']);
    expect(table[0]!.links).toEqual({
      label_x: `/${landscapeSearch('in_vitro', { metabolite: 'a_x' })}`,
      label_y: `/${landscapeSearch('in_vivo', { metabolite: 'a_y' })}`,
    });
  });

  it('says when fewer than 3 metabolites have a value in both, and when a series is constant', () => {
    expect(render([row('a', 1, 2), row('b', 2, 3), row('c', 1, null)]).summary).toContain(
      'E coli has a value in both for 2: fewer than 3 metabolites with a value in both, so no correlation',
    );
    expect(render([row('a', 1, 2), row('b', 1, 3), row('c', 1, 4)]).summary).toContain(
      'Spearman ρ = undefined (the values of one dataset are all equal), ' +
        'Pearson r = undefined (the values of one dataset are all equal)',
    );
  });

  it('without a value in both, says so instead of drawing', () => {
    const result = render([row('a', 1, null)]);
    expect(result.chart).toBeUndefined();
    expect(result.message).toBe('No data for this selection: E coli has a value in both datasets for none of them');
  });
});

describe('the view says why there is nothing to compare', () => {
  const problem = (bacterium: string | null, comparison?: ExplorerComparison) => {
    const planned = compare.queries({ bacterium }, { ...CONTEXT, comparison });
    return 'problem' in planned ? planned.problem : undefined;
  };

  it('queries the comparison file for a matched bacterium, by its id in either dataset', () => {
    for (const id of ['E_coli', 'Escherichia_coli']) {
      const planned = compare.queries({ bacterium: id }, { ...CONTEXT, comparison: COMPARISON });
      const rows = 'queries' in planned ? planned.queries.rows : undefined;
      expect(rows && 'query' in rows && rows.query.params).toEqual(['E_coli']);
    }
  });

  it('names the reason', () => {
    expect(problem('Only_vitro', COMPARISON)).toMatch(
      /^Only vitro is in In Vitro only: no bacterium of In Vivo matches it/,
    );
    expect(problem(null, COMPARISON)).toBe('Pick a bacterium measured in In Vitro and In Vivo to compare.');
    expect(problem('E_coli', { ...COMPARISON, matched: 0 })).toMatch(/^No annotated metabolite of In Vitro/);
    expect(problem('E_coli')).toBe(
      'The comparison needs two datasets; this site has one (In Vivo): nothing to compare.',
    );
  });
});
