import { readdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import type { Manifest } from '../../src/lib/manifest.ts';
import { quoteIdent } from '../../src/lib/sql/quote.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, faultyHost, siteWithout, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';
import { serve } from '../../scripts/site/serve.ts';
import { binsPerType } from '../../scripts/build/overview-layout.ts';
import { formatValue } from '../../src/lib/format.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import { sourceCells, sourceOverviewBin, sourceOverviewExtent, sourceTopProducers } from '../helpers/source-sql.ts';
import * as Plot from '@observablehq/plot';
import { divergingScale } from '../../src/lib/colors.ts';
import { rgbOf } from '../../src/views/overview/chart.ts';

// The built site in real Chromium, every answer compared with SQL run on the PostgreSQL source.
let db: TestDatabase;
let server: SiteUnderTest;
let browser: Browser;
let manifest: Manifest;
let origin: string;

const cells = sourceCells('in_vivo');

let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('e2e');
  ({ db, server, manifest } = demo);
  origin = new URL(server.url).origin;
  browser = server.browser;
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

/** Requests for a data file, with or without the query that names a range read without the engine. */
const dataFile = (path: string) => (url: URL) => url.pathname.endsWith(`/data/${path}`);

interface Opened {
  page: Page;
  /** Requests to any origin but the site's: they are blocked, and must never happen. */
  foreign: string[];
  errors: string[];
}

/**
 * Opens a page with every other origin blocked, and waits for the explorer's first render; `watch` sees the page
 * before it loads.
 */
async function open(search = '', watch?: (page: Page) => void): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  watch?.(page);
  const foreign: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Every page runs under the site's Content-Security-Policy: any violation fails the test.
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => {
      throw new Error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    }),
  );
  await page.goto(`${server.url}${search}`);
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
  return { page, foreign, errors };
}

/** Runs `action` and waits until the explorer has rendered again. */
async function rendered(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.locator('metanexus-explorer').getAttribute('data-renders');
  await action();
  await page.waitForFunction(
    (b) => {
      const r = document.querySelector('metanexus-explorer')?.getAttribute('data-renders');
      return r !== b && document.querySelector('[data-chart]')?.getAttribute('aria-busy') !== 'true';
    },
    before,
    { timeout: 30_000 },
  );
}

const status = (page: Page) => page.locator('[data-status]').textContent();
const tableRows = (page: Page) =>
  page.$$eval('[data-result-table] tbody tr', (rows) => rows.map((r) => ({ ...(r as HTMLElement).dataset })));

async function close({ page, foreign, errors }: Opened) {
  await page.close();
  expect(foreign, 'requests to other origins').toEqual([]);
  expect(errors, 'page errors').toEqual([]);
}

/**
 * The co-occurrence of `ids` on the source: each qualifying feature's rows of the selected bacteria as
 * "feature bacterium rank label", by peak, feature id in byte order, then rank.
 */
const sourceCooccurrence = async (ids: string[], mode: 'all' | 'any') =>
  (
    await db.query<{ feature: string; bacterium: string; rank: number; label: string }>(
      `WITH tp AS (${sourceTopProducers('in_vivo')}),
            hits AS (SELECT feature, max(value) AS peak FROM tp WHERE bacterium = ANY($1) GROUP BY feature
                     ${mode === 'all' ? 'HAVING count(*) = cardinality($1)' : ''})
       SELECT tp.feature, tp.bacterium, tp.rank, coalesce(nullif(trim(t.metabolite), ''), t.name) AS label
         FROM tp JOIN hits USING (feature) JOIN in_vivo AS t ON t.name = tp.feature
        WHERE tp.bacterium = ANY($1) ORDER BY hits.peak DESC, tp.feature COLLATE "C", tp.rank`,
      [ids],
    )
  ).map((r) => [r.feature, r.bacterium, r.rank, r.label]);

/** The co-occurrence table's first page as "feature bacterium rank label", as `sourceCooccurrence` gives them. */
const cooccurrenceTable = (page: Page) =>
  page.$$eval('[data-result-table] tbody tr', (trs) =>
    trs.map((tr) => {
      const { feature, bacterium, rank } = (tr as HTMLElement).dataset;
      return [feature, bacterium, Number(rank), tr.querySelector('th, td')!.textContent!.trim()];
    }),
  );

/** A feature with many measured bacteria, for metabolite-mode checks. */
async function busyFeature(type = 'by_negative'): Promise<string> {
  const [row] = await db.query<{ feature: string }>(
    `SELECT c.feature FROM (${cells}) AS c JOIN in_vivo AS t ON t.name = c.feature
      WHERE t."Type" = $1 GROUP BY c.feature ORDER BY count(*) DESC, c.feature COLLATE "C" LIMIT 1`,
    [type],
  );
  return row!.feature;
}

