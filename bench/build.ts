/** Build figures: the data build in its own process (steps, peak memory, connections), `astro build`, and bytes. */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BuildReport } from '../scripts/build/build-data.ts';
import { APPLICATION_NAME } from '../scripts/build/pg-session.ts';
import { REPORT_FILE } from '../scripts/build/publish.ts';
import { astroBuild as buildSiteFiles, createSiteDirs, type SiteDirs } from '../scripts/site/site-build.ts';
import { sampleConnections } from './pg-activity.ts';

/** One data build: wall time of each step, of the whole process, its peak memory and the most connections seen. */
export interface DataBuildRun {
  /** Milliseconds per step, from the build's progress lines (`extract`, `precompute`, `validate`, `publish`, ...). */
  steps: Record<string, number>;
  /** Sum of the steps: extract to publish, without process start-up. */
  totalMs: number;
  /** The `build` command's process from spawn to exit. */
  processMs: number;
  peakMemoryMiB: number;
  maxConnections: number;
  sourceRows: number;
}

/** A private folder for one site build; `rm -r` it when done (see scripts/site/site-build.ts). */
export const siteDirs = () => createSiteDirs('bench-');

/** Removes a site build's temp folder. */
export function removeSite(dirs: SiteDirs): Promise<void> {
  return rm(dirs.root, { recursive: true, force: true });
}

/** Runs a command to completion: its wall time and the tail of its output; rejects with that output when it fails. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ms: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve({ ms: performance.now() - started, output });
      else reject(new Error(`${command} ${args[0] ?? ''} ${args[1] ?? ''} exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Step times from the build's progress lines (`✓ extract (0.84 s)`): the log prints every step, publish included,
 * which the build report, written during publish, cannot hold.
 */
export function stepTimes(output: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const [, name, seconds] of output.matchAll(/^✓ (.+) \((\d+(?:\.\d+)?) s\)$/gm)) {
    steps[name!] = (steps[name!] ?? 0) + Number(seconds) * 1000;
  }
  return steps;
}

/** The build's time from its steps: a step timed inside another (`downloads (in precompute)`) is not added again. */
export function totalOfSteps(steps: Record<string, number>): number {
  return Object.entries(steps)
    .filter(([name]) => !/\(in [^)]+\)$/.test(name))
    .reduce((sum, [, ms]) => sum + ms, 0);
}

/**
 * Runs `npm run build:data`'s command (`tsx scripts/cli.ts build`) in a child process, so that its peak memory is its
 * own, while `pg_stat_activity` is sampled for the build's connections.
 */
export async function dataBuild(
  sourceUrl: string,
  { adminUrl, out, poolSize }: { adminUrl: string; out: string; poolSize: number },
): Promise<DataBuildRun> {
  const sampler = await sampleConnections(adminUrl, APPLICATION_NAME);
  const args = ['scripts/cli.ts', 'build', '--database-url', sourceUrl, '--out', out, '--pool-size', String(poolSize)];
  let child: { ms: number; output: string };
  try {
    child = await run('node_modules/.bin/tsx', args);
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  const { max } = await sampler.stop();
  const report = JSON.parse(await readFile(join(out, REPORT_FILE), 'utf8')) as BuildReport;
  const steps = stepTimes(child.output);
  return {
    steps,
    totalMs: totalOfSteps(steps),
    processMs: child.ms,
    peakMemoryMiB: report.peakMemoryMiB,
    maxConnections: max,
    sourceRows: report.datasets.reduce((sum, d) => sum + d.sourceRows, 0),
  };
}

/** Runs `astro build` over a site folder's public data into its `dist/`; returns its wall time in ms. */
export async function astroBuild(dirs: SiteDirs): Promise<number> {
  const start = performance.now();
  await buildSiteFiles(dirs);
  return performance.now() - start;
}

/** What a shipped file is, for the bytes-per-kind table. */
export function shippedKind(path: string): string {
  const parts = path.split('/');
  const name = parts.at(-1)!;
  if (/\.(br|gz)$/.test(name)) return 'precompressed copies (.br, .gz)';
  if (parts[0] === 'data') {
    if (parts.includes('bacteria')) return 'data: bacterium shards';
    if (name.endsWith('.parquet')) return `data: ${name.split('.')[0]}`;
    return 'data: manifest and report';
  }
  if (name.endsWith('.wasm')) return 'duckdb-wasm (.wasm)';
  if (name.endsWith('.js')) return 'scripts (.js)';
  if (name.endsWith('.css')) return 'styles (.css)';
  if (name.endsWith('.html')) return 'pages (.html)';
  return 'other';
}

/** Bytes of everything in `dist/`: per kind, in total, and the largest file. */
export interface ShippedBytes {
  byKind: Record<string, { count: number; bytes: number }>;
  total: number;
  files: number;
  largest: { path: string; bytes: number };
  /** Files above the single-file budget, largest first. */
  over: { path: string; bytes: number }[];
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Adds up the files of a built site; `limitBytes` marks the ones over the single-file budget. */
export async function shippedBytes(dist: string, limitBytes: number): Promise<ShippedBytes> {
  const result: ShippedBytes = { byKind: {}, total: 0, files: 0, largest: { path: '', bytes: 0 }, over: [] };
  for await (const path of walk(dist)) {
    const rel = relative(dist, path).split(sep).join('/');
    const { size } = await stat(path);
    const kind = (result.byKind[shippedKind(rel)] ??= { count: 0, bytes: 0 });
    kind.count += 1;
    kind.bytes += size;
    result.total += size;
    result.files += 1;
    if (size > result.largest.bytes) result.largest = { path: rel, bytes: size };
    if (size > limitBytes) result.over.push({ path: rel, bytes: size });
  }
  result.over.sort((a, b) => b.bytes - a.bytes);
  return result;
}
