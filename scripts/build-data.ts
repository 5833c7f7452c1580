import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestFiles, manifestSchema, type Manifest } from '../src/lib/manifest.ts';
import type { Config } from './config.ts';
import { openDuck } from './duck.ts';
import { extract, type ExtractedTable } from './extract.ts';
import type { Log } from './log.ts';
import { createPool, withRetry } from './pg-session.ts';
import { precompute, TOP_PRODUCER_RANKS, type DatasetOutput } from './precompute.ts';
import { publishPaths, recoverPublish, swapIn, validateStaging, writeManifest } from './publish.ts';

export interface BuildDataOptions {
  connectionString: string;
  config: Config;
  /** The published data folder, e.g. public/data. */
  out: string;
  poolSize: number;
  statementTimeoutMs: number;
  source: Manifest['source'];
  /** Whole-extraction attempts on transient connection errors. */
  attempts?: number;
  retryDelayMs?: number;
  log: Log;
  /** Build time, injectable so tests can compare two builds. */
  now?: Date;
}

export interface BuildReport {
  builtAt: string;
  dataVersion: string;
  source: Manifest['source'];
  poolSize: number;
  datasets: { id: string; table: string; sourceRows: number; skippedRows: number; bacteriaColumns: number; counts: DatasetOutput['counts'] }[];
  files: { count: number; bytes: number; byKind: Record<string, { count: number; bytes: number }> };
  timings: Record<string, number>;
  /** Peak resident memory of the build process so far, in MiB. */
  peakMemoryMiB: number;
  warnings: string[];
}

function fileKind(path: string): string {
  return path.includes('/bacteria/') ? 'bacterium shards' : path.split('/').pop()!.split('.')[0]!;
}

function summarizeFiles(manifest: Manifest): BuildReport['files'] {
  const files = manifestFiles(manifest);
  const byKind: BuildReport['files']['byKind'] = {};
  for (const f of files) {
    const kind = (byKind[fileKind(f.path)] ??= { count: 0, bytes: 0 });
    kind.count += 1;
    kind.bytes += f.bytes;
  }
  return { count: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0), byKind };
}

/**
 * The whole data build: extract from PostgreSQL, precompute with DuckDB into a staging folder, validate, and swap
 * it in for `out`. Any failure leaves `out` as it was.
 */
export async function buildData(options: BuildDataOptions): Promise<BuildReport> {
  const { config, out, poolSize, log } = options;
  for (const note of await recoverPublish(out)) log.info(note);
  const { staging } = publishPaths(out);
  const rawDir = await mkdtemp(join(tmpdir(), 'metanexus-extract-'));
  const pool = createPool(options);
  const { duck, close } = await openDuck();
  try {
    const tables: ExtractedTable[] = await log.step('extract', () =>
      withRetry(() => extract(config.datasets, { pool, poolSize, dir: rawDir, log }), {
        attempts: options.attempts ?? 4,
        baseDelayMs: options.retryDelayMs ?? 1_000,
        onRetry: (error, attempt) => log.warn(`extract attempt ${attempt} failed (${error.message}); retrying`),
      }),
    );
    await pool.end();
    const outputs = await log.step('precompute', async () => {
      const list: DatasetOutput[] = [];
      for (const table of tables) list.push(await precompute(table, { duck, root: staging, log }));
      return list;
    });
    await rm(rawDir, { recursive: true, force: true });

    const datasets = tables.map((t, i) => ({ ...t, output: outputs[i]! }));
    for (const d of datasets) {
      const written = d.output.counts.features + d.output.skippedRows;
      if (written !== d.sourceRows) {
        throw new Error(`validate: ${d.schema.table}: ${d.sourceRows} rows in the source, ${written} extracted`);
      }
    }
    const hashes = datasets.flatMap((d) => [...Object.values(d.output.files), ...d.output.bacteria.map((b) => b.file)]);
    const dataVersion = createHash('sha256')
      .update(hashes.map((f) => f.sha256).join('\n'))
      .digest('hex')
      .slice(0, 12);
    const builtAt = (options.now ?? new Date()).toISOString();
    const manifest = manifestSchema.parse({
      schemaVersion: 1,
      builtAt,
      dataVersion,
      source: options.source,
      topProducerRanks: TOP_PRODUCER_RANKS,
      datasets: datasets.map((d) => ({
        id: d.dataset.id,
        title: d.dataset.title,
        counts: d.output.counts,
        files: d.output.files,
        bacteria: d.output.bacteria,
      })),
    });
    await log.step('validate', () => validateStaging(duck, staging, manifest));
    const report: BuildReport = {
      builtAt,
      dataVersion,
      source: options.source,
      poolSize,
      datasets: datasets.map((d) => ({
        id: d.dataset.id,
        table: `${d.schema.schema}.${d.schema.table}`,
        sourceRows: d.sourceRows,
        skippedRows: d.output.skippedRows,
        bacteriaColumns: d.schema.bacteria.length,
        counts: d.output.counts,
      })),
      files: summarizeFiles(manifest),
      timings: log.timings,
      peakMemoryMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      warnings: log.warnings,
    };
    await log.step('publish', async () => {
      await writeManifest(staging, manifest, report);
      await swapIn(staging, out);
    });
    return report;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    close();
    await pool.end().catch(() => {});
    await rm(rawDir, { recursive: true, force: true });
  }
}