/** A bacterium's Top (DESC) or Bottom (ASC) 10 features of one type on the source, as [feature, value] pairs. */
async function sourceProfile(bacterium: string, type: string, order: 'ASC' | 'DESC'): Promise<[string, number][]> {
  const rows = await db.query<{ feature: string; value: number }>(
    `SELECT name AS feature, ${quoteIdent(bacterium)} AS value FROM in_vivo
      WHERE "Type" = $1 AND ${quoteIdent(bacterium)} IS NOT NULL ORDER BY 2 ${order}, name COLLATE "C" LIMIT 10`,
    [type],
  );
  return rows.map((r) => [r.feature, r.value]);
}

describe('page and About block', () => {
  test('counts computed at build time equal counts on the source, and the demo is labelled', async () => {
    const o = await open();
    const counts = await o.page.$$eval('[data-testid=about-counts] tbody tr', (rows) =>
      rows.map((r) => ({
        dataset: (r as HTMLElement).dataset.dataset,
        features: r.querySelector('[data-count=features]')!.textContent,
        negative: r.querySelector('[data-count=by_negative]')!.textContent,
      })),
    );
    const [vivo] = await db.query<{ n: number; neg: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE "Type" = 'by_negative')::int AS neg FROM in_vivo`,
    );
    expect(counts.find((c) => c.dataset === 'in_vivo')).toEqual({
      dataset: 'in_vivo',
      features: vivo!.n.toLocaleString('en-US'),
      negative: vivo!.neg.toLocaleString('en-US'),
    });
    await expect(o.page.locator('[data-testid=demo-banner]').textContent()).resolves.toContain('synthetic demo data');
    await close(o);
  });
});

describe('landscape', () => {
  test('search by label, pick with the keyboard: one point per bacterium, as on the source', async () => {
    const o = await open('?ds=in_vivo');
    const { page } = o;
    await page.locator('#landscape-search').fill('acid');
    await page.waitForSelector('#landscape-matches [role=option]');
    const options = await page.$$eval('#landscape-matches [role=option]', (els) =>
      els.map((e) => ({ name: (e as HTMLElement).dataset.name!, text: e.textContent!.toLowerCase() })),
    );
    expect(options.length).toBeGreaterThan(0);
    expect(options.length).toBeLessThanOrEqual(100);
    for (const option of options) expect(option.text).toContain('acid');
    await page.keyboard.press('ArrowDown');
    await rendered(page, () => page.keyboard.press('Enter'));
    const picked = options[1]!.name;
    expect(new URL(page.url()).searchParams.get('m')).toBe(picked);
    const expected = await db.query<{ bacterium: string; value: number }>(
      `SELECT bacterium, value FROM (${cells}) AS c WHERE feature = $1 ORDER BY value DESC, bacterium COLLATE "C"`,
      [picked],
    );
    const rows = await tableRows(page);
    expect(rows.map((r) => [r.bacterium, Number(r.value)])).toEqual(expected.map((r) => [r.bacterium, r.value]));
    await close(o);
  });

  test('a metabolite permalink reads its label, not the whole features file, before its data', async () => {
    const feature = await busyFeature();
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const { path, bytes: size } = d.files.features;
    // Bytes asked of the features file, in request order, up to the first request for the metabolite's values.
    let featureBytes = 0;
    let valuesAsked = false;
    const o = await open(`?ds=in_vivo&m=${encodeURIComponent(feature)}`, (page) =>
      page.on('request', (r) => {
        const url = new URL(r.url()).pathname;
        if (d.files.values.some((v) => url.endsWith(v.path))) valuesAsked = true;
        if (valuesAsked || !url.endsWith(path) || r.method() !== 'GET') return;
        const range = /^bytes=(\d+)-(\d*)$/.exec(r.headers()['range'] ?? '');
        featureBytes += range ? (range[2] ? Number(range[2]) + 1 : size) - Number(range[1]) : size;
      }),
    );
    const { page } = o;
    expect(valuesAsked).toBe(true);
    expect(featureBytes).toBeGreaterThan(0);
    expect(featureBytes).toBeLessThan(size);
    const [source] = await db.query<{ label: string }>(
      `SELECT coalesce(nullif(trim(metabolite), ''), name) AS label FROM in_vivo WHERE name = $1`,
      [feature],
    );
    expect(await page.locator('[data-chart-title]').textContent()).toContain(source!.label);
    // Search needs the whole file, copied in after the chart: it finds the feature by its label.
    await page.locator('#landscape-search').fill(source!.label);
    await page.waitForSelector(`#landscape-matches [role=option][data-name="${feature}"]`);
    await close(o);
  });

  test('Bottom N: the N lowest values, consumers included, ties by id; the permalink restores it', async () => {
    const feature = await busyFeature();
    const o = await open(`?ds=in_vivo&m=${encodeURIComponent(feature)}`);
    const { page } = o;
    await rendered(page, () => page.locator('[data-control=show] input[value=bottom]').check());
    await rendered(page, () => page.locator('[data-control=n]').fill('5'));
    const expected = await db.query<{ bacterium: string; value: number }>(
      `SELECT bacterium, value FROM (${cells}) AS c WHERE feature = $1
        ORDER BY value ASC, bacterium COLLATE "C" LIMIT 5`,
      [feature],
    );
    const shown = (await tableRows(page)).map((r) => [r.bacterium, Number(r.value)]);
    expect(shown).toEqual(expected.map((r) => [r.bacterium, r.value]));
    const permalink = page.url();
    expect(new URL(permalink).searchParams.get('show')).toBe('bottom');
    await rendered(page, () => page.reload());
    expect((await tableRows(page)).map((r) => [r.bacterium, Number(r.value)])).toEqual(shown);
    await close(o);
  });

  test('bacterium profile with a type filter: Top 10 and All, as on the source', async () => {
    const bacterium = manifest.datasets.find((d) => d.id === 'in_vivo')!.bacteria[3]!;
    const o = await open('?ds=in_vivo');
    const { page } = o;
    await rendered(page, () => page.locator('[data-control=landscape-bacterium]').selectOption(bacterium.id));
    await rendered(page, () => page.locator('[data-control=type]').selectOption('by_positive'));
    const all = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM in_vivo WHERE "Type" = 'by_positive' AND ${quoteIdent(bacterium.id)} IS NOT NULL`,
    );
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(all[0]!.n);
    await rendered(page, () => page.locator('[data-control=show] input[value=top]').check());
    expect((await tableRows(page)).map((r) => [r.feature, Number(r.value)])).toEqual(
      await sourceProfile(bacterium.id, 'by_positive', 'DESC'),
    );
    await close(o);
  });

  test('permalinks of every view draw without the engine, as on the source', async () => {
    // duckdb-wasm's module is not on the host: the first chart must not need it. Left out of a copy of the site rather
    // than routed away, as Chromium's interception of a worker's requests is not reliable (playwright#32355).
    const wasm = (path: string) => /^_astro\/duckdb-eh\.[^/]*\.wasm/.test(path);
    const site = await siteWithout(demo!.dist, wasm);
    onTestFinished(() => site.remove());
    const host = await serve({ dir: site.dist });
    onTestFinished(() => host.close());
    const left = (await readdir(demo!.dist, { recursive: true })).filter(wasm);
    expect(left.length).toBeGreaterThan(0);
    for (const path of left) expect((await fetch(new URL(path, host.url))).status).toBe(404);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const missing: string[] = [];
    page.on('response', (r) => void (r.status() === 404 && missing.push(new URL(r.url()).pathname.slice(1))));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const feature = await busyFeature('by_positive');
    await page.goto(`${host.url}?ds=in_vivo&m=${encodeURIComponent(feature)}&show=top&n=7`);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    const top = await db.query<{ bacterium: string; value: number }>(
      `SELECT bacterium, value FROM (${cells}) AS c WHERE feature = $1
        ORDER BY value DESC, bacterium COLLATE "C" LIMIT 7`,
      [feature],
    );
    expect((await tableRows(page)).map((r) => [r.bacterium, Number(r.value)])).toEqual(
      top.map((r) => [r.bacterium, r.value]),
    );
    const bacterium = manifest.datasets.find((d) => d.id === 'in_vivo')!.bacteria[9]!;
    await page.goto(`${host.url}?ds=in_vivo&b=${encodeURIComponent(bacterium.id)}&show=bottom&type=by_name`);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    expect((await tableRows(page)).map((r) => [r.feature, Number(r.value)])).toEqual(
      await sourceProfile(bacterium.id, 'by_name', 'ASC'),
    );
    expect(await page.locator('metanexus-explorer').getAttribute('data-state')).toBe('ready');
    // Search has its own worker: it answers without the engine, as many matches as the source has of the type.
    const label = `coalesce(nullif(trim(metabolite), ''), name)`;
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM in_vivo
        WHERE (strpos(lower(${label}), 'm1') > 0 OR strpos(lower(name), 'm1') > 0) AND "Type" = 'by_name'`,
    );
    expect(n).toBeGreaterThan(0);
    await page.locator('#landscape-search').fill('M1');
    await expect
      .poll(() => page.locator('[data-search=landscape] [data-search-status]').textContent(), { timeout: 30_000 })
      .toBe(n > 100 ? `first 100 of ${n.toLocaleString('en-US')} matches` : `${n} match${n === 1 ? '' : 'es'}`);
    // The Overview and the comparison too: every cell of the grid, and a bacterium's matched metabolites.
    await page.goto(`${host.url}?ds=in_vivo&view=overview`);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const cellCount = Object.values(binsPerType(d.counts.byType)).reduce((a, b) => a + b, 0) * d.bacteria.length;
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(cellCount);
    const pair = manifest.comparison!.bacteria[0]!;
    await page.goto(`${host.url}?ds=in_vitro&view=compare&xb=${encodeURIComponent(pair.x)}`);
    // Drawn, or said in words when the pair has no metabolite measured in both: never an error.
    await page.waitForSelector('metanexus-explorer:is([data-state=ready], [data-state=empty])', { timeout: 60_000 });
    expect(await status(page)).toMatch(/has a value in both/);
    // Co-occurrence: the selected bacteria's top-producer rows, labels included, grouped in the page.
    const ids = [d.bacteria[5]!.id, d.bacteria[6]!.id, d.bacteria[30]!.id];
    await page.goto(`${host.url}?ds=in_vivo&view=cooccurrence&mode=any&${ids.map((id) => `cb=${id}`).join('&')}`);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    expect(await cooccurrenceTable(page)).toEqual((await sourceCooccurrence(ids, 'any')).slice(0, 100));
    // The engine was asked for after the chart (src/lib/engine.ts), and the page knows that it failed to start.
    await page.waitForSelector('metanexus-explorer[data-engine=failed]', { timeout: 30_000 });
    expect(missing.filter((path) => !wasm(path))).toEqual([]);
    // The worker's own error, thrown so that the page hears of it, is the only one.
    expect(errors.filter((e) => !e.includes("on 'WebAssembly': HTTP status code is not ok"))).toEqual([]);
  });
});

