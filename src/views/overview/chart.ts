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

/** The red, green and blue of a colour as Plot's scales and colors.ts give them: `#rrggbb` or `rgb(r, g, b)`. */
export function rgbOf(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  const rgb = /^rgb\((\d+), *(\d+), *(\d+)\)$/.exec(css);
  const parts = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : rgb?.slice(1).map(Number);
  if (!parts) throw new Error(`not a colour the overview can paint: ${css}`);
  return parts as [number, number, number];
}

/**
 * Steps of the colour scale over [-extent, extent]: a cell takes the colour of its mean's nearest step. 2,048 steps
 * are finer than the scale's 8-bit colours (under 1 of 255 per step), so no cell differs visibly from its exact
 * colour; scaling each of 100k means cost more than painting them.
 */
const STEPS = 2048;

/**
 * One RGBA pixel per cell, bins across and bacteria down: the colour of its mean (`color` over [-extent, extent]),
 * or the not-measured grey.
 */
export function cellPixels(grid: OverviewGrid, color: (v: number) => string, extent: number): Uint8ClampedArray {
  // Step i's colour at 3i; the grey after the last step.
  const colours = new Uint8Array(3 * (STEPS + 1));
  for (let i = 0; i < STEPS; i++) colours.set(rgbOf(color(-extent + (2 * extent * i) / (STEPS - 1))), 3 * i);
  colours.set(rgbOf(NOT_MEASURED), 3 * STEPS);
  const [width, height] = [grid.bins.length, grid.bacteria.length];
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let r = 0; r < height; r++) {
    for (let b = 0; b < width; b++) {
      const mean = grid.mean(b, r);
      const step =
        mean === null
          ? STEPS
          : Math.min(STEPS - 1, Math.max(0, Math.round(((mean + extent) / (2 * extent)) * (STEPS - 1))));
      const at = (r * width + b) * 4;
      pixels[at] = colours[3 * step]!;
      pixels[at + 1] = colours[3 * step + 1]!;
      pixels[at + 2] = colours[3 * step + 2]!;
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

/** The bare part of a 2D context that painting uses (so tests can record it). */
type Paint = Pick<
  CanvasRenderingContext2D,
  'canvas' | 'fillStyle' | 'fillRect' | 'drawImage' | 'imageSmoothingEnabled'
>;

/**
 * Paints every cell at its place relative to the cells' top left corner: one pixel per cell, stretched without
 * smoothing to the cells' size (whole pixels, so cells meet without seams), then a dark dot in the middle of each cell
 * with nothing measured that is wide enough to hold one. A fill per cell spent most of an overview's drawing.
 */
export function paintCells(
  context: Paint,
  grid: OverviewGrid,
  layout: OverviewLayout,
  color: (v: number) => string,
  extent: number,
): void {
  const [width, height] = [grid.bins.length, grid.bacteria.length];
  if (width === 0 || height === 0) return;
  const tile = (context.canvas as HTMLCanvasElement).ownerDocument.createElement('canvas');
  tile.width = width;
  tile.height = height;
  const tileContext = tile.getContext('2d')!;
  const image = tileContext.createImageData(width, height);
  image.data.set(cellPixels(grid, color, extent));
  tileContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  const x = (b: number) => Math.round(b * layout.cellWidth);
  const h = layout.rowHeight;
  context.drawImage(tile, 0, 0, x(width), h * height);
  context.fillStyle = '#333';
  for (let b = 0; b < width; b++) {
    const w = x(b + 1) - x(b);
    if (w < 3) continue;
    for (let r = 0; r < height; r++) {
      if (grid.mean(b, r) === null) context.fillRect(x(b) + Math.floor(w / 2) - 1, r * h + Math.floor(h / 2) - 1, 2, 2);
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
    paint: (context) => paintCells(context, grid, layout, (v) => scale.apply(v) as string, extent),
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
