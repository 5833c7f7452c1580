import type { RankRange } from './state.ts';

const SVG = 'http://www.w3.org/2000/svg';
/** Shorter drags than this (in pixels) are clicks, which the curve's tip keeps for itself. */
const MIN_DRAG = 4;

/** The part of a Plot scale that brushing needs. */
interface Scale {
  range: [number, number];
  apply(value: number): number;
  invert(value: number): number;
}

/** The plot's SVG in what Plot returned (a lone SVG, or a figure with legends before it). */
function plotSvg(chart: Element): SVGSVGElement | null {
  if (chart.tagName.toLowerCase() === 'svg') return chart as SVGSVGElement;
  const svgs = [...chart.querySelectorAll(':scope > svg')];
  return (svgs.at(-1) as SVGSVGElement | undefined) ?? null;
}

function band(svg: SVGSVGElement, x: Scale, y: Scale, [x0, x1]: [number, number]): SVGRectElement {
  const [bottom, top] = y.range;
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('x', String(Math.min(x0, x1)));
  rect.setAttribute('width', String(Math.max(1, Math.abs(x1 - x0))));
  rect.setAttribute('y', String(Math.min(top, bottom)));
  rect.setAttribute('height', String(Math.abs(bottom - top)));
  rect.setAttribute('fill', 'currentColor');
  rect.setAttribute('fill-opacity', '0.12');
  rect.setAttribute('pointer-events', 'none');
  rect.dataset.brush = '';
  svg.append(rect);
  return rect;
}

/**
 * Lets a reader drag across a sorted profile curve (x = rank 1..`count`) to pick a range of ranks, and shades the
 * range already picked. `onPick` gets the ranks under the drag, rounded and kept within 1..count.
 */
export function brushRanks(
  chart: Element,
  count: number,
  picked: RankRange | null,
  onPick: (range: RankRange) => void,
): void {
  const svg = plotSvg(chart);
  const plot = chart as Element & { scale?(name: string): Scale | undefined };
  const [x, y] = [plot.scale?.('x'), plot.scale?.('y')];
  if (!svg || !x || !y) return;
  if (picked) band(svg, x, y, [x.apply(picked.from), x.apply(picked.to)]);
  const rank = (px: number) => Math.min(count, Math.max(1, Math.round(x.invert(px))));
  const local = (event: PointerEvent) => event.clientX - svg.getBoundingClientRect().left;
  let start: number | undefined;
  let shade: SVGRectElement | undefined;
  // In the capture phase: Plot's pointer tip stops the propagation of a pointerdown on its marks.
  svg.addEventListener(
    'pointerdown',
    (event) => {
      start = local(event);
      svg.setPointerCapture(event.pointerId);
    },
    { capture: true },
  );
  svg.addEventListener('pointermove', (event) => {
    if (start === undefined) return;
    shade?.remove();
    shade = band(svg, x, y, [start, local(event)]);
  });
  svg.addEventListener('pointerup', (event) => {
    if (start === undefined) return;
    const end = local(event);
    const from = start;
    start = undefined;
    shade?.remove();
    if (Math.abs(end - from) < MIN_DRAG) return;
    onPick({ from: rank(Math.min(from, end)), to: rank(Math.max(from, end)) });
  });
}