describe('interaction network', () => {
  test('heatmap cells and the Net Balance row (NULL as 0) in selection order', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const bacteria = [d.bacteria[7]!.id, d.bacteria[2]!.id, d.bacteria[40]!.id];
    const features = (await db.query<{ name: string }>(`SELECT name FROM in_vivo ORDER BY md5(name) LIMIT 4`)).map(
      (r) => r.name,
    );
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'network' });
    for (const b of bacteria) search.append('nb', b);
    for (const f of features) search.append('nm', f);
    const o = await open(`?${search}`);
    const rows = await o.page.$$eval('[data-result-table] tbody tr', (trs) =>
      trs.map((tr) => ({
        bacterium: (tr as HTMLElement).dataset.bacterium ?? 'Net Balance',
        values: [...tr.querySelectorAll('td[data-value]')].map((td) => (td as HTMLElement).dataset.value),
      })),
    );
    const expected = [];
    const balance = await db.query<{ v: number }>(
      `SELECT ${bacteria.map((b) => `coalesce(${quoteIdent(b)}, 0)`).join(' + ')} AS v
         FROM in_vivo JOIN unnest($1::text[]) WITH ORDINALITY AS s(name, i) USING (name) ORDER BY i`,
      [features],
    );
    expected.push({ bacterium: 'Net Balance', values: balance.map((r) => String(r.v)) });
    for (const b of bacteria) {
      const col = await db.query<{ v: number | null }>(
        `SELECT ${quoteIdent(b)} AS v
           FROM in_vivo JOIN unnest($1::text[]) WITH ORDINALITY AS s(name, i) USING (name) ORDER BY i`,
        [features],
      );
      expected.push({ bacterium: b, values: col.map((r) => (r.v === null ? 'null' : String(r.v))) });
    }
    expect(rows.map((r) => ({ ...r, values: r.values.map((v) => (v === 'null' ? v : String(Number(v)))) }))).toEqual(
      expected.map((r) => ({ ...r, values: r.values.map((v) => (v === 'null' ? v : String(Number(v)))) })),
    );
    await close(o);
  });

  test("once search's worker has read the features file, a heatmap's labels come from it, not a read", async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const features = await db.query<{ name: string; label: string }>(
      `SELECT name, coalesce(nullif(trim(metabolite), ''), name) AS label FROM in_vivo
        ORDER BY nullif(trim(metabolite), '') IS NULL, md5(name || 'labels') LIMIT 4`,
    );
    expect(features.filter((f) => f.label !== f.name).length).toBeGreaterThan(0);
    const [first, ...rest] = features;
    const o = await open(`?ds=in_vivo&m=${encodeURIComponent(first!.name)}`);
    const { page } = o;
    // The search answers once its worker has read the file.
    await page.locator('#landscape-search').fill(first!.name);
    await page.waitForSelector(`#landscape-matches [role=option][data-name="${first!.name}"]`);
    await page.evaluate(() => performance.clearResourceTimings());
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'network', nb: d.bacteria[0]!.id });
    for (const f of rest) search.append('nm', f.name);
    await rendered(page, () =>
      page.evaluate((s) => {
        history.pushState(null, '', location.pathname + s);
        dispatchEvent(new PopStateEvent('popstate'));
      }, `?${search}`),
    );
    const reads = await page.evaluate(
      (path) => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith(path)),
      d.files.features.path,
    );
    expect(reads, 'the page read the features file').toEqual([]);
    const chips = await page.$$eval('[data-chips=network-metabolites] li span', (spans) =>
      spans.map((s) => s.textContent),
    );
    expect(chips).toEqual(rest.map((f) => f.label));
    await close(o);
  });

  test('a grid too large to print its values is painted: a tip on hover, a click into the Landscape', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const bacteria = d.bacteria.slice(0, 12).map((b) => b.id);
    const features = (
      await db.query<{ name: string }>(`SELECT name FROM in_vivo ORDER BY md5(name || 'dense') LIMIT 40`)
    ).map((r) => r.name);
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'network' });
    for (const b of bacteria) search.append('nb', b);
    for (const f of features) search.append('nm', f);
    const o = await open(`?${search}`);
    const { page } = o;
    const image = page.locator('[data-chart] image[data-cells]');
    expect(await image.getAttribute('data-cells')).toBe(String((bacteria.length + 1) * features.length));
    // The last bacterium's row and the 7th metabolite, against the source.
    const [row, column] = [bacteria.length, 6];
    const [cell] = await db.query<{ v: number | null }>(
      `SELECT ${quoteIdent(bacteria[row - 1]!)} AS v FROM in_vivo WHERE name = $1`,
      [features[column]],
    );
    const shown = await page.$eval(
      `[data-result-table] tbody tr[data-bacterium="${bacteria[row - 1]}"]`,
      (tr, i) => (tr.querySelectorAll('td[data-value]')[i] as HTMLElement).dataset.value,
      column,
    );
    expect(shown === 'null' ? null : Number(shown)).toBe(cell!.v);
    // Rows are Net Balance, a gap, then the bacteria: the image's height holds rows + 2 bands of equal size.
    await image.scrollIntoViewIfNeeded();
    const box = (await image.boundingBox())!;
    const x = box.x + ((column + 0.5) * box.width) / features.length;
    const y = box.y + ((row + 1 + 0.5) * box.height) / (bacteria.length + 2);
    await page.mouse.move(x, y);
    const tip = page.locator('[data-chart] [data-tip]');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.getAttribute('data-feature')).toBe(features[column]);
    const text = (await tip.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(features[column]!);
    expect(text).toContain(cell!.v === null ? 'not measured' : formatValue(cell!.v));
    await page.mouse.click(x, y);
    await page.waitForURL((url) => url.searchParams.get('m') === features[column]);
    expect(new URL(page.url()).search).toBe(landscapeSearch('in_vivo', { metabolite: features[column]! }));
    expect(o.foreign).toEqual([]);
    expect(o.errors).toEqual([]);
    await page.close();
  });

  test('built through the controls: bacteria from the list, a metabolite from search, in picking order', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const [first, second] = [d.bacteria[9]!, d.bacteria[1]!];
    const feature = await busyFeature('by_positive');
    const o = await open('?ds=in_vivo&view=network');
    const { page } = o;
    expect(await status(page)).toBe('Select at least one bacterium and one metabolite.');
    await rendered(page, () => page.locator('[data-control=network-bacterium]').selectOption(first.id));
    await rendered(page, () => page.locator('[data-control=network-bacterium]').selectOption(second.id));
    await page.locator('#network-search').fill(feature);
    await page.waitForSelector(`#network-matches [role=option][data-name="${feature}"]`);
    await rendered(page, () => page.keyboard.press('Enter'));
    expect(
      await page.$$eval('[data-chips=network-bacteria] li', (lis) => lis.map((li) => (li as HTMLElement).dataset.id)),
    ).toEqual([first.id, second.id]);
    const [row] = await db.query<{ a: number | null; b: number | null }>(
      `SELECT ${quoteIdent(first.id)} AS a, ${quoteIdent(second.id)} AS b FROM in_vivo WHERE name = $1`,
      [feature],
    );
    const shown = await page.$$eval('[data-result-table] tbody tr td[data-value]', (tds) =>
      tds.map((td) => (td as HTMLElement).dataset.value),
    );
    const text = (v: number | null) => (v === null ? 'null' : String(v));
    expect(shown).toEqual([String((row!.a ?? 0) + (row!.b ?? 0)), text(row!.a), text(row!.b)]);
    expect(new URL(page.url()).searchParams.getAll('nb')).toEqual([first.id, second.id]);
    await close(o);
  });
});

