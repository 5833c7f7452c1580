import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildData,
  type BuildDataOptions,
  type BuildOutcome,
  type BuildReport,
} from '../../scripts/build/build-data.ts';
import { openDuck, queryRows } from '../../scripts/build/duck.ts';
import { silentLog } from '../../scripts/build/log.ts';
import { parseManifest, type Manifest } from '../../src/lib/manifest.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';

export const FIXTURE_CONFIG = {
  datasets: [
    { id: 'vivo', title: 'Vivo', table: 'vivo', schema: 'public' },
    { id: 'vitro', title: 'Vitro', table: 'vitro', schema: 'public' },
  ],
};

/** Runs the data build (of the fixture's tables unless `config` says otherwise) into `out`; returns what it did. */
export function runBuild(
  connectionString: string,
  options: Partial<BuildDataOptions> & { out: string },
): Promise<BuildOutcome> {
  return buildData({
    connectionString,
    config: FIXTURE_CONFIG,
    poolSize: 2,
    statementTimeoutMs: 60_000,
    source: 'database',
    log: silentLog(),
    retryDelayMs: 50,
    ...options,
  });
}

/**
 * Runs a whole data build (forced: even when `out` already holds data of the same source) into a fresh temp folder
 * or `out`, and returns the parsed manifest.
 */
export async function buildInto(
  connectionString: string,
  options: Partial<BuildDataOptions> = {},
): Promise<{ out: string; manifest: Manifest; report: BuildReport }> {
  const out = options.out ?? join(await mkdtemp(join(tmpdir(), 'metanexus-out-')), 'data');
  const outcome = await runBuild(connectionString, { force: true, ...options, out });
  if (outcome.status !== 'rebuilt') throw new Error(`buildInto: ${out} left as it was (source unchanged)`);
  const manifest = parseManifest(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')));
  return { out, manifest, report: outcome.report };
}

/** Reads a published Parquet file back with a query of the test's own, over the file as view `t`. */
export async function readParquet<T = Record<string, unknown>>(path: string, query = 'SELECT * FROM t'): Promise<T[]> {
  const { duck, close } = await openDuck(1);
  try {
    await duck.run(`CREATE VIEW t AS SELECT * FROM read_parquet(${quoteLiteral(path)})`);
    return await queryRows<T>(duck, query);
  } finally {
    await close();
  }
}
