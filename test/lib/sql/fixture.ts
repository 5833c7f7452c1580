import type { DuckDBValue } from '@duckdb/node-api';
import { openDuck, queryRows } from '../../../scripts/build/duck.ts';
import { quoteIdent, quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { bacteriumShardSelect } from '../../../src/lib/sql/landscape.ts';
import type { DatasetSources, Query } from '../../../src/lib/sql/sources.ts';
import { openWasm } from '../../helpers/wasm.ts';

/**
 * Five bacteria whose ids exercise byte order ('A' < 'B' < 'a' < 'b' < 'Ü') and hostile characters (comma, both
 * quotes, ampersand, an emoji).
 */
export const A = 'A_x';
export const B = 'B_y';
export const a = 'a_z';
export const b = 'b_w';
export const U = `Ü,'&"_🦠`;
export const BACTERIA = [A, B, a, b, U];

/**
 * name, label, type, mz, rt: labels equal up to case, with `%`, `_`, SQL, HTML and a non-ASCII name. The m/z values
 * set up the search windows: three features within 5 ppm of 180.06 and one 0.002 away; two pairs at the same m/z
 * (ties by id in byte order); 199.5 and 200.5 exactly on the bounds of 200 ± 0.5 Da and one just past; one NULL.
 */
export const FEATURES: [string, string, string, number | null, number | null][] = [
  ['F_but', 'Butyrate', 'by_name', 180.06, 95],
  ['F_but2', 'butyrate', 'by_name', 180.0605, 95.4],
  ['F_isobut', 'Isobutyrate', 'by_name', 180.0594, 120],
  ['F_ester', 'butyrate ester', 'by_name', 180.062, 300],
  ['butyrate', 'Butanoic acid', 'by_name', 88.0524, 30.2],
  ['M88T30_POS', 'M88T30_POS', 'by_positive', 88.0393, 30],
  ['M88T31_NEG', 'M88T31_NEG', 'by_negative', 88.0393, 31],
  ['F_pct', '100% butyrate', 'by_name', null, null],
  ['F_100x', '100x butyrate', 'by_name', 1000, 610.5],
  ['F_a_b', 'a_b acid', 'by_positive', 199.5, 200],
  ['F_axb', 'axb acid', 'by_positive', 200.5, 201],
  ['F_sql', "'); DROP TABLE x; --", 'by_negative', 200.5000001, 202],
  ['F_xss', '<script>alert(1)</script>', 'by_negative', 500.25, 400],
  ['F_tie', 'even split', 'by_name', 300.1, 50],
  ['Ü_tie', 'Ü tie', 'by_name', 300.1, 50],
];

/**
 * The matrix (– = NULL, i.e. absent from the values table); the features not listed have no values.
 *
 *   feature      A_x    B_y    a_z    b_w    U
 *   F_tie        1.0    1.0    1.0    1.0    1.0
 *   Ü_tie        –      2.5    –      –      –
 *   F_but        1.0    2.5    2.5    –     -3.0
 *   F_but2       0.5    2.5    –      3.0    –
 *   F_isobut     –     -0.5    1.5    1.5    0.25
 *   M88T30_POS   2.0    4.0    –      –      1.0
 *   M88T31_NEG  -1.0   -0.5   -2.0    –      –
 *   butyrate     –      2.5    0.1    –      0.2
 *   F_ester      –      –      –      1.25   –
 *
 * Top producers, as the build ranks them (value > 0, value DESC, bacterium ASC):
 *   F_but: B_y 2.5 (1), a_z 2.5 (2), A_x 1.0 (3)        F_but2: b_w 3.0 (1), B_y 2.5 (2), A_x 0.5 (3)
 *   F_isobut: a_z 1.5 (1), b_w 1.5 (2), U 0.25 (3)      M88T30_POS: B_y 4.0 (1), A_x 2.0 (2), U 1.0 (3)
 *   butyrate: B_y 2.5 (1), U 0.2 (2), a_z 0.1 (3)       F_ester: b_w 1.25 (1)       M88T31_NEG: none
 *   F_tie: A_x (1), B_y (2), a_z (3), b_w (4), U (5), all 1.0                     Ü_tie: B_y 2.5 (1)
 *
 * duckdb-wasm 1.28 sorts the F_tie row with a plain `ORDER BY value, bacterium` as U, A_x, B_y, a_z, b_w.
 */
export const VALUES: [string, string, number][] = [
  ['F_but', A, 1.0],
  ['F_but', B, 2.5],
  ['F_but', a, 2.5],
  ['F_but', U, -3.0],
  ['F_but2', A, 0.5],
  ['F_but2', B, 2.5],
  ['F_but2', b, 3.0],
  ['F_isobut', B, -0.5],
  ['F_isobut', a, 1.5],
  ['F_isobut', b, 1.5],
  ['F_isobut', U, 0.25],
  ['M88T30_POS', A, 2.0],
  ['M88T30_POS', B, 4.0],
  ['M88T30_POS', U, 1.0],
  ['M88T31_NEG', A, -1.0],
  ['M88T31_NEG', B, -0.5],
  ['M88T31_NEG', a, -2.0],
  ['butyrate', B, 2.5],
  ['butyrate', a, 0.1],
  ['butyrate', U, 0.2],
  ['F_ester', b, 1.25],
  ...BACTERIA.map((id): [string, string, number] => ['F_tie', id, 1.0]),
  ['Ü_tie', B, 2.5],
];

/** The fixture tables, as the views' queries name them; `values` is a keyword, hence quoted. */
export const SOURCES: DatasetSources = {
  featureFile: 'features',
  bacteria: 'bacteria',
  values: [{ firstFeature: '', source: '"values"' }],
  // Two parts, cut between the bacteria 'B_y' and 'a_z' (byte order): a query that read the wrong part would miss rows.
  topProducers: [
    { firstBacterium: '', source: `(SELECT * FROM top_producers WHERE bacterium < ${quoteLiteral(a)})` },
    { firstBacterium: a, source: `(SELECT * FROM top_producers WHERE bacterium >= ${quoteLiteral(a)})` },
  ],
};

/** The FROM-item of one bacterium's shard table. */
export const shard = (bacterium: string) => quoteIdent(`shard ${bacterium}`);

const sqlValue = (v: string | number | null) =>
  v === null ? 'NULL' : typeof v === 'number' ? `${v}::DOUBLE` : quoteLiteral(v);
const rows = (items: (string | number | null)[][]) => items.map((r) => `(${r.map(sqlValue).join(', ')})`).join(',\n');

/** Statements creating tables shaped like the build's Parquet files, derived the way the build derives them. */
export function fixtureStatements(): string[] {
  return [
    `CREATE TABLE "values" AS
       SELECT feature::VARCHAR AS feature, bacterium::VARCHAR AS bacterium, value::DOUBLE AS value
       FROM (VALUES ${rows(VALUES)}) AS t(feature, bacterium, value) ORDER BY feature, bacterium`,
    `CREATE TABLE features AS
       SELECT f.name, f.label, f.type, f.mz::DOUBLE AS mz, f.rt::DOUBLE AS rt, count(v.value)::INTEGER AS n_values,
              min(v.value) AS min_value, max(v.value) AS max_value
         FROM (VALUES ${rows(FEATURES)}) AS f(name, label, type, mz, rt) LEFT JOIN "values" AS v ON v.feature = f.name
        GROUP BY ALL ORDER BY f.name`,
    `CREATE TABLE bacteria AS
       SELECT m.id, replace(m.id, '_', ' ') AS name, m.position::INTEGER AS position,
              count(v.value)::INTEGER AS n_values, count(v.value) FILTER (WHERE v.value > 0)::INTEGER AS n_positive,
              min(v.value) AS min_value, max(v.value) AS max_value
         FROM (VALUES ${BACTERIA.map((id, i) => `(${quoteLiteral(id)}, ${i})`).join(', ')}) AS m(id, position)
         LEFT JOIN "values" AS v ON v.bacterium = m.id
        GROUP BY ALL ORDER BY m.id`,
    `CREATE TABLE top_producers AS
       SELECT t.bacterium, t.feature, nullif(f.label, f.name) AS label, f.type, t.rank, t.value FROM (
         SELECT feature, bacterium, value,
                row_number() OVER (PARTITION BY feature ORDER BY value DESC, bacterium ASC)::INTEGER AS rank
           FROM "values" WHERE value > 0) AS t JOIN features AS f ON f.name = t.feature
        WHERE t.rank <= 10 ORDER BY t.bacterium, t.feature`,
    ...BACTERIA.map(
      (id) =>
        `CREATE TABLE ${shard(id)} AS ${bacteriumShardSelect(`(
       SELECT v.feature, f.label, f.type, v.value FROM "values" AS v JOIN features AS f ON f.name = v.feature
        WHERE v.bacterium = ${quoteLiteral(id)})`)}`,
    ),
  ];
}

/** An in-memory DuckDB holding the fixture, and a runner that binds a Query's params. */
export async function openFixture(): Promise<{ run<T>(q: Query): Promise<T[]>; close(): void }> {
  const { duck, close } = await openDuck(1);
  for (const sql of fixtureStatements()) await duck.run(sql);
  return { run: <T>(q: Query) => queryRows<T>(duck, q.sql, q.params as DuckDBValue[]), close };
}

/** The same fixture in duckdb-wasm 1.28.0 (DuckDB 0.9), the browser's engine, through its blocking node bundle. */
export async function openWasmFixture(): Promise<{ run<T>(q: Query): T[]; close(): void }> {
  const wasm = await openWasm();
  for (const sql of fixtureStatements()) wasm.query(sql);
  return { run: <T>(q: Query) => wasm.query<T>(q.sql, q.params), close: () => wasm.close() };
}