describe('co-occurrence', () => {
  test('"all of them": metabolites where every selected bacterium is a top-10 producer, source ranks', async () => {
    const [pair] = await db.query<{ a: string; b: string }>(
      `WITH tp AS (${sourceTopProducers('in_vivo')})
       SELECT x.bacterium AS a, y.bacterium AS b
         FROM tp x JOIN tp y ON x.feature = y.feature AND x.bacterium < y.bacterium
        GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`,
    );
    const o = await open('?ds=in_vivo&view=cooccurrence');
    const { page } = o;
    await rendered(page, () => page.locator('[data-control=cooccurrence-bacterium]').selectOption(pair!.a));
    expect(await status(page)).toBe('Select at least 2 bacteria');
    await rendered(page, () => page.locator('[data-control=cooccurrence-bacterium]').selectOption(pair!.b));
    const expected = await sourceCooccurrence([pair!.a, pair!.b], 'all');
    expect(expected.length).toBeGreaterThan(0);
    expect(await cooccurrenceTable(page)).toEqual(expected.slice(0, 100));
    await close(o);
  });

  test('"any of them": metabolites where at least one is a top-10 producer, by peak then feature id', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const ids = [d.bacteria[5]!.id, d.bacteria[6]!.id, d.bacteria[30]!.id];
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'cooccurrence' });
    for (const id of ids) search.append('cb', id);
    const o = await open(`?${search}`);
    const { page } = o;
    await rendered(page, () => page.locator('[data-control=mode] input[value=any]').check());
    // The table holds every qualifying metabolite, a page of 100 rows at a time: the first page is checked here.
    const expected = await sourceCooccurrence(ids, 'any');
    const [{ total }] = (await db.query<{ total: number }>(
      `SELECT count(DISTINCT feature)::int AS total FROM (${sourceTopProducers('in_vivo')}) AS tp
        WHERE bacterium = ANY($1)`,
      [ids],
    )) as [{ total: number }];
    expect(await cooccurrenceTable(page)).toEqual(expected.slice(0, 100));
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(expected.length);
    expect(await status(page)).toContain(`${total.toLocaleString('en-US')} metabolites have at least one`);
    await close(o);
  });

  test('more than 10 in "all" mode is explained in words instead of an empty chart', async () => {
    const ids = manifest.datasets
      .find((x) => x.id === 'in_vivo')!
      .bacteria.slice(0, 11)
      .map((b) => b.id);
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'cooccurrence' });
    for (const id of ids) search.append('cb', id);
    const o = await open(`?${search}`);
    expect(await status(o.page)).toContain('11 bacteria are selected');
    expect(await o.page.locator('[data-chart] svg').count()).toBe(0);
    await close(o);
  });
});

