import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/manifest.ts';
import { bacteriumPages } from '../../src/lib/site-data.ts';
import { quoteIdent, quoteLiteral } from '../../src/lib/sql/quote.ts';
import { readParquet } from '../helpers/build.ts';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';
import { sourceCells } from '../helpers/source-sql.ts';

// The data itself, in Chromium: the explorer's Parquet of a selection against its CSV and SQL on the source, a
// bacterium's full profile against SQL, and the About page's list of the build's downloads against the files served.
let db: TestDatabase;
let server: SiteUnderTest;
let browser: Browser;
let manifest: Manifest;
let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('downloads');
  ({ db, server, manifest } = demo);
  browser = server.browser;
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

const vivo = () => manifest.datasets.find((d) => d.id === 'in_vivo')!;
const busiest = () => [...vivo().bacteria].sort((a, b) => b.values - a.values)[0]!;

/** Clicks `selector` and returns the file the page saves. */
async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = (await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)])) as [
    Download,
    unknown,
  ];
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

/** The rows of a CSV file, numbers as numbers and empty fields as null. */
const csvRows = (bytes: Buffer) =>
  Papa.parse<Record<string, string | number | null>>(bytes.toString('utf8'), {
    header: true,
    skipEmptyLines: true,
    dynamicTyping: true,
  }).data.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v])));

/** The rows of a Parquet file, read by DuckDB. */
async function parquetRows(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const path = join(await mkdtemp(join(tmpdir(), 'metanexus-download-')), 'x.parquet');
  await writeFile(path, bytes);
  return readParquet(path);
}

describe('the explorer saves its table as Parquet too', () => {
  const b = () => busiest();
  test.each([
    [
      'every feature of a bacterium',
      () => `?ds=in_vivo&b=${encodeURIComponent(b().id)}&show=all`,
      () => `SELECT ${quoteLiteral(b().id)} AS bacterium, c.feature,
                    coalesce(nullif(trim(t.metabolite), ''), t.name) AS label, t."Type" AS type, c.value
               FROM (${sourceCells('in_vivo')}) AS c JOIN in_vivo AS t ON t.name = c.feature
              WHERE c.bacterium = ${quoteLiteral(b().id)}
              ORDER BY c.value DESC, c.feature COLLATE "C"`,
    ],
    [
      'the top bacteria of a metabolite',
      () => `?ds=in_vivo&m=${encodeURIComponent(vivo().files.values[0]!.firstFeature)}`,
      () => `SELECT feature, bacterium, value FROM (${sourceCells('in_vivo')}) AS c
              WHERE feature = ${quoteLiteral(vivo().files.values[0]!.firstFeature)}
              ORDER BY value DESC, bacterium COLLATE "C"`,
    ],
  ])('%s: the same rows as the CSV and the SQL answer, named alike', async (_what, search, sql) => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${server.url}${search()}`);
    await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
    const csv = await download(page, '[data-action=download]');
    const parquet = await download(page, '[data-action=download-parquet]');
    expect(csv.name).toMatch(new RegExp(`^metanexus-in_vivo-landscape-.*-${manifest.dataVersion}\\.csv$`));
    expect(parquet.name).toBe(csv.name.replace(/\.csv$/, '.parquet'));

    const fromCsv = csvRows(csv.bytes);
    const fromParquet = await parquetRows(parquet.bytes);
    expect(fromParquet).toEqual(fromCsv);
    const expected = await db.query(sql());
    expect(fromCsv.length).toBeGreaterThan(2);
    // The metabolite's Top N keeps the first N of the SQL order.
    expect(fromCsv).toEqual(expected.slice(0, fromCsv.length));
    await page.close();
  });
});

test("a bacterium's page saves its full profile as CSV, equal to the SQL answer", async () => {
  const { bacterium, slug } = bacteriumPages(manifest).find(
    (p) => p.dataset.id === 'in_vivo' && p.bacterium.id === busiest().id,
  )!;
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${server.url}bacteria/in_vivo/${slug}/`);
  const file = await download(page, '[data-profile-download]');
  expect(file.name).toBe(`metanexus-in_vivo-${slug}-profile-${manifest.dataVersion}.csv`);
  const id = quoteIdent(bacterium.id);
  const expected = await db.query(
    `SELECT name AS feature, coalesce(nullif(trim(metabolite), ''), name) AS label, "Type" AS type, mz, rt,
            ${id} AS value
       FROM in_vivo WHERE ${id} IS NOT NULL ORDER BY ${id} DESC, name COLLATE "C"`,
  );
  expect(expected.length).toBe(bacterium.values);
  expect(csvRows(file.bytes)).toEqual(expected);
  await page.close();
});

test('the About page lists every download with its size, and each link serves those bytes', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}about/`);
  for (const d of manifest.datasets) {
    const rows = await page.$$eval(`#downloads table[data-dataset=${d.id}] tbody tr`, (trs) =>
      trs.map((tr) => ({
        href: tr.querySelector('a')!.getAttribute('href')!,
        name: tr.querySelector('a')!.textContent!.trim(),
        size: tr.querySelector('td:last-child')!.textContent!.trim(),
      })),
    );
    const files = [...d.downloads!.parts, d.downloads!.about];
    expect(rows.map((r) => r.href)).toEqual(files.map((f) => `/data/${f.path}`));
    for (const [i, row] of rows.entries()) {
      const file = files[i]!;
      expect(row.name).toContain(`metanexus-${d.id}-${manifest.dataVersion}`);
      // The size as shown, back in bytes, is the file's to its rounding (a tenth of its unit).
      const [, number, unit] = /^([\d,.]+) (B|KiB|MiB)$/.exec(row.size)!;
      const scale = { B: 1, KiB: 1024, MiB: 1024 ** 2 }[unit as 'B' | 'KiB' | 'MiB'];
      expect(Math.abs(Number(number!.replaceAll(',', '')) * scale - file.bytes)).toBeLessThanOrEqual(0.05 * scale);
      const response = await fetch(new URL(row.href, server.url));
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(file.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    // The Parquet parts hold every measured cell of the source.
    const [{ n }] = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${sourceCells(d.id === 'in_vivo' ? 'in_vivo' : 'gmm_test_1')}) AS c`,
    )) as [{ n: number }];
    const parquet = d.downloads!.parts.filter((p) => p.format === 'parquet');
    expect(parquet.reduce((sum, p) => sum + p.rows, 0)).toBe(n);
  }
  await page.close();
});
