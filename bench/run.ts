/**
 * `npm run bench`: the build and the browser at full demo scale, side by side with the live-query design they replace.
 * Prints a Markdown report and writes bench/results.json; a failed budget is reported, never an exit code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../scripts/build/config.ts';
import { runMain, UsageError, type Cleanups } from '../scripts/run-main.ts';
import { serve } from '../scripts/site/serve.ts';
import { parseManifest, type Manifest } from '../src/lib/manifest.ts';
import { quoteIdent } from '../src/lib/sql/quote.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { liveCases, timeLive } from './baseline.ts';
import { coldLoad, interactionCases, warmInteractions, type ColdLoad, type InteractionRun } from './browser.ts';
import { LIMITS } from './budgets.ts';
import { astroBuild, dataBuild, removeSite, shippedBytes, siteDirs, type DataBuildRun } from './build.ts';
import type { SiteDirs } from '../scripts/site/site-build.ts';
import { openServer, seededDatabase, withClient } from './databases.ts';
import { formatReport } from './report.ts';
import { loadNow, machine, versions, type BenchResults, type InteractionResult } from './results.ts';
import { drawSelections, type Selections } from './selections.ts';
import { summarize } from './stats.ts';

const USAGE = `usage: npm run bench -- [--runs 3] [--reps 30] [--baseline-reps 10] [--cold-loads 5] [--warmups 2]
                          [--pool-size 4] [--skip-scaling] [--database-url URL] [--out bench/results.json]
  Needs PostgreSQL: --database-url or DATABASE_URL, else an embedded server (bench-postgres in the per-user cache).`;

/** The dataset every browser and live figure is taken on: the larger one. */
const DATASET = 'in_vivo';
const SCALES = [0.25, 0.5] as const;

const log = (message: string) => process.stderr.write(`${message}\n`);

function count(values: Record<string, string | boolean | undefined>, flag: string, fallback: number): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${flag}: expected a whole number >= 1, got ${JSON.stringify(raw)}`);
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
      warmups: { type: 'string' },
      'pool-size': { type: 'string' },
      'skip-scaling': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      out: { type: 'string', default: 'bench/results.json' },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    help: values.help!,
    runs: count(values, 'runs', 3),
    reps: count(values, 'reps', 30),
    baselineReps: count(values, 'baseline-reps', 10),
    coldLoads: count(values, 'cold-loads', 5),
    warmups: count(values, 'warmups', 2),
    poolSize: count(values, 'pool-size', 4),
    skipScaling: values['skip-scaling']!,
    databaseUrl: values['database-url'] ?? (process.env.DATABASE_URL || undefined),
    out: values.out!,
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

/** Data builds at the smaller scales, for the growth of build time with size. */
async function scalingBuilds(o: Options, adminUrl: string, full: DataBuildRun[]): Promise<BenchResults['scaling']> {
  const scaling: BenchResults['scaling'] = [];
  for (const scale of SCALES) {
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
  scaling.push({ scale: 1, sourceRows: full[0]!.sourceRows, dataBuild: summarize(full.map((r) => r.totalMs)) });
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

/** Cold loads and warm interactions in Chromium, over the site served from `dist`. */
async function browserFigures(o: Options, dist: string, manifest: Manifest, sel: Selections) {
  const server = await serve({ dir: dist });
  const browser = await launchChromium();
  try {
    const permalink = `?ds=${DATASET}&m=${encodeURIComponent(sel.metabolites[0]!)}`;
    const cold: ColdLoad[] = [];
    for (let i = 1; i <= o.coldLoads; i++) {
      log(`cold load ${i}/${o.coldLoads}`);
      cold.push(await coldLoad(browser, `${server.url}${permalink}`));
    }
    const runs = await warmInteractions(browser, `${server.url}?ds=${DATASET}`, interactionCases(manifest, sel), {
      reps: o.reps,
      warmups: o.warmups,
      onCase: (id) => log(`warm: ${id}`),
    });
    return {
      version: browser.version(),
      cold: {
        url: `/${permalink}`,
        fcp: summarize(cold.map((c) => c.fcp)),
        content: summarize(cold.map((c) => c.content)),
        interactive: summarize(cold.map((c) => c.interactive)),
        bytes: summarize(cold.map((c) => c.bytes)),
        states: tally(cold.map((c) => c.state)),
      },
      runs,
    };
  } finally {
    await browser.close();
    await server.close();
  }
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
    const version = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
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

function interactionResults(runs: InteractionRun[], live: Record<string, number[]>): InteractionResult[] {
  return runs.map((r) => ({
    id: r.id,
    label: r.label,
    ours: summarize(r.ms),
    oursFrame: summarize(r.frameMs),
    bytes: summarize(r.bytes),
    meanRows: r.rows.reduce((a, b) => a + b, 0) / r.rows.length,
    states: r.states,
    ...(live[r.id] ? { live: summarize(live[r.id]!) } : {}),
  }));
}

async function bench(o: Options, cleanups: Cleanups): Promise<void> {
  const load: Record<string, number[]> = { start: loadNow() };
  const server = await openServer(o.databaseUrl);
  cleanups.push(() => server.stop());
  log(`seeding the full-scale demo (once; excluded from every figure)`);
  const { url: sourceUrl } = await seededDatabase(server.adminUrl, 1, log);

  const { data, astro, site } = await fullBuilds(o, server.adminUrl, sourceUrl);
  cleanups.push(() => removeSite(site));
  load.afterBuilds = loadNow();
  const shipped = await shippedBytes(site.dist, LIMITS.fileBytes);
  const scaling = o.skipScaling ? [] : await scalingBuilds(o, server.adminUrl, data);
  load.afterScaling = loadNow();

  const manifest = parseManifest(JSON.parse(await readFile(`${site.dataDir}/manifest.json`, 'utf8')));
  const sel = await drawSelections(site.dataDir, manifest, DATASET, o.reps + o.warmups);
  const browser = await browserFigures(o, site.dist, manifest, sel);
  load.afterBrowser = loadNow();
  const { version: postgres, live } = await liveFigures(o, sourceUrl, sel, browser.runs);
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
    },
    build: buildFigures(o, data, astro, shipped),
    scaling,
    cold: browser.cold,
    interactions: interactionResults(browser.runs, live),
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
