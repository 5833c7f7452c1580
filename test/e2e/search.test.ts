import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stopTestServer, type TestDatabase } from '../helpers/postgres.ts';
import { demoSite, type DemoSite, type SiteUnderTest } from '../helpers/site.ts';

// The metabolite search of the built site in real Chromium, every answer compared with SQL run on the PostgreSQL
// source: the label as the build derives it (the metabolite column, else the name), the type from the "Type" column.
let db: TestDatabase;
let server: SiteUnderTest;
let browser: Browser;

const PPM = 1500;

let demo: DemoSite | undefined;

beforeAll(async () => {
  demo = await demoSite('e2e_search');
  ({ db, server } = demo);
  browser = server.browser;
}, 600_000);
afterAll(async () => {
  await demo?.close();
  await stopTestServer();
});

/** Opens the in vivo landscape and waits for the explorer's first render; page errors fail the test at close. */
async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}?ds=in_vivo`);
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 60_000 });
  return { page, errors };
}

/** Sets the type filter and waits until the explorer has rendered again. */
async function setType(page: Page, type: string): Promise<void> {
  const before = await page.locator('metanexus-explorer').getAttribute('data-renders');
  await page.locator('[data-control=type]').selectOption(type);
  await page.waitForFunction(
    (b) => document.querySelector('metanexus-explorer')?.getAttribute('data-renders') !== b,
    before,
  );
}

/** Types `text` in the landscape search and waits for its status line to change to an answer. */
async function search(page: Page, text: string): Promise<{ status: string; options: Option[] }> {
  await page.locator('#landscape-search').fill(text);
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-search=landscape] [data-search-status]')?.textContent ?? '';
    return status !== '' && document.querySelector('#landscape-search')?.getAttribute('aria-busy') !== 'true';
  });
  const status = (await page.locator('[data-search=landscape] [data-search-status]').textContent())!;
  const options = await page.$$eval('#landscape-matches [role=option]', (els) =>
    els.map((e) => ({
      name: (e as HTMLElement).dataset.name!,
      label: e.querySelector('span')!.textContent!,
      detail: e.querySelector('small')!.textContent!,
    })),
  );
  return { status, options };
}

interface Option {
  name: string;
  label: string;
  detail: string;
}

interface SourceMatch {
  name: string;
  label: string;
  mz: number;
  rt: number | null;
}

/** The m/z window on the source: |mz − target| ≤ target × ppm / 1e6, nearest first, ties by name in byte order. */
function sourceWindow(target: number, ppm: number, type: string | null): Promise<SourceMatch[]> {
  return db.query<SourceMatch>(
    `SELECT name, coalesce(nullif(trim(metabolite), ''), name) AS label, mz, rt FROM in_vivo
      WHERE abs(mz - $1::float8) <= $1::float8 * $2::float8 / 1e6::float8 AND ($3::text IS NULL OR "Type" = $3)
      ORDER BY abs(mz - $1::float8), name COLLATE "C"`,
    [target, ppm, type],
  );
}

/** An m/z as a reader would type it (2 decimals) whose window holds between 3 and 60 features of `type`. */
async function busyTarget(type: string): Promise<number> {
  const candidates = await db.query<{ mz: number }>(
    `SELECT round(mz::numeric, 2)::float8 AS mz FROM in_vivo WHERE "Type" = $1 ORDER BY md5(name) LIMIT 200`,
    [type],
  );
  for (const { mz } of candidates) {
    const n = (await sourceWindow(mz, PPM, type)).length;
    if (n >= 3 && n <= 60) return mz;
  }
  throw new Error('no m/z window of 3 to 60 features in the demo data');
}

const rtWords = (rt: number) => `rt ${Number(rt.toFixed(1)).toLocaleString('en-US')} s`;

describe('m/z search', () => {
  test('returns exactly the SQL window on the source, type filter applied, m/z and rt beside each', async () => {
    const { page, errors } = await open();
    const target = await busyTarget('by_negative');
    for (const type of ['all', 'by_negative']) {
      if (type !== 'all') await setType(page, type);
      const expected = await sourceWindow(target, PPM, type === 'all' ? null : type);
      const { status, options } = await search(page, `${target} ±${PPM} ppm`);
      expect(
        options.map((o) => o.name),
        type,
      ).toEqual(expected.map((r) => r.name));
      const n = expected.length;
      expect(status).toBe(`${n} ${n === 1 ? 'match' : 'matches'} within m/z ${target} ± ${PPM} ppm`);
      for (const [i, o] of options.entries()) {
        const r = expected[i]!;
        expect(o.label).toBe(r.label);
        expect(o.detail).toContain(`m/z ${r.mz.toFixed(4)}`);
        if (r.rt !== null) expect(o.detail).toContain(rtWords(r.rt));
        // The id is printed once: beside the label only when it differs.
        expect(o.detail.includes(r.name)).toBe(r.label !== r.name);
      }
    }
    // Picking a match opens its landscape.
    const first = (await sourceWindow(target, PPM, 'by_negative'))[0]!.name;
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('m') === first);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('other spellings give the SQL window too: ±, +-, a space, Da, a bare m/z at 10 ppm', async () => {
    const { page, errors } = await open();
    // A feature's own m/z, as stored: its 10 ppm window holds at least that feature.
    const [{ mz: target } = { mz: 0 }] = await db.query<{ mz: number }>(
      `SELECT mz FROM in_vivo WHERE "Type" = 'by_positive' ORDER BY md5(name) LIMIT 1`,
    );
    const byPpm = (await sourceWindow(target, 10, null)).map((r) => r.name);
    expect(byPpm.length).toBeGreaterThan(0);
    expect((await search(page, `${target}`)).options.map((o) => o.name)).toEqual(byPpm);
    expect((await search(page, `${target} +-10ppm`)).options.map((o) => o.name)).toEqual(byPpm);
    expect((await search(page, `${target} 10 ppm`)).options.map((o) => o.name)).toEqual(byPpm);
    const da = await db.query<{ name: string }>(
      `SELECT name FROM in_vivo WHERE abs(mz - $1::float8) <= 0.5 ORDER BY abs(mz - $1::float8), name COLLATE "C"`,
      [target],
    );
    const shown = await search(page, `${target} ± 0.5`);
    const n = da.length;
    expect(n).toBeGreaterThan(1);
    expect(shown.options.map((o) => o.name)).toEqual(da.slice(0, 100).map((r) => r.name));
    expect(shown.status).toBe(
      n > 100
        ? `first 100 of ${n.toLocaleString('en-US')} matches within m/z ${target} ± 0.5 Da`
        : `${n} matches within m/z ${target} ± 0.5 Da`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an m/z that cannot be searched says why and lists nothing', async () => {
    const { page, errors } = await open();
    const shown = await search(page, '180.06 ±-5 ppm');
    expect(shown.status).toBe('A tolerance must be a finite number of at least 0');
    expect(shown.options).toEqual([]);
    expect(await page.locator('#landscape-matches').isHidden()).toBe(true);
    expect((await search(page, '1e309')).status).toBe('An m/z must be a finite number above 0');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('text search', () => {
  test('a broad search says "first 100 of N matches", N and the 100 as the SQL on the source gives them', async () => {
    const { page, errors } = await open();
    const term = '_neg';
    const label = `coalesce(nullif(trim(metabolite), ''), name)`;
    const expected = await db.query<{ name: string; total: number }>(
      `SELECT name, (count(*) OVER ())::int AS total FROM in_vivo
        WHERE strpos(lower(${label}), $1) > 0 OR strpos(lower(name), $1) > 0
        ORDER BY CASE WHEN lower(${label}) = $1 OR lower(name) = $1 THEN 0
                      WHEN starts_with(lower(${label}), $1) OR starts_with(lower(name), $1) THEN 1 ELSE 2 END,
                 ${label} COLLATE "C", name COLLATE "C"
        LIMIT 100`,
      [term],
    );
    const total = expected[0]!.total;
    expect(total).toBeGreaterThan(100);
    const shown = await search(page, term.toUpperCase());
    expect(shown.status).toBe(`first 100 of ${total.toLocaleString('en-US')} matches`);
    expect(shown.options.map((o) => o.name)).toEqual(expected.map((r) => r.name));
    // No m/z for a text search, but the retention time beside each match.
    for (const o of shown.options) expect(o.detail).toMatch(/^(?!.*m\/z).* · rt [\d,.]+ s · /);
    expect(errors).toEqual([]);
    await page.close();
  });
});
