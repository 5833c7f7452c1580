/** The shape of `bench/results.json`, and the machine and versions it was measured on. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { promisify } from 'node:util';
import type { ShippedBytes } from './build.ts';
import type { Summary } from './stats.ts';

/** Figures of one warm interaction: ours in the browser and, when measured, the live design's query. */
export interface InteractionResult {
  id: string;
  label: string;
  /** Input event to the DOM updated. */
  ours: Summary;
  /** Input event to the frame after the update (layout and paint). */
  oursFrame: Summary;
  bytes: Summary;
  /** Mean rows the result table held (search: options listed). */
  meanRows: number;
  /** How many repetitions ended in each explorer state (ready, empty, error). */
  states: Record<string, number>;
  live?: Summary;
  /** The same interaction under network emulation (see `BenchResults.throttled`). */
  throttled?: { ours: Summary; bytes: Summary };
}

/** One cell of the page-load figures: a permalink, a connection, a first or a repeat visit. */
export interface PageLoadResult {
  page: string;
  label: string;
  url: string;
  network: string;
  networkLabel: string;
  /** `cold`: a new browser context (empty cache); `repeat`: the same page loaded again, with its HTTP cache. */
  visit: 'cold' | 'repeat';
  /** Navigation start to the explorer's first finished render (the first chart). */
  interactive: Summary;
  bytes: Summary;
  states: Record<string, number>;
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  date: string;
  machine: { os: string; cpu: string; cores: number; memoryGiB: number; load: Record<string, number[]> };
  versions: Record<string, string>;
  options: {
    runs: number;
    reps: number;
    baselineReps: number;
    coldLoads: number;
    warmups: number;
    poolSize: number;
    source: string;
    /** Demo scale: 1 is the real tables' size; above 1, more features and bacteria (scripts/demo/generate.ts). */
    scale: number;
    throttledReps: number;
    skipLive: boolean;
  };
  /** Seconds seeding the demo took in this run; 0 when it was already in the database. In no other figure. */
  seedSeconds: number;
  build: {
    runs: number;
    sourceRows: number;
    steps: Record<string, Summary>;
    dataBuild: Summary;
    process: Summary;
    astroBuild: Summary;
    peakMemoryMiB: Summary;
    maxConnections: number;
    poolSize: number;
    shipped: ShippedBytes;
  };
  scaling: { scale: number; sourceRows: number; dataBuild: Summary }[];
  cold: {
    url: string;
    fcp: Summary;
    content: Summary;
    interactive: Summary;
    bytes: Summary;
    states: Record<string, number>;
  };
  interactions: InteractionResult[];
  /** The emulated connection of the throttled warm pass, and its quickest request (at least the latency). */
  throttled?: { network: string; shortestRequestMs: number };
  pageLoads: PageLoadResult[];
}

/** The 1-, 5- and 15-minute load averages now: other work on the machine shows here. */
export function loadNow(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** What the figures were measured on. */
export function machine(): Omit<BenchResults['machine'], 'load'> {
  return {
    os: `${type()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

async function packageVersion(name: string): Promise<string> {
  const json = JSON.parse(await readFile(`node_modules/${name}/package.json`, 'utf8')) as { version: string };
  return json.version;
}

/**
 * Versions of Node, npm and the packages whose speed the figures depend on; PostgreSQL and Chromium are added by the
 * caller.
 */
export async function versions(): Promise<Record<string, string>> {
  const npm = await promisify(execFile)('npm', ['--version']).then(
    (r) => r.stdout.trim(),
    () => 'unknown',
  );
  const result: Record<string, string> = { node: process.versions.node, npm };
  for (const name of [
    'astro',
    '@duckdb/duckdb-wasm',
    '@duckdb/node-api',
    '@observablehq/plot',
    'pg',
    'playwright-core',
  ]) {
    result[name] = await packageVersion(name);
  }
  return result;
}
