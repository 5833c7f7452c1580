import * as Plot from '@observablehq/plot';
import { beforeAll, describe, expect, it } from 'vitest';
import { divergingScale, NOT_MEASURED } from '../../src/lib/colors.ts';
import type { OverviewCell } from '../../src/lib/sql/overview.ts';
import { cellAt, meanExtent, overviewLayout, paintCells } from '../../src/views/overview/chart.ts';
import { overviewGrid } from '../../src/views/overview/grid.ts';
import { renderOverview } from '../../src/views/overview/render.ts';
import { tableRows } from '../helpers/table.ts';
import { CONTEXT, expectGolden, useDom } from './snapshot.ts';
import { rowColumns } from '../../src/lib/answers.ts';

beforeAll(useDom);

const BACTERIA = ['Clostridium_sporogenes', 'Akkermansia_muciniphila', 'Bacteroides_fragilis'];
const BINS = [
  { bin: 0, type: 'by_name', features: 2, first_feature: 'X1', last_feature: 'X2' },
  { bin: 1, type: 'by_negative', features: 3, first_feature: 'N1', last_feature: 'N3' },
  { bin: 2, type: 'by_negative', features: 3, first_feature: 'N4', last_feature: 'N6' },
];
// Bin × bacterium means; null where nothing was measured.
const MEANS = [
  [2, -1, null],
  [0.5, null, -3],
  [null, 1, 0],
];
const CELLS: OverviewCell[] = BINS.flatMap((b, i) =>
  BACTERIA.map((bacterium, row) => {
    const mean = MEANS[i]![row]!;
    return {
      ...b,
      row,
      bacterium,
      measured: mean === null ? 0 : row + 1,
      mean_value: mean,
      max_value: mean === null ? null : mean + 1,
      min_value: mean === null ? null : mean - 1,
      strongest: mean === null ? null : `${b.first_feature}`,
      strongest_value: mean === null ? null : mean + 1,
    };
  }),
);

describe('overview grid', () => {
  const grid = overviewGrid(rowColumns(CELLS));

  it('reads bins, type sections and the bacteria in row order from the cells', () => {
    expect(grid.bacteria).toEqual(BACTERIA);
    expect(grid.sections).toEqual([
      { type: 'by_name', from: 0, to: 1, features: 2 },
      { type: 'by_negative', from: 1, to: 3, features: 6 },
    ]);
    expect(grid.bins.map((b) => [b.ofType, b.typeBins])).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
    ]);
    expect(grid.mean(1, 2)).toBe(-3);
    expect(grid.mean(1, 1)).toBeNull();
    expect(meanExtent(grid)).toBe(3);
  });

  it('finds the cell under a point, and none outside the cells', () => {
    const layout = overviewLayout(grid, 640, BACTERIA);
    const centre = (bin: number, row: number) =>
      cellAt(grid, layout, layout.left + (bin + 0.5) * layout.cellWidth, layout.top + (row + 0.5) * layout.rowHeight);
    expect(centre(2, 1)).toEqual({ bin: 2, row: 1 });
    expect(centre(0, 0)).toEqual({ bin: 0, row: 0 });
    expect(cellAt(grid, layout, layout.left - 1, layout.top + 1)).toBeNull();
    expect(cellAt(grid, layout, layout.left + 1, layout.top + 3 * layout.rowHeight + 1)).toBeNull();
  });

  it('paints each cell by its mean on the diverging scale, grey (with a dot) where nothing is measured', () => {
    const layout = overviewLayout(grid, 640, BACTERIA);
    const scale = Plot.scale({ color: divergingScale(3, '') });
    const painted: { fill: string; x: number; y: number; w: number; h: number }[] = [];
    const context = {
      fillStyle: '' as string | CanvasGradient | CanvasPattern,
      fillRect(x: number, y: number, w: number, h: number) {
        painted.push({ fill: String(context.fillStyle), x, y, w, h });
      },
    };
    paintCells(context, grid, layout, (v) => scale.apply(v) as string);
    const cells = painted.filter((p) => p.h === layout.rowHeight);
    expect(cells).toHaveLength(9);
    // Column by column, each top to bottom, meeting without gaps.
    expect(cells.map((c) => c.fill)).toEqual(
      MEANS.flat().map((m) => (m === null ? NOT_MEASURED : (scale.apply(m) as string))),
    );
    expect(cells[3]!.x).toBe(cells[0]!.x + cells[0]!.w);
    expect(painted.filter((p) => p.h === 2).map((p) => p.fill)).toEqual(['#333', '#333', '#333']);
  });
});

describe('renderOverview', () => {
  const render = () => renderOverview({ cells: rowColumns(CELLS) }, {}, CONTEXT);

  it('draws the chart with bacterium links and the cells as one image', async () => {
    const result = render();
    await expectGolden('overview', result.chart!);
    const links = [...result.chart!.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(BACTERIA.map((id) => `/?ds=in_vivo&b=${id}`));
    expect(result.chart!.querySelector('image[data-cells]')!.getAttribute('data-cells')).toBe('3x3');
    expect(result.summary).toBe(
      "3 bacteria (similar profiles together) × 3 bins of 8 features (all types); colour: the mean of a bin's " +
        'measured values',
    );
  });

  it('lists every cell in the table, linking the measured ones to their strongest feature', () => {
    const result = render();
    const rows = tableRows(result.table!);
    expect(rows).toHaveLength(9);
    expect(rows[5]!.attrs).toEqual({ bin: '1', row: '2', feature: 'N1' });
    expect(rows[5]!.cells).toMatchObject({ bacterium: 'Bacteroides fragilis', bin: '1 of 2', range: 'N1 to N3' });
    expect(rows[5]!.values).toMatchObject({ measured: 3, mean: -3, max: -2, min: -4, strongestValue: -2 });
    expect(rows[4]!.attrs).toEqual({ bin: '1', row: '1' });
    expect(rows[4]!.cells.mean).toBe('no value');
  });

  it('says there is no data for an empty result', () => {
    expect(renderOverview({ cells: rowColumns([]) }, {}, CONTEXT).message).toBe('No data for this selection');
  });
});