describe('hostile input and failures', () => {
  test('HTML, SQL and absurd values in the URL are shown as text, queried as values, and clamped', async () => {
    const hostile = `<img src=x onerror="window.pwned=1">'; DROP TABLE x; --`;
    const search = new URLSearchParams({
      ds: '<script>window.pwned=1</script>',
      m: hostile,
      n: '99999999',
      cb: 'No_such_bacterium',
    });
    const o = await open(`?${search}`);
    const { page } = o;
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('[data-chart] img, [data-notices] script, [data-notices] img').count()).toBe(0);
    const notices = await page.locator('[data-notices]').textContent();
    expect(notices).toContain('<script>window.pwned=1</script>');
    expect(notices).toMatch(/1000/);
    expect(notices).toContain('No_such_bacterium');
    expect(await status(page)).toContain('No data for this selection');
    await close(o);
  });

  test('a missing data file gives a message naming the file, and the rest of the page keeps working', async () => {
    const values = manifest.datasets.find((x) => x.id === 'in_vivo')!.files.values[0]!.path;
    const feature = await busyFeature();
    const page = await browser.newPage();
    await page.route(dataFile(values), (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(`${server.url}?ds=in_vivo&m=${encodeURIComponent(feature)}`);
    await page.waitForSelector('metanexus-explorer[data-state=error]', { timeout: 60_000 });
    expect(await status(page)).toBe(`Could not load data: data file ${values} is missing (HTTP 404)`);
    const bacterium = manifest.datasets.find((x) => x.id === 'in_vivo')!.bacteria[0]!;
    await rendered(page, () => page.locator('[data-control=landscape-bacterium]').selectOption(bacterium.id));
    expect(await page.locator('metanexus-explorer').getAttribute('data-state')).toBe('ready');
    await page.close();
  });

  test('a features file that cannot be read: the search says which, and answers once it can be', async () => {
    const features = manifest.datasets.find((x) => x.id === 'in_vivo')!.files.features.path;
    // The search's worker reads the file: the host fails it, as Chromium's interception of a worker's requests is not
    // reliable (playwright#32355).
    const host = await faultyHost(server.url);
    onTestFinished(() => host.close());
    host.failing = (path) => path.endsWith(`/data/${features}`);
    const context = await browser.newContext();
    onTestFinished(() => context.close());
    const page = await context.newPage();
    await page.goto(`${host.url}?ds=in_vivo`);
    await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
    const searchStatus = () => page.locator('[data-search=landscape] [data-search-status]').textContent();
    await page.locator('#landscape-search').fill('M1');
    await expect
      .poll(searchStatus, { timeout: 30_000 })
      .toBe(`Search failed: data file ${features} is missing (HTTP 404)`);
    host.failing = undefined;
    await page.locator('#landscape-search').fill('M10');
    await expect.poll(searchStatus, { timeout: 30_000 }).toMatch(/match/);
  });

  test('ranges of one data file read at once stay in the HTTP cache for a repeat visit, on a slow host', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const [part, next] = d.files.values;
    // Features far apart in the first values part, each in a row group of its own: a heatmap reads them at once.
    const spread = await db.query<{ name: string }>(
      `SELECT name FROM (SELECT name, row_number() OVER (ORDER BY name COLLATE "C") AS n FROM in_vivo
         WHERE $1::text IS NULL OR name COLLATE "C" < $1) AS t WHERE n % 400 = 1 ORDER BY n LIMIT 6`,
      [next?.firstFeature ?? null],
    );
    expect(spread).toHaveLength(6);
    const host = await faultyHost(server.url);
    onTestFinished(() => host.close());
    // Data arrives slowly, so that the reads overlap as on a slow connection.
    host.slow = (path) => path.includes('/data/');
    const context = await browser.newContext();
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'network' });
    for (const b of d.bacteria.slice(0, 3)) search.append('nb', b.id);
    for (const f of spread) search.append('nm', f.name);
    const visit = async () => {
      await page.goto(`${host.url}?${search}`);
      await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
      return page.locator('[data-result-table]').getAttribute('data-rows');
    };
    const ofPart = () => host.requests.filter((r) => r.split('?')[0] === `/data/${part!.path}`);
    const rows = await visit();
    expect(ofPart().length, 'the footer and a row group per feature').toBeGreaterThan(spread.length);
    host.requests.length = 0;
    expect(await visit()).toBe(rows);
    expect(ofPart()).toEqual([]);
  });

  test('a truncated data file is named in the message', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const bacterium = d.bacteria[5]!;
    const page = await browser.newPage();
    await page.route(dataFile(bacterium.file.path), async (route) => {
      const response = await route.fetch({ headers: { ...route.request().headers(), range: '' } });
      const body = await response.body();
      await route.fulfill({ status: 200, body: body.subarray(0, Math.floor(body.length / 2)) });
    });
    await page.goto(`${server.url}?ds=in_vivo&b=${encodeURIComponent(bacterium.id)}`);
    await page.waitForSelector('metanexus-explorer[data-state=error]', { timeout: 60_000 });
    expect(await status(page)).toContain(`Could not load data: data file ${bacterium.file.path}`);
    await page.close();
  });

  test('the Content-Security-Policy is in force: an injected inline script does not run', async () => {
    const o = await open('?ds=in_vivo');
    const ran = await o.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    await o.page.close();
  });

  test('a corrupted data file is named in the message', async () => {
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const bacterium = d.bacteria[4]!;
    const page = await browser.newPage();
    await page.route(dataFile(bacterium.file.path), (route) =>
      route.fulfill({
        status: 200,
        body: Buffer.alloc(bacterium.file.bytes, 7),
        headers: { 'Accept-Ranges': 'bytes' },
      }),
    );
    await page.goto(`${server.url}?ds=in_vivo&b=${encodeURIComponent(bacterium.id)}`);
    await page.waitForSelector('metanexus-explorer[data-state=error]', { timeout: 60_000 });
    expect(await status(page)).toContain(`Could not load data: data file ${bacterium.file.path} could not be read`);
    await page.close();
  });
});

