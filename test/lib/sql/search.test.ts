import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchFeaturesQuery, type FeatureSearch } from '../../../src/lib/sql/search.ts';
import { openFixture, openWasmFixture, SOURCES } from './fixture.ts';

const names = (rows: { name: string }[]) => rows.map((r) => r.name);
const search = (s: FeatureSearch) => searchFeaturesQuery(SOURCES.features, s);

/** Each case's answer worked out by hand from the FEATURES list in fixture.ts. */
const CASES: { title: string; search: FeatureSearch; expected: string[] }[] = [
  {
    // Exact (label or name equals 'butyrate', any case): butyrate (name), F_but ('Butyrate'), F_but2 ('butyrate'),
    // by label in byte order 'Butanoic acid' < 'Butyrate' < 'butyrate'. Prefix: F_ester ('butyrate ester').
    // Contains: '100% butyrate' < '100x butyrate' < 'Isobutyrate' ('%' 0x25 < 'x' 0x78; '1' < 'I').
    title: 'exact, then prefix, then contains; ties by label in byte order',
    search: { text: 'butyrate', type: 'all' },
    expected: ['butyrate', 'F_but', 'F_but2', 'F_ester', 'F_pct', 'F_100x', 'F_isobut'],
  },
  {
    title: 'is case-insensitive and trims the text',
    search: { text: '  BUTYRATE ', type: 'all' },
    expected: ['butyrate', 'F_but', 'F_but2', 'F_ester', 'F_pct', 'F_100x', 'F_isobut'],
  },
  {
    title: 'stops at the limit',
    search: { text: 'butyrate', type: 'all', limit: 2 },
    expected: ['butyrate', 'F_but'],
  },
  {
    // Contains 'acid': 'Butanoic acid' < 'a_b acid' < 'axb acid' ('B' 0x42 < 'a' 0x61; '_' 0x5F < 'x' 0x78).
    title: 'orders by byte order, capitals first',
    search: { text: 'ACID', type: 'all' },
    expected: ['butyrate', 'F_a_b', 'F_axb'],
  },
  {
    title: 'matches the feature id as well as the label',
    search: { text: 'm88', type: 'all' },
    expected: ['M88T30_POS', 'M88T31_NEG'],
  },
  {
    title: 'applies the type filter',
    search: { text: 'm88', type: 'by_negative' },
    expected: ['M88T31_NEG'],
  },
  {
    title: 'finds nothing of a type that has no match',
    search: { text: 'butyrate', type: 'by_positive' },
    expected: [],
  },
  {
    title: 'lowers non-ASCII letters too',
    search: { text: 'ü TIE', type: 'all' },
    expected: ['Ü_tie'],
  },
  {
    // LIKE '%100%%' would also match '100x butyrate'.
    title: 'matches % literally',
    search: { text: '100%', type: 'all' },
    expected: ['F_pct'],
  },
  {
    // LIKE '%a_b%' would also match 'axb acid'; the name F_a_b contains 'a_b' too.
    title: 'matches _ literally',
    search: { text: 'a_b', type: 'all' },
    expected: ['F_a_b'],
  },
  {
    title: 'binds SQL in the text as a plain value',
    search: { text: "'); DROP TABLE x; --", type: 'all' },
    expected: ['F_sql'],
  },
  {
    title: 'binds HTML in the text as a plain value',
    search: { text: '<script>', type: 'all' },
    expected: ['F_xss'],
  },
];

describe('searchFeaturesQuery', () => {
  let fx: Awaited<ReturnType<typeof openFixture>>;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(() => fx.close());

  for (const c of CASES) {
    it(c.title, async () => {
      expect(names(await fx.run(search(c.search)))).toEqual(c.expected);
    });
  }

  it('returns name, label, type and n_values', async () => {
    // butyrate has values for B_y, a_z and U.
    expect(await fx.run(search({ text: 'butanoic', type: 'by_name' }))).toEqual([
      { name: 'butyrate', label: 'Butanoic acid', type: 'by_name', n_values: 3 },
    ]);
  });

  it('leaves the features table in place after hostile text', async () => {
    await fx.run(search({ text: "'); DROP TABLE features; --", type: 'all' }));
    expect(names(await fx.run(search({ text: 'F_sql', type: 'all' })))).toEqual(['F_sql']);
  });

  it('binds every user value and matches without LIKE', () => {
    const q = search({ text: "100%'; <b>", type: 'by_name', limit: 7 });
    expect(q.params).toEqual(["100%'; <b>", 'by_name', 7]);
    expect(q.sql).toContain('WITH q AS (SELECT lower(?) AS t)');
    expect(q.sql).toContain('FROM features AS f, q');
    expect(q.sql).toContain('contains(lower(f.label), q.t) OR contains(lower(f.name), q.t)');
    expect(q.sql).toContain('AND f.type = ?');
    expect(q.sql).toMatch(
      /ORDER BY CASE WHEN lower\(f\.label\) = q\.t OR lower\(f\.name\) = q\.t THEN 0\s+WHEN starts_with/,
    );
    expect(q.sql).toContain('encode(f.label), encode(f.name)');
    expect(q.sql).toMatch(/LIMIT \?$/);
    expect(q.sql).not.toMatch(/LIKE|100%|<b>|by_name|7/);
  });

  it('has no type clause for all types', () => {
    const q = search({ text: 'x', type: 'all' });
    expect(q.sql).not.toContain('f.type = ?');
    expect(q.params).toEqual(['x', 100]);
  });

  it('gives the same answers in duckdb-wasm 1.28, the browser engine', async () => {
    const wasm = await openWasmFixture();
    try {
      for (const c of CASES) expect(names(wasm.run(search(c.search))), c.title).toEqual(c.expected);
    } finally {
      wasm.close();
    }
  });
});
