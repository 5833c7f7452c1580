import type { Page } from 'playwright-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig, type Config } from '../../scripts/build/config.ts';
import { seedDemo } from '../../scripts/demo/seed.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { quoteIdent } from '../../src/lib/sql/quote.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../helpers/postgres.ts';
import { buildSite, serveSite, type SiteUnderTest } from '../helpers/site.ts';
import { sourceCells } from '../helpers/source-sql.ts';

// The About page of a built site in Chromium: its counts against SQL on the PostgreSQL source, its version and date
// against the manifest, the citation as the configuration sets it (and no citation when it sets none), and every
// view's definitions link against the anchors the page has.
const CITATION = {
  text: 'Doe J, Roe R. Gut bacteria and their metabolites. Journal of Tests 1, 2 (2025).',
  doi: '10.5281/zenodo.1234567',
  contact: 'metanexus@example.org',
};

let db: TestDatabase;
let config: Config;
let cited: { server: SiteUnderTest; manifest: Manifest; remove(): Promise<void> };
let plain: { server: SiteUnderTest; manifest: Manifest; remove(): Promise<void> };

beforeAll(async () => {
  db = await createTestDatabase('about');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.02 }));
  const lab = await loadConfig();
  config = { ...lab, citation: CITATION };
  const withCitation = await buildSite(db.url, config);
  cited = { ...withCitation, server: await serveSite(withCitation.dist) };
  const without = await buildSite(db.url, lab);
  plain = { ...without, server: await serveSite(without.dist) };
}, 900_000);
afterAll(async () => {
  for (const site of [cited, plain]) {
    await site?.server.close();
    await site?.remove();
  }
  await db?.drop();
  await stopTestServer();
});

