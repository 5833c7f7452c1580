import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { binsPerType } from '../../../scripts/build/overview-layout.ts';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import type { OverviewCell } from '../../../src/lib/sql/overview.ts';
import { buildInto, readParquet } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../../helpers/postgres.ts';
import { sourceOverviewBin } from '../../helpers/source-sql.ts';

// The overview's bins against the same bins computed by PostgreSQL on the source table alone.
const CONFIG = { datasets: [{ id: 'in_vivo', title: 'In Vivo', table: 'in_vivo', schema: 'public' }] };

let db: TestDatabase;
let out: string;
let manifest: Manifest;
let cells: OverviewCell[];

beforeAll(async () => {
  db = await createTestDatabase('overview');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.02 }));
  ({ out, manifest } = await buildInto(db.url, { config: CONFIG }));
  const file = join(out, manifest.datasets[0]!.files.overview.path);
  cells = await readParquet<OverviewCell>(file, 'SELECT * FROM t ORDER BY bin, "row"');
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

/** How many features of each type the source has. */
async function typeSizes() {
  const rows = await db.query<{ type: 'by_name' | 'by_positive' | 'by_negative'; n: number }>(
    `SELECT "Type" AS type, count(*)::int AS n FROM in_vivo GROUP BY 1`,
  );
  return { by_name: 0, by_positive: 0, by_negative: 0, ...Object.fromEntries(rows.map((r) => [r.type, r.n])) };
}

test('each type has its share of the bins, and every bin a row per bacterium', async () => {
  const bins = binsPerType(await typeSizes());
  const shown = (type: string) => new Set(cells.filter((c) => c.type === type).map((c) => c.bin)).size;
  expect({ by_name: shown('by_name'), by_positive: shown('by_positive'), by_negative: shown('by_negative') }).toEqual(
    bins,
  );
  const bacteria = manifest.datasets[0]!.bacteria.length;
  expect(cells.length).toBe(Object.values(bins).reduce((a, b) => a + b, 0) * bacteria);
});

test.each([
  ['by_negative', 0.5],
  ['by_positive', 0],
] as const)('a %s bin (at %f of the type) holds the SQL answer of the source', async (type, at) => {
  const typeBins = binsPerType(await typeSizes())[type];
  const index = Math.floor(at * (typeBins - 1));
  const firstOfType = Math.min(...cells.filter((c) => c.type === type).map((c) => c.bin));
  const bin = cells.filter((c) => c.bin === firstOfType + index);
  const expected = await db.query<{
    bacterium: string;
    measured: number;
    mean: number;
    max: number;
    min: number;
    strongest: string;
    strongest_value: number;
    features: number;
    first: string;
    last: string;
  }>(sourceOverviewBin('in_vivo'), [type, typeBins, index]);
  expect(expected.length).toBeGreaterThan(0);
  const e = expected[0]!;
  for (const c of bin) {
    expect([c.features, c.first_feature, c.last_feature]).toEqual([e.features, e.first, e.last]);
  }
  const measured = bin.filter((c) => c.measured > 0).sort((a, b) => (a.bacterium < b.bacterium ? -1 : 1));
  expect(
    measured.map((c) => [c.bacterium, c.measured, c.max_value, c.min_value, c.strongest, c.strongest_value]),
  ).toEqual(expected.map((r) => [r.bacterium, r.measured, r.max, r.min, r.strongest, r.strongest_value]));
  measured.forEach((c, i) => expect(c.mean_value).toBeCloseTo(expected[i]!.mean, 12));
  for (const c of bin.filter((x) => x.measured === 0)) {
    expect([c.mean_value, c.max_value, c.strongest]).toEqual([null, null, null]);
  }
});
