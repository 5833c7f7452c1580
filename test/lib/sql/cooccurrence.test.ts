import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cooccurrenceProblem,
  cooccurrenceQuery,
  type CooccurrenceRow,
  type Mode,
} from '../../../src/lib/sql/cooccurrence.ts';
import type { TypeFilter } from '../../../src/lib/feature-types.ts';
import { A, B, U, a, b, openFixture, openWasmFixture, SOURCES } from './fixture.ts';

const query = (bacteria: string[], mode: Mode, type: TypeFilter = 'all', limit: number | null = null) =>
  cooccurrenceQuery(SOURCES, { bacteria, mode, type, limit });
/** Rows as "feature bacterium#rank value peak/total", compact enough to check by eye. */
const brief = (rows: CooccurrenceRow[]) =>
  rows.map((r) => `${r.feature} ${r.bacterium}#${r.rank} ${r.value} ${r.peak}/${r.total}`);

/** Answers worked out by hand from the top producers listed in fixture.ts. */
const CASES: {
  title: string;
  bacteria: string[];
  mode: Mode;
  type?: TypeFilter;
  limit?: number;
  expected: string[];
}[] = [
  {
    // Both B_y and a_z top producers: F_but (2.5, 2.5), butyrate (2.5, 0.1), F_tie (1.0, 1.0). F_isobut lacks B_y,
    // M88T30_POS, F_but2 and Ü_tie lack a_z. Peak ties at 2.5 by id: 'F_but' < 'butyrate'.
    title: 'all: features with every selected bacterium among their top producers, by peak then id',
    bacteria: [B, a],
    mode: 'all',
    expected: [
      `F_but ${B}#1 2.5 2.5/3`,
      `F_but ${a}#2 2.5 2.5/3`,
      `butyrate ${B}#1 2.5 2.5/3`,
      `butyrate ${a}#3 0.1 2.5/3`,
      `F_tie ${B}#2 1 1/3`,
      `F_tie ${a}#3 1 1/3`,
    ],
  },
  {
    title: 'all ignores duplicates in the selection',
    bacteria: [B, a, B],
    mode: 'all',
    type: 'all',
    limit: 1,
    expected: [`F_but ${B}#1 2.5 2.5/3`, `F_but ${a}#2 2.5 2.5/3`],
  },
  {
    // Any of B_y, a_z: M88T30_POS 4.0; then at 2.5 F_but, F_but2, butyrate, Ü_tie (bytes: 'F' < 'b' < 'Ü');
    // F_isobut 1.5 (a_z only); F_tie 1.0. The peak is over the selected bacteria only (F_but2's b_w 3.0 is not).
    title: 'any: features with at least one selected top producer, by peak then id',
    bacteria: [B, a],
    mode: 'any',
    expected: [
      `M88T30_POS ${B}#1 4 4/7`,
      `F_but ${B}#1 2.5 2.5/7`,
      `F_but ${a}#2 2.5 2.5/7`,
      `F_but2 ${B}#2 2.5 2.5/7`,
      `butyrate ${B}#1 2.5 2.5/7`,
      `butyrate ${a}#3 0.1 2.5/7`,
      `Ü_tie ${B}#1 2.5 2.5/7`,
      `F_isobut ${a}#1 1.5 1.5/7`,
      `F_tie ${B}#2 1 1/7`,
      `F_tie ${a}#3 1 1/7`,
    ],
  },
  {
    title: 'limit keeps the first features, with all their rows, and total counts them all',
    bacteria: [B, a],
    mode: 'any',
    limit: 2,
    expected: [`M88T30_POS ${B}#1 4 4/7`, `F_but ${B}#1 2.5 2.5/7`, `F_but ${a}#2 2.5 2.5/7`],
  },
  {
    title: 'the type filter applies before the limit and the total',
    bacteria: [B, a],
    mode: 'any',
    type: 'by_name',
    limit: 1,
    expected: [`F_but ${B}#1 2.5 2.5/6`, `F_but ${a}#2 2.5 2.5/6`],
  },
  {
    title: 'a type without a match gives no rows',
    bacteria: [B, a],
    mode: 'all',
    type: 'by_positive',
    expected: [],
  },
  {
    // A_x, B_y and U are all top producers of M88T30_POS (2.0, 4.0, 1.0) and F_tie (all 1.0), of nothing else.
    title: 'all of three bacteria, rows by rank within a feature',
    bacteria: [U, A, B],
    mode: 'all',
    expected: [
      `M88T30_POS ${B}#1 4 4/2`,
      `M88T30_POS ${A}#2 2 4/2`,
      `M88T30_POS ${U}#3 1 4/2`,
      `F_tie ${A}#1 1 1/2`,
      `F_tie ${B}#2 1 1/2`,
      `F_tie ${U}#5 1 1/2`,
    ],
  },
  {
    // b_w and U share F_isobut (1.5, 0.25) and F_tie (1.0, 1.0); U's id has a comma, quotes and an ampersand.
    title: 'a hostile bacterium id is only a value',
    bacteria: [b, U],
    mode: 'all',
    expected: [`F_isobut ${b}#2 1.5 1.5/2`, `F_isobut ${U}#3 0.25 1.5/2`, `F_tie ${b}#4 1 1/2`, `F_tie ${U}#5 1 1/2`],
  },
  {
    title: 'more than 10 bacteria can never all be top producers',
    bacteria: [A, B, a, b, U, ...Array.from({ length: 6 }, (_, i) => `extra_${i}`)],
    mode: 'all',
    expected: [],
  },
  {
    title: 'an empty selection is valid SQL with no rows',
    bacteria: [],
    mode: 'any',
    expected: [],
  },
];

