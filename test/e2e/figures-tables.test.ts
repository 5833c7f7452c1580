import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/manifest.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';
import { sourceCells, sourceTopProducers } from '../helpers/source-sql.ts';

// Figures, tables and links of the built site in Chromium, every answer compared with SQL on the PostgreSQL source.
let db: TestDatabase;
let server: SiteUnderTest;
let browser: Browser;
let manifest: Manifest;

const cells = sourceCells('in_vivo');
const PAGE = 100;

let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('figures');
  ({ db, server, manifest } = demo);
  browser = server.browser;
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

const vivo = () => manifest.datasets.find((d) => d.id === 'in_vivo')!;

/** Opens a page of the site and waits for the explorer's first render. */
async function open(search: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  await page.goto(`${server.url}${search}`);
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
  return page;
}

/** Runs `action` and waits until the explorer has rendered again. */
async function rendered(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.locator('metanexus-explorer').getAttribute('data-renders');
  await action();
  await page.waitForFunction(
    (b) => document.querySelector('metanexus-explorer')?.getAttribute('data-renders') !== b,
    before,
    { timeout: 30_000 },
  );
}

const shownRows = (page: Page) =>
  page.$$eval('[data-result-table] tbody tr', (rows) => rows.map((r) => ({ ...(r as HTMLElement).dataset })));

/** Clicks `selector` and returns the file the page saves. */
async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = (await Promise.all([page.waitForEvent('download'), page.click(selector)])) as [Download, unknown];
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

/** Words as they stand in a file name. */
const slug = (words: string) => words.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');

/** The bacterium with the most values in in_vivo, for long tables. */
function busiest() {
  return [...vivo().bacteria].sort((a, b) => b.values - a.values)[0]!;
}

