import * as Plot from '@observablehq/plot';
import { LINKED_TIP, accessibleChart } from '../../lib/chart-a11y.ts';
import { divergingScale, NOT_MEASURED, NOT_MEASURED_LABEL, NOT_MEASURED_MARK } from '../../lib/colors.ts';
import { formatValue } from '../../lib/format.ts';
import type { HeatmapCell, HeatmapGrid } from '../../lib/sql/network.ts';
import { labelMargin, truncate } from '../axis-labels.ts';
import { cellChart } from '../cell-image.ts';

/** What the heatmap needs besides the grid. */
export interface HeatmapOptions {
  width: number;
  featureLabel: (id: string) => string;
  printValues: boolean;
  /**
   * Paint the cells as one image (tip on hover, click to follow) instead of a linked SVG mark each: for grids too
   * large to print their values, where a mark per cell cost most of a click.
   */
  dense: boolean;
  ariaLabel: string;
  ariaDescription: string;
  /** Where clicking a bacterium's cell leads (the Net Balance row has no link). */
  href?: (cell: HeatmapCell) => string;
}

// Row positions on the y scale: Net Balance, an empty band that sets it apart, then the bacteria from 1.
const BALANCE = 0;
const GAP = -1;

/** A cell as drawn: its grid cell, its row, and the words of its tip. */
type Drawn = HeatmapCell & { row: number; tip: string };

/**
 * The interaction heatmap: the Net Balance row first, set apart by a gap and drawn on its own scale (a sum over the
 * bacteria reaches further than any one of them), then a row per bacterium on a diverging scale centred on 0. NULL
 * cells are grey and marked, outside both scales; values are printed on small grids.
 */
/** Narrowest cell that holds a printed value (`−1.2345` at 9 px); narrower ones show it in the tip only. */
const VALUE_CELL_WIDTH = 40;

/** The left margin for the row labels and the width of a cell, for a chart `width` pixels wide. */
export function heatmapLayout(grid: HeatmapGrid, width: number): { margin: number; cellWidth: number } {
  const margin = labelMargin(grid.rows.map((r) => r.label));
  return { margin, cellWidth: Math.max(14, Math.min(64, (width - margin - 20) / Math.max(1, grid.columns.length))) };
}

/** Whether each cell is wide enough to print its value in a chart `width` pixels wide. */
export function valuesFit(grid: HeatmapGrid, width: number): boolean {
  return heatmapLayout(grid, width).cellWidth >= VALUE_CELL_WIDTH;
}

export function heatmapChart(grid: HeatmapGrid, options: HeatmapOptions) {
  const { width, featureLabel, printValues, dense, ariaLabel, ariaDescription, href } = options;
  const drawn: Drawn[] = grid.rows.flatMap((row, r) =>
    row.cells.map((c) => ({
      ...c,
      row: r,
      tip: [
        row.label,
        `${featureLabel(c.feature)} (${c.feature})`,
        c.value === null ? 'not measured' : formatValue(c.value),
      ].join('\n'),
    })),
  );
  const balance = drawn.filter((c) => c.row === BALANCE);
  const measured = drawn.filter((c) => c.row !== BALANCE && c.value !== null);
  const missing = drawn.filter((c) => c.value === null);
  const extentOf = (cells: Drawn[]) => Math.max(1e-9, ...cells.map((c) => Math.abs(c.value!)));
  const extent = extentOf(measured);
  const balanceExtent = extentOf(balance);
  const bacteria = grid.rows.length - 1;
  const color = divergingScale(extent, 'log2 fold change of each bacterium');
  const balanceColor = divergingScale(
    balanceExtent,
    `Net Balance: sum over the ${bacteria} bacteria (log2 fold change)`,
  );
  const balanceScale = Plot.scale({ color: balanceColor });
  const { margin, cellWidth } = heatmapLayout(grid, width);
  const cell = (cells: Drawn[], fill: Plot.ChannelValueSpec, linked: boolean) =>
    Plot.cell(cells, {
      x: 'feature',
      y: 'row',
      fill,
      tip: LINKED_TIP,
      ariaLabel: (c: Drawn) => c.tip.replaceAll('\n', ', '),
      ...(linked && href ? { href } : {}),
    });
  const values = (cells: Drawn[], far: number) =>
    Plot.text(cells, {
      x: 'feature',
      y: 'row',
      text: (c: Drawn) => formatValue(c.value),
      fill: (c: Drawn) => (Math.abs(c.value!) > far * 0.6 ? 'white' : 'black'),
      fontSize: 9,
      ariaHidden: 'true',
      pointerEvents: 'none',
    });
  const marks = [
    // The bacteria's names on the axis; Net Balance's in bold beside its row, apart from them.
    Plot.axisY(
      grid.rows.slice(1).map((_, i) => i + 1),
      { tickFormat: (r: number) => truncate(grid.rows[r]?.label ?? ''), label: null },
    ),
    Plot.text([BALANCE], {
      y: (r: number) => r,
      frameAnchor: 'left',
      dx: -margin + 4,
      textAnchor: 'start',
      text: () => 'Net Balance (Σ)',
      fontWeight: 'bold',
      ariaHidden: 'true',
    }),
  ];
  const plot = (cellMarks: Plot.Markish[], description: string) =>
    Plot.plot({
      width: Math.min(width, margin + 20 + cellWidth * grid.columns.length),
      height: 120 + 26 * (grid.rows.length + 1),
      marginLeft: margin,
      marginBottom: 110,
      padding: 0.04,
      ariaLabel,
      ariaDescription: description,
      // Band scales, said outright: without cell marks (the dense chart) Plot would make them point scales.
      x: {
        type: 'band',
        domain: grid.columns,
        tickFormat: (id: string) => truncate(featureLabel(id), 24),
        tickRotate: -40,
        label: null,
      },
      y: { type: 'band', domain: [BALANCE, GAP, ...grid.rows.slice(1).map((_, i) => i + 1)], axis: null },
      color: { ...color, legend: !dense },
      marks: [...marks, ...cellMarks],
    });
  const legends = [
    ...(dense ? [Plot.legend({ color })] : []),
    Plot.legend({ color: { type: 'ordinal', domain: [NOT_MEASURED_LABEL], range: [NOT_MEASURED] } }),
    Plot.legend({ color: balanceColor }),
  ];
  if (dense) {
    const svg = plot(
      [Plot.axisX(grid.columns, { tickFormat: (id: string) => truncate(featureLabel(id), 24), tickRotate: -40 })],
      `${ariaDescription} The cells are drawn as one image: their values and links are in the table below.`,
    );
    const scaleColor = Plot.scale({ color });
    const fill = (c: Drawn) =>
      c.value === null ? NOT_MEASURED : String((c.row === BALANCE ? balanceScale : scaleColor).apply(c.value));
    return paintedHeatmap(svg, drawn, legends, { fill, href: (c) => (c.row === BALANCE ? null : (href?.(c) ?? null)) });
  }
  const figure = plot(
    [
      cell(balance, (c: Drawn) => balanceScale.apply(c.value), false),
      cell(measured, 'value', true),
      cell(missing, NOT_MEASURED, true),
      Plot.text(missing, {
        x: 'feature',
        y: 'row',
        text: () => NOT_MEASURED_MARK,
        fill: '#333',
        ariaHidden: 'true',
        pointerEvents: 'none',
      }),
      ...(printValues ? [values(balance, balanceExtent), values(measured, extent)] : []),
    ],
    ariaDescription,
  );
  // Plot's figure holds its legend, then the chart: the other two legends go between them.
  figure.lastElementChild!.before(...legends);
  return accessibleChart(figure);
}

