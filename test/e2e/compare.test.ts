import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatCount, formatValue } from '../../src/lib/format.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { landscapeSearch } from '../../src/views/links.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite } from '../helpers/site.ts';
import { sourceBusiestCompared, sourceCells, sourceCorrelations, sourceMatched } from '../helpers/source-sql.ts';

// The In vitro vs in vivo view from a permalink, in Chromium, against PostgreSQL's own matching and correlations on
// the demo's source tables. At 0.2 of the demo's size, enough annotated metabolites are in both for a correlation.
let demo: DemoSite;
let db: TestDatabase;
let manifest: Manifest;

const VITRO = { table: 'gmm_test_1', typed: false };
const VIVO = { table: 'in_vivo', typed: true };

beforeAll(async () => {
  demo = await demoSite('compare', { scale: 0.2 });
  ({ db, manifest } = demo);
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

interface Opened {
  page: Page;
  foreign: string[];
  csp: string[];
}

/** Opens a permalink with other origins blocked and CSP violations recorded; waits for the first render. */
async function open(search: string): Promise<Opened> {
  const origin = new URL(demo.server.url).origin;
  const page = await demo.server.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const foreign: string[] = [];
  const csp: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await page.exposeFunction('reportCsp', (v: string) => csp.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCsp(v: string): void }).reportCsp(`${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  await page.goto(`${demo.server.url}${search}`);
  await rendered(page);
  return { page, foreign, csp };
}

async function rendered(page: Page): Promise<void> {
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-chart]')?.getAttribute('aria-busy') !== 'true');
}

async function closed({ page, foreign, csp }: Opened): Promise<void> {
  await page.close();
  expect(foreign, 'requests to other origins').toEqual([]);
  expect(csp, 'Content-Security-Policy violations').toEqual([]);
}

const permalink = (ds: string, bacterium: string) => `?${new URLSearchParams({ ds, view: 'compare', xb: bacterium })}`;

/** The bacterium (same id in both tables, as in the demo) with the most matched metabolites measured in both. */
async function busiest(): Promise<string> {
  const [row] = await db.query<{ bacterium: string }>(`${sourceBusiestCompared(VITRO, VIVO)} LIMIT 1`);
  return row!.bacterium;
}

describe('In vitro vs in vivo', () => {
  test('a permalink shows the matched count and PostgreSQL’s correlations; links lead to Landscapes', async () => {
    const id = await busiest();
    const [{ matched }] = (await db.query<{ matched: number }>(
      `SELECT count(*)::int AS matched FROM (${sourceMatched(VITRO, VIVO)}) AS m`,
    )) as [{ matched: number }];
    const [want] = await db.query<{ n: number; pearson: number; spearman: number }>(sourceCorrelations(VITRO, VIVO), [
      id,
      id,
    ]);
    expect(want!.n).toBeGreaterThanOrEqual(3);
    const name = manifest.datasets[0]!.bacteria.find((b) => b.id === id)!.name;

    const opened = await open(permalink('in_vitro', id));
    const { page } = opened;
    const text = await page.locator('[data-status]').textContent();
    expect(text).toContain(`${formatCount(matched)} annotated metabolites matched by name in In Vitro and In Vivo`);
    expect(text).toContain(`${name} has a value in both for ${formatCount(want!.n)}:`);
    expect(text).toContain(`Spearman ρ = ${formatValue(want!.spearman)}`);
    expect(text).toContain(`Pearson r = ${formatValue(want!.pearson)}`);
    const points = page.locator('[data-chart] a');
    expect(await points.count()).toBe(want!.n);

    // A table row offers the Landscape of its metabolite in each dataset.
    const row = page.locator('[data-result-table] tbody tr').first();
    const featureY = await row.getAttribute('data-feature-y');
    const featureX = await row.getAttribute('data-feature-x');
    const hrefs = await row
      .locator('a')
      .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).search));
    expect(hrefs).toEqual([
      landscapeSearch('in_vitro', { metabolite: featureX! }),
      landscapeSearch('in_vivo', { metabolite: featureY! }),
    ]);

    // A dot leads to the Landscape of its metabolite in the open tab's dataset, with that metabolite's bars.
    // A real click at the centre of a dot that no other dot covers there (dots near 0 overlap); its tip, drawn on
    // hover and pinned on the press, must not take the release.
    let point = points.first();
    let at: [number, number] = [0, 0];
    for (let i = 0; i < (await points.count()); i++) {
      const candidate = points.nth(i);
      await candidate.scrollIntoViewIfNeeded();
      const box = (await candidate.boundingBox())!;
      const centre: [number, number] = [box.x + box.width / 2, box.y + box.height / 2];
      if (await candidate.evaluate((a, [x, y]) => a.contains(document.elementFromPoint(x, y)), centre)) {
        [point, at] = [candidate, centre];
        break;
      }
    }
    expect(at).not.toEqual([0, 0]);
    const feature = await point.evaluate((a) => new URL(a.getAttribute('href')!, location.href).searchParams.get('m'));
    const [pair] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${sourceMatched(VITRO, VIVO)}) AS m WHERE m.feature_x = $1`,
      [feature],
    );
    expect(pair!.n).toBe(1);
    await page.mouse.click(...at);
    await page.waitForURL((url) => url.searchParams.get('m') === feature);
    await rendered(page);
    expect(new URL(page.url()).search).toBe(landscapeSearch('in_vitro', { metabolite: feature! }));
    const [bars] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${sourceCells(VITRO.table)}) AS c WHERE feature = $1`,
      [feature],
    );
    expect(await page.locator('[data-chart] g[aria-label=bar] rect').count()).toBe(bars!.n);
    await closed(opened);
  });

  test('from the In Vivo tab, the same pick draws the same count and its dots lead to In Vivo', async () => {
    const id = await busiest();
    const [want] = await db.query<{ n: number }>(sourceCorrelations(VITRO, VIVO), [id, id]);
    const opened = await open(permalink('in_vivo', id));
    const hrefs = await opened.page
      .locator('[data-chart] a')
      .evaluateAll((as) => as.map((a) => new URL((a as SVGAElement).getAttribute('href')!, location.href)));
    expect(hrefs.length).toBe(want!.n);
    for (const url of hrefs) expect(url.searchParams.get('ds')).toBe('in_vivo');
    await closed(opened);
  });

  test('a bacterium of one dataset only: the view says why in words, with no chart', async () => {
    const only = manifest.comparison!.unmatched.in_vivo![0]!;
    const name = manifest.datasets.find((d) => d.id === 'in_vivo')!.bacteria.find((b) => b.id === only)!.name;
    const opened = await open(permalink('in_vitro', only));
    expect(await opened.page.locator('metanexus-explorer').getAttribute('data-state')).toBe('empty');
    expect(await opened.page.locator('[data-status]').textContent()).toBe(
      `${name} is in In Vivo only: no bacterium of In Vitro matches it (by id, or by the map of the configuration), ` +
        'so there is nothing to compare. The bacteria of one dataset only are listed under the picker.',
    );
    expect(await opened.page.locator('[data-chart] svg').count()).toBe(0);
    expect(await opened.page.locator('[data-unmatched-dataset=in_vivo]').textContent()).toContain(name);
    await closed(opened);
  });
});
