/**
 * `npm run bench`: the build and the browser at full demo scale, side by side with the live-query design they replace.
 * Prints a Markdown report and writes bench/results.json; a failed budget is reported, never an exit code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../scripts/build/config.ts';
import { DEMO_MAX_SCALE } from '../scripts/demo/generate.ts';
import { runMain, UsageError, type Cleanups } from '../scripts/run-main.ts';
import { serve } from '../scripts/site/serve.ts';
import { parseManifest, type Manifest } from '../src/lib/manifest.ts';
import { quoteIdent } from '../src/lib/sql/quote.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { liveCases, timeLive } from './baseline.ts';
import {
  interactionCases,
  pageLoads,
  searchFor,
  warmInteractions,
  type InteractionRun,
  type PageLoadRun,
} from './browser.ts';
import { limitsFor } from './budgets.ts';
import { count } from './options.ts';
import { astroBuild, dataBuild, removeSite, shippedBytes, siteDirs, type DataBuildRun } from './build.ts';
import type { SiteDirs } from '../scripts/site/site-build.ts';
import { openServer, seededDatabase, withClient } from './databases.ts';
import { formatReport } from './report.ts';
import { FAST, LOCAL, PAGE_LOAD_NETWORKS } from './network.ts';
import {
  loadNow,
  machine,
  versions,
  type BenchResults,
  type InteractionResult,
  type PageLoadResult,
} from './results.ts';
import { drawSelections, PAGE_LOADS, type Selections } from './selections.ts';
import { summarize } from './stats.ts';

const USAGE = `usage: npm run bench -- [--scale 1] [--runs 3] [--reps 30] [--throttled-reps 10] [--baseline-reps 10]
                          [--cold-loads 3] [--warmups 2] [--pool-size 4] [--skip-scaling] [--skip-live]
                          [--database-url URL] [--out bench/results.json]
  --scale N: the demo at N x the features (above 1, more bacteria too: 3x at 4); results go to
             bench/results-scale-N.json unless --out says otherwise. --cold-loads: loads per page-load cell.
  --throttled-reps 0 skips the warm pass under network emulation; --skip-live skips the live queries.
  Needs PostgreSQL: --database-url or DATABASE_URL, else an embedded server (bench-postgres in the per-user cache).`;

/** The dataset every browser and live figure is taken on: the larger one. */
const DATASET = 'in_vivo';
/** The smaller builds of the scaling figures, as fractions of the run's scale. */
const SCALE_FRACTIONS = [0.25, 0.5] as const;

const log = (message: string) => process.stderr.write(`${message}\n`);

function scaleOption(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!(n > 0 && n <= DEMO_MAX_SCALE)) {
    throw new UsageError(`--scale: expected a number in (0, ${DEMO_MAX_SCALE}], got ${JSON.stringify(raw)}`);
  }
  return n;
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      reps: { type: 'string' },
      'baseline-reps': { type: 'string' },
      'cold-loads': { type: 'string' },
      'throttled-reps': { type: 'string' },
      scale: { type: 'string' },
      'skip-live': { type: 'boolean', default: false },
      warmups: { type: 'string' },
      'pool-size': { type: 'string' },
      'skip-scaling': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const scale = scaleOption(values.scale);
  const reps = count(values, 'reps', 30);
  const throttledReps = count(values, 'throttled-reps', Math.min(10, reps), 0);
  if (throttledReps > reps) throw new UsageError(`--throttled-reps: at most --reps (${reps}), got ${throttledReps}`);
  return {
    help: values.help!,
    scale,
    runs: count(values, 'runs', 3),
    reps,
    throttledReps,
    baselineReps: count(values, 'baseline-reps', 10),
    coldLoads: count(values, 'cold-loads', 3),
    warmups: count(values, 'warmups', 2),
    poolSize: count(values, 'pool-size', 4),
    skipScaling: values['skip-scaling']!,
    skipLive: values['skip-live']!,
    databaseUrl: values['database-url'] ?? (process.env.DATABASE_URL || undefined),
    out: values.out ?? (scale === 1 ? 'bench/results.json' : `bench/results-scale-${scale}.json`),
  };
}

type Options = ReturnType<typeof options>;

/** `runs` full-scale builds (data, then site); returns the last site, for the browser, with the figures. */
async function fullBuilds(o: Options, adminUrl: string, sourceUrl: string) {
  const data: DataBuildRun[] = [];
  const astro: number[] = [];
  let site: SiteDirs | undefined;
  for (let run = 1; run <= o.runs; run++) {
    const dirs = await siteDirs();
    try {
      log(`build ${run}/${o.runs}: data`);
      data.push(await dataBuild(sourceUrl, { adminUrl, out: dirs.dataDir, poolSize: o.poolSize }));
      log(`build ${run}/${o.runs}: astro build`);
      astro.push(await astroBuild(dirs));
    } catch (error) {
      await removeSite(dirs);
      if (site) await removeSite(site);
      throw error;
    }
    if (site) await removeSite(site);
    site = dirs;
  }
  return { data, astro, site: site! };
}

