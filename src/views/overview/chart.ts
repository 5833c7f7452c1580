import * as Plot from '@observablehq/plot';
import { accessibleChart } from '../../lib/chart-a11y.ts';
import { divergingScale, NOT_MEASURED, NOT_MEASURED_LABEL } from '../../lib/colors.ts';
import { TYPE_LABELS, type TypeFilter } from '../../lib/feature-types.ts';
import type { OverviewCell } from '../../lib/sql/overview.ts';
import { labelMargin, truncate } from '../axis-labels.ts';
import { cellChart } from '../cell-image.ts';
import type { OverviewGrid, TypeSection } from './grid.ts';

/** Where the cells are drawn, in pixels of the chart. */
export interface OverviewLayout {
  width: number;
  height: number;
  left: number;
  top: number;
  cellWidth: number;
  rowHeight: number;
}

const TOP = 44;
const BOTTOM = 28;
const RIGHT = 8;

/** The chart's size and its cells' for a grid in `width` pixels: rows of 9 to 18 px, about 720 px in all. */
export function overviewLayout(grid: OverviewGrid, width: number, names: string[]): OverviewLayout {
  const left = labelMargin(names);
  const rowHeight = Math.max(9, Math.min(18, Math.floor(720 / Math.max(1, grid.bacteria.length))));
  const cellWidth = Math.max(1, (width - left - RIGHT) / Math.max(1, grid.bins.length));
  return {
    width: left + cellWidth * grid.bins.length + RIGHT,
    height: TOP + rowHeight * grid.bacteria.length + BOTTOM,
    left,
    top: TOP,
    cellWidth,
    rowHeight,
  };
}

/** The cell under a point of the chart, or null outside the cells. */
export function cellAt(
  grid: OverviewGrid,
  layout: OverviewLayout,
  x: number,
  y: number,
): { bin: number; row: number } | null {
  const bin = Math.floor((x - layout.left) / layout.cellWidth);
  const row = Math.floor((y - layout.top) / layout.rowHeight);
  return bin >= 0 && bin < grid.bins.length && row >= 0 && row < grid.bacteria.length ? { bin, row } : null;
}

/** The largest |mean| of the measured cells: the colour scale's reach on either side of 0. */
export function meanExtent(grid: OverviewGrid): number {
  let extent = 1e-9;
  for (let b = 0; b < grid.bins.length; b++) {
    for (let r = 0; r < grid.bacteria.length; r++) extent = Math.max(extent, Math.abs(grid.mean(b, r) ?? 0));
  }
  return extent;
}

/** The bare part of a 2D context that painting uses (so tests can record it). */
type Paint = Pick<CanvasRenderingContext2D, 'fillStyle' | 'fillRect'>;

/**
 * Paints every cell at its place relative to the cells' top left corner (whole pixels, so cells meet without seams):
 * its mean on the colour scale, or the not-measured grey with a dark dot in the middle.
 */
export function paintCells(
  context: Paint,
  grid: OverviewGrid,
  layout: OverviewLayout,
  color: (v: number) => string,
): void {
  const x = (b: number) => Math.round(b * layout.cellWidth);
  const h = layout.rowHeight;
  for (let b = 0; b < grid.bins.length; b++) {
    const w = Math.max(1, x(b + 1) - x(b));
    for (let r = 0; r < grid.bacteria.length; r++) {
      const mean = grid.mean(b, r);
      context.fillStyle = mean === null ? NOT_MEASURED : color(mean);
      context.fillRect(x(b), r * h, w, h);
      if (mean === null && w >= 3) {
        context.fillStyle = '#333';
        context.fillRect(x(b) + Math.floor(w / 2) - 1, r * h + Math.floor(h / 2) - 1, 2, 2);
      }
    }
  }
}

