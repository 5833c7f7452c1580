import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  featureCellsQueries,
  heatmapGrid,
  MAX_LABELLED_CELLS,
  shouldPrintValues,
  type HeatmapCellRow,
} from '../../../src/lib/sql/network.ts';
import type { Query } from '../../../src/lib/sql/sources.ts';
import { A, U, VALUES, b, openFixture, openWasmFixture, SOURCES } from './fixture.ts';

const byKey = (x: HeatmapCellRow, y: HeatmapCellRow) =>
  x.feature.localeCompare(y.feature) || x.bacterium.localeCompare(y.bacterium);

// Selection order on purpose unsorted; F_pct has no values and 'nope' is no feature at all.
const BACTERIA = [U, A, b];
const FEATURES = ['M88T31_NEG', 'F_but', 'F_pct', 'nope'];
const PARTS = [
  { firstFeature: '', source: `(SELECT * FROM "values" WHERE feature < 'G')` },
  { firstFeature: 'G', source: `(SELECT * FROM "values" WHERE feature >= 'G')` },
];

/** Every measured cell of FEATURES, from the fixture's list of values rather than through SQL. */
const CELLS: HeatmapCellRow[] = VALUES.filter(([feature]) => FEATURES.includes(feature)).map(
  ([feature, bacterium, value]) => ({ feature, bacterium, value }),
);

describe('featureCellsQueries', () => {
  let fx: Awaited<ReturnType<typeof openFixture>>;
  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(() => fx.close());
  const runAll = async (queries: Query[]) => (await Promise.all(queries.map((q) => fx.run<HeatmapCellRow>(q)))).flat();

  it('returns every measured cell of each feature, one query per feature', async () => {
    const queries = featureCellsQueries(SOURCES, FEATURES);
    expect(queries).toHaveLength(FEATURES.length);
    expect(CELLS.length).toBeGreaterThan(3);
    expect((await runAll(queries)).sort(byKey)).toEqual([...CELLS].sort(byKey));
  });

  it('answers each feature by itself, so a kept answer serves any later selection holding it', async () => {
    for (const [i, q] of featureCellsQueries(SOURCES, FEATURES).entries()) {
      expect((await fx.run<HeatmapCellRow>(q)).sort(byKey)).toEqual(
        CELLS.filter((c) => c.feature === FEATURES[i]).sort(byKey),
      );
    }
  });

  it('reads each feature from the values part that holds it', async () => {
    // Two parts cut at 'G' (byte order: 'F_but' and 'F_pct' before, 'M88T31_NEG' and 'nope' after): a feature
    // looked up in the wrong part would lose its cells.
    const rows = await runAll(featureCellsQueries({ ...SOURCES, values: PARTS }, FEATURES));
    expect(rows.sort(byKey)).toEqual([...CELLS].sort(byKey));
  });

  it('binds the feature, never writing it into the SQL', () => {
    const [q] = featureCellsQueries(SOURCES, ["x'; <b>"]);
    expect(q!.params).toEqual(["x'; <b>"]);
    expect(q!.sql).toContain('WHERE feature = ? AND value IS NOT NULL');
    expect(q!.sql).not.toMatch(/x'|<b>/);
    expect(featureCellsQueries(SOURCES, [])).toEqual([]);
  });

  it('gives the same cells in duckdb-wasm 1.28, the browser engine', async () => {
    const wasm = await openWasmFixture();
    try {
      for (const values of [SOURCES.values, PARTS]) {
        const rows = featureCellsQueries({ ...SOURCES, values }, FEATURES).flatMap((q) => wasm.run<HeatmapCellRow>(q));
        expect(rows.sort(byKey)).toEqual([...CELLS].sort(byKey));
      }
    } finally {
      wasm.close();
    }
  });
});

describe('heatmapGrid', () => {
  const grid = heatmapGrid(CELLS, BACTERIA, FEATURES);
  const values = grid.rows.map((r) => r.cells.map((c) => c.value));

  it('keeps the selection order of rows and columns, Net Balance first', () => {
    expect(grid.columns).toEqual(FEATURES);
    expect(grid.rows.map((r) => r.label)).toEqual(['Net Balance', `Ü,'&" 🦠`, 'A x', 'b w']);
    expect(grid.rows.map((r) => r.kind)).toEqual(['balance', 'bacterium', 'bacterium', 'bacterium']);
  });

  it('keeps NULL cells NULL and sums the balance with NULL as 0', () => {
    expect(values).toEqual([
      // M88T31_NEG: -1 + 0 + 0; F_but: -3 + 1 + 0; F_pct and nope: no values at all, so 0, not NULL.
      [-1, -2, 0, 0],
      [null, -3, null, null],
      [-1, 1, null, null],
      [null, null, null, null],
    ]);
  });

  it('names each cell by feature and bacterium, with no bacterium in the balance row', () => {
    expect(grid.rows[0]!.cells[1]).toEqual({ feature: 'F_but', bacterium: null, value: -2 });
    expect(grid.rows[1]!.cells[1]).toEqual({ feature: 'F_but', bacterium: U, value: -3 });
    const row = grid.rows[1]!;
    expect(row.kind === 'bacterium' ? row.bacterium : null).toBe(U);
  });

  it('keeps ids with separators apart', () => {
    // A key made with a separator would merge ('a|b', 'c') with ('a', 'b|c').
    const g = heatmapGrid([{ feature: 'a|b', bacterium: 'c', value: 5 }], ['c', 'b|c'], ['a|b', 'a']);
    expect(g.rows.map((r) => r.cells.map((c) => c.value))).toEqual([
      [5, 0],
      [5, null],
      [null, null],
    ]);
  });

  it('has only the balance row when no bacterium is selected', () => {
    expect(heatmapGrid([], [], ['F_but']).rows).toEqual([
      { kind: 'balance', label: 'Net Balance', cells: [{ feature: 'F_but', bacterium: null, value: 0 }] },
    ]);
  });
});

describe('shouldPrintValues', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it(`prints values up to ${MAX_LABELLED_CELLS} cells, the balance row included`, () => {
    expect(MAX_LABELLED_CELLS).toBe(400);
    expect(shouldPrintValues(heatmapGrid(CELLS, BACTERIA, FEATURES))).toBe(true);
    // 19 bacteria + Net Balance = 20 rows, x 20 columns = 400 cells.
    expect(shouldPrintValues(heatmapGrid([], ids('b', 19), ids('f', 20)))).toBe(true);
    // 20 + 1 rows x 20 columns = 420; 20 rows x 21 columns = 420.
    expect(shouldPrintValues(heatmapGrid([], ids('b', 20), ids('f', 20)))).toBe(false);
    expect(shouldPrintValues(heatmapGrid([], ids('b', 19), ids('f', 21)))).toBe(false);
    // 400 bacteria-less columns fit; 401 do not.
    expect(shouldPrintValues(heatmapGrid([], [], ids('f', 400)))).toBe(true);
    expect(shouldPrintValues(heatmapGrid([], [], ids('f', 401)))).toBe(false);
  });
});
