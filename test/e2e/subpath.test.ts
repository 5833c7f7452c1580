import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { manifestFiles, type Manifest } from '../../src/lib/manifest.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';
import { sourceCells } from '../helpers/source-sql.ts';

// The site built for and served at a sub-path, as GitHub Pages serves a project site (`/<repository>/`): every page,
// script, the worker, the wasm and the data must come from under it, since nothing else on that host is ours.
const BASE = '/metanexus/';

let db: TestDatabase;
let server: SiteUnderTest;
let manifest: Manifest;
let dist: string;
let origin: string;
/** The site's address, base included. */
let site: string;

let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('subpath', { scale: 0.02, base: BASE });
  ({ db, server, manifest, dist } = demo);
  site = server.url;
  origin = new URL(site).origin;
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

/** What a watched browser context saw. */
interface Watched {
  context: BrowserContext;
  page: Page;
  requests: string[];
  failures: string[];
  errors: string[];
}

/** A fresh browser context that records every request its pages and workers make, and every one that failed. */
async function watched(): Promise<Watched> {
  const context = await server.browser.newContext();
  const requests: string[] = [];
  const failures: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
  context.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.url()}: HTTP ${r.status()}`);
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // A request the Content-Security-Policy blocks never reaches the network: it is reported here instead.
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => {
      throw new Error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    }),
  );
  return { context, page, requests, failures, errors };
}

/** Requests that left the site's base (blob: and data: URLs stay in the page). */
const outsideBase = (requests: string[]) =>
  requests.filter((url) => !url.startsWith(site) && !/^(blob|data):/.test(url));

/** The files requested, without the query that names a range read without the engine. */
const files = (requests: string[]) => requests.map((url) => url.split('?')[0]);

/** Closes the context; nothing may have left the base, failed (but `expectedFailures`) or thrown. */
async function done(w: Watched, expectedFailures: string[] = []): Promise<void> {
  await w.context.close();
  expect(outsideBase(w.requests), 'requests outside the base').toEqual([]);
  expect(w.failures, 'failed requests').toEqual(expectedFailures);
  expect(w.errors, 'page errors').toEqual([]);
}

/** Every root-relative URL an HTML file names (links, scripts, styles, forms, the redirect's refresh). */
function rootRelativeUrls(html: string): string[] {
  const attributes = [...html.matchAll(/\s(?:href|src|action|data-data-url)="(\/[^"]*)"/g)].map((m) => m[1]!);
  const refresh = [...html.matchAll(/content="\d+;\s*url=(\/[^"]*)"/gi)].map((m) => m[1]!);
  return [...attributes, ...refresh];
}

describe('a site built for /metanexus/', () => {
  test('names no root-relative URL outside the base in any page', async () => {
    const pages = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.html'));
    expect(pages).toEqual(
      expect.arrayContaining(['index.html', '404.html', 'bacteria/index.html', join('yale-university', 'index.html')]),
    );
    for (const file of pages) {
      const urls = rootRelativeUrls(await readFile(join(dist, file), 'utf8'));
      expect(urls.length, file).toBeGreaterThan(0);
      expect(
        urls.filter((url) => !url.startsWith(BASE)),
        file,
      ).toEqual([]);
    }
  });

  test('serves the manifest and every data file under the base, and nothing at the root', async () => {
    const paths = ['manifest.json', ...manifestFiles(manifest).map((f) => f.path)];
    for (const path of paths) {
      const res = await fetch(new URL(`data/${path}`, site), { method: 'HEAD' });
      expect(res.status, path).toBe(200);
    }
    expect((await fetch(new URL('/data/manifest.json', origin))).status).toBe(404);
    expect((await fetch(new URL('/', origin))).status).toBe(404);
  });

  test('bacteria index, bacterium page, explorer permalink: the chart reads Parquet via worker and wasm', async () => {
    const w = await watched();
    const { page } = w;
    await page.goto(`${site}bacteria/`);
    const first = page.locator(`a[href^="${BASE}bacteria/in_vivo/"]`).first();
    await Promise.all([page.waitForURL(/\/metanexus\/bacteria\/in_vivo\/[^/]+\/$/), first.click()]);
    expect(await page.locator('[data-testid=top-table] tbody tr').count()).toBeGreaterThan(0);
    await Promise.all([
      page.waitForURL((url) => url.pathname === BASE),
      page.locator('[data-testid=explorer-link]').click(),
    ]);
    await page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    const params = new URL(page.url()).searchParams;
    expect(params.get('ds')).toBe('in_vivo');
    const bacterium = manifest.datasets
      .find((d) => d.id === 'in_vivo')!
      .bacteria.find((b) => b.id === params.get('b'))!;
    expect(Number(await page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(bacterium.values);
    expect(await page.locator('[data-chart] svg [aria-label=line] path').count()).toBeGreaterThan(0);

    const under = (pattern: RegExp) =>
      w.requests.filter((url) => url.startsWith(site) && pattern.test(url.slice(site.length)));
    expect(under(/^_astro\/.*\.js$/).length, 'scripts').toBeGreaterThan(0);
    expect(under(/duckdb-browser-eh\.worker.*\.js$/), 'the worker').toHaveLength(1);
    expect(under(/duckdb-eh.*\.wasm$/), 'the wasm').toHaveLength(1);
    expect(files(w.requests), 'the bacterium Parquet').toContain(`${site}data/${bacterium.file.path}`);
    await done(w);
  });

  test('a metabolite permalink at the base itself: the chart draws from values Parquet, all bacteria', async () => {
    const part = manifest.datasets.find((d) => d.id === 'in_vivo')!.files.values[0]!;
    const [{ n }] = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${sourceCells('in_vivo')}) AS c WHERE feature = $1`,
      [part.firstFeature],
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    const w = await watched();
    await w.page.goto(`${site}?${new URLSearchParams({ ds: 'in_vivo', m: part.firstFeature })}`);
    await w.page.waitForSelector('metanexus-explorer[data-state=ready]', { timeout: 60_000 });
    expect(Number(await w.page.locator('[data-result-table]').getAttribute('data-rows'))).toBe(n);
    expect(await w.page.locator('[data-chart] svg [aria-label=bar] rect').count()).toBe(n);
    expect(files(w.requests)).toContain(`${site}data/${part.path}`);
    await done(w);
  });

  test('/yale-university redirects to the explorer under the base', async () => {
    const w = await watched();
    await w.page.goto(`${site}yale-university`);
    await w.page.waitForURL((url) => url.pathname === BASE);
    // With nothing selected there is no chart, but the data engine (worker and wasm) starts all the same.
    await w.page.waitForSelector('metanexus-explorer[data-engine=ready][data-renders]', { timeout: 60_000 });
    await done(w);
  });

  test('an unknown path under the base gets the 404 page, its links and assets under the base', async () => {
    const w = await watched();
    const missing = `${site}no/such/page`;
    const response = await w.page.goto(missing);
    expect(response!.status()).toBe(404);
    expect(await w.page.locator('h1').textContent()).toMatch(/not found/i);
    const links = await w.page.$$eval('main a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([BASE, `${BASE}bacteria/`]);
    await done(w, [`${missing}: HTTP 404`]);
  });
});
