import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';
import type { ExplorerDataset } from '../../src/lib/explorer-data.ts';
import type { RenderContext } from '../../src/views/view.ts';

// Golden charts, as Observable Plot tests its marks: each chart on a small fixed input is compared with a checked-in
// file. A missing one is written (never in CI); a different one fails and is written beside the output as
// test/output/<name>-changed.<ext> to compare. `npm run test:charts:update` rewrites them all: look at each (open
// it in a browser) before checking it in.
const GOLDEN = 'test/charts/golden';
const OUTPUT = 'test/output';

/**
 * Gives Plot a document to draw into, as a browser would (Plot reads `window.document`). linkedom has no canvas,
 * which Plot uses to paint a colour ramp into a legend image and the dense charts to paint their cells: here the
 * canvas records the colours (and text) it is given, and its image URL lists them, so the golden file holds them.
 */
export function useDom(): void {
  const { window, document } = parseHTML('<!doctype html><html><body></body></html>');
  const canvas = Object.getPrototypeOf(document.createElement('canvas')) as {
    getContext(): unknown;
    toDataURL(): string;
  };
  const painted = new WeakMap<object, string[]>();
  canvas.getContext = function (this: { ownerDocument: Document }) {
    const fills: string[] = [];
    painted.set(this, fills);
    const context = {
      fillStyle: '',
      font: '',
      textAlign: '',
      textBaseline: '',
      canvas: this,
      scale: () => {},
      getTransform: () => ({ a: 1 }),
      fillRect: () => fills.push(context.fillStyle),
      fillText: (text: string) => fills.push(`${context.fillStyle} ${text}`),
      imageSmoothingEnabled: true,
      createImageData: (width: number, height: number) => ({
        width,
        height,
        data: new Uint8ClampedArray(width * height * 4),
      }),
      // Put pixels are recorded as #rrggbb, row by row.
      putImageData: ({ data }: { data: Uint8ClampedArray }) => {
        for (let i = 0; i < data.length; i += 4)
          fills.push(`#${[...data.subarray(i, i + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`);
      },
      // A stamped canvas records what was painted on it.
      drawImage: (image: object) => fills.push((painted.get(image) ?? []).join(',')),
    };
    return context;
  };
  canvas.toDataURL = function (this: object) {
    return `data:text/plain,${(painted.get(this) ?? []).join(';')}`;
  };
  Object.assign(globalThis, { window });
}

/**
 * Strips what changes between runs or machines: long decimals in attributes (coordinates) rounded, generated ids
 * renumbered in order. Text is kept as drawn.
 */
export function normalize(html: string): string {
  const ids = new Map<string, string>();
  return html
    .replace(/="[^"]*"/g, (attr) => attr.replace(/\d+\.\d{4,}/g, (n) => String(Number(Number(n).toFixed(3)))))
    .replace(/plot-(clip|pattern)-\d+/g, (id, kind: string) => {
      if (!ids.has(id)) ids.set(id, `plot-${kind}-${ids.size + 1}`);
      return ids.get(id)!;
    });
}

/** Compares a chart with its golden file `<name>.svg` (an SVG) or `<name>.html` (a figure with its legend). */
export async function expectGolden(name: string, chart: Element): Promise<void> {
  const ext = chart.tagName.toLowerCase() === 'svg' ? 'svg' : 'html';
  const actual = `${normalize(chart.outerHTML)}\n`;
  const golden = join(GOLDEN, `${name}.${ext}`);
  const changed = join(OUTPUT, `${name}-changed.${ext}`);
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(golden) && !process.env.CI)) {
    await writeFile(golden, actual);
    return;
  }
  if (!existsSync(golden)) throw new Error(`golden chart missing: ${golden} (npm run test:charts:update writes it)`);
  const expected = await readFile(golden, 'utf8');
  if (actual === expected) {
    await rm(changed, { force: true });
    return;
  }
  await mkdir(dirname(changed), { recursive: true });
  await writeFile(changed, actual);
  expect(actual, `${golden} differs: see ${changed}`).toBe(expected);
}

/** A small dataset as the explorer sees it. */
export const DATASET: ExplorerDataset = {
  id: 'in_vivo',
  title: 'In Vivo',
  files: {
    features: 'f.parquet',
    bacteria: 'b.parquet',
    topProducers: [{ path: 't.parquet', firstBacterium: '' }],
    overview: 'o.parquet',
    values: [],
  },
  bacteria: [
    { id: 'Akkermansia_muciniphila', name: 'Akkermansia muciniphila', values: 4, file: 'a.parquet' },
    { id: 'Bacteroides_fragilis', name: 'Bacteroides fragilis', values: 3, file: 'b0.parquet' },
    { id: 'Clostridium_sporogenes', name: 'Clostridium sporogenes', values: 3, file: 'c.parquet' },
  ],
};

/** A render context for `DATASET` at 640 px. */
export const CONTEXT: RenderContext<never> = {
  dataset: DATASET,
  shared: { dataset: 'in_vivo', type: 'all' },
  topProducerRanks: 10,
  width: 640,
  explorerPath: '/',
  update: () => {},
  label: (feature) => feature,
};

/** An accessible name and description for charts drawn directly in tests. */
export const ARIA = { ariaLabel: 'Test chart', ariaDescription: 'What the test chart shows.' };
