import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuck } from '../../../scripts/build/duck.ts';
import { verifyComparison } from '../../../scripts/build/verify.ts';
import { pearson, spearman } from '../../../src/lib/correlation.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { comparisonQuery, type ComparisonRow } from '../../../src/lib/sql/compare.ts';
import { quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { parquetSource } from '../../../src/lib/sql/sources.ts';
import { buildInto } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';
import { sourceCells, sourceComparisonPairs, sourceCorrelations, sourceMatched } from '../../helpers/source-sql.ts';
import { openWasm } from '../../helpers/wasm.ts';

// Two small sources built into a site's data; every expectation is PostgreSQL's own computation on the source tables
// (its own normalisation of the names, corr() for Pearson, rank() windows for Spearman), never the build's SQL.
let db: TestDatabase;

/**
 * The cells: an in vitro table (`vitro`: annotated features are named, others end in _POS/_NEG) whose bacteria are
 * spelled differently from the in vivo table's (`vivo`: annotated rows have Type by_name and a `metabolite`), names
 * written in other cases and isomer forms, one name two in vitro features share, and values with ties and gaps.
 */
const SOURCE = `
  SELECT setseed(0.42);
  CREATE TABLE vitro (name text, mz float8, rt float8, list_2_match text,
                      "E_coli" float8, "B_fragilis" float8, "Only_vitro" float8, "Mapped_twice" float8);
  CREATE TABLE vivo (name text, mz float8, rt float8, "Type" text, metabolite text,
                     "Escherichia_coli" float8, "B_fragilis" float8, "Only_vivo" float8, "E_coli" float8);
  -- Shared compounds: 'Compound N' in vitro, 'compound  N' in vivo, each measured often, with rounded ties.
  INSERT INTO vitro SELECT 'Compound ' || i, i, i, NULL,
      CASE WHEN random() < 0.85 THEN round((random() * 6 - 3)::numeric, 1) END,
      CASE WHEN random() < 0.85 THEN round((random() * 6 - 3)::numeric, 1) END,
      random(), random()
    FROM generate_series(1, 30) AS i;
  INSERT INTO vivo SELECT 'V' || i, i, i, 'by_name', ' compound  ' || i || ' ',
      CASE WHEN random() < 0.85 THEN round((random() * 8 - 4)::numeric, 1) END,
      CASE WHEN random() < 0.85 THEN random() * 8 - 4 END,
      random(), random()
    FROM generate_series(1, 30) AS i;
  INSERT INTO vitro VALUES
    ('Indole', 1, 1, NULL, 1.5, -2, 1, 1),
    ('butyrate_isomer2', 1, 1, NULL, 2.5, 0.5, 1, 1),
    ('butyrate', 1, 1, NULL, -1.5, 0.25, 1, 1),
    ('Tryptophan-isomer-3', 1, 1, NULL, 3, NULL, 1, 1),
    ('dup a', 1, 1, NULL, 1, 1, 1, 1),
    ('DUP  A', 1, 1, NULL, 2, 2, 1, 1),
    ('only in vitro', 1, 1, NULL, 1, 1, 1, 1),
    ('M1T1_POS', 1, 1, 'indole', 9, 9, 9, 9);
  INSERT INTO vivo VALUES
    ('V_indole', 1, 1, 'by_name', 'indole', -0.5, 4, 1, 1),
    ('V_but2', 1, 1, 'by_name', 'Butyrate (Isomer 2)', 1.25, NULL, 1, 1),
    ('V_but', 1, 1, 'by_name', 'butyrate', -3, 0.75, 1, 1),
    ('V_trp3', 1, 1, 'by_name', 'tryptophan isomer 3', 2, 1, 1, 1),
    ('V_trp2', 1, 1, 'by_name', 'tryptophan (isomer 2)', 7, 7, 1, 1),
    ('V_dup', 1, 1, 'by_name', 'dup a', 5, 5, 1, 1),
    ('M5T5_POS', 1, 1, 'by_positive', 'indole', 9, 9, 9, 9);`;

const CONFIG = {
  datasets: [
    { id: 'in_vitro', title: 'In Vitro', table: 'vitro', schema: 'public' },
    { id: 'in_vivo', title: 'In Vivo', table: 'vivo', schema: 'public' },
  ],
  comparison: {
    datasets: ['in_vitro', 'in_vivo'] as [string, string],
    bacteria: { E_coli: 'Escherichia_coli' },
  },
};

const VITRO = { table: 'vitro', typed: false };
const VIVO = { table: 'vivo', typed: true };
const MATCHED = sourceMatched(VITRO, VIVO);

/** PostgreSQL's pairs and correlations of one bacterium (its id in each table). */
async function expected(bx: string, by: string) {
  const [row] = await db.query<{ n: number; pearson: number | null; spearman: number | null }>(
    sourceCorrelations(VITRO, VIVO),
    [bx, by],
  );
  const pairs = await db.query<{ key: string; x: number; y: number }>(
    `SELECT key, x, y FROM (${sourceComparisonPairs(VITRO, VIVO)}) AS p ORDER BY key COLLATE "C"`,
    [bx, by],
  );
  return { ...row!, pairs };
}

let out: string;
let manifest: Manifest;
let warnings: string[];

beforeAll(async () => {
  db = await createTestDatabase('compare');
  await db.query(SOURCE);
  ({
    out,
    manifest,
    report: { warnings },
  } = await buildInto(db.url, { config: CONFIG }));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

/** The rows of one bacterium as the browser reads them: duckdb-wasm 1.28 over the published file. */
async function browserRows(bacterium: string): Promise<ComparisonRow[]> {
  const wasm = await openWasm();
  try {
    const { sql, params } = comparisonQuery(parquetSource(join(out, manifest.comparison!.file.path)), bacterium);
    return wasm.query<ComparisonRow>(sql, params);
  } finally {
    wasm.close();
  }
}

describe('the comparison', () => {
  test('matches bacteria by id and by the map, and lists the unmatched ones of each side', async () => {
    const c = manifest.comparison!;
    expect(c.datasets).toEqual(['in_vitro', 'in_vivo']);
    // Mapped_twice has no counterpart; vivo's E_coli is not matched by id, since the map claims vitro's E_coli.
    expect(c.bacteria).toEqual([
      { x: 'B_fragilis', y: 'B_fragilis' },
      { x: 'E_coli', y: 'Escherichia_coli' },
    ]);
    expect(c.unmatched).toEqual({ in_vitro: ['Mapped_twice', 'Only_vitro'], in_vivo: ['E_coli', 'Only_vivo'] });
  });

  test('matches names across case, blanks and isomer forms; a name two features share is left out', async () => {
    const c = manifest.comparison!;
    const matched = await db.query<{ key: string }>(`SELECT key FROM (${MATCHED}) AS m ORDER BY key COLLATE "C"`);
    expect(c.matched).toBe(matched.length);
    const keys = matched.map((m) => m.key);
    expect(keys).toContain('indole');
    expect(keys).toContain('butyrate (isomer 2)');
    expect(keys).toContain('tryptophan (isomer 3)');
    expect(keys).not.toContain('dup a');
    expect(c.ambiguous).toEqual({ in_vitro: ['dup a'], in_vivo: [] });
    expect(warnings.some((w) => w.includes('in_vitro: 1 annotated names shared by several features'))).toBe(true);
  });

  test.each([
    ['E_coli', 'Escherichia_coli'],
    ['B_fragilis', 'B_fragilis'],
  ])('%s: the pairs and the correlations equal PostgreSQL’s', async (bx, by) => {
    const want = await expected(bx, by);
    expect(want.n).toBeGreaterThanOrEqual(10);
    const rows = await browserRows(bx);
    const both = rows.filter((r) => r.value_x !== null && r.value_y !== null);
    expect(both.map((r) => ({ key: r.key, x: r.value_x, y: r.value_y }))).toEqual(want.pairs);
    const [xs, ys] = [both.map((r) => r.value_x!), both.map((r) => r.value_y!)];
    expect(pearson(xs, ys)).toBeCloseTo(want.pearson!, 10);
    expect(spearman(xs, ys)).toBeCloseTo(want.spearman!, 10);
    // Rows measured in one dataset only are there too, with the other side empty.
    const one = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${MATCHED}) AS m
         LEFT JOIN (${sourceCells('vitro')}) AS cx ON cx.feature = m.feature_x AND cx.bacterium = $1
         LEFT JOIN (${sourceCells('vivo')}) AS cy ON cy.feature = m.feature_y AND cy.bacterium = $2
        WHERE (cx.value IS NULL) <> (cy.value IS NULL)`,
      [bx, by],
    );
    expect(rows.length - both.length).toBe(one[0]!.n);
  });

  test('an unmatched bacterium has no rows', async () => {
    expect(await browserRows('Only_vitro')).toEqual([]);
  });
});

describe('verification', () => {
  test('the published comparison passes; one value changed, or a measured row dropped, fails it', async () => {
    const c = manifest.comparison!;
    const { duck, close } = await openDuck(1);
    try {
      await verifyComparison(duck, out, manifest);
      const dir = await mkdtemp(join(tmpdir(), 'metanexus-compare-'));
      await cp(out, dir, { recursive: true });
      const file = quoteLiteral(join(dir, c.file.path));
      const rewrite = async (select: string) => {
        await duck.run(`CREATE OR REPLACE TABLE t AS ${select}`);
        await duck.run(`COPY t TO ${file} (FORMAT parquet)`);
      };
      const original = `SELECT * FROM read_parquet(${quoteLiteral(join(out, c.file.path))})`;
      await rewrite(
        `SELECT * REPLACE (CASE WHEN bacterium = 'E_coli' AND key = 'indole' THEN value_x + 1e-9 ELSE value_x END
           AS value_x) FROM (${original})`,
      );
      await expect(verifyComparison(duck, dir, manifest)).rejects.toThrow(
        '1 comparison rows: value differs from its cell in in_vitro, e.g. bacterium "E_coli", metabolite "indole"',
      );
      await rewrite(`SELECT * FROM (${original}) WHERE NOT (bacterium = 'B_fragilis' AND key = 'butyrate')`);
      await expect(verifyComparison(duck, dir, manifest)).rejects.toThrow(
        '1 comparison rows: a measured cell is left out, e.g. bacterium "B_fragilis", metabolite "butyrate"',
      );
    } finally {
      await close();
    }
  });
});

describe('the configuration', () => {
  test('a map naming a bacterium a dataset lacks fails the build, naming it', async () => {
    const config = { ...CONFIG, comparison: { ...CONFIG.comparison, bacteria: { E_coli: 'Nope' } } };
    await expect(buildInto(db.url, { config })).rejects.toThrow(
      'compare: comparison.bacteria maps "E_coli" to "Nope", but in_vivo has no bacterium "Nope"',
    );
  });

  test('one dataset: no comparison in the manifest', async () => {
    const { manifest: one } = await buildInto(db.url, { config: { datasets: [CONFIG.datasets[0]!] } });
    expect(one.comparison).toBeUndefined();
  });
});