describe('tables', () => {
  test('every row, a page at a time, sortable by any column in the SQL order', async () => {
    const b = busiest();
    const page = await open(landscapeSearch('in_vivo', { bacterium: b.id }));
    await page.click('[data-table-wrap] summary');
    const all = await db.query<{ feature: string; value: number }>(
      `SELECT feature, value FROM (${cells}) AS c WHERE bacterium = $1 ORDER BY value DESC, feature COLLATE "C"`,
      [b.id],
    );
    expect(all.length).toBeGreaterThan(PAGE);
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(all.length);
    const pageOf = async () => (await shownRows(page)).map((r) => [r.feature, Number(r.value)]);
    expect(await pageOf()).toEqual(all.slice(0, PAGE).map((r) => [r.feature, r.value]));
    await page.click('[data-table-pager] button:has-text("Next")');
    expect(await pageOf()).toEqual(all.slice(PAGE, 2 * PAGE).map((r) => [r.feature, r.value]));

    // By feature id, ascending: byte order, as PostgreSQL's "C" collation sorts.
    await page.click('[data-result-table] th button:has-text("Feature id")');
    const byId = [...all].sort((x, y) => (x.feature < y.feature ? -1 : x.feature > y.feature ? 1 : 0));
    const [{ first }] = (await db.query<{ first: string }>(
      `SELECT min(feature COLLATE "C") AS first FROM (${cells}) AS c WHERE bacterium = $1`,
      [b.id],
    )) as [{ first: string }];
    expect((await pageOf())[0]![0]).toBe(first);
    expect(await pageOf()).toEqual(byId.slice(0, PAGE).map((r) => [r.feature, r.value]));
    expect(await page.locator('th[aria-sort=ascending]').textContent()).toBe('Feature id');
    // By value, ascending then descending; ties keep the order they had (feature id ascending).
    await page.click('[data-result-table] th button:has-text("log2 fold change")');
    const ascending = await db.query<{ feature: string; value: number }>(
      `SELECT feature, value FROM (${cells}) AS c WHERE bacterium = $1 ORDER BY value, feature COLLATE "C" LIMIT 100`,
      [b.id],
    );
    expect(await pageOf()).toEqual(ascending.map((r) => [r.feature, r.value]));
    await page.click('[data-result-table] th button:has-text("log2 fold change")');
    expect(await page.locator('th[aria-sort=descending]').textContent()).toBe('log2 fold change');
    expect(await pageOf()).toEqual(all.slice(0, PAGE).map((r) => [r.feature, r.value]));
    await page.close();
  });

  test('co-occurrence "any" pages through every qualifying metabolite, and the CSV holds them all', async () => {
    const ids = [vivo().bacteria[5]!.id, vivo().bacteria[6]!.id];
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'cooccurrence', mode: 'any', type: 'by_negative' });
    for (const id of ids) search.append('cb', id);
    const page = await open(`?${search}`);
    await page.click('[data-table-wrap] summary');
    const expected = await db.query<{ feature: string; bacterium: string; rank: number; value: number }>(
      `WITH tp AS (${sourceTopProducers('in_vivo')}),
            hits AS (SELECT tp.feature, max(tp.value) AS peak FROM tp JOIN in_vivo AS t ON t.name = tp.feature
                      WHERE tp.bacterium = ANY($1) AND t."Type" = 'by_negative' GROUP BY tp.feature)
       SELECT tp.feature, tp.bacterium, tp.rank, tp.value FROM tp JOIN hits USING (feature)
        WHERE tp.bacterium = ANY($1) ORDER BY hits.peak DESC, tp.feature COLLATE "C", tp.rank`,
      [ids],
    );
    expect(expected.length).toBeGreaterThan(PAGE);
    const seen: string[][] = [];
    for (;;) {
      seen.push(...(await shownRows(page)).map((r) => [r.feature!, r.bacterium!, r.rank!]));
      const next = page.locator('[data-table-pager] button:has-text("Next")');
      if ((await next.count()) === 0 || (await next.isDisabled())) break;
      await next.click();
    }
    expect(seen).toEqual(expected.map((r) => [r.feature, r.bacterium, String(r.rank)]));

    const csv = await download(page, '[data-action=download]');
    // Dataset, view, selection (the bacteria by name), type filter and data version.
    const names = ids.map((id) => vivo().bacteria.find((b) => b.id === id)!.name);
    expect(csv.name).toBe(
      `metanexus-in_vivo-cooccurrence-${slug(`${names.join(', ')}, any of them`)}-by_negative-` +
        `${manifest.dataVersion}.csv`,
    );
    const parsed = Papa.parse<Record<string, string>>(csv.bytes.toString('utf8'), { header: true }).data;
    expect(parsed.map((r) => [r.feature, r.bacterium, Number(r.rank), Number(r.value)])).toEqual(
      expected.map((r) => [r.feature, r.bacterium, r.rank, r.value]),
    );
    await page.close();
  });

  test("a row's first cell links to the Landscape of its feature", async () => {
    const b = busiest();
    const page = await open(landscapeSearch('in_vivo', { bacterium: b.id }));
    await page.click('[data-table-wrap] summary');
    const [first] = await shownRows(page);
    const link = page.locator('[data-result-table] tbody tr:first-child td:first-child a');
    const target = landscapeSearch('in_vivo', { metabolite: first!.feature! });
    expect(await link.getAttribute('href')).toBe(`/${target}`);
    // A real link: the page loads anew. Its render count starts again at 1, as the old page's may be, so the new
    // page's first chart is waited for after the URL has changed.
    await Promise.all([page.waitForURL((url) => url.search === target), link.click()]);
    await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
    const status = await page.locator('[data-status]').textContent();
    expect(status).toContain(first!.feature!);
    await page.close();
  });
});

describe('figures', () => {
  test('SVG holds the title, the caption and the marks; PNG is twice its size', async () => {
    const b = busiest();
    const search = `${landscapeSearch('in_vivo', { bacterium: b.id })}&show=top&n=7`;
    const page = await open(search);
    const title = await page.locator('[data-chart-title]').textContent();
    expect(title).toBe(`Microbial metabolic landscape: ${b.name}, top 7`);
    const caption = await page.locator('[data-chart-caption]').textContent();
    expect(caption).toContain(`data version ${manifest.dataVersion}`);
    expect(caption).toContain(`In Vivo dataset · ${b.name}, top 7 · All types`);

    const svg = await download(page, '[data-action=save-svg]');
    const stem = `metanexus-in_vivo-landscape-${slug(`${b.name}, top 7`)}-all-${manifest.dataVersion}`;
    expect(svg.name).toBe(`${stem}.svg`);
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain(`>${title}</text>`);
    expect(text).toContain(manifest.dataVersion);
    const bars = (text.match(/<rect /g) ?? []).length;
    const swatches = await page.locator('[data-chart] span svg rect').count();
    expect(bars - swatches).toBe(7);
    const [, width, height] = /^<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(text)!.map(Number);

    const png = await download(page, '[data-action=save-png]');
    expect(png.name).toBe(`${stem}.png`);
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The IHDR chunk holds the width and height, big-endian, at bytes 16 and 20.
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([
      Math.round(width! * 2),
      Math.round(height! * 2),
    ]);
    await page.close();
  });

  test('a resize redraws the chart at the new width', async () => {
    const page = await open(landscapeSearch('in_vivo', { bacterium: busiest().id }));
    const chartWidth = () => page.locator('[data-chart] svg').last().getAttribute('width');
    const before = Number(await chartWidth());
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForFunction((w) => {
      const svg = [...document.querySelectorAll('[data-chart] svg')].at(-1);
      return svg && Number(svg.getAttribute('width')) !== w;
    }, before);
    const after = Number(await chartWidth());
    const room = await page.locator('[data-chart]').evaluate((el) => el.clientWidth);
    expect(after).toBeLessThan(before);
    expect(after).toBe(Math.max(320, room));
    await page.close();
  });
});

