import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/manifest.ts';
import { bacteriumSlugs } from '../../src/lib/slug.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { buildSite, serveSite, type BuiltSite, type SiteUnderTest } from '../helpers/site.ts';

// A site built from test/data/hostile.sql: labels and ids holding HTML, quotes and odd characters.
let db: TestDatabase;
let server: SiteUnderTest;
let browser: Browser;
let site: BuiltSite | undefined;
let manifest: Manifest;

beforeAll(async () => {
  db = await createTestDatabase('hostile_site');
  await db.query(await readFile('test/data/hostile.sql', 'utf8'));
  site = await buildSite(db.url, {
    datasets: [{ id: 'odd', title: 'Odd <b>data</b>', table: 'odd', schema: 'public' }],
  });
  ({ manifest } = site);
  server = await serveSite(site.dist);
  browser = server.browser;
}, 600_000);
afterAll(async () => {
  await server?.close();
  await site?.remove();
  await db?.drop();
  await stopTestServer();
});

test('labels holding HTML are shown as text in the search, the chart and the table, never as markup', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}?ds=odd`);
  await page.waitForSelector('metanexus-explorer[data-renders]');
  await page.locator('#landscape-search').fill('script');
  const option = page.locator('#landscape-matches [role=option][data-name="M1T1_NEG"]');
  await option.waitFor();
  expect(await option.locator('span').textContent()).toBe('<script>alert(1)</script>');
  await page.keyboard.press('Enter');
  await page.waitForSelector('metanexus-explorer[data-state=ready]');
  expect(await page.locator('[data-status]').textContent()).toContain('<script>alert(1)</script> (M1T1_NEG)');
  const names = await page.$$eval('[data-result-table] tbody tr td:first-child', (tds) =>
    tds.map((td) => td.textContent),
  );
  // Ordered by value: select 3, case 5 ... as in hostile.sql, with names shown verbatim.
  expect(new Set(names)).toEqual(new Set(['case', 'Case', 'select', 'ünïcødé', 'semi;colon']));
  expect(await page.locator('[data-chart] script, [data-result-table] script, [role=listbox] script').count()).toBe(0);
  await page.close();
});

test('In vitro vs in vivo, one dataset: a hostile pick is dropped, and the view says why, as text', async () => {
  const page = await browser.newPage();
  const hostile = '<img src=x onerror=alert(1)>';
  await page.goto(`${server.url}?${new URLSearchParams({ ds: 'odd', view: 'compare', xb: hostile })}`);
  await page.waitForSelector('metanexus-explorer[data-state=empty]');
  expect(await page.locator('[data-notices]').textContent()).toBe(`Unknown bacterium "${hostile}" dropped.`);
  expect(await page.locator('[data-status]').textContent()).toBe(
    'The comparison needs two datasets; this site has one (Odd <b>data</b>): nothing to compare.',
  );
  expect(await page.locator('[data-notices] img, [data-status] b, [data-chart] svg').count()).toBe(0);
  await page.close();
});

test('a bacterium page for an odd column name escapes every label', async () => {
  const slugs = bacteriumSlugs(manifest.datasets[0]!.bacteria.map((b) => b.id));
  const html = await readFile(join(site!.dist, 'bacteria', 'odd', slugs.get('semi;colon')!, 'index.html'), 'utf8');
  expect(html).toContain('semi;colon');
  const page = await readFile(join(site!.dist, 'bacteria', 'odd', slugs.get('quote"d')!, 'index.html'), 'utf8');
  expect(page).toContain('quote&quot;d');
  const select = await readFile(join(site!.dist, 'bacteria', 'odd', slugs.get('select')!, 'index.html'), 'utf8');
  expect(select).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(select).not.toContain('<script>alert(1)');
});
