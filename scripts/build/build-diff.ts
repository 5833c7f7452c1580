import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { compareBytes } from '../../src/lib/byte-order.ts';
import type { Dataset, Manifest } from '../../src/lib/manifest.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { queryRows } from './duck.ts';

/** How many names of added or removed features a report lists; the counts are always whole. */
export const FEATURE_SAMPLE = 10;

/** Features one build has and the other lacks. */
export interface FeatureChanges {
  count: number;
  /** The first names in byte order, at most FEATURE_SAMPLE. */
  sample: string[];
}

/** What one dataset gained and lost since the previous build. */
export interface DatasetChanges {
  id: string;
  features: { added: FeatureChanges; removed: FeatureChanges };
  bacteria: { added: string[]; removed: string[] };
}

/** The difference from the previously published build. */
export interface BuildChanges {
  since: { builtAt: string; dataVersion: string };
  datasets: DatasetChanges[];
}

/** A published build: its data folder and manifest. */
export interface PublishedBuild {
  dir: string;
  manifest: Manifest;
}

function featureNames(build: PublishedBuild, dataset: Dataset | undefined): string {
  return dataset
    ? `SELECT name FROM read_parquet(${quoteLiteral(join(build.dir, dataset.files.features.path))})`
    : 'SELECT NULL::VARCHAR AS name WHERE false';
}

/**
 * One row: how many feature names `next` has that `previous` lacks and the reverse, each with a sample in byte
 * order.
 */
export function featureChangesQuery(previous: string, next: string, sample = FEATURE_SAMPLE): string {
  const side = (name: string) => `(SELECT count(*) FROM ${name})::INTEGER AS ${name}_count,
    (SELECT coalesce(list(name), []) FROM (SELECT name FROM ${name} ORDER BY name LIMIT ${sample})) AS ${name}_sample`;
  return `WITH previous AS (${previous}), next AS (${next}),
    added AS (SELECT name FROM next EXCEPT SELECT name FROM previous),
    removed AS (SELECT name FROM previous EXCEPT SELECT name FROM next)
    SELECT ${side('added')}, ${side('removed')}`;
}

const missingFrom = (ids: string[], other: Set<string>) => ids.filter((id) => !other.has(id)).sort(compareBytes);

/**
 * Features and bacteria added or removed per dataset, from `previous` to `next`; a dataset new to the configuration
 * counts everything as added, one dropped from it everything as removed. Feature names are read from both builds'
 * Parquet files.
 */
export async function diffBuilds(
  duck: DuckDBConnection,
  previous: PublishedBuild,
  next: PublishedBuild,
): Promise<BuildChanges> {
  const ids = [...new Set([...next.manifest.datasets, ...previous.manifest.datasets].map((d) => d.id))];
  const datasets: DatasetChanges[] = [];
  for (const id of ids) {
    const before = previous.manifest.datasets.find((d) => d.id === id);
    const after = next.manifest.datasets.find((d) => d.id === id);
    const [row] = await queryRows<{
      added_count: number;
      added_sample: string[];
      removed_count: number;
      removed_sample: string[];
    }>(duck, featureChangesQuery(featureNames(previous, before), featureNames(next, after)));
    const bacteriaBefore = before?.bacteria.map((b) => b.id) ?? [];
    const bacteriaAfter = after?.bacteria.map((b) => b.id) ?? [];
    datasets.push({
      id,
      features: {
        added: { count: row!.added_count, sample: row!.added_sample },
        removed: { count: row!.removed_count, sample: row!.removed_sample },
      },
      bacteria: {
        added: missingFrom(bacteriaAfter, new Set(bacteriaBefore)),
        removed: missingFrom(bacteriaBefore, new Set(bacteriaAfter)),
      },
    });
  }
  return { since: { builtAt: previous.manifest.builtAt, dataVersion: previous.manifest.dataVersion }, datasets };
}