describe('zoom', () => {
  test('a brushed range of ranks is listed in the table, and kept in the permalink', async () => {
    const b = busiest();
    const page = await open(`${landscapeSearch('in_vivo', { bacterium: b.id })}&r=5-40`);
    await page.click('[data-table-wrap] summary');
    const all = await db.query<{ feature: string; value: number }>(
      `SELECT feature, value FROM (${cells}) AS c WHERE bacterium = $1 ORDER BY value DESC, feature COLLATE "C"`,
      [b.id],
    );
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(36);
    expect((await shownRows(page)).map((r) => [r.feature, Number(r.value)])).toEqual(
      all.slice(4, 40).map((r) => [r.feature, r.value]),
    );
    expect(await page.locator('[data-chart] [data-brush]').count()).toBe(1);
    expect(await page.locator('[data-status]').textContent()).toContain('ranks 5–40 (36 features) are listed');

    // Dragging across the curve picks another range, by rank, into the URL.
    const plot = page.locator('[data-chart] svg').last();
    const box = (await plot.boundingBox())!;
    const y = box.y + box.height / 2;
    await rendered(page, async () => {
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
      await page.mouse.up();
    });
    const range = new URL(page.url()).searchParams.get('r')!;
    const [from, to] = range.split('-').map(Number) as [number, number];
    expect(from).toBeGreaterThan(1);
    expect(to).toBeGreaterThan(from);
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(to - from + 1);
    expect((await shownRows(page))[0]!.feature).toBe(all[from - 1]!.feature);
    await rendered(page, () => page.click('[data-clear-range]'));
    expect(new URL(page.url()).searchParams.has('r')).toBe(false);
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(all.length);
    await page.close();
  });
});

describe('links between pages', () => {
  test('the explorer links the page of the selected bacterium, which links back and to its other dataset', async () => {
    const vitro = manifest.datasets.find((d) => d.id === 'in_vitro')!;
    const both = vivo().bacteria.find((b) => vitro.bacteria.some((x) => x.id === b.id))!;
    const page = await open(landscapeSearch('in_vivo', { bacterium: both.id }));
    const link = page.locator('[data-bacterium-page] a');
    expect(await link.textContent()).toBe(`The page of ${both.name}`);
    await Promise.all([page.waitForURL(/\/bacteria\/in_vivo\//), link.click()]);
    expect(await page.locator('h1').textContent()).toBe(both.name);
    expect(await page.locator('[data-testid=explorer-link]').getAttribute('href')).toBe(
      `/${landscapeSearch('in_vivo', { bacterium: both.id })}`,
    );
    // Each metabolite of the tables links to its Landscape.
    const feature = await page.locator('[data-testid=top-table] tbody tr').first().getAttribute('data-feature');
    expect(await page.locator('[data-testid=top-table] tbody tr td a').first().getAttribute('href')).toBe(
      `/${landscapeSearch('in_vivo', { metabolite: feature! })}`,
    );
    await Promise.all([page.waitForURL(/\/bacteria\/in_vitro\//), page.click('[data-testid=other-dataset-link]')]);
    expect(await page.locator('h1').textContent()).toBe(both.name);
    await page.close();
  });

  test('without JavaScript the explorer says so and points to the bacterium pages', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.locator('[data-noscript]').isVisible()).toBe(true);
    expect(await page.locator('[data-noscript] a').getAttribute('href')).toBe('/bacteria/');
    expect(await page.locator('[data-status]').isVisible()).toBe(false);
    await context.close();
  });
});
