import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Comparison, Dataset } from '../../src/lib/manifest.ts';
import {
  ambiguousKeysSql,
  comparisonRowsSql,
  matchedMetabolitesSql,
  type ComparedSide,
} from '../../src/lib/sql/compare.ts';
import { parquetSource } from '../../src/lib/sql/sources.ts';
import type { ComparisonConfig } from './config.ts';
import { queryRows } from './duck.ts';
import type { Log } from './log.ts';
import { writeParquet } from './parquet.ts';

type StagedDataset = Pick<Dataset, 'id' | 'files' | 'bacteria'>;

/**
 * The bacteria of x matched to those of y: the configuration's map first, then the same id in both, for the ids of
 * y no mapping claims. Throws, naming the id, when the map names a bacterium a dataset does not have.
 */
export function matchBacteria(
  config: ComparisonConfig,
  x: StagedDataset,
  y: StagedDataset,
): Pick<Comparison, 'bacteria' | 'unmatched'> {
  const xIds = x.bacteria.map((b) => b.id);
  const yIds = new Set(y.bacteria.map((b) => b.id));
  for (const [from, to] of Object.entries(config.bacteria)) {
    const missing = !xIds.includes(from) ? { id: from, d: x } : !yIds.has(to) ? { id: to, d: y } : undefined;
    if (missing) {
      throw new Error(
        `compare: comparison.bacteria maps ${JSON.stringify(from)} to ${JSON.stringify(to)}, ` +
          `but ${missing.d.id} has no bacterium ${JSON.stringify(missing.id)}`,
      );
    }
  }
  const claimed = new Set(Object.values(config.bacteria));
  const bacteria = xIds.flatMap((id) => {
    const mapped = config.bacteria[id] ?? (yIds.has(id) && !claimed.has(id) ? id : undefined);
    return mapped === undefined ? [] : [{ x: id, y: mapped }];
  });
  const paired = { x: new Set(bacteria.map((b) => b.x)), y: new Set(bacteria.map((b) => b.y)) };
  return {
    bacteria,
    unmatched: {
      [x.id]: xIds.filter((id) => !paired.x.has(id)),
      [y.id]: [...yIds].filter((id) => !paired.y.has(id)),
    },
  };
}

/**
 * Writes the comparison file of two staged datasets into `root` (the staging folder) and returns its manifest entry;
 * undefined when the configuration compares nothing. Runs after every dataset is precomputed, on their staged files.
 */
export async function buildComparison(
  config: ComparisonConfig | undefined,
  datasets: StagedDataset[],
  { duck, root, log }: { duck: DuckDBConnection; root: string; log: Log },
): Promise<Comparison | undefined> {
  if (!config) return undefined;
  // The configuration was checked to name configured datasets, which are all staged.
  const [x, y] = config.datasets.map((id) => datasets.find((d) => d.id === id)!) as [StagedDataset, StagedDataset];
  const side = (d: StagedDataset): ComparedSide => ({
    dataset: d.id,
    features: parquetSource(join(root, d.files.features.path)),
    values: parquetSource(d.files.values.map((p) => join(root, p.path))),
  });
  const [sx, sy] = [side(x), side(y)];
  const { bacteria, unmatched } = matchBacteria(config, x, y);
  const ambiguous: Record<string, string[]> = {};
  for (const s of [sx, sy]) {
    const keys = (await queryRows<{ key: string }>(duck, ambiguousKeysSql(s))).map((r) => r.key);
    ambiguous[s.dataset] = keys;
    if (keys.length > 0) {
      log.warn(
        `compare: ${s.dataset}: ${keys.length} annotated names shared by several features, left out of the ` +
          `comparison: ${keys
            .slice(0, 5)
            .map((k) => JSON.stringify(k))
            .join(', ')}`,
      );
    }
  }
  const [{ n }] = (await queryRows<{ n: number }>(
    duck,
    `SELECT count(*)::INTEGER AS n FROM (${matchedMetabolitesSql(sx, sy)})`,
  )) as [{ n: number }];
  const file = await writeParquet(duck, comparisonRowsSql(sx, sy, bacteria), {
    root,
    base: 'comparison',
    rowGroupSize: 2_048,
  });
  log.info(`compare: ${x.id} vs ${y.id}: ${bacteria.length} bacteria and ${n} annotated metabolites matched`);
  return { datasets: [x.id, y.id], bacteria, unmatched, matched: n, ambiguous, file };
}