describe('layout and keyboard', () => {
  test('at 390 px wide nothing overflows the page, and the chart still draws', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const bacterium = manifest.datasets.find((x) => x.id === 'in_vivo')!.bacteria[0]!;
    await page.goto(`${server.url}?ds=in_vivo&b=${encodeURIComponent(bacterium.id)}&show=top`);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('[data-chart] svg').count()).toBeGreaterThan(0);
    await page.close();
  });

  test('tabs answer the arrow keys and the search works from the keyboard alone', async () => {
    const o = await open('?ds=in_vitro');
    const { page } = o;
    await page.locator('[data-control=dataset] [role=tab][aria-selected=true]').focus();
    await rendered(page, () => page.keyboard.press('ArrowRight'));
    expect(new URL(page.url()).searchParams.get('ds')).toBe('in_vivo');
    expect(await page.evaluate(() => (document.activeElement as HTMLButtonElement).value)).toBe('in_vivo');
    await page.locator('#landscape-search').focus();
    await page.keyboard.type('M1');
    await page.waitForSelector('#landscape-matches [role=option]');
    await page.keyboard.press('ArrowDown');
    const active = await page.locator('#landscape-search').getAttribute('aria-activedescendant');
    expect(active).toBe('landscape-matches-1');
    await rendered(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('metanexus-explorer').getAttribute('data-state')).toBe('ready');
    await close(o);
  });
});