/** Opens a page of a served site, failing on any page error or request the site could not answer. */
async function open(server: SiteUnderTest, path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await server.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.url()}: HTTP ${r.status()}`);
  });
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status()).toBe(200);
  return { page, problems };
}

/** How each demo table types its features, as the source states it (see docs/design.md). */
const TYPE_OF: Record<string, string> = {
  in_vivo: '"Type"',
  gmm_test_1: `CASE WHEN name LIKE '%\\_POS' THEN 'by_positive' WHEN name LIKE '%\\_NEG' THEN 'by_negative'
    ELSE 'by_name' END`,
};

/** A dataset's counts as PostgreSQL computes them on its source table, formatted as the page prints counts. */
async function sourceCounts(table: string): Promise<Record<string, string>> {
  const t = quoteIdent(table);
  const [features] = await db.query<Record<string, number>>(
    `SELECT count(*)::int AS features,
            count(*) FILTER (WHERE type = 'by_name')::int AS by_name,
            count(*) FILTER (WHERE type = 'by_positive')::int AS by_positive,
            count(*) FILTER (WHERE type = 'by_negative')::int AS by_negative
       FROM (SELECT ${TYPE_OF[table]} AS type FROM ${t}) AS f`,
  );
  const [cells] = await db.query<Record<string, number>>(
    `SELECT count(DISTINCT bacterium)::int AS bacteria, count(*)::int AS values FROM (${sourceCells(table)}) AS c`,
  );
  const all = { ...features!, ...cells! };
  return Object.fromEntries(Object.entries(all).map(([k, n]) => [k, n.toLocaleString('en-US')]));
}

describe('the About page', () => {
  test('states the counts of the build, each equal to SQL on the source', async () => {
    const { page, problems } = await open(cited.server, 'about/');
    const shown = await page.$$eval('#about [data-testid=about-counts] tbody tr', (rows) =>
      rows.map((r) => ({
        dataset: (r as HTMLElement).dataset.dataset!,
        counts: Object.fromEntries(
          [...r.querySelectorAll<HTMLElement>('[data-count]')].map((c) => [c.dataset.count!, c.textContent!.trim()]),
        ),
      })),
    );
    expect(shown.map((s) => s.dataset)).toEqual(config.datasets.map((d) => d.id));
    for (const d of config.datasets) {
      expect(shown.find((s) => s.dataset === d.id)!.counts, d.id).toEqual(await sourceCounts(d.table));
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  test("shows the manifest's data version and build date, each dataset's description and K", async () => {
    const { manifest } = cited;
    const { page, problems } = await open(cited.server, 'about/');
    await expect(page.locator('#about [data-testid=data-version]').textContent()).resolves.toBe(manifest.dataVersion);
    const built = page.locator('#about time');
    await expect(built.getAttribute('datetime')).resolves.toBe(manifest.builtAt);
    await expect(built.textContent()).resolves.toBe(manifest.builtAt.slice(0, 10));
    for (const d of config.datasets) {
      expect(d.description, `${d.id} has a description in metanexus.config.json`).toBeTruthy();
      await expect(page.locator(`#datasets dd[data-dataset=${d.id}]`).textContent()).resolves.toBe(d.description);
    }
    // The rank count comes from the manifest, not from a literal in the page.
    await expect(page.locator('#top-producers-title').textContent()).resolves.toBe(
      `Top-${manifest.topProducerRanks} producers`,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  test('shows the citation, its DOI link and contact when the configuration sets them', async () => {
    const { page, problems } = await open(cited.server, 'about/');
    expect(cited.manifest.citation).toEqual(CITATION);
    await expect(page.locator('[data-testid=citation-text]').textContent()).resolves.toBe(CITATION.text);
    const doi = page.locator('#cite [data-testid=citation-doi]');
    await expect(doi.textContent()).resolves.toBe(CITATION.doi);
    await expect(doi.getAttribute('href')).resolves.toBe(`https://doi.org/${CITATION.doi}`);
    const contact = page.locator('#cite [data-testid=citation-contact]');
    await expect(contact.textContent()).resolves.toBe(CITATION.contact);
    await expect(contact.getAttribute('href')).resolves.toBe(`mailto:${CITATION.contact}`);
    await expect(page.locator('#cite code').textContent()).resolves.toBe(cited.manifest.dataVersion);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('shows no citation when the configuration sets none', async () => {
    expect(plain.manifest.citation).toBeUndefined();
    // The citation is in the fingerprint: setting one publishes the data again.
    expect(plain.manifest.fingerprint).not.toBe(cited.manifest.fingerprint);
    const { page, problems } = await open(plain.server, 'about/');
    await expect(page.locator('#datasets').count()).resolves.toBe(1);
    await expect(page.locator('#cite, [data-testid^=citation], a[href="#cite"]').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  test("each view's definitions link points at a section of the About page", async () => {
    const { page, problems } = await open(cited.server, '');
    const links = await page.$$eval('[data-panel]', (panels) =>
      panels.map((p) => ({
        view: (p as HTMLElement).dataset.panel!,
        text: p.querySelector('[data-definitions]')?.textContent,
        href: (p.querySelector('[data-definitions]') as HTMLAnchorElement | null)?.href,
      })),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const { view, text, href } of links) {
      expect(text, view).toBe('What this view shows');
      const url = new URL(href!);
      expect(`${url.origin}${url.pathname}`, view).toBe(`${cited.server.url}about/`);
      await page.goto(href!);
      const heading = page.locator(`${url.hash} h2`);
      await expect(heading.count(), `${view}: ${url.hash}`).resolves.toBe(1);
      await expect(heading.isVisible()).resolves.toBe(true);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  test('every page links the About page in its navigation', async () => {
    for (const path of ['', 'bacteria/', 'about/']) {
      const { page } = await open(cited.server, path);
      const href = await page.locator('nav[aria-label=Site] a', { hasText: 'About' }).getAttribute('href');
      expect(new URL(href!, page.url()).href, path).toBe(`${cited.server.url}about/`);
      await page.close();
    }
  });
});
