/**
 * Dense grids of cells drawn as one picture: the cells are painted on a canvas under the chart's SVG (axes, labels
 * and links stay Plot's), with a tip beside the pointer and a click that follows the link of the cell under it. An
 * SVG mark per cell costs a DOM element, a link and a name each: a 20 × 50 heatmap spent most of a click building
 * them. The SVG keeps an `<image>` in the cells' place, filled from the canvas when the figure is saved (encoding it
 * on every draw cost as much as the marks it replaced).
 */

const SVG = 'http://www.w3.org/2000/svg';

/** Where the cells lie in the chart, in its pixels. */
export interface CellArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What lies under the pointer: the lines of its tip, where a click leads (null: nowhere), data-* of the tip. */
export interface CellHit {
  lines: string[];
  href: string | null;
  data?: Record<string, string>;
}

/** What a painted chart is made of. */
export interface CellChartParts {
  /** Plot's chart, drawn over the cells: its background is made transparent. */
  svg: SVGElement | HTMLElement;
  /** What goes above the chart (its legends). */
  before: Element[];
  area: CellArea;
  /** Draws the cells in chart pixels from the area's top left corner. */
  paint(context: CanvasRenderingContext2D): void;
  /** What lies under a point of the chart (in its pixels), if anything. */
  hitAt(x: number, y: number): CellHit | null;
  /** Attributes of the cells' `<image>` (e.g. data-cells). */
  attributes?: Record<string, string>;
}

// The canvas behind each cells' image, for saving the figure.
const canvases = new WeakMap<Element, HTMLCanvasElement>();

/** The chart's figure: its legends, then the painted cells under Plot's SVG, and the tip. */
export function cellChart({ svg, before, area, paint, hitAt, attributes = {} }: CellChartParts): HTMLElement {
  // The window's document, as Plot draws into (tests give one without a global `document`).
  const { document } = window;
  const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(area.width * ratio));
  canvas.height = Math.max(1, Math.ceil(area.height * ratio));
  const context = canvas.getContext('2d')!;
  context.scale(ratio, ratio);
  paint(context);

  const image = document.createElementNS(SVG, 'image');
  for (const [k, v] of Object.entries({
    x: String(area.x),
    y: String(area.y),
    width: String(area.width),
    height: String(area.height),
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
    ...attributes,
  }))
    image.setAttribute(k, v);
  (svg.querySelector('style') ?? svg.firstChild)!.after(image);
  canvases.set(image, canvas);

  // The canvas sits where the image is, in shares of the chart's size, so that it follows the SVG when it shrinks.
  const [width, height] = [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))];
  Object.assign(canvas.style, {
    position: 'absolute',
    left: `${(100 * area.x) / width}%`,
    top: `${(100 * area.y) / height}%`,
    width: `${(100 * area.width) / width}%`,
    height: `${(100 * area.height) / height}%`,
  });
  svg.style.position = 'relative';
  svg.style.background = 'transparent';
  const stage = document.createElement('div');
  stage.dataset.cellStage = '';
  stage.style.position = 'relative';
  stage.append(canvas, svg);

  const figure = document.createElement('div');
  figure.className = 'cell-chart';
  figure.style.position = 'relative';
  const tip = document.createElement('div');
  tip.className = 'cell-tip';
  tip.dataset.tip = '';
  tip.hidden = true;
  // Mouse only: the chart's table holds the same numbers and links for keyboards and screen readers.
  tip.setAttribute('aria-hidden', 'true');
  Object.assign(tip.style, {
    position: 'absolute',
    pointerEvents: 'none',
    background: 'white',
    border: '1px solid #888',
    padding: '4px 6px',
    font: '12px system-ui, sans-serif',
    whiteSpace: 'nowrap',
  });
  figure.append(...before, stage, tip);
  wirePointer(figure, svg, tip, hitAt);
  return figure;
}

/** Hover shows the tip of what is under the pointer beside it; a click follows its link. */
function wirePointer(
  figure: HTMLElement,
  svg: SVGElement | HTMLElement,
  tip: HTMLElement,
  hitAt: CellChartParts['hitAt'],
): void {
  const { document } = window;
  const under = (event: MouseEvent) => {
    const box = svg.getBoundingClientRect();
    // In the chart's own pixels, also when the SVG is drawn smaller than its width.
    const scale = Number(svg.getAttribute('width')) / box.width || 1;
    return hitAt((event.clientX - box.left) * scale, (event.clientY - box.top) * scale);
  };
  const hide = () => {
    tip.hidden = true;
    tip.replaceChildren();
  };
  svg.addEventListener('mousemove', (event) => {
    const hit = under(event as MouseEvent);
    if (!hit) return hide();
    tip.replaceChildren(
      ...hit.lines.map((line) => {
        const div = document.createElement('div');
        div.textContent = line;
        return div;
      }),
    );
    for (const key of Object.keys(tip.dataset)) if (key !== 'tip') delete tip.dataset[key];
    Object.assign(tip.dataset, hit.data ?? {});
    tip.hidden = false;
    const box = figure.getBoundingClientRect();
    const [x, y] = [(event as MouseEvent).clientX - box.left, (event as MouseEvent).clientY - box.top];
    // Beside the pointer, on the side with more room.
    tip.style.left = `${x < box.width / 2 ? x + 14 : Math.max(0, x - 14 - tip.offsetWidth)}px`;
    tip.style.top = `${y + 14}px`;
    svg.style.cursor = hit.href ? 'pointer' : 'default';
  });
  svg.addEventListener('mouseleave', hide);
  svg.addEventListener('click', (event) => {
    const href = under(event as MouseEvent)?.href;
    if (href) location.assign(href);
  });
}

/**
 * The parts of a chart as a saved figure draws them, top to bottom: a painted chart's SVG with its cells' image
 * filled from the canvas (encoded only now), in place of the stage that lays the canvas under it on screen.
 */
export function figureParts(chart: Element): Element[] {
  if (chart.tagName.toLowerCase() === 'svg') return [chart];
  fillCellImages(chart);
  return [...chart.children].map((part) => (part.matches('[data-cell-stage]') ? part.querySelector('svg')! : part));
}

/** Fills every painted cells' image under `root` from its canvas. */
export function fillCellImages(root: Element): void {
  for (const image of root.querySelectorAll('image')) {
    const canvas = canvases.get(image);
    if (canvas && !image.hasAttribute('href')) image.setAttribute('href', canvas.toDataURL());
  }
}
