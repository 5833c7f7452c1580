import { parquetSource } from './sources.ts';
import { quoteLiteral } from './quote.ts';

/** The formats a page saves files in. */
export type ExportFormat = 'csv' | 'parquet';

/** `COPY (select) TO file`: CSV with a header row, or Parquet (ZSTD) that any reader of Parquet v1 reads. */
export function copySql(select: string, file: string, format: ExportFormat): string {
  const options = format === 'csv' ? 'FORMAT CSV, HEADER true' : 'FORMAT PARQUET, COMPRESSION ZSTD';
  return `COPY (${select}) TO ${quoteLiteral(file)} (${options})`;
}

/** A column of rows bound for a file: its name and SQL type. */
export interface ExportColumn {
  name: string;
  type: 'DOUBLE' | 'VARCHAR';
}

/**
 * The columns of a result table's CSV rows, in the order of the first row's keys: DOUBLE when every value that is
 * not NULL is a number, else VARCHAR. Numbers are never told apart as integers, so that a column keeps one type
 * whatever the selection.
 */
export function exportColumns(rows: Record<string, string | number | null>[]): ExportColumn[] {
  const first = rows[0];
  if (!first) throw new Error('there are no rows to save');
  return Object.keys(first).map((name) => ({
    name,
    type: rows.every((r) => r[name] === null || typeof r[name] === 'number') ? 'DOUBLE' : 'VARCHAR',
  }));
}

/**
 * The rows of a CSV file with a header row, read with the given types and no guessing (an empty field is NULL, as
 * the CSV writer wrote NULL), in file order.
 */
export function csvRowsSelect(file: string, columns: ExportColumn[]): string {
  const types = `{${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
  return `SELECT * FROM read_csv(${quoteLiteral(file)}, columns = ${types}, header = true, auto_detect = false,
    delim = ',', quote = '"', escape = '"')`;
}

/**
 * A bacterium's full profile for download: every feature with a value in its shard, with the feature's m/z and RT
 * (NULL when not recorded), highest value first as the page ranks them (the shard's precomputed rank: duckdb-wasm
 * 1.28 may sort text in the wrong byte order).
 */
export function bacteriumProfileFileSelect({ shard, features }: { shard: string; features: string }): string {
  return `SELECT s.feature, s.label, s.type, f.mz, f.rt, s.value
  FROM ${parquetSource(shard)} AS s LEFT JOIN ${parquetSource(features)} AS f ON f.name = s.feature
 ORDER BY s.rank_desc`;
}