const run = (c: (typeof CASES)[number]) => query(c.bacteria, c.mode, c.type, c.limit);

describe('cooccurrenceQuery', () => {
  let fx: Awaited<ReturnType<typeof openFixture>>;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(() => fx.close());

  for (const c of CASES)
    it(c.title, async () => expect(brief(await fx.run<CooccurrenceRow>(run(c)))).toEqual(c.expected));

  it("returns label and type from the top producers' rows, numbers as numbers", async () => {
    const [first] = await fx.run<CooccurrenceRow>(query([B, a], 'all', 'all', 1));
    expect(first).toEqual({
      feature: 'F_but',
      label: 'Butyrate',
      type: 'by_name',
      bacterium: B,
      rank: 1,
      value: 2.5,
      peak: 2.5,
      total: 3,
    });
  });

  it('binds the ids, the count for "all", the type and the limit', () => {
    const q = query([U, A, U], 'all', 'by_name', 20);
    expect(q.params).toEqual([U, A, 2, 'by_name', 20]);
    // One equality scan per distinct bacterium, of the part holding it, so that duckdb-wasm 1.28 skips to its row
    // groups: Ü sorts after 'a_z', where the second part begins, A before.
    expect(q.sql).toContain(
      'WITH sel AS MATERIALIZED (\n' +
        '    SELECT bacterium, feature, coalesce(label, feature) AS label, type, rank, value' +
        " FROM (SELECT * FROM top_producers WHERE bacterium >= 'a_z') WHERE bacterium = ?\n" +
        '    UNION ALL SELECT bacterium, feature, coalesce(label, feature) AS label, type, rank, value' +
        " FROM (SELECT * FROM top_producers WHERE bacterium < 'a_z') WHERE bacterium = ?\n)",
    );
    expect(q.sql).toContain('HAVING count(DISTINCT bacterium) = ?');
    expect(q.sql).not.toContain('features');
    expect(q.sql).toContain('WHERE type = ?');
    expect(q.sql).toContain('count(*) OVER ()::INTEGER AS total');
    expect(q.sql).toContain('row_number() OVER (ORDER BY peak DESC, encode(feature) ASC) AS ord');
    expect(q.sql).toMatch(/WHERE r\.ord <= \?\n ORDER BY r\.ord, s\.rank$/);
    expect(q.sql).not.toContain(U);
    expect(q.sql).not.toContain(A);
    expect(q.sql).not.toMatch(/by_name|20/);
  });

  it('has no HAVING for "any", no type clause for all types, and no limit for a null one', () => {
    const q = query([A, B], 'any');
    expect(q.params).toEqual([A, B]);
    expect(q.sql).not.toContain('HAVING');
    expect(q.sql).not.toContain('type = ?');
    expect(q.sql).not.toContain('r.ord <= ?');
  });

  it('gives the same answers in duckdb-wasm 1.28, the browser engine', async () => {
    const wasm = await openWasmFixture();
    try {
      for (const c of CASES) expect(brief(wasm.run<CooccurrenceRow>(run(c))), c.title).toEqual(c.expected);
    } finally {
      wasm.close();
    }
  });
});

describe('cooccurrenceProblem', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `b${i}`);

  it('asks for at least 2 bacteria', () => {
    expect(cooccurrenceProblem([], 'all', 10)).toBe('Select at least 2 bacteria');
    expect(cooccurrenceProblem(['x'], 'any', 10)).toBe('Select at least 2 bacteria');
    expect(cooccurrenceProblem(['x', 'x'], 'any', 10)).toBe('Select at least 2 bacteria');
  });

  it('explains that more than the top producers a feature keeps can never all be top producers', () => {
    expect(cooccurrenceProblem(ids(5), 'all', 4)).toMatch(/^5 bacteria are selected, but a metabolite has only 4 top/);
    expect(cooccurrenceProblem(ids(10), 'all', 10)).toBeNull();
    expect(cooccurrenceProblem(ids(11), 'all', 10)).toBe(
      '11 bacteria are selected, but a metabolite has only 10 top producers: no metabolite can have all of them. ' +
        'Select at most 10, or switch to "any of them".',
    );
    expect(cooccurrenceProblem(ids(11), 'any', 10)).toBeNull();
    expect(cooccurrenceProblem(ids(2), 'all', 10)).toBeNull();
  });
});
