import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck } from '../../../scripts/build/duck.ts';
import { bacteriumProfileQuery, metaboliteProfileQuery, type Show } from '../../../src/lib/sql/landscape.ts';
import { quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { parquetSource, type DatasetSources, type Query } from '../../../src/lib/sql/sources.ts';
import type { TypeFilter } from '../../../src/lib/feature-types.ts';
import { A, B, U, a, b, fixtureStatements, openFixture, openWasmFixture, shard, SOURCES } from './fixture.ts';

const UName = `Ü,'&" 🦠`;
const metabolite = (feature: string, show: Show, n = 10) => metaboliteProfileQuery(SOURCES, { feature, show, n });
const bacterium = (id: string, type: TypeFilter, show: Show, n = 10) =>
  bacteriumProfileQuery(shard(id), { type, show, n });

/** Answers worked out by hand from the matrix in fixture.ts. */
const METABOLITE_CASES: { title: string; query: Query; expected: [string, number][] }[] = [
  {
    // F_but: A_x 1.0, B_y 2.5, a_z 2.5, b_w NULL (absent), U -3.0. Ties by id: 'B_y' < 'a_z' (byte order).
    title: 'All: every bacterium with a value, highest first, ties by id',
    query: metabolite('F_but', 'all'),
    expected: [
      [B, 2.5],
      [a, 2.5],
      [A, 1.0],
      [U, -3.0],
    ],
  },
  {
    title: 'Top 1 breaks the tie at 2.5 by id, B before a',
    query: metabolite('F_but', 'top', 1),
    expected: [[B, 2.5]],
  },
  {
    title: 'Top N larger than the data returns what there is, NULLs left out',
    query: metabolite('F_but', 'top', 10),
    expected: [
      [B, 2.5],
      [a, 2.5],
      [A, 1.0],
      [U, -3.0],
    ],
  },
  {
    title: 'Bottom 2: the two lowest, consumers included, lowest first',
    query: metabolite('F_but', 'bottom', 2),
    expected: [
      [U, -3.0],
      [A, 1.0],
    ],
  },
  {
    // The third lowest is a tie at 2.5: B_y wins on id.
    title: 'Bottom 3 breaks its tie by id ascending too',
    query: metabolite('F_but', 'bottom', 3),
    expected: [
      [U, -3.0],
      [A, 1.0],
      [B, 2.5],
    ],
  },
  {
    // All five at 1.0: byte order A_x < B_y < a_z < b_w < Ü… ('Ü' is 0xC3 0x9C in UTF-8).
    title: 'a five-way tie sorts non-ASCII ids last',
    query: metabolite('F_tie', 'all'),
    expected: [
      [A, 1],
      [B, 1],
      [a, 1],
      [b, 1],
      [U, 1],
    ],
  },
  {
    title: 'Bottom 2 of a five-way tie: the two smallest ids',
    query: metabolite('F_tie', 'bottom', 2),
    expected: [
      [A, 1],
      [B, 1],
    ],
  },
  {
    title: 'a feature without values, or an unknown id, has no rows',
    query: metabolite('F_pct', 'all'),
    expected: [],
  },
  {
    title: 'a hostile feature id is only a value',
    query: metabolite("F_but' OR '1'='1", 'all'),
    expected: [],
  },
];

/**
 * B_y's shard: M88T30_POS 4.0 (by_positive); F_but, F_but2, butyrate, Ü_tie 2.5; F_tie 1.0 (all by_name);
 * F_isobut -0.5 (by_name), M88T31_NEG -0.5 (by_negative).
 */
const BACTERIUM_CASES: { title: string; query: Query; expected: [string, number][] }[] = [
  {
    title: 'All, every type: highest first, ties by feature id in byte order',
    query: bacterium(B, 'all', 'all'),
    expected: [
      ['M88T30_POS', 4],
      ['F_but', 2.5],
      ['F_but2', 2.5],
      ['butyrate', 2.5],
      ['Ü_tie', 2.5],
      ['F_tie', 1],
      ['F_isobut', -0.5],
      ['M88T31_NEG', -0.5],
    ],
  },
  {
    title: 'Top 2',
    query: bacterium(B, 'all', 'top', 2),
    expected: [
      ['M88T30_POS', 4],
      ['F_but', 2.5],
    ],
  },
  {
    // A locale order would put 'butyrate' before 'F_but'; bytes put 'F' (0x46) before 'b' (0x62), 'Ü' last.
    title: 'Top 5 annotated: the type filter, and the 4-way tie in byte order',
    query: bacterium(B, 'by_name', 'top', 5),
    expected: [
      ['F_but', 2.5],
      ['F_but2', 2.5],
      ['butyrate', 2.5],
      ['Ü_tie', 2.5],
      ['F_tie', 1],
    ],
  },
  {
    title: 'Bottom 1: the tie at -0.5 goes to F_isobut (F < M)',
    query: bacterium(B, 'all', 'bottom', 1),
    expected: [['F_isobut', -0.5]],
  },
  {
    title: 'Bottom 3, lowest first',
    query: bacterium(B, 'all', 'bottom', 3),
    expected: [
      ['F_isobut', -0.5],
      ['M88T31_NEG', -0.5],
      ['F_tie', 1],
    ],
  },
  {
    title: 'Bottom 2 annotated',
    query: bacterium(B, 'by_name', 'bottom', 2),
    expected: [
      ['F_isobut', -0.5],
      ['F_tie', 1],
    ],
  },
  {
    title: 'Top 1 negative ions',
    query: bacterium(B, 'by_negative', 'top', 1),
    expected: [['M88T31_NEG', -0.5]],
  },
  {
    // b_w: F_but2 3.0, F_isobut 1.5, F_ester 1.25, F_tie 1.0; none positive-ion.
    title: 'a type without values has no rows',
    query: bacterium(b, 'by_positive', 'all'),
    expected: [],
  },
];

const pairs = (rows: { bacterium?: string; feature?: string; value: number }[]) =>
  rows.map((r) => [r.bacterium ?? r.feature, r.value]);

describe('landscape queries in DuckDB', () => {
  let fx: Awaited<ReturnType<typeof openFixture>>;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(() => fx.close());

  describe('metaboliteProfileQuery', () => {
    for (const c of METABOLITE_CASES) {
      it(c.title, async () => expect(pairs(await fx.run(c.query))).toEqual(c.expected));
    }

    it('returns the bacterium id, its display name and the value', async () => {
      expect(await fx.run(metabolite('M88T30_POS', 'bottom', 1))).toEqual([{ bacterium: U, name: UName, value: 1 }]);
    });
  });

  describe('bacteriumProfileQuery', () => {
    for (const c of BACTERIUM_CASES) {
      it(c.title, async () => expect(pairs(await fx.run(c.query))).toEqual(c.expected));
    }

    it('returns feature, label, type and value from a shard named with any character', async () => {
      expect(await fx.run(bacterium(U, 'by_positive', 'all'))).toEqual([
        { feature: 'M88T30_POS', label: 'M88T30_POS', type: 'by_positive', value: 1 },
      ]);
    });
  });
});

describe('landscape SQL text', () => {
  it('binds the feature and N, and tie-breaks on the id as bytes', () => {
    const q = metabolite("x'; <b>", 'top', 7);
    expect(q.params).toEqual(["x'; <b>", 7]);
    expect(q.sql).toContain('FROM "values" AS v JOIN bacteria AS b ON b.id = v.bacterium');
    expect(q.sql).toContain('WHERE v.feature = ? AND v.value IS NOT NULL');
    expect(q.sql).toMatch(/ORDER BY value DESC, encode\(bacterium\) ASC\n LIMIT \?$/);
    expect(q.sql).not.toMatch(/x'|<b>|7/);
  });

  it('sorts Bottom N ascending and All without a limit', () => {
    expect(metabolite('f', 'bottom', 3).sql).toMatch(/ORDER BY value ASC, encode\(bacterium\) ASC\n LIMIT \?$/);
    const all = metabolite('f', 'all', 3);
    expect(all.sql).toMatch(/ORDER BY value DESC, encode\(bacterium\) ASC$/);
    expect(all.params).toEqual(['f']);
  });

  it('refuses an N that is not a whole number >= 1, since it is written into the SQL', () => {
    for (const n of [0, -1, 2.5, Number.NaN, 1e300]) expect(() => bacterium(B, 'all', 'top', n)).toThrow(RangeError);
  });

  it('binds the type filter and N with a type, and writes N as a constant over all types', () => {
    const typed = bacterium(B, 'by_name', 'bottom', 5);
    expect(typed.params).toEqual(['by_name', 5]);
    expect(typed.sql).toMatch(/WHERE type = \?\n ORDER BY rank_asc\n LIMIT \?$/);
    expect(bacterium(B, 'all', 'top', 5).sql).toMatch(/WHERE rank_desc <= 5\n ORDER BY rank_desc$/);
    const all = bacterium(B, 'all', 'all');
    expect(all.params).toEqual([]);
    expect(all.sql).not.toContain('WHERE');
    expect(all.sql).toMatch(/ORDER BY rank_desc$/);
  });
});

describe('landscape queries over Parquet files', () => {
  it('read the same rows through parquetSource, even from a path with a quote', async () => {
    const dir = await mkdtemp(join(tmpdir(), "metanexus it's-"));
    const { duck, close } = await openDuck(1);
    try {
      for (const sql of fixtureStatements()) await duck.run(sql);
      const files = { values: join(dir, 'values.parquet'), bacteria: join(dir, 'bacteria.parquet') };
      await duck.run(`COPY "values" TO ${quoteLiteral(files.values)} (FORMAT parquet)`);
      await duck.run(`COPY bacteria TO ${quoteLiteral(files.bacteria)} (FORMAT parquet)`);
      const values = [{ firstFeature: '', source: parquetSource(files.values) }];
      const src: DatasetSources = { ...SOURCES, values, bacteria: parquetSource(files.bacteria) };
      expect(values[0]!.source).toBe(`read_parquet(${quoteLiteral(files.values)})`);
      const q = metaboliteProfileQuery(src, { feature: 'F_but', show: 'top', n: 2 });
      const reader = await duck.runAndReadAll(q.sql, q.params);
      expect(reader.getRowObjectsJS()).toEqual([
        { bacterium: B, name: 'B y', value: 2.5 },
        { bacterium: a, name: 'a z', value: 2.5 },
      ]);
    } finally {
      await close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('landscape queries in duckdb-wasm 1.28, the browser engine', () => {
  let wasm: Awaited<ReturnType<typeof openWasmFixture>>;
  beforeAll(async () => {
    wasm = await openWasmFixture();
  });
  afterAll(() => wasm.close());

  it('give the same answers', () => {
    for (const c of [...METABOLITE_CASES, ...BACTERIUM_CASES])
      expect(pairs(wasm.run(c.query)), c.title).toEqual(c.expected);
  });

  it('still need byteOrder: a plain VARCHAR sort puts Ü first (drop encode() once this fails)', () => {
    const plain = metabolite('F_tie', 'all');
    const rows = wasm.run<{ bacterium: string }>({
      ...plain,
      sql: plain.sql.replace('encode(bacterium)', 'bacterium'),
    });
    expect(rows.map((r) => r.bacterium)).toEqual([U, A, B, a, b]);
  });
});
