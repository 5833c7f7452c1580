import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { manifestFiles } from '../../../src/lib/manifest.ts';
import { quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { buildInto, readParquet } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';
import { openWasm } from '../../helpers/wasm.ts';

// Every expected value below is worked out by hand from test/data/hostile.sql.
let db: TestDatabase;

const dataset = (id: string, table = id) => ({ id, title: id, table, schema: 'public' });

beforeAll(async () => {
  db = await createTestDatabase('hostile');
  await db.query(await readFile('test/data/hostile.sql', 'utf8'));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('a table of odd names and values', () => {
  let out: string;
  let warnings: string[];
  let manifest: Awaited<ReturnType<typeof buildInto>>['manifest'];

  beforeAll(async () => {
    const built = await buildInto(db.url, { config: { datasets: [dataset('odd')] } });
    ({ out, manifest } = built);
    warnings = built.report.warnings;
  });

  test('rows without a name are skipped with a warning; an unknown Type falls back to the suffix, warned', async () => {
    const features = await readParquet(
      join(out, manifest.datasets[0]!.files.features.path),
      'SELECT name, label, type, n_values FROM t',
    );
    expect(features).toEqual([
      { name: 'LONG', label: 'x'.repeat(10_000), type: 'by_name', n_values: 1 },
      { name: 'M1T1_NEG', label: '<script>alert(1)</script>', type: 'by_negative', n_values: 5 },
      { name: 'M2T2_POS', label: `He said "hi" & 'bye'`, type: 'by_positive', n_values: 1 },
      { name: 'M3T3_NEG', label: 'M3T3_NEG', type: 'by_negative', n_values: 1 },
    ]);
    expect(warnings).toContain('odd: 3 rows skipped: empty or NULL name');
    expect(warnings).toContain(
      'odd: 1 rows with an unknown Type, typed by their name\'s suffix instead: "M1T1_NEG=weird"',
    );
  });

  test('NaN and ±Infinity are not measured values, and the warning names the cells', async () => {
    expect(manifest.datasets[0]!.counts.values).toBe(8);
    expect(warnings).toContain(
      'odd: 3 NaN or infinite values treated as not measured: ' +
        '"M1T1_NEG/dot.ted", "M1T1_NEG/quote\\"d", "M1T1_NEG/with space"',
    );
  });

  test('columns with spaces, quotes, dots, semicolons, unicode, keywords, case twins: bacteria, verbatim', async () => {
    const bacteria = await readParquet(
      join(out, manifest.datasets[0]!.files.bacteria.path),
      'SELECT id, n_values FROM t',
    );
    expect(bacteria).toEqual([
      { id: 'Case', n_values: 1 },
      { id: 'case', n_values: 1 },
      { id: 'dot.ted', n_values: 1 },
      { id: 'quote"d', n_values: 0 },
      { id: 'select', n_values: 2 },
      { id: 'semi;colon', n_values: 1 },
      { id: 'with space', n_values: 1 },
      { id: 'ünïcødé', n_values: 1 },
    ]);
    const select = manifest.datasets[0]!.bacteria.find((b) => b.id === 'select')!;
    expect(await readParquet(join(out, select.file.path), 'SELECT feature, value FROM t')).toEqual([
      { feature: 'M1T1_NEG', value: 3 },
      { feature: 'M3T3_NEG', value: -7 },
    ]);
    expect(warnings).toContain('odd: 1 bacteria without any value: "quote\\"d"');
  });

  test('text columns, even of numbers with spreadsheet errors, are skipped with a warning naming them', () => {
    expect(warnings).toContain('public.odd: column "as_text" skipped: type text is not numeric');
    expect(warnings).toContain('public.odd: column "note" skipped: type text is not numeric');
  });
});

test('an empty table gives an empty dataset, with a warning, that duckdb-wasm still reads', async () => {
  const { out, manifest, report } = await buildInto(db.url, { config: { datasets: [dataset('empty')] } });
  expect(manifest.datasets[0]!.counts).toEqual({
    features: 0,
    bacteria: 8,
    values: 0,
    byType: { by_name: 0, by_positive: 0, by_negative: 0 },
  });
  expect(report.warnings).toContain('empty: the table is empty; its dataset will have no features');
  const wasm = await openWasm();
  try {
    // The downloads' CSV and JSON are not for the browser (downloads.test.ts reads them).
    for (const file of manifestFiles(manifest).filter((f) => f.path.endsWith('.parquet'))) {
      const [row] = wasm.query<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM read_parquet(${quoteLiteral(join(out, file.path))})`,
      );
      expect(row!.n, file.path).toBe(file.rows);
    }
  } finally {
    wasm.close();
  }
});

test('a table without bacterium columns fails the build, naming the table', async () => {
  await expect(buildInto(db.url, { config: { datasets: [dataset('nb', 'no_bacteria')] } })).rejects.toThrow(
    'fingerprint: public.no_bacteria: no numeric bacterium columns',
  );
});

test('duplicate names fail the build, naming them', async () => {
  await expect(buildInto(db.url, { config: { datasets: [dataset('dupes')] } })).rejects.toThrow(
    'dupes: duplicate name: 1 names stand in more than one row: "X"',
  );
});