describe('prerendered pages', () => {
  test('a bacterium page lists its top and bottom metabolites with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}bacteria/`);
    const first = page.locator('a[href*="/bacteria/in_vivo/"]').first();
    await page.goto(new URL((await first.getAttribute('href'))!, server.url).href);
    const title = await page.locator('h1').textContent();
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const bacterium = d.bacteria.find((b) => title!.includes(b.name))!;
    const expected = await db.query<{ feature: string; value: number }>(
      `SELECT name AS feature, ${quoteIdent(bacterium.id)} AS value FROM in_vivo
        WHERE ${quoteIdent(bacterium.id)} IS NOT NULL ORDER BY 2 DESC, name COLLATE "C" LIMIT 10`,
    );
    const rows = await page.$$eval('table [data-feature]', (trs) =>
      trs.slice(0, 10).map((tr) => [(tr as HTMLElement).dataset.feature, Number((tr as HTMLElement).dataset.value)]),
    );
    expect(rows).toEqual(expected.map((r) => [r.feature, r.value]));
    await context.close();
  });

  test('/yale-university redirects to the explorer, and unknown paths get the 404 page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}yale-university`);
    await page.waitForURL((url) => url.pathname === '/');
    const response = await page.goto(`${server.url}no/such/page`);
    expect(response!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toMatch(/not found/i);
    await page.close();
  });
});

