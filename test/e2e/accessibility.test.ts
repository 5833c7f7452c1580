import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, default as Axe } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/manifest.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';
import { sourceBusiestCompared, sourceCells } from '../helpers/source-sql.ts';

// axe-core on every kind of page of the built site, in Chromium, with data drawn: no violation of any rule it runs
// by default (WCAG 2 A and AA, and its best practices). Then the links drawn on the charts' marks, followed.
let db: TestDatabase;
let server: SiteUnderTest;
let manifest: Manifest;
let axeSource: string;

const cells = sourceCells('in_vivo');

let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('a11y');
  ({ db, server, manifest } = demo);
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

/** Opens a path of the site; the explorer's pages are waited for until their first render has drawn. */
async function open(path: string, { explorer = true } = {}): Promise<{ page: Page; csp: string[] }> {
  const page = await server.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const csp: string[] = [];
  await page.exposeFunction('reportCsp', (v: string) => csp.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCsp(v: string): void }).reportCsp(`${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  await page.goto(new URL(path, server.url).href);
  if (explorer) await rendered(page);
  return { page, csp };
}

/** Waits until the explorer has rendered and its chart is no longer busy. */
async function rendered(page: Page): Promise<void> {
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-chart]')?.getAttribute('aria-busy') !== 'true');
}

/**
 * Runs axe-core in the page. The site's Content-Security-Policy allows no inline script, so addScriptTag's
 * <script> would be refused; page.evaluate runs the source through the DevTools protocol, which the policy does not
 * govern, and axe itself needs no eval. The test checks that no policy violation was reported while it ran.
 */
async function axe(page: Page): Promise<AxeResults> {
  await page.evaluate(axeSource);
  return (await page.evaluate(() => (window as unknown as { axe: typeof Axe }).axe.run(document))) as AxeResults;
}

/** The violations in words: rule, impact, and the first elements that fail it. */
const described = (results: AxeResults) =>
  results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));

/** Whether a page is the explorer (waited for until drawn), and whether it has a chart to check for. */
interface Where {
  explorer?: boolean;
  chart?: boolean;
}

async function expectNoViolation(path: string, { explorer = true, chart = explorer }: Where = {}): Promise<void> {
  const { page, csp } = await open(path, { explorer });
  if (chart) expect(await page.locator('[data-chart] svg').count(), `a chart drawn at ${path}`).toBeGreaterThan(0);
  const results = await axe(page);
  expect(described(results), path).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(0);
  expect(csp, 'Content-Security-Policy violations').toEqual([]);
  await page.close();
}

const inVivo = () => manifest.datasets.find((d) => d.id === 'in_vivo')!;

/** A feature with many measured bacteria. */
async function busyFeature(): Promise<string> {
  const [row] = await db.query<{ feature: string }>(
    `SELECT feature FROM (${cells}) AS c GROUP BY feature ORDER BY count(*) DESC, feature COLLATE "C" LIMIT 1`,
  );
  return row!.feature;
}

/** A heatmap permalink of three bacteria and four features. */
async function heatmapSearch(): Promise<{ search: string; bacteria: string[]; features: string[] }> {
  const d = inVivo();
  const bacteria = [d.bacteria[7]!.id, d.bacteria[2]!.id, d.bacteria[40]!.id];
  const features = (await db.query<{ name: string }>(`SELECT name FROM in_vivo ORDER BY md5(name) LIMIT 4`)).map(
    (r) => r.name,
  );
  const search = new URLSearchParams({ ds: 'in_vivo', view: 'network' });
  for (const b of bacteria) search.append('nb', b);
  for (const f of features) search.append('nm', f);
  return { search: `?${search}`, bacteria, features };
}

describe('axe-core finds no violation', () => {
  test('explorer, Landscape of a metabolite (bars)', async () => {
    await expectNoViolation(landscapeSearch('in_vivo', { metabolite: await busyFeature() }));
  });

  test('explorer, Landscape of a bacterium: All (the curve) and Top 10 (bars)', async () => {
    const search = landscapeSearch('in_vivo', { bacterium: inVivo().bacteria[3]!.id });
    await expectNoViolation(search);
    await expectNoViolation(`${search}&show=top`);
  });

  test('explorer, interaction network (heatmap)', async () => {
    await expectNoViolation((await heatmapSearch()).search);
  });

  test('explorer, co-occurrence (dots)', async () => {
    const search = new URLSearchParams({ ds: 'in_vivo', view: 'cooccurrence', mode: 'any' });
    for (const b of inVivo().bacteria.slice(5, 8)) search.append('cb', b.id);
    await expectNoViolation(`?${search}`);
  });

  test('explorer, overview (cells as one image, bacterium links), all types and one type', async () => {
    await expectNoViolation('?ds=in_vivo&view=overview');
    await expectNoViolation('?ds=in_vivo&view=overview&type=by_positive');
  });

  test('explorer, in vitro vs in vivo (scatter)', async () => {
    const [busiest] = await db.query<{ bacterium: string }>(
      `${sourceBusiestCompared({ table: 'gmm_test_1', typed: false }, { table: 'in_vivo', typed: true })} LIMIT 1`,
    );
    await expectNoViolation(`?${new URLSearchParams({ ds: 'in_vitro', view: 'compare', xb: busiest!.bacterium })}`);
  });

  test('a bacterium page, the bacteria index, the 404 page and the About page', async () => {
    const { page } = await open('bacteria/', { explorer: false });
    const href = await page.locator('a[href*="/bacteria/in_vivo/"]').first().getAttribute('href');
    await page.close();
    await expectNoViolation(href!, { explorer: false, chart: false });
    await expectNoViolation('bacteria/', { explorer: false });
    await expectNoViolation('no/such/page', { explorer: false });
    await expectNoViolation('about/', { explorer: false, chart: false });
  });
});

describe('links drawn on the marks', () => {
  test('a heatmap cell leads to the Landscape of its metabolite, by its permalink, with its bars', async () => {
    const { search, bacteria } = await heatmapSearch();
    const { page } = await open(search);
    const bacterium = inVivo().bacteria.find((b) => b.id === bacteria[1])!;
    // A measured cell of the second bacterium: its metabolite has at least that bacterium's bar.
    const link = page
      .locator(`[data-chart] a[aria-label^="${bacterium.name}, "]:not([aria-label$="not measured"])`)
      .first();
    const feature = await link.evaluate((a) => new URL(a.getAttribute('href')!, location.href).searchParams.get('m'));
    expect(feature).toBeTruthy();
    await link.click();
    await page.waitForURL((url) => url.searchParams.get('m') === feature);
    await rendered(page);
    expect(new URL(page.url()).search).toBe(landscapeSearch('in_vivo', { metabolite: feature! }));
    const expected = await db.query<{ bacterium: string; value: number }>(
      `SELECT bacterium, value FROM (${cells}) AS c WHERE feature = $1 ORDER BY value DESC, bacterium COLLATE "C"`,
      [feature],
    );
    const rows = await page.$$eval('[data-result-table] tbody tr', (trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.bacterium, Number((tr as HTMLElement).dataset.value)]),
    );
    // The table shows its first page; the chart draws a bar for every bacterium with a value.
    expect(rows).toEqual(expected.slice(0, rows.length).map((r) => [r.bacterium, r.value]));
    expect(rows.length).toBe(Math.min(expected.length, 100));
    expect(expected.map((r) => r.bacterium)).toContain(bacterium.id);
    expect(await page.locator('[data-chart] g[aria-label=bar] rect').count()).toBe(expected.length);
    await page.close();
  });
});
