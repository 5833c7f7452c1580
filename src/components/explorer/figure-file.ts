import { figureParts } from '../../views/cell-image.ts';
import { saveFile } from './save-file.ts';

const SVG = 'http://www.w3.org/2000/svg';
const PAD = 12;
const LINE = 16;
// Plot draws text at 10 px; a character of system-ui is about 6 px wide there, which is what wrapping assumes.
const CHAR = 6;

/** What a figure says about itself: its title above the chart and its caption below. */
export interface FigureText {
  title: string;
  caption: string;
}

function text(content: string, x: number, y: number, attrs: Record<string, string> = {}): SVGTextElement {
  const t = document.createElementNS(SVG, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  for (const [k, v] of Object.entries(attrs)) t.setAttribute(k, v);
  t.textContent = content;
  return t;
}

/** Words of `content` in lines of at most `width` pixels. */
function wrap(content: string, width: number, charWidth = CHAR): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of content.split(/\s+/)) {
    if (line && (line.length + 1 + word.length) * charWidth > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Plot's swatch legend (HTML: a colour or symbol square and a label each) redrawn as SVG; returns its height. */
function swatches(legend: Element, into: SVGGElement, width: number): number {
  let [x, y] = [0, 0];
  for (const swatch of legend.querySelectorAll(':scope > span')) {
    const square = swatch.querySelector('svg');
    const label = swatch.textContent ?? '';
    const itemWidth = 15 + 6 + label.length * CHAR + 16;
    if (x > 0 && x + itemWidth > width) [x, y] = [0, y + 20];
    if (square) {
      const copy = square.cloneNode(true) as SVGSVGElement;
      copy.setAttribute('x', String(x));
      copy.setAttribute('y', String(y));
      into.append(copy);
    }
    into.append(text(label, x + 21, y + 11.5, { 'font-size': '10' }));
    x += itemWidth;
  }
  return y + 20;
}

/**
 * The chart as one standalone SVG file: its title, its legends and plot (Plot gives a figure of HTML swatches and
 * SVGs, or a lone SVG), and its caption, in Plot's own markup and styles, so that nothing depends on the page.
 */
export function figureSvg(chart: Element, { title, caption }: FigureText): SVGSVGElement {
  // The sticky copy of a long chart's axis is for scrolling on screen only.
  const drawn = figureParts(chart).filter((p) => !p.hasAttribute('data-sticky-axis'));
  const plotWidth = Math.max(320, ...drawn.map((p) => Number(p.getAttribute('width')) || 0));
  const out = document.createElementNS(SVG, 'svg');
  out.setAttribute('xmlns', SVG);
  out.setAttribute('font-family', 'system-ui, sans-serif');
  out.setAttribute('style', 'color: black; background: white');
  let y = PAD;
  for (const line of wrap(title, plotWidth, 9)) {
    y += LINE + 2;
    out.append(text(line, PAD, y, { 'font-size': '15', 'font-weight': 'bold' }));
  }
  y += 8;
  for (const part of drawn) {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('transform', `translate(${PAD},${y})`);
    if (part.tagName.toLowerCase() === 'svg') {
      g.append(part.cloneNode(true));
      y += Number(part.getAttribute('height')) || 0;
    } else if (part.querySelector(':scope > span svg')) {
      y += swatches(part, g, plotWidth);
    } else if (part.textContent?.trim()) {
      g.append(text(part.textContent.trim(), 0, 12, { 'font-size': '12' }));
      y += LINE;
    }
    out.append(g);
    y += 6;
  }
  for (const line of wrap(caption, plotWidth)) {
    y += LINE;
    out.append(text(line, PAD, y, { 'font-size': '11', fill: '#444' }));
  }
  const [width, height] = [plotWidth + 2 * PAD, y + PAD];
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return out;
}

/** Saves the figure as `<name>.svg`. */
export function downloadSvg(figure: SVGSVGElement, name: string): void {
  const markup = new XMLSerializer().serializeToString(figure);
  saveFile(new Blob([markup], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** Saves the figure as `<name>.png` at `scale` times its size (2 for print), drawn by the browser from the SVG. */
export async function downloadPng(figure: SVGSVGElement, name: string, scale = 2): Promise<void> {
  const markup = new XMLSerializer().serializeToString(figure);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(Number(figure.getAttribute('width')) * scale);
    canvas.height = Math.round(Number(figure.getAttribute('height')) * scale);
    const context = canvas.getContext('2d')!;
    context.fillStyle = 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) throw new Error('the browser could not draw the figure as PNG');
    saveFile(png, `${name}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