describe('overview', () => {
  test('from a permalink: drawn, a hovered cell shows its numbers, a click opens its strongest feature', async () => {
    const type = 'by_negative';
    const d = manifest.datasets.find((x) => x.id === 'in_vivo')!;
    const typeBins = binsPerType(d.counts.byType)[type];
    const index = Math.floor(typeBins / 2);
    const expected = await db.query<{
      bacterium: string;
      measured: number;
      features: number;
      mean: number;
      max: number;
      min: number;
      strongest: string;
      strongest_value: number;
    }>(`SELECT * FROM (${sourceOverviewBin('in_vivo')}) AS b ORDER BY measured DESC, bacterium COLLATE "C" LIMIT 1`, [
      type,
      typeBins,
      index,
    ]);
    const e = expected[0]!;
    const name = d.bacteria.find((b) => b.id === e.bacterium)!.name;

    const { page, foreign, errors } = await open(`?ds=in_vivo&view=overview&type=${type}`);
    // Tall enough for every row of the chart: the mouse reaches only what is on screen (the width, and so the
    // drawing, stay as they were).
    await page.setViewportSize({ width: 1280, height: 2400 });
    const image = page.locator('[data-chart] image[data-cells]');
    expect(await image.getAttribute('data-cells')).toBe(`${typeBins}x${d.bacteria.length}`);
    const rows = await page.$$eval('[data-chart] a[aria-label^="Landscape of "]', (links) =>
      links.map((a) => a.getAttribute('aria-label')),
    );
    expect(rows).toHaveLength(d.bacteria.length);
    const row = rows.indexOf(`Landscape of ${name}`);
    const box = (await image.boundingBox())!;
    const x = box.x + ((index + 0.5) * box.width) / typeBins;
    const y = box.y + ((row + 0.5) * box.height) / d.bacteria.length;
    // A cell's colour, read off the canvas at its middle, is its mean's on the scale of the type's extent: the
    // hovered cell's, and a cell of the first bin (the most negative means, far from the neutral middle).
    const [{ extent } = { extent: NaN }] = await db.query<{ extent: number }>(sourceOverviewExtent('in_vivo'), [
      type,
      typeBins,
    ]);
    const scale = Plot.scale({ color: divergingScale(extent, '') });
    const [first] = await db.query<{ bacterium: string; mean: number }>(
      `SELECT * FROM (${sourceOverviewBin('in_vivo')}) AS b ORDER BY mean, bacterium COLLATE "C" LIMIT 1`,
      [type, typeBins, 0],
    );
    const firstRow = rows.indexOf(`Landscape of ${d.bacteria.find((b) => b.id === first!.bacterium)!.name}`);
    for (const [bin, r, mean] of [
      [index, row, e.mean],
      [0, firstRow, first!.mean],
    ]) {
      const pixel = await page.$eval(
        '[data-chart] canvas',
        (canvas, at) => {
          const [bin, bins, r, n] = at as [number, number, number, number];
          const c = canvas as HTMLCanvasElement;
          const [px, py] = [((bin + 0.5) * c.width) / bins, ((r + 0.5) * c.height) / n].map(Math.floor);
          return [...c.getContext('2d')!.getImageData(px!, py!, 1, 1).data];
        },
        [bin, typeBins, r, d.bacteria.length],
      );
      const want = rgbOf(scale.apply(mean) as string);
      expect(pixel.slice(0, 3).map((c, i) => Math.abs(c - want[i]!) <= 1)).toEqual([true, true, true]);
    }
    await page.mouse.move(x, y);
    const tip = page.locator('[data-chart] [data-tip]');
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(name);
    expect(text).toContain(`bin ${index + 1} of ${typeBins}: ${e.features} features`);
    expect(text).toContain(`measured: ${e.measured} of ${e.features}`);
    expect(text).toContain(`mean ${formatValue(e.mean)}, max ${formatValue(e.max)}, min ${formatValue(e.min)}`);
    expect(text).toContain(`strongest: ${e.strongest} (${formatValue(e.strongest_value)})`);

    await page.mouse.click(x, y);
    await page.waitForURL((url) => url.searchParams.get('m') === e.strongest);
    expect(new URL(page.url()).search).toBe(landscapeSearch('in_vivo', { metabolite: e.strongest }));
    await page.waitForSelector('metanexus-explorer[data-state=ready]');
    expect(await page.locator('[data-status]').textContent()).toContain(e.strongest);
    const bacteria = await page.$$eval('[data-result-table] tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.bacterium),
    );
    expect(bacteria).toContain(e.bacterium);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
