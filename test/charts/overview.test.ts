import * as Plot from '@observablehq/plot';
import { beforeAll, describe, expect, it } from 'vitest';
import { divergingScale, NOT_MEASURED } from '../../src/lib/colors.ts';
import type { OverviewCell } from '../../src/lib/sql/overview.ts';
import { cellAt, cellPixels, meanExtent, overviewLayout, paintCells, rgbOf } from '../../src/views/overview/chart.ts';
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

  it("gives each cell its mean's colour on the diverging scale (within 1 of 255), grey if not measured", () => {
    const scale = Plot.scale({ color: divergingScale(3, '') });
    const pixels = cellPixels(grid, (v) => scale.apply(v) as string, 3);
    expect(pixels).toHaveLength(3 * 3 * 4);
    // Bins across, bacteria down.
    for (const [bin, means] of MEANS.entries()) {
      for (const [row, mean] of means.entries()) {
        const at = (row * 3 + bin) * 4;
        const want = mean === null ? rgbOf(NOT_MEASURED) : rgbOf(scale.apply(mean) as string);
        for (let c = 0; c < 3; c++) expect(Math.abs(pixels[at + c]! - want[c]!)).toBeLessThanOrEqual(1);
        expect(pixels[at + 3]).toBe(255);
      }
    }
    // Ends and middle of the scale exactly.
    expect([...pixels.subarray(0, 3)]).toEqual(rgbOf(scale.apply(2) as string));
    expect([...pixels.subarray((2 * 3 + 1) * 4, (2 * 3 + 1) * 4 + 3)]).toEqual(rgbOf(scale.apply(-3) as string));
  });

  it('reads the colours Plot and colors.ts give, and refuses any other form', () => {
    expect(rgbOf('#2166ac')).toEqual([0x21, 0x66, 0xac]);
    expect(rgbOf('rgb(159, 187, 216)')).toEqual([159, 187, 216]);
    expect(() => rgbOf('steelblue')).toThrow(/steelblue/);
  });

  it('stretches one pixel per cell over the cells without smoothing, with a dot on each cell not measured', () => {
    const layout = overviewLayout(grid, 640, BACTERIA);
    const scale = Plot.scale({ color: divergingScale(3, '') });
    const calls: unknown[][] = [];
    const tiles: { width: number; height: number; data?: Uint8ClampedArray }[] = [];
    const context = {
      canvas: {
        ownerDocument: {
          createElement: () => {
            const tile: (typeof tiles)[number] & { getContext(): unknown } = {
              width: 0,
              height: 0,
              getContext: () => ({
                createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
                putImageData: (image: { data: Uint8ClampedArray }) => (tile.data = image.data),
              }),
            };
            tiles.push(tile);
            return tile;
          },
        },
      },
      fillStyle: '' as string | CanvasGradient | CanvasPattern,
      imageSmoothingEnabled: true,
      drawImage: (...args: unknown[]) => calls.push(['drawImage', context.imageSmoothingEnabled, ...args]),
      fillRect: (...args: unknown[]) => calls.push(['fillRect', context.fillStyle, ...args]),
    };
    paintCells(context as never, grid, layout, (v) => scale.apply(v) as string, 3);
    expect(tiles).toHaveLength(1);
    expect(tiles[0]).toMatchObject({ width: 3, height: 3 });
    expect(tiles[0]!.data).toEqual(cellPixels(grid, (v) => scale.apply(v) as string, 3));
    const width = Math.round(3 * layout.cellWidth);
    expect(calls[0]).toEqual(['drawImage', false, tiles[0], 0, 0, width, 3 * layout.rowHeight]);
    // The dots: (bin 0, row 2), (bin 1, row 1), (bin 2, row 0), each in its cell's middle.
    const dots = calls.slice(1);
    expect(dots.map((d) => d[1])).toEqual(['#333', '#333', '#333']);
    const middle = (bin: number, row: number) => {
      const [left, right] = [Math.round(bin * layout.cellWidth), Math.round((bin + 1) * layout.cellWidth)];
      const w = right - left;
      return [left + Math.floor(w / 2) - 1, row * layout.rowHeight + Math.floor(layout.rowHeight / 2) - 1, 2, 2];
    };
    expect(dots.map((d) => d.slice(2))).toEqual([middle(0, 2), middle(1, 1), middle(2, 0)]);
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
