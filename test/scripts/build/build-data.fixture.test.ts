import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { buildInto, readParquet } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

// Every expected value below is worked out by hand from test/data/fixture.sql.
let db: TestDatabase;
let out: string;
let manifest: Manifest;
let warnings: string[];

const dataset = (id: string) => manifest.datasets.find((d) => d.id === id)!;
const file = (path: string) => join(out, path);

beforeAll(async () => {
  db = await createTestDatabase('fixture');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  ({
    out,
    manifest,
    report: { warnings },
  } = await buildInto(db.url).then((r) => ({ ...r, report: r.report })));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('features', () => {
  test('labels fall back to the name; types come from "Type" or the literal name suffix', async () => {
    const vivo = await readParquet(
      file(dataset('vivo').files.features.path),
      'SELECT name, label, type, n_values FROM t',
    );
    expect(vivo).toEqual([
      { name: 'M100T10_NEG', label: 'M100T10_NEG', type: 'by_negative', n_values: 3 },
      { name: 'M200T20_POS', label: 'butyrate', type: 'by_positive', n_values: 3 },
      { name: 'M300T30_NEG', label: 'M300T30_NEG', type: 'by_negative', n_values: 0 },
      { name: 'M400T40_POS', label: 'butyrate', type: 'by_positive', n_values: 4 },
      { name: 'X_ANNOT', label: 'indole', type: 'by_name', n_values: 1 },
    ]);
    const vitro = await readParquet(file(dataset('vitro').files.features.path), 'SELECT name, label, type FROM t');
    expect(vitro).toEqual([
      { name: 'M1T1_POS', label: 'M1T1_POS', type: 'by_positive' },
      { name: 'M2T2_NEG', label: 'M2T2_NEG', type: 'by_negative' },
      // Lower-case suffix and "XPOS" (no underscore) are not _POS: the match is literal.
      { name: 'M3T3_pos', label: 'M3T3_pos', type: 'by_name' },
      { name: 'M4T4XPOS', label: 'M4T4XPOS', type: 'by_name' },
      { name: 'indole', label: 'indole', type: 'by_name' },
    ]);
  });

  test('counts in the manifest', () => {
    expect(dataset('vivo').counts).toEqual({
      features: 5,
      bacteria: 4,
      values: 11,
      byType: { by_name: 1, by_positive: 2, by_negative: 2 },
    });
    expect(dataset('vitro').counts).toEqual({
      features: 5,
      bacteria: 12,
      values: 16,
      byType: { by_name: 3, by_positive: 1, by_negative: 1 },
    });
  });
});

describe('bacteria', () => {
  test('numeric columns only, odd names kept verbatim, display names with spaces', async () => {
    const rows = await readParquet(file(dataset('vivo').files.bacteria.path), 'SELECT id, name, n_values FROM t');
    expect(rows).toEqual([
      { id: 'A_one', name: 'A one', n_values: 3 },
      { id: 'B_two', name: 'B two', n_values: 3 },
      { id: 'C.three', name: 'C.three', n_values: 2 },
      { id: 'D "odd"; name', name: 'D "odd"; name', n_values: 3 },
    ]);
    expect(dataset('vitro').bacteria.map((b) => b.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`),
    );
    expect(warnings.some((w) => w.includes('"notes"') && w.includes('not numeric'))).toBe(true);
  });

  test('each shard holds one bacterium sorted by value descending, ties by feature id', async () => {
    const shard = async (id: string) => {
      const b = dataset('vivo').bacteria.find((x) => x.id === id)!;
      return readParquet(file(b.file.path), 'SELECT feature, value FROM t');
    };
    expect(await shard('A_one')).toEqual([
      { feature: 'M400T40_POS', value: 5 },
      { feature: 'M100T10_NEG', value: 1.5 },
      { feature: 'X_ANNOT', value: -1 },
    ]);
    expect(await shard('D "odd"; name')).toEqual([
      { feature: 'M200T20_POS', value: 3 },
      { feature: 'M400T40_POS', value: 2 },
      { feature: 'M100T10_NEG', value: -2 },
    ]);
  });
});

describe('values', () => {
  test('long format, non-NULL cells only, sorted by feature then bacterium', async () => {
    const rows = await readParquet(
      file(dataset('vivo').files.values[0]!.path),
      'SELECT feature, bacterium, value FROM t',
    );
    expect(rows).toEqual([
      { feature: 'M100T10_NEG', bacterium: 'A_one', value: 1.5 },
      { feature: 'M100T10_NEG', bacterium: 'B_two', value: 1.5 },
      { feature: 'M100T10_NEG', bacterium: 'D "odd"; name', value: -2 },
      { feature: 'M200T20_POS', bacterium: 'B_two', value: 3 },
      { feature: 'M200T20_POS', bacterium: 'C.three', value: 0 },
      { feature: 'M200T20_POS', bacterium: 'D "odd"; name', value: 3 },
      { feature: 'M400T40_POS', bacterium: 'A_one', value: 5 },
      { feature: 'M400T40_POS', bacterium: 'B_two', value: 4 },
      { feature: 'M400T40_POS', bacterium: 'C.three', value: 3 },
      { feature: 'M400T40_POS', bacterium: 'D "odd"; name', value: 2 },
      { feature: 'X_ANNOT', bacterium: 'A_one', value: -1 },
    ]);
  });
});

describe('top producers', () => {
  test('positive values only, ranked per feature with ties broken by bacterium id', async () => {
    const rows = await readParquet(
      file(dataset('vivo').files.topProducers[0]!.path),
      'SELECT feature, bacterium, rank FROM t',
    );
    const byFeature = (f: string) =>
      rows.filter((r) => r.feature === f).sort((a, b) => Number(a.rank) - Number(b.rank));
    expect(byFeature('M100T10_NEG').map((r) => [r.bacterium, r.rank])).toEqual([
      ['A_one', 1],
      ['B_two', 2],
    ]);
    // C.three has 0 there: not a producer.
    expect(byFeature('M200T20_POS').map((r) => [r.bacterium, r.rank])).toEqual([
      ['B_two', 1],
      ['D "odd"; name', 2],
    ]);
    expect(byFeature('M400T40_POS').map((r) => r.bacterium)).toEqual(['A_one', 'B_two', 'C.three', 'D "odd"; name']);
    expect(byFeature('X_ANNOT')).toEqual([]);
  });

  test('at most 10 per feature: of 12 equal producers, the first 10 ids', async () => {
    const rows = await readParquet(
      file(dataset('vitro').files.topProducers[0]!.path),
      `SELECT bacterium, rank FROM t WHERE feature = 'M1T1_POS' ORDER BY rank`,
    );
    expect(rows.map((r) => r.bacterium)).toEqual([
      'S01',
      'S02',
      'S03',
      'S04',
      'S05',
      'S06',
      'S07',
      'S08',
      'S09',
      'S10',
    ]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
