import { beforeAll, describe, expect, it } from 'vitest';
import {
  featureIndex,
  type FeatureIndex,
  type FeatureSearch,
  type SearchableFeature,
} from '../../src/lib/feature-search.ts';
import { featureLabelQueries } from '../../src/lib/sql/features.ts';
import { FEATURES, openFixture, SOURCES } from './sql/fixture.ts';

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

/**
 * A search, the names it returns (worked out by hand from the FEATURES list in fixture.ts), and the count of all its
 * matches (the names' count unless limited).
 */
interface Case {
  title: string;
  search: FeatureSearch;
  expected: string[];
  total?: number;
}

const CASES: Case[] = [
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
    total: 7,
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
    title: 'takes SQL in the text as plain text',
    search: { text: "'); DROP TABLE x; --", type: 'all' },
    expected: ['F_sql'],
  },
  {
    title: 'takes HTML in the text as plain text',
    search: { text: '<script>', type: 'all' },
    expected: ['F_xss'],
  },
];

/**
 * m/z windows worked out by hand from the FEATURES list (mz column) in fixture.ts. Within 5 ppm of 180.06 (±0.0009003):
 * F_but (Δ 0), F_but2 (Δ 0.0005), F_isobut (Δ 0.0006); F_ester (Δ 0.002) needs 20 ppm (±0.0036012) or 0.01 Da.
 */
const MZ_CASES: Case[] = [
  {
    title: 'm/z ± ppm: the window, nearest first',
    search: { text: '180.06 ±5 ppm', type: 'all' },
    expected: ['F_but', 'F_but2', 'F_isobut'],
  },
  {
    title: 'a bare m/z: ±10 ppm (±0.0018006)',
    search: { text: '180.06', type: 'all' },
    expected: ['F_but', 'F_but2', 'F_isobut'],
  },
  {
    title: 'a wider window in ppm',
    search: { text: '180.06 20 ppm', type: 'all' },
    expected: ['F_but', 'F_but2', 'F_isobut', 'F_ester'],
  },
  {
    title: 'm/z ± Da',
    search: { text: '180.06 ± 0.01', type: 'all' },
    expected: ['F_but', 'F_but2', 'F_isobut', 'F_ester'],
  },
  {
    // 199.5 and 200.5 are 0.5 away exactly (both exact in binary); 200.5000001 is past the bound.
    title: 'includes both bounds; equal distances by id in byte order',
    search: { text: '200 ±0.5 Da', type: 'all' },
    expected: ['F_a_b', 'F_axb'],
  },
  {
    // The M88 pair at 88.0393 (Δ 0), then butyrate at 88.0524 (Δ 0.0131).
    title: 'equal m/z: by id, capitals first',
    search: { text: '88.0393 ±0.02', type: 'all' },
    expected: ['M88T30_POS', 'M88T31_NEG', 'butyrate'],
  },
  {
    title: 'applies the type filter to an m/z search',
    search: { text: '88.0393 ±0.02', type: 'by_negative' },
    expected: ['M88T31_NEG'],
  },
  {
    // 'F' 0x46 < 'Ü' 0xC3 0x9C: duckdb-wasm 1.28 would sort the VARCHARs by signed bytes, Ü first.
    title: 'equal m/z: by id in byte order, non-ASCII last',
    search: { text: '300.1', type: 'all' },
    expected: ['F_tie', 'Ü_tie'],
  },
  {
    // 1e6 ppm of 180 is ±180: every mz up to 360; F_pct (NULL), F_100x (1000) and F_xss (500.25) are out.
    // Distances from 180: F_isobut 0.0594, F_but 0.06, F_but2 0.0605, F_ester 0.062, F_a_b 19.5, ...
    title: 'a huge tolerance: the nearest up to the limit, and the count of the whole window',
    search: { text: '180 ±1000000 ppm', type: 'all', limit: 5 },
    expected: ['F_isobut', 'F_but', 'F_but2', 'F_ester', 'F_a_b'],
    total: 12,
  },
  {
    title: 'never matches a feature without an m/z, however wide the window',
    search: { text: '1 ± 1e15', type: 'all' },
    expected: FEATURES.filter((f) => f.at(3) !== null)
      .map((f) => [f[0], Math.abs(f[3]! - 1)] as const)
      .sort((x, y) => x[1] - y[1] || Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0])))
      .map(([name]) => name),
    total: 14,
  },
  {
    title: 'finds nothing in an empty window',
    search: { text: '180.06 ±0 ppm', type: 'by_positive' },
    expected: [],
  },
];

// Unsorted, with an SQL-looking label, a non-ASCII id, an id that is no feature and one given twice.
const LABELLED = ['F_sql', 'Ü_tie', 'M88T30_POS', 'nope', "x' OR '1'='1", 'F_sql'];

describe('featureIndex', () => {
  let index: FeatureIndex;
  let labelsBySql: unknown[];
  const search = (s: FeatureSearch) => index.search(s);
  beforeAll(async () => {
    // The fixture's features table, as the page reads the features file.
    const fx = await openFixture();
    try {
      index = featureIndex(
        await fx.run<SearchableFeature>({
          sql: 'SELECT name, label, type, mz, rt, n_values::INTEGER AS n_values FROM features ORDER BY name',
          params: [],
        }),
      );
      labelsBySql = (
        await Promise.all(featureLabelQueries(SOURCES.featureFile, LABELLED).map((q) => fx.run(q)))
      ).flat();
    } finally {
      fx.close();
    }
  });

  for (const c of [...CASES, ...MZ_CASES]) {
    it(c.title, () => {
      const rows = search(c.search);
      expect(names(rows)).toEqual(c.expected);
      for (const r of rows) expect(r.total).toBe(c.total ?? c.expected.length);
    });
  }

  it('returns name, label, type, mz, rt, n_values and the count of all matches', () => {
    // butyrate has values for B_y, a_z and U.
    expect(search({ text: 'butanoic', type: 'by_name' })).toEqual([
      { name: 'butyrate', label: 'Butanoic acid', type: 'by_name', mz: 88.0524, rt: 30.2, n_values: 3, total: 1 },
    ]);
    // 7 features contain 'butyrate'; the limit returns 2 of them.
    expect(search({ text: 'butyrate', type: 'all', limit: 2 }).map((r) => r.total)).toEqual([7, 7]);
    expect(search({ text: '100%', type: 'all' })).toEqual([
      { name: 'F_pct', label: '100% butyrate', type: 'by_name', mz: null, rt: null, n_values: 0, total: 1 },
    ]);
  });

  it("gives the labels the labels' queries give, one query per id put together: in order, twice if asked twice", () => {
    expect(index.labels(LABELLED)).toEqual(labelsBySql);
    expect(labelsBySql.map((r) => (r as { name: string }).name)).toEqual(['F_sql', 'Ü_tie', 'M88T30_POS', 'F_sql']);
    expect(index.labels([])).toEqual([]);
  });

  it('takes a window past any m/z, and a limit of 0', () => {
    expect(search({ text: '1 ± 1e300', type: 'all', limit: 1 }).map((r) => r.total)).toEqual([14]);
    expect(search({ text: 'butyrate', type: 'all', limit: 0 })).toEqual([]);
  });

  it('refuses an m/z it cannot search, with the reason', () => {
    expect(() => search({ text: '180.06 ±-5 ppm', type: 'all' })).toThrow(
      'A tolerance must be a finite number of at least 0',
    );
    expect(() => search({ text: '1e309', type: 'all' })).toThrow('An m/z must be a finite number above 0');
  });
});
