/** Build-time (Node only) access to the published data: the manifest and the per-bacterium shards. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  FEATURE_TYPES,
  parseManifest,
  type Bacterium,
  type Dataset,
  type FeatureType,
  type FileEntry,
  type Manifest,
} from './manifest.ts';
import { bacteriumSlugs } from './slug.ts';
import { bacteriumProfileQuery } from './sql/landscape.ts';
import { parquetSource } from './sql/sources.ts';

/** One row of a bacterium shard: a feature, its display label, its type and the bacterium's value for it. */
export interface ShardRow {
  feature: string;
  label: string;
  type: FeatureType;
  value: number;
}

/** The published data: `public/data`, or `data` in the public folder that astro.config.mjs takes from the env. */
export const DATA_DIR = join(process.env.METANEXUS_PUBLIC_DIR ?? 'public', 'data');

const manifests = new Map<string, Promise<Manifest>>();

/** Reads and validates `<dataDir>/manifest.json`, once per folder and process. */
export function loadManifest(dataDir = DATA_DIR): Promise<Manifest> {
  const key = resolve(dataDir);
  let manifest = manifests.get(key);
  if (!manifest) {
    manifest = readManifest(dataDir);
    manifests.set(key, manifest);
    manifest.catch(() => manifests.delete(key));
  }
  return manifest;
}

async function readManifest(dataDir: string): Promise<Manifest> {
  const path = join(dataDir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${path} is missing: run \`npm run build:data\` first`, { cause: error });
    }
    throw error;
  }
  return parseManifest(JSON.parse(text));
}

/** One page per dataset and bacterium, with the bacterium's slug (unique within its dataset). */
export function bacteriumPages(manifest: Manifest): { dataset: Dataset; bacterium: Bacterium; slug: string }[] {
  return manifest.datasets.flatMap((dataset) => {
    const slugs = bacteriumSlugs(dataset.bacteria.map((b) => b.id));
    return dataset.bacteria.map((bacterium) => ({ dataset, bacterium, slug: slugs.get(bacterium.id)! }));
  });
}

let instance: Promise<DuckDBInstance> | undefined;

/**
 * The `n` highest values of a shard (value DESC) and its `n` lowest (value ASC), ties by feature id ascending.
 * They overlap when the shard has fewer than 2n rows.
 */
export async function readBacteriumExtremes(
  dataDir: string,
  file: FileEntry,
  n = 10,
): Promise<{ top: ShardRow[]; bottom: ShardRow[] }> {
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a whole number >= 0, got ${n}`);
  instance ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const duck = await (await instance).connect();
  try {
    // The explorer's own Top/Bottom N query, so the page and the explorer always agree.
    const read = async (show: 'top' | 'bottom') => {
      const { sql, params } = bacteriumProfileQuery(parquetSource(join(dataDir, file.path)), { type: 'all', show, n });
      const rows = (await duck.runAndReadAll(sql, params)).getRowObjectsJS() as unknown as ShardRow[];
      for (const row of rows) {
        if (!FEATURE_TYPES.includes(row.type))
          throw new Error(`${file.path}: unknown type ${JSON.stringify(row.type)}`);
      }
      return rows;
    };
    return { top: await read('top'), bottom: await read('bottom') };
  } finally {
    duck.closeSync();
  }
}