/** What the overview chart needs besides its grid. */
export interface OverviewChartOptions {
  width: number;
  type: TypeFilter;
  name: (bacterium: string) => string;
  /** Where a bacterium's label leads (its Landscape). */
  bacteriumHref: (bacterium: string) => string;
  /** Where a cell leads (the Landscape of its strongest feature); null for a cell with nothing measured. */
  cellHref: (cell: OverviewCell) => string | null;
  /** The words of a cell's tip, a line each. */
  tip: (cell: OverviewCell) => string[];
  ariaLabel: string;
  ariaDescription: string;
}

/**
 * The overview: its legends, then one SVG whose axes, type sections and bacterium links are Plot's and whose cells
 * are painted on a canvas and shown as one image (never a mark per cell). Hover shows a cell's tip; a click follows
 * it. Saved as a figure, the image goes with the SVG.
 */
export function overviewChart(grid: OverviewGrid, options: OverviewChartOptions): HTMLElement {
  const names = grid.bacteria.map(options.name);
  const layout = overviewLayout(grid, options.width, names);
  const extent = meanExtent(grid);
  const colorSpec = divergingScale(extent, 'mean log2 fold change of the measured features of a bin');
  const scale = Plot.scale({ color: colorSpec });

  const fontSize = Math.min(11, layout.rowHeight - 1);
  const svg = Plot.plot({
    width: layout.width,
    height: layout.height,
    marginLeft: layout.left,
    marginTop: layout.top,
    marginRight: RIGHT,
    marginBottom: BOTTOM,
    ariaLabel: options.ariaLabel,
    ariaDescription: options.ariaDescription,
    x: { domain: [0, grid.bins.length], axis: null },
    y: { type: 'band', domain: grid.bacteria, padding: 0, axis: null },
    marks: [
      Plot.text(grid.bacteria, {
        y: (id: string) => id,
        frameAnchor: 'left',
        dx: -4,
        textAnchor: 'end',
        fontSize,
        text: (id: string) => truncate(options.name(id)),
        href: options.bacteriumHref,
        ariaLabel: (id: string) => `Landscape of ${options.name(id)}`,
      }),
      // A line between two types, and each type's name above its bins.
      Plot.ruleX(
        grid.sections.slice(1).map((s) => s.from),
        { stroke: 'black', strokeWidth: 1.5 },
      ),
      // Every other type's name a line higher, so that a type of one narrow bin does not write over the next one's.
      ...[0, 1].map((odd) =>
        Plot.text(
          grid.sections.filter((_, i) => i % 2 === odd),
          {
            x: (s: TypeSection) => s.from,
            frameAnchor: 'top',
            dy: -6 - 14 * odd,
            dx: 1,
            lineAnchor: 'bottom',
            textAnchor: 'start',
            text: (s: TypeSection) => TYPE_LABELS[s.type as TypeFilter]?.filter ?? s.type,
            ariaHidden: 'true',
          },
        ),
      ),
      Plot.text(['features binned by type, each type from lowest to highest mean →'], {
        frameAnchor: 'bottom',
        dy: 18,
        fill: '#444',
        ariaHidden: 'true',
      }),
    ],
  });
  return cellChart({
    svg: accessibleChart(svg),
    before: [
      Plot.legend({ color: colorSpec }),
      Plot.legend({ color: { type: 'ordinal', domain: [NOT_MEASURED_LABEL], range: [NOT_MEASURED] } }),
    ],
    area: {
      x: layout.left,
      y: layout.top,
      width: Math.round(layout.cellWidth * grid.bins.length),
      height: layout.rowHeight * grid.bacteria.length,
    },
    paint: (context) => paintCells(context, grid, layout, (v) => scale.apply(v) as string),
    hitAt: (x, y) => {
      const at = cellAt(grid, layout, x, y);
      if (!at) return null;
      const cell = grid.cell(at.bin, at.row);
      return {
        lines: options.tip(cell),
        href: options.cellHref(cell),
        data: { bin: String(at.bin), row: String(at.row) },
      };
    },
    attributes: { 'data-cells': `${grid.bins.length}x${grid.bacteria.length}` },
  });
}
