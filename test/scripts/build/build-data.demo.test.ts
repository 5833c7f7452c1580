import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuck, queryRows } from '../../../scripts/build/duck.ts';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import { manifestFiles, type Manifest } from '../../../src/lib/manifest.ts';
import { quoteIdent, quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { parquetSource } from '../../../src/lib/sql/sources.ts';
import { buildInto, readParquet } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../../helpers/postgres.ts';
import { sourceCells, sourceTopProducers } from '../../helpers/source-sql.ts';
import { openWasm } from '../../helpers/wasm.ts';

// The whole pipeline on the demo generator at small scale, every output checked against SQL run on the source.
const CONFIG = {
  datasets: [
    { id: 'in_vitro', title: 'In Vitro', table: 'gmm_test_1', schema: 'public' },
    { id: 'in_vivo', title: 'In Vivo', table: 'in_vivo', schema: 'public' },
  ],
};
const NOW = new Date('2026-01-02T03:04:05Z');
const PARTS = { valuesPartRows: 5_000, topProducerPartRows: 2_000 };

let db: TestDatabase;
let out: string;
let manifest: Manifest;

const dataset = (id: string) => manifest.datasets.find((d) => d.id === id)!;
const tableOf = (id: string) => CONFIG.datasets.find((d) => d.id === id)!.table;

beforeAll(async () => {
  db = await createTestDatabase('demo');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.02 }));
  // Small values and top-producers parts, so the splits at feature and bacterium boundaries are exercised here.
  ({ out, manifest } = await buildInto(db.url, { config: CONFIG, now: NOW, ...PARTS }));
});
/**
 * The rows of parts cut at `key` boundaries and listed in key order, concatenated (so sorted), after checking that
 * there are several, each under `maxRows`, and that each records its first key, which the browser uses to pick the
 * part holding a key.
 */
async function readParts(parts: { path: string; rows: number; first: string }[], key: string, maxRows: number) {
  expect(parts.length).toBeGreaterThan(1);
  for (const part of parts) {
    expect(part.rows).toBeLessThan(maxRows);
    const [first] = await readParquet<{ k: string }>(join(out, part.path), `SELECT min(${key}) AS k FROM t`);
    expect(part.first).toBe(first!.k);
  }
  return (await Promise.all(parts.map((part) => readParquet(join(out, part.path))))).flat();
}

afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe.each(['in_vitro', 'in_vivo'])('%s against the source', (id) => {
  // A feature's type and label on the source: in vitro has neither column, so both follow from the name.
  const typeExpr =
    id === 'in_vivo'
      ? '"Type"'
      : `CASE WHEN right(name, 4) = '_POS' THEN 'by_positive'
              WHEN right(name, 4) = '_NEG' THEN 'by_negative' ELSE 'by_name' END`;
  const label = id === 'in_vivo' ? `coalesce(nullif(trim(metabolite), ''), name)` : 'name';

  test('features per type', async () => {
    const table = tableOf(id);
    const rows = await db.query<{ type: string; n: number }>(
      `SELECT ${typeExpr} AS type, count(*)::int AS n FROM ${quoteIdent(table)} GROUP BY 1`,
    );
    const expected = Object.fromEntries(rows.map((r) => [r.type, r.n]));
    expect(dataset(id).counts.byType).toEqual({ by_name: 0, by_positive: 0, by_negative: 0, ...expected });
    const [total] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`);
    expect(dataset(id).counts.features).toBe(total!.n);
  });

  test('labels: metabolite when present, else name', async () => {
    const table = tableOf(id);
    const expected = await db.query<{ name: string; label: string }>(
      `SELECT name, ${label} AS label FROM ${quoteIdent(table)} ORDER BY name COLLATE "C"`,
    );
    const actual = await readParquet(
      join(out, dataset(id).files.features.path),
      'SELECT name, label FROM t ORDER BY name',
    );
    expect(actual).toEqual(expected);
  });

  test('every non-NULL cell, and no other, is in the values file', async () => {
    const expected = await db.query(
      `SELECT * FROM (${sourceCells(tableOf(id))}) AS c ORDER BY feature COLLATE "C", bacterium COLLATE "C"`,
    );
    const parts = dataset(id).files.values.map((p) => ({ ...p, first: p.firstFeature }));
    // A part passes its size by less than one feature's values, at most one per bacterium.
    const actual = await readParts(parts, 'feature', PARTS.valuesPartRows + dataset(id).counts.bacteria);
    expect(actual.length).toBe(dataset(id).counts.values);
    expect(actual).toEqual(expected);
  });

  test('top-10 producers per feature as a window function over the source ranks them; type, label', async () => {
    // The label is NULL where it is the feature id.
    const expected = await db.query(
      `SELECT t.bacterium, t.feature, nullif(${label}, s.name) AS label, ${typeExpr} AS type, t.rank, t.value
         FROM (${sourceTopProducers(tableOf(id))}) AS t JOIN ${quoteIdent(tableOf(id))} AS s ON s.name = t.feature
        ORDER BY t.bacterium COLLATE "C", t.feature COLLATE "C"`,
    );
    expect(expected.some((r) => r.label !== null)).toBe(id === 'in_vivo');
    const parts = dataset(id).files.topProducers.map((p) => ({ ...p, first: p.firstBacterium }));
    // A part passes its size by less than one bacterium's rows, at most one per feature.
    const actual = await readParts(parts, 'bacterium', PARTS.topProducerPartRows + dataset(id).counts.features);
    expect(actual).toEqual(expected);
  });

  test('bacterium shards hold that column sorted by value, ties by feature id', async () => {
    const d = dataset(id);
    expect(d.bacteria.length).toBeGreaterThan(100);
    for (const b of [d.bacteria[0]!, d.bacteria[Math.floor(d.bacteria.length / 2)]!, d.bacteria.at(-1)!]) {
      const expected = await db.query(
        `SELECT name AS feature, ${quoteIdent(b.id)} AS value FROM ${quoteIdent(tableOf(id))}
          WHERE ${quoteIdent(b.id)} IS NOT NULL ORDER BY ${quoteIdent(b.id)} DESC, name COLLATE "C"`,
      );
      const actual = await readParquet(join(out, b.file.path), 'SELECT feature, value FROM t');
      expect(actual).toEqual(expected);
      // The precomputed Bottom ranks: value ascending, ties by feature id in byte order.
      const bottom = await readParquet(
        join(out, b.file.path),
        'SELECT feature, value FROM t WHERE rank_asc <= 5 ORDER BY rank_asc',
      );
      const lowest = await db.query(
        `SELECT name AS feature, ${quoteIdent(b.id)} AS value FROM ${quoteIdent(tableOf(id))}
          WHERE ${quoteIdent(b.id)} IS NOT NULL ORDER BY ${quoteIdent(b.id)} ASC, name COLLATE "C" LIMIT 5`,
      );
      expect(bottom).toEqual(lowest);
      expect(b.values).toBe(expected.length);
    }
  });
});

test('duckdb-wasm 1.28.0, the browser engine, reads every file with the recorded row counts', async () => {
  const wasm = await openWasm();
  try {
    expect(wasm.version).toBe('v0.9.1');
    // The downloads' CSV and JSON are not for the browser (test/scripts/build/downloads.test.ts reads them).
    for (const file of manifestFiles(manifest).filter((f) => f.path.endsWith('.parquet'))) {
      const [row] = wasm.query<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM read_parquet(${quoteLiteral(join(out, file.path))})`,
      );
      expect(row!.n, file.path).toBe(file.rows);
    }
    const [sum] = wasm.query<{ s: number }>(
      `SELECT sum(value) AS s FROM ${parquetSource(dataset('in_vivo').files.values.map((f) => join(out, f.path)))}`,
    );
    const [expected] = await db.query<{ s: number }>(`SELECT sum(value) AS s FROM (${sourceCells('in_vivo')}) AS c`);
    expect(sum!.s).toBeCloseTo(expected!.s, 6);
  } finally {
    wasm.close();
  }
});

test('every file the explorer reads by range has its footer size, as DuckDB reads the file', async () => {
  const { duck, close } = await openDuck(1);
  try {
    const read = manifestFiles(manifest).filter((f) => f.path.endsWith('.parquet') && !f.path.includes('/downloads/'));
    expect(read.length).toBeGreaterThan(200);
    for (const file of read) {
      const [row] = await queryRows<{ n: bigint }>(
        duck,
        `SELECT footer_size AS n FROM parquet_file_metadata(${quoteLiteral(join(out, file.path))})`,
      );
      // The metadata, then its 4-byte length and the 4-byte magic.
      expect(file.footer, file.path).toBe(Number(row!.n) + 8);
    }
  } finally {
    await close();
  }
});

test('the same source rows give byte-identical files and manifest', async () => {
  const again = await buildInto(db.url, { config: CONFIG, now: NOW, ...PARTS });
  expect(again.manifest).toEqual(manifest);
  const first = await readFile(join(out, 'manifest.json'));
  expect((await readFile(join(again.out, 'manifest.json'))).equals(first)).toBe(true);
  for (const file of manifestFiles(manifest)) {
    expect((await readFile(join(again.out, file.path))).equals(await readFile(join(out, file.path))), file.path).toBe(
      true,
    );
  }
});