/** Data builds at a quarter and half the run's scale, for the growth of build time with size. */
async function scalingBuilds(o: Options, adminUrl: string, full: DataBuildRun[]): Promise<BenchResults['scaling']> {
  const scaling: BenchResults['scaling'] = [];
  for (const scale of SCALE_FRACTIONS.map((f) => f * o.scale)) {
    const { url } = await seededDatabase(adminUrl, scale, log);
    const runs: DataBuildRun[] = [];
    for (let run = 1; run <= o.runs; run++) {
      log(`scaling ${scale}: build ${run}/${o.runs}`);
      const dirs = await siteDirs();
      try {
        runs.push(await dataBuild(url, { adminUrl, out: dirs.dataDir, poolSize: o.poolSize }));
      } finally {
        await removeSite(dirs);
      }
    }
    scaling.push({ scale, sourceRows: runs[0]!.sourceRows, dataBuild: summarize(runs.map((r) => r.totalMs)) });
  }
  scaling.push({ scale: o.scale, sourceRows: full[0]!.sourceRows, dataBuild: summarize(full.map((r) => r.totalMs)) });
  return scaling;
}

function buildFigures(
  o: Options,
  data: DataBuildRun[],
  astro: number[],
  shipped: BenchResults['build']['shipped'],
): BenchResults['build'] {
  const stepNames = [...new Set(data.flatMap((r) => Object.keys(r.steps)))];
  return {
    runs: data.length,
    sourceRows: data[0]!.sourceRows,
    steps: Object.fromEntries(stepNames.map((s) => [s, summarize(data.map((r) => r.steps[s] ?? 0))])),
    dataBuild: summarize(data.map((r) => r.totalMs)),
    process: summarize(data.map((r) => r.processMs)),
    astroBuild: summarize(astro),
    peakMemoryMiB: summarize(data.map((r) => r.peakMemoryMiB)),
    maxConnections: Math.max(...data.map((r) => r.maxConnections)),
    poolSize: o.poolSize,
    shipped,
  };
}

function tally(states: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of states) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** Every permalink of PAGE_LOADS on every connection, `coldLoads` times each, cold and as a repeat visit. */
async function pageLoadFigures(o: Options, browser: Browser, siteUrl: string, manifest: Manifest, sel: Selections) {
  const results: PageLoadResult[] = [];
  let first: PageLoadRun[] = [];
  for (const network of PAGE_LOAD_NETWORKS) {
    for (const page of PAGE_LOADS) {
      const url = searchFor(manifest, sel.dataset, (s) => page.change(s, sel));
      const runs: { cold: PageLoadRun; repeat: PageLoadRun }[] = [];
      for (let i = 1; i <= o.coldLoads; i++) {
        log(`page load ${page.id}, ${network.label}: ${i}/${o.coldLoads}`);
        runs.push(await pageLoads(browser, `${siteUrl}${url}`, network));
      }
      if (results.length === 0) first = runs.map((r) => r.cold);
      for (const visit of ['cold', 'repeat'] as const) {
        const loads = runs.map((r) => r[visit]);
        results.push({
          page: page.id,
          label: page.label,
          url: `/${url}`,
          network: network.id,
          networkLabel: network.label,
          visit,
          interactive: summarize(loads.map((l) => l.interactive)),
          bytes: summarize(loads.map((l) => l.bytes)),
          states: tally(loads.map((l) => l.state)),
        });
      }
    }
  }
  // The first permalink's cold loads on the loopback also give the paint figures.
  const cold: BenchResults['cold'] = {
    url: results[0]!.url,
    fcp: summarize(first.map((c) => c.fcp)),
    content: summarize(first.map((c) => c.content)),
    interactive: summarize(first.map((c) => c.interactive)),
    bytes: summarize(first.map((c) => c.bytes)),
    states: tally(first.map((c) => c.state)),
  };
  return { pageLoads: results, cold };
}

