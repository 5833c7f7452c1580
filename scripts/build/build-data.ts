import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { manifestFiles, manifestSchema, type Downloads, type Manifest } from '../../src/lib/manifest.ts';
import { diffBuilds } from './build-diff.ts';
import { buildComparison } from './compare.ts';
import { comparisonOf, type Config } from './config.ts';
import { publishDownloads } from './downloads.ts';
import { openDuck } from './duck.ts';
import { extract, type ExtractedTable } from './extract.ts';
import { codeVersion } from './code-version.ts';
import { sourceFingerprint } from './fingerprint.ts';
import type { Log } from './log.ts';
import { createPool, openSnapshotSession, withRetry } from './pg-session.ts';
import { tableName } from './schema.ts';
import { precompute, TOP_PRODUCER_RANKS, type DatasetOutput } from './precompute.ts';
import { publishPaths, readPublished, recoverPublish, swapIn, validateStaging, writeManifest } from './publish.ts';
import { renderReportMarkdown, summarizeFiles, type BuildReport } from './report.ts';
import { createScratch, removeStaleScratch } from './scratch.ts';
import { verifyComparison, verifyStaged, type DatasetVerification } from './verify.ts';

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
  /** Rebuild even when the source's fingerprint equals the published one. */
  force?: boolean;
  /** Rows per values file, about (tests use small parts to exercise the split). */
  valuesPartRows?: number;
  /** Rows per top-producers file, about (tests use small parts to exercise the split). */
  topProducerPartRows?: number;
  /** Rows per download part, about (tests use small parts to exercise the split). */
  downloadPartRows?: number;
  /** Test hook between precompute and validation: lets a test tamper with the staged files and their entries. */
  afterPrecompute?: (staging: string, outputs: DatasetOutput[]) => Promise<void>;
}

export type { BuildReport };

/** What a build did: rebuilt and published the data, or left it untouched because nothing had changed. */
export type BuildOutcome =
  { status: 'rebuilt'; report: BuildReport } | { status: 'unchanged'; fingerprint: string; builtAt: string };

/**
 * The whole data build: fingerprint the source and stop there when it equals the published data's; else extract
 * from PostgreSQL in the same snapshot, precompute with DuckDB into a staging folder, validate, report what changed,
 * and swap it in for `out`. Any failure leaves `out` as it was.
 */
export async function buildData(options: BuildDataOptions): Promise<BuildOutcome> {
  const { config, out, poolSize, log } = options;
  for (const note of await recoverPublish(out)) log.info(note);
  for (const stale of await removeStaleScratch()) log.info(`removed ${stale}, left by a build that is gone`);
  const published = await readPublished(out, log);
  const { staging } = publishPaths(out);
  const raw = await createScratch('extract');
  const pool = createPool(options);
  const { duck, close } = await openDuck();
  try {
    const code = await codeVersion(duck);
    const { fingerprint, tables } = await withRetry(
      async (): Promise<{ fingerprint: string; tables?: ExtractedTable[] }> => {
        const session = await openSnapshotSession(pool, poolSize);
        try {
          const source = await log.step('fingerprint', () =>
            sourceFingerprint(session, {
              datasets: config.datasets,
              citation: config.citation,
              comparison: config.comparison,
              code,
              source: options.source,
              log,
            }),
          );
          const { fingerprint } = source;
          if (!options.force && fingerprint === published?.fingerprint) return { fingerprint };
          const tables = await log.step('extract', () =>
            extract(source.tables, { session, poolSize, dir: raw.dir, log }),
          );
          return { fingerprint, tables };
        } finally {
          await session.close();
        }
      },
      {
        attempts: options.attempts ?? 4,
        baseDelayMs: options.retryDelayMs ?? 1_000,
        onRetry: (error, attempt) => log.warn(`extract attempt ${attempt} failed (${error.message}); retrying`),
      },
    );
    if (!tables) return { status: 'unchanged', fingerprint, builtAt: published!.builtAt };
    await pool.end();
    const outputs = await log.step('precompute', async () => {
      const list: DatasetOutput[] = [];
      for (const table of tables)
        list.push(
          await precompute(table, {
            duck,
            root: staging,
            log,
            valuesPartRows: options.valuesPartRows,
            topProducerPartRows: options.topProducerPartRows,
            downloadPartRows: options.downloadPartRows,
          }),
        );
      return list;
    });
    await raw.remove();
    await options.afterPrecompute?.(staging, outputs);

    const datasets = tables.map((t, i) => ({ ...t, output: outputs[i]! }));
    for (const d of datasets) {
      const written = d.output.counts.features + d.output.skippedRows;
      if (written !== d.sourceRows) {
        throw new Error(`validate: ${d.schema.table}: ${d.sourceRows} rows in the source, ${written} extracted`);
      }
    }
    const manifestDatasets = datasets.map((d) => ({
      id: d.dataset.id,
      title: d.dataset.title,
      description: d.dataset.description,
      counts: d.output.counts,
      files: d.output.files,
      bacteria: d.output.bacteria,
    }));
    const comparison = await log.step('compare', () =>
      buildComparison(comparisonOf(config), manifestDatasets, { duck, root: staging, log }),
    );
    const dataVersion = createHash('sha256')
      .update(
        [...manifestFiles({ datasets: manifestDatasets, comparison }), ...outputs.flatMap((o) => o.downloads)]
          .map((f) => f.sha256)
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 12);
    const builtAt = (options.now ?? new Date()).toISOString();
    const downloads: Downloads[] = [];
    for (const d of datasets) {
      const context = { dataVersion, builtAt, source: options.source, dataset: d.dataset, table: tableName(d.schema) };
      downloads.push(await publishDownloads(staging, d.output.downloads, context));
    }
    const manifest = manifestSchema.parse({
      schemaVersion: 1,
      builtAt,
      dataVersion,
      source: options.source,
      fingerprint,
      topProducerRanks: TOP_PRODUCER_RANKS,
      citation: config.citation,
      datasets: manifestDatasets.map((d, i) => ({ ...d, downloads: downloads[i] })),
      comparison,
    });
    await log.step('validate', () => validateStaging(duck, staging, manifest));
    const verification = await log.step('verify', async () => {
      const checked: DatasetVerification[] = [];
      for (const [i, d] of datasets.entries()) {
        const staged = {
          dataset: manifest.datasets[i]!,
          source: d.aggregates,
          droppedNonFinite: d.output.droppedNonFinite,
        };
        checked.push(await verifyStaged(duck, staging, staged, TOP_PRODUCER_RANKS, log));
      }
      if (manifest.comparison) await verifyComparison(duck, staging, manifest);
      return checked;
    });
    const changes = published
      ? await log.step('diff', () => diffBuilds(duck, { dir: out, manifest: published }, { dir: staging, manifest }))
      : null;
    const report: BuildReport = {
      builtAt,
      dataVersion,
      fingerprint,
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
      timings: { ...log.timings },
      peakMemoryMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      warnings: [...log.warnings],
      verification,
      changes,
    };
    await log.step('publish', async () => {
      await writeManifest(staging, manifest, { json: report, markdown: renderReportMarkdown(report) });
      await swapIn(staging, out);
    });
    return { status: 'rebuilt', report };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await close();
    await pool.end().catch(() => {});
    await raw.remove();
  }
}