/** The side of the not-measured mark's square, in pixels. */
const MARK_SIZE = 10;

/**
 * NOT_MEASURED_MARK as the heatmap prints it (9 px, #333), drawn once on a small canvas for `context` to stamp, or
 * null where canvases cannot draw text (the tests' stand-in).
 */
function notMeasuredMark(context: CanvasRenderingContext2D): CanvasImageSource | null {
  const canvas = context.canvas?.ownerDocument.createElement('canvas');
  const mark = canvas?.getContext('2d');
  if (!canvas || !mark || typeof mark.fillText !== 'function') return null;
  const ratio = context.getTransform?.().a ?? 1;
  canvas.width = canvas.height = MARK_SIZE * ratio;
  mark.scale(ratio, ratio);
  mark.font = '9px system-ui, sans-serif';
  mark.textAlign = 'center';
  mark.textBaseline = 'middle';
  mark.fillStyle = '#333';
  mark.fillText(NOT_MEASURED_MARK, MARK_SIZE / 2, MARK_SIZE / 2);
  return canvas;
}

/**
 * The dense heatmap: Plot's axes and labels in `svg`, the cells painted at the places of its x and y scales as one
 * image, with each cell's tip on hover and its link on click.
 */
function paintedHeatmap(
  svg: ReturnType<typeof Plot.plot>,
  cells: Drawn[],
  legends: Element[],
  { fill, href }: { fill: (c: Drawn) => string; href: (c: Drawn) => string | null },
): HTMLElement {
  const x = svg.scale('x')!;
  const y = svg.scale('y')!;
  const [w, h] = [x.bandwidth!, y.bandwidth!];
  const place = (c: Drawn) => ({ left: x.apply(c.feature) as number, top: y.apply(c.row) as number });
  const placed = cells.map((c) => ({ c, ...place(c) }));
  const area = {
    x: Math.min(...placed.map((p) => p.left)),
    y: Math.min(...placed.map((p) => p.top)),
    width: 0,
    height: 0,
  };
  area.width = Math.max(...placed.map((p) => p.left)) + w - area.x;
  area.height = Math.max(...placed.map((p) => p.top)) + h - area.y;
  return cellChart({
    svg: accessibleChart(svg),
    before: legends,
    area,
    paint: (context) => {
      // The mark is drawn once and stamped on every grey cell: a fillText per cell cost more than all the rest.
      const mark = notMeasuredMark(context);
      for (const { c, left, top } of placed) {
        context.fillStyle = fill(c);
        context.fillRect(left - area.x, top - area.y, w, h);
        if (c.value === null && mark) {
          context.drawImage(mark, left - area.x + (w - MARK_SIZE) / 2, top - area.y + (h - MARK_SIZE) / 2);
        }
      }
    },
    hitAt: (px, py) => {
      // A cell owns half the padding on each side, so that no pointer falls between two cells.
      const [dx, dy] = [(x.step! - w) / 2, (y.step! - h) / 2];
      const hit = placed.find(
        (p) => px >= p.left - dx && px < p.left + w + dx && py >= p.top - dy && py < p.top + h + dy,
      );
      return hit ? { lines: hit.c.tip.split('\n'), href: href(hit.c), data: { feature: hit.c.feature } } : null;
    },
    attributes: { 'data-cells': String(cells.length) },
  });
}
