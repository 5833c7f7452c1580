import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureLabelQueries } from '../../../src/lib/sql/features.ts';
import type { Query } from '../../../src/lib/sql/sources.ts';
import { FEATURES, openFixture, openWasmFixture, SOURCES } from './fixture.ts';

// Unsorted on purpose, with an SQL-looking label, a non-ASCII id and an id that is no feature.
const NAMES = ['F_sql', 'Ü_tie', 'M88T30_POS', 'nope'];
const EXPECTED = NAMES.flatMap((name) =>
  FEATURES.filter((f) => f[0] === name).map(([n, label, type]) => ({ name: n, label, type })),
);

describe('featureLabelQueries', () => {
  let fx: Awaited<ReturnType<typeof openFixture>>;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(() => fx.close());

  it('answers label and type of each id, one query per id, nothing for an unknown id', async () => {
    const queries = featureLabelQueries(SOURCES.featureFile, NAMES);
    expect(queries).toHaveLength(NAMES.length);
    const answers = await Promise.all(queries.map((q) => fx.run(q)));
    expect(answers.flat()).toEqual(EXPECTED);
    expect(answers[3]).toEqual([]);
  });

  it('binds the id as an equality, which duckdb-wasm 1.28 prunes row groups by', () => {
    const [q] = featureLabelQueries('f', ["x'; <b>"]) as [Query];
    expect(q.sql).toBe('SELECT name, label, type FROM f WHERE name = ?');
    expect(q.params).toEqual(["x'; <b>"]);
  });

  it('gives the same answers in duckdb-wasm 1.28, the browser engine', async () => {
    const wasm = await openWasmFixture();
    try {
      expect(featureLabelQueries(SOURCES.featureFile, NAMES).flatMap((q) => wasm.run(q))).toEqual(EXPECTED);
    } finally {
      wasm.close();
    }
  });
});
