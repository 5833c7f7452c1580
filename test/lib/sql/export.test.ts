import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySql, csvRowsSelect, exportColumns } from '../../../src/lib/sql/export.ts';
import { readParquet } from '../../helpers/build.ts';
import { openWasm, type WasmDatabase } from '../../helpers/wasm.ts';

// The explorer's Parquet is made by duckdb-wasm 1.28 from the CSV text papaparse writes: text that needs quoting,
// NULLs and numbers must come back as the rows were.
const ROWS = [
  { feature: 'M1, "quoted"', label: 'line\nbreak', bacterium: ' leading space', rank: 1, value: 0.1 + 0.2 },
  { feature: 'Ü unicode ✓', label: "it's", bacterium: 'B', rank: 2, value: -1e-300 },
  { feature: 'M3', label: 'plain', bacterium: 'C', rank: 3, value: null },
];

let wasm: WasmDatabase;
let dir: string;
beforeAll(async () => {
  wasm = await openWasm();
  dir = await mkdtemp(join(tmpdir(), 'metanexus-export-'));
});
afterAll(() => wasm?.close());

describe('exportColumns', () => {
  it('types a column DOUBLE when every value is a number or NULL, else VARCHAR, in the first row’s order', () => {
    expect(exportColumns(ROWS)).toEqual([
      { name: 'feature', type: 'VARCHAR' },
      { name: 'label', type: 'VARCHAR' },
      { name: 'bacterium', type: 'VARCHAR' },
      { name: 'rank', type: 'DOUBLE' },
      { name: 'value', type: 'DOUBLE' },
    ]);
    expect(
      exportColumns([
        { row: 'Net Balance', v: null },
        { row: 2, v: 1 },
      ]),
    ).toEqual([
      { name: 'row', type: 'VARCHAR' },
      { name: 'v', type: 'DOUBLE' },
    ]);
  });

  it('refuses no rows with a clear error', () => {
    expect(() => exportColumns([])).toThrow('there are no rows to save');
  });
});

describe('the Parquet of a CSV, in duckdb-wasm', () => {
  it('holds the CSV rows: quoted text, NULL and every bit of each double', async () => {
    const csv = join(dir, 'rows.csv');
    const parquet = join(dir, 'rows.parquet');
    await writeFile(csv, Papa.unparse(ROWS));
    wasm.query(copySql(csvRowsSelect(csv, exportColumns(ROWS)), parquet, 'parquet'), []);
    expect(await readParquet(parquet)).toEqual(ROWS);
  });
});
