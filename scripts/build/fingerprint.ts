import { createHash } from 'node:crypto';
import type { Manifest } from '../../src/lib/manifest.ts';
import type { Config, DatasetConfig } from './config.ts';
import type { Log } from './log.ts';
import { settleAll, type SnapshotSession } from './pg-session.ts';
import { inStep } from './pipeline-error.ts';
import { discoverSchema, extractionColumns, qualifiedName, tableName, type TableSchema } from './schema.ts';

/**
 * Row count and an order-independent sum of 64-bit hashes of every row, as the build reads it (the extraction
 * columns, so skipped columns change nothing): one sequential scan, no sort, no data sent back.
 */
export function tableFingerprintQuery(t: TableSchema): string {
  return `SELECT count(*)::text AS rows,
    coalesce(sum(hashtextextended(ROW(${extractionColumns(t).join(', ')})::text, 0)), 0)::text AS hash
    FROM ${qualifiedName(t)}`;
}

/** What the fingerprint covers besides the tables, and where its warnings go. */
export interface FingerprintInputs {
  datasets: DatasetConfig[];
  /** The manifest carries it, so a new citation publishes again (left out of the hash when unset). */
  citation?: Config['citation'];
  /** The comparison's datasets and map of bacteria (left out of the hash when unset). */
  comparison?: Config['comparison'];
  code: string;
  source: Manifest['source'];
  log: Log;
}

/** A configured dataset and its source table's schema, as discovered once per build. */
export interface SourceTable {
  dataset: DatasetConfig;
  schema: TableSchema;
}

/**
 * The fingerprint of what a build would publish: the configuration, the code version, and per table its columns,
 * row count and content hash, all read in the session's snapshot. Equal fingerprints give equal data. Also returns
 * each table's schema, discovered here once for the whole build.
 */
export async function sourceFingerprint(
  session: SnapshotSession,
  inputs: FingerprintInputs,
): Promise<{ fingerprint: string; tables: SourceTable[] }> {
  const { datasets, citation, comparison, code, source, log } = inputs;
  const tables = await settleAll(
    datasets.map((dataset) =>
      session.run((client) =>
        inStep('fingerprint', tableName(dataset), async () => {
          const schema = await discoverSchema(client, dataset.schema, dataset.table, log);
          const { rows } = await client.query<{ rows: string; hash: string }>(tableFingerprintQuery(schema));
          return { dataset, schema, ...rows[0]! };
        }),
      ),
    ),
  );
  const hashed = tables.map(({ dataset, schema, rows, hash }) => ({
    dataset,
    columns: { metadata: schema.metadata, bacteria: schema.bacteria },
    rows,
    hash,
  }));
  return {
    fingerprint: createHash('sha256')
      .update(JSON.stringify({ code, source, citation, comparison, tables: hashed }))
      .digest('hex'),
    tables: tables.map(({ dataset, schema }) => ({ dataset, schema })),
  };
}
