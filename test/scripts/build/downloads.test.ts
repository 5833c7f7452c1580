import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuck, queryRows } from '../../../scripts/build/duck.ts';
import { sha256File } from '../../../scripts/build/parquet.ts';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { quoteIdent, quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { buildInto } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../../helpers/postgres.ts';
import { sourceCells } from '../../helpers/source-sql.ts';
import { openWasm } from '../../helpers/wasm.ts';

// Each dataset's full long table as published for download, read back as any user would (DuckDB's own CSV and
// Parquet readers, types detected) and compared row by row with the source table unpivoted by PostgreSQL.
const CONFIG = {
  datasets: [
    { id: 'in_vitro', title: 'In Vitro', table: 'gmm_test_1', schema: 'public' },
    { id: 'in_vivo', title: 'In Vivo', table: 'in_vivo', schema: 'public' },
  ],
};
const NOW = new Date('2026-01-02T03:04:05Z');
const PART_ROWS = 5_000;

let db: TestDatabase;
let out: string;
let manifest: Manifest;

const dataset = (id: string) => manifest.datasets.find((d) => d.id === id)!;
const tableOf = (id: string) => CONFIG.datasets.find((d) => d.id === id)!.table;
const partsOf = (id: string, format: 'csv' | 'parquet') =>
  dataset(id).downloads!.parts.filter((p) => p.format === format);

beforeAll(async () => {
  db = await createTestDatabase('downloads');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.02 }));
  ({ out, manifest } = await buildInto(db.url, { config: CONFIG, now: NOW, downloadPartRows: PART_ROWS }));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

/** Reads files with `reader` (`read_csv` or `read_parquet`) as DuckDB guesses them, in file order. */
async function readFiles(reader: string, paths: string[]): Promise<Record<string, unknown>[]> {
  const { duck, close } = await openDuck(1);
  try {
    return await queryRows(duck, `SELECT * FROM ${reader}([${paths.map(quoteLiteral).join(', ')}])`);
  } finally {
    await close();
  }
}

/** The long table computed by PostgreSQL from the wide source: every non-NULL cell with its feature's columns. */
function sourceLongTable(id: string): string {
  const table = quoteIdent(tableOf(id));
  const label = id === 'in_vivo' ? `coalesce(nullif(trim(t.metabolite), ''), t.name)` : 't.name';
  const type =
    id === 'in_vivo'
      ? 't."Type"'
      : `CASE WHEN right(t.name, 4) = '_POS' THEN 'by_positive'
              WHEN right(t.name, 4) = '_NEG' THEN 'by_negative' ELSE 'by_name' END`;
  return `SELECT c.feature, ${label} AS label, ${type} AS type, t.mz, t.rt, c.bacterium, c.value
    FROM (${sourceCells(tableOf(id))}) AS c JOIN ${table} AS t ON t.name = c.feature
   ORDER BY c.feature COLLATE "C", c.bacterium COLLATE "C"`;
}

describe.each(['in_vitro', 'in_vivo'])('%s: the downloads', (id) => {
  test.each([
    ['csv', 'read_csv'],
    ['parquet', 'read_parquet'],
  ] as const)('%s parts, concatenated in their order, are the source table in long format', async (format, reader) => {
    const parts = partsOf(id, format);
    expect(parts.length).toBeGreaterThan(1);
    const actual = await readFiles(
      reader,
      parts.map((p) => join(out, p.path)),
    );
    const expected = await db.query(sourceLongTable(id));
    expect(actual.length).toBe(dataset(id).counts.values);
    expect(Object.keys(actual[0]!)).toEqual(['feature', 'label', 'type', 'mz', 'rt', 'bacterium', 'value']);
    expect(actual).toEqual(expected);
  });

  test('parts are cut between features, the same in both formats, and carry the data version', async () => {
    const [csv, parquet] = [partsOf(id, 'csv'), partsOf(id, 'parquet')];
    expect(csv.map((p) => p.rows)).toEqual(parquet.map((p) => p.rows));
    const bounds = [];
    for (const part of parquet) {
      // A part passes its size by less than one feature's values, at most one per bacterium.
      expect(part.rows).toBeLessThan(PART_ROWS + dataset(id).counts.bacteria);
      const [row] = await readFiles('read_parquet', [join(out, part.path)]).then((rows) => [
        { first: rows[0]!.feature as string, last: rows.at(-1)!.feature as string },
      ]);
      bounds.push(row!);
    }
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]!.first > bounds[i - 1]!.last).toBe(true);
    dataset(id).downloads!.parts.forEach((p) =>
      expect(basename(p.path)).toMatch(
        new RegExp(
          `^metanexus-${id}-${manifest.dataVersion}-part-\\d{3}\\.${p.format === 'csv' ? 'csv\\.gz' : 'parquet'}$`,
        ),
      ),
    );
  });

  test('the JSON sidecar names the source, the build date, the data version and every file', async () => {
    const { about, parts } = dataset(id).downloads!;
    expect(basename(about.path)).toBe(`metanexus-${id}-${manifest.dataVersion}.json`);
    const sidecar = JSON.parse(await readFile(join(out, about.path), 'utf8'));
    expect(sidecar.builtAt).toBe(NOW.toISOString());
    expect(sidecar.dataVersion).toBe(manifest.dataVersion);
    expect(sidecar.source).toContain(`public.${tableOf(id)}`);
    expect(sidecar.content).toMatch(/NULL \(not measured\).* not included/);
    expect(sidecar.files).toEqual(
      await Promise.all(
        parts.map(async (p) => ({
          name: basename(p.path),
          format: p.format,
          rows: p.rows,
          bytes: p.bytes,
          sha256: await sha256File(join(out, p.path)),
        })),
      ),
    );
  });
});

test('duckdb-wasm 1.28.0, the browser engine, reads the Parquet downloads', async () => {
  const wasm = await openWasm();
  try {
    for (const part of partsOf('in_vivo', 'parquet')) {
      const [row] = wasm.query<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM read_parquet(${quoteLiteral(join(out, part.path))})`,
      );
      expect(row!.n, part.path).toBe(part.rows);
    }
  } finally {
    wasm.close();
  }
});