/** Page loads and warm interactions (local, then under emulation) in Chromium, over the site served from `dist`. */
async function browserFigures(o: Options, dist: string, manifest: Manifest, sel: Selections) {
  const server = await serve({ dir: dist });
  const browser = await launchChromium();
  try {
    const loads = await pageLoadFigures(o, browser, server.url, manifest, sel);
    const cases = interactionCases(manifest, sel);
    const siteUrl = `${server.url}?ds=${DATASET}`;
    const [runs = []] = await warmInteractions(browser, [siteUrl], cases, {
      reps: o.reps,
      warmups: o.warmups,
      network: LOCAL,
      onCase: (id) => log(`warm: ${id}`),
    });
    const [throttled = []] =
      o.throttledReps === 0
        ? []
        : await warmInteractions(browser, [siteUrl], cases, {
            reps: o.throttledReps,
            warmups: o.warmups,
            network: FAST,
            onCase: (id) => log(`warm at ${FAST.label}: ${id}`),
          });
    return { version: browser.version(), ...loads, runs, throttled };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The PostgreSQL server's version, on `client` or a connection of its own to `url`. */
async function serverVersion(on: string | pg.Client): Promise<string> {
  const read = async (c: pg.Client) =>
    (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
  return typeof on === 'string' ? withClient(on, read) : read(on);
}

/**
 * The live design's queries on the same selections. The table gets a btree index on `name`, as any real schema's
 * key would have: it favours the baseline.
 */
async function liveFigures(o: Options, sourceUrl: string, sel: Selections, runs: InteractionRun[]) {
  const dataset = (await loadConfig()).datasets.find((d) => d.id === DATASET)!;
  const table = `${quoteIdent(dataset.schema)}.${quoteIdent(dataset.table)}`;
  const cases = liveCases({ table, bacteria: sel.allBacteria }, sel);
  return withClient(sourceUrl, async (client) => {
    await client.query(`CREATE INDEX IF NOT EXISTS metanexus_bench_name ON ${table} (name)`);
    await client.query(`ANALYZE ${table}`);
    const version = await serverVersion(client);
    const live: Record<string, number[]> = {};
    for (const run of runs) {
      const query = cases[run.id];
      if (!query) continue;
      log(`live: ${run.id}`);
      const reps = Math.min(o.baselineReps, run.ms.length);
      const timed = Array.from({ length: run.id === 'search-keystroke' ? run.ms.length : reps }, (_, i) => i);
      const warmup = Array.from({ length: o.warmups }, (_, w) => o.reps + w);
      live[run.id] = await timeLive(client, query, { timed, warmup });
    }
    return { version, live };
  });
}

function interactionResults(
  runs: InteractionRun[],
  throttled: InteractionRun[],
  live: Record<string, number[]>,
): InteractionResult[] {
  return runs.map((r) => {
    const slow = throttled.find((t) => t.id === r.id);
    return {
      id: r.id,
      label: r.label,
      ours: summarize(r.ms),
      oursFrame: summarize(r.frameMs),
      bytes: summarize(r.bytes),
      meanRows: r.rows.reduce((a, b) => a + b, 0) / r.rows.length,
      states: r.states,
      ...(live[r.id] ? { live: summarize(live[r.id]!) } : {}),
      ...(slow ? { throttled: { ours: summarize(slow.ms), bytes: summarize(slow.bytes) } } : {}),
    };
  });
}

async function bench(o: Options, cleanups: Cleanups): Promise<void> {
  const load: Record<string, number[]> = { start: loadNow() };
  const server = await openServer(o.databaseUrl);
  cleanups.push(() => server.stop());
  log(`seeding the demo at scale ${o.scale} (once; excluded from every figure)`);
  const { url: sourceUrl, seededSeconds } = await seededDatabase(server.adminUrl, o.scale, log);

  const { data, astro, site } = await fullBuilds(o, server.adminUrl, sourceUrl);
  cleanups.push(() => removeSite(site));
  load.afterBuilds = loadNow();
  const shipped = await shippedBytes(site.dist, limitsFor(o.scale).fileBytes);
  const scaling = o.skipScaling ? [] : await scalingBuilds(o, server.adminUrl, data);
  load.afterScaling = loadNow();

  const manifest = parseManifest(JSON.parse(await readFile(`${site.dataDir}/manifest.json`, 'utf8')));
  const sel = await drawSelections(site.dataDir, manifest, DATASET, o.reps + o.warmups);
  const browser = await browserFigures(o, site.dist, manifest, sel);
  load.afterBrowser = loadNow();
  const { version: postgres, live } = o.skipLive
    ? { version: await serverVersion(sourceUrl), live: {} }
    : await liveFigures(o, sourceUrl, sel, browser.runs);
  load.end = loadNow();

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { ...machine(), load },
    versions: { ...(await versions()), postgres, chromium: browser.version },
    options: {
      runs: o.runs,
      reps: o.reps,
      baselineReps: o.baselineReps,
      coldLoads: o.coldLoads,
      warmups: o.warmups,
      poolSize: o.poolSize,
      source: server.embedded ? 'embedded PostgreSQL (bench-postgres in the per-user cache)' : 'DATABASE_URL',
      scale: o.scale,
      throttledReps: o.throttledReps,
      skipLive: o.skipLive,
    },
    seedSeconds: seededSeconds,
    build: buildFigures(o, data, astro, shipped),
    scaling,
    cold: browser.cold,
    interactions: interactionResults(browser.runs, browser.throttled, live),
    ...(browser.throttled.length > 0
      ? {
          throttled: {
            network: FAST.label,
            shortestRequestMs: Math.min(...browser.throttled.map((t) => t.shortestMs)),
          },
        }
      : {}),
    pageLoads: browser.pageLoads,
  };
  await mkdir(dirname(o.out), { recursive: true });
  await writeFile(o.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\n\nWrote ${o.out}\n`);
}

await runMain(
  async (cleanups) => {
    const o = options(process.argv.slice(2));
    if (o.help) process.stdout.write(`${USAGE}\n`);
    else await bench(o, cleanups);
  },
  { usage: USAGE, prefix: 'bench failed' },
);
