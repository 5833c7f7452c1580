import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { DatasetConfig } from './config.ts';
import type { SourceTable } from './fingerprint.ts';
import type { Log } from './log.ts';
import { settleAll, type SnapshotSession } from './pg-session.ts';
import type pg from 'pg';
import { inStep } from './pipeline-error.ts';
import { extractionColumns, qualifiedName, tableName, type TableSchema } from './schema.ts';
import { readSourceAggregates, sourceAggregateQueries, type DatasetAggregates } from './verify.ts';

/** One source table copied to CSV chunk files, all read from the same snapshot. */
export interface ExtractedTable {
  dataset: DatasetConfig;
  schema: TableSchema;
  /** Rows the source held in the snapshot, counted by PostgreSQL. */
  sourceRows: number;
  files: string[];
  /** Per-bacterium aggregates PostgreSQL computed in the same snapshot, which the staged files must equal. */
  aggregates: DatasetAggregates;
}

export interface ExtractEffects {
  /** The build's snapshot session: every read sees the same snapshot. */
  session: SnapshotSession;
  poolSize: number;
  /** Folder for the CSV chunks; created if missing. */
  dir: string;
  log: Log;
}

/** Splits `blocks` heap pages into at most `parts` ranges; the last range is open-ended. */
export function blockRanges(blocks: number, parts: number): [number, number | null][] {
  const n = Math.max(1, Math.min(parts, blocks));
  const size = Math.ceil(blocks / n) || 1;
  return Array.from({ length: n }, (_, i) => [i * size, i === n - 1 ? null : (i + 1) * size]);
}

function chunkQuery(t: TableSchema, [from, to]: [number, number | null]): string {
  // TID range scans (PostgreSQL 14+) read only these pages; the open end catches pages added since the count.
  const range = [`ctid >= '(${from},0)'::tid`, ...(to === null ? [] : [`ctid < '(${to},0)'::tid`])];
  return `COPY (SELECT ${extractionColumns(t).join(', ')} FROM ${qualifiedName(t)} WHERE ${range.join(' AND ')})
    TO STDOUT WITH (FORMAT csv)`;
}

/**
 * Copies every configured table (with the schema the fingerprint step discovered) out of PostgreSQL as CSV chunks,
 * several per table so the bounded pool reads in parallel, all inside the session's snapshot so the tables are
 * mutually consistent.
 */
export async function extract(sources: SourceTable[], { session, poolSize, dir, log }: ExtractEffects) {
  await mkdir(dir, { recursive: true });
  const tables = await settleAll(
    sources.map(({ dataset, schema }) =>
      session.run((client) =>
        inStep('extract', tableName(schema), async () => {
          const { rows } = await client.query<{ rows: string; blocks: string }>(
            `SELECT count(*) AS rows,
                    pg_relation_size($1::regclass) / current_setting('block_size')::bigint AS blocks
               FROM ${qualifiedName(schema)}`,
            [qualifiedName(schema)],
          );
          return { dataset, schema, sourceRows: Number(rows[0]!.rows), blocks: Number(rows[0]!.blocks) };
        }),
      ),
    ),
  );
  const chunksPerTable = Math.max(2, poolSize * 2);
  return await settleAll(
    tables.map(async ({ blocks, ...table }): Promise<ExtractedTable> => {
      const ranges = blockRanges(blocks, chunksPerTable);
      // Named inside the task, so that tasks failing fast after it repeat this error, not another table's name.
      const run = <T>(task: (client: pg.ClientBase) => Promise<T>) =>
        session.run((client) => inStep('extract', tableName(table.schema), () => task(client)));
      const [files, aggregates] = (await settleAll<unknown>([
        settleAll(
          ranges.map((range, i) =>
            run(async (client) => {
              const file = join(dir, `${table.dataset.id}-${String(i).padStart(3, '0')}.csv`);
              await pipeline(client.query(copyTo(chunkQuery(table.schema, range))), createWriteStream(file));
              return file;
            }),
          ),
        ),
        settleAll(sourceAggregateQueries(table.schema).map((q) => run((client) => readSourceAggregates(client, q)))),
      ])) as [string[], DatasetAggregates[]];
      log.info(
        `  ${table.dataset.id}: ${table.sourceRows} rows x ${table.schema.bacteria.length} bacteria ` +
          `in ${files.length} chunks`,
      );
      return { ...table, files, aggregates: Object.assign({}, ...aggregates) };
    }),
  );
}
