/**
 * `npm run bench:side-by-side -- --before DIST --after DIST`: the bench's permalinks loaded from two built sites of the
 * same data, alternately, so that a change's before and after share the machine's load, and with `--warm-reps` the
 * bench's warm interactions on each. Prints Markdown tables of medians (time to the first chart, cold and as a
 * repeat visit, and bytes before it) and of p50 / p95 per click.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runMain, UsageError } from '../scripts/run-main.ts';
import { serve } from '../scripts/site/serve.ts';
import { parseManifest } from '../src/lib/manifest.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { interactionCases, pageLoads, searchFor, warmInteractions, type PageLoadRun } from './browser.ts';
import { PAGE_LOAD_NETWORKS } from './network.ts';
import { count } from './options.ts';
import { loadNow } from './results.ts';
import { drawSelections, PAGE_LOADS } from './selections.ts';
import { summarize } from './stats.ts';

const NETWORKS = PAGE_LOAD_NETWORKS.map((n) => n.id).join(', ');
const USAGE = `usage: npm run bench:side-by-side -- --before DIST --after DIST [--loads 3] [--networks local,10mbit]
                                      [--permalinks id,...] [--warm-reps 0] [--cases id,...]
  DIST: a built site (dist/ of npm run build); both must hold the same data. --networks: any of ${NETWORKS}.
  --loads 0 skips the page loads (--permalinks: the bench's permalink ids, all by default); --warm-reps N times N
  clicks of each warm case on each site, the two sites' clicks alternating (--cases: the bench's case ids).`;

const DATASET = 'in_vivo';
const log = (message: string) => process.stderr.write(`${message}\n`);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      before: { type: 'string' },
      after: { type: 'string' },
      loads: { type: 'string' },
      'warm-reps': { type: 'string' },
      cases: { type: 'string' },
      permalinks: { type: 'string' },
      networks: { type: 'string', default: 'local,10mbit' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  if (!values.before || !values.after) throw new UsageError('--before and --after are both needed');
  const networks = values.networks!.split(',').map((id) => {
    const network = PAGE_LOAD_NETWORKS.find((n) => n.id === id);
    if (!network) throw new UsageError(`--networks: unknown network ${JSON.stringify(id)}`);
    return network;
  });
  const cases = values.cases?.split(',');
  const permalinks = values.permalinks?.split(',');
  const unknown = permalinks?.filter((id) => !PAGE_LOADS.some((p) => p.id === id));
  if (unknown?.length) throw new UsageError(`--permalinks: unknown ${unknown.map((id) => JSON.stringify(id))}`);
  return {
    before: values.before,
    after: values.after,
    loads: count(values, 'loads', 3, 0),
    warmReps: count(values, 'warm-reps', 0, 0),
    cases,
    permalinks,
    networks,
  };
}

const median = (runs: PageLoadRun[], pick: (r: PageLoadRun) => number) => Math.round(summarize(runs.map(pick)).p50);

await runMain(
  async (cleanups) => {
    const o = options(process.argv.slice(2));
    if (!o) return void process.stdout.write(`${USAGE}\n`);
    const dataDir = join(o.after, 'data');
    const manifest = parseManifest(JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8')));
    const warmups = 2;
    const sel = await drawSelections(dataDir, manifest, DATASET, Math.max(1, o.warmReps + warmups));
    const sides = [o.before, o.after];
    const servers = await Promise.all(sides.map((dir) => serve({ dir, port: 0 })));
    cleanups.push(() => Promise.all(servers.map((s) => s.close())).then(() => {}));
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const load = [loadNow()];
    const lines = [
      '| permalink | network | cold, before | after | repeat, before | after | KiB before the chart, cold, before | ' +
        'after | repeat, before | after |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ];
    for (const network of o.loads > 0 ? o.networks : []) {
      for (const page of PAGE_LOADS.filter((p) => !o.permalinks || o.permalinks.includes(p.id))) {
        const search = searchFor(manifest, DATASET, (s) => page.change(s, sel));
        const runs: { cold: PageLoadRun; repeat: PageLoadRun }[][] = [[], []];
        for (let i = 0; i < o.loads; i++) {
          // Alternate which side goes first, so neither always loads on a machine the other just warmed.
          for (const side of i % 2 === 0 ? [0, 1] : [1, 0]) {
            log(`${page.id}, ${network.label}, ${side === 0 ? 'before' : 'after'}: ${i + 1}/${o.loads}`);
            runs[side]!.push(await pageLoads(browser, `${servers[side]!.url}${search}`, network));
          }
        }
        // Both sides' medians of one figure of one visit, as two cells.
        const pair = (visit: 'cold' | 'repeat', of: (r: PageLoadRun) => number) =>
          runs
            .map((side) =>
              median(
                side.map((r) => r[visit]),
                of,
              ),
            )
            .join(' | ');
        const ms = (r: PageLoadRun) => r.interactive;
        const kib = (r: PageLoadRun) => r.bytes / 1024;
        lines.push(
          `| ${page.label} | ${network.label} | ${pair('cold', ms)} | ${pair('repeat', ms)} | ` +
            `${pair('cold', kib)} | ${pair('repeat', kib)} |`,
        );
      }
    }
    const cases = interactionCases(manifest, sel).filter((c) => !o.cases || o.cases.includes(c.id));
    const clicks = [
      '| interaction | network | p50 / p95, before | after | KiB per click, before | after |',
      '|---|---|---:|---:|---:|---:|',
    ];
    for (const network of o.warmReps > 0 ? o.networks : []) {
      // The two sites' clicks alternate, repetition by repetition.
      const runs = await warmInteractions(
        browser,
        servers.map((server) => `${server.url}?ds=${DATASET}`),
        cases,
        { reps: o.warmReps, warmups, network, onCase: (id) => log(`warm ${id}, ${network.label}`) },
      );
      for (const [i, c] of cases.entries()) {
        const [before, after] = runs.map((r) => r[i]!);
        const ms = (ms: number[]) => `${Math.round(summarize(ms).p50)} / ${Math.round(summarize(ms).p95)}`;
        const kib = (bytes: number[]) => (summarize(bytes).p50 / 1024).toFixed(1);
        clicks.push(
          `| ${c.label} | ${network.label} | ${ms(before!.ms)} | ${ms(after!.ms)} | ${kib(before!.bytes)} | ` +
            `${kib(after!.bytes)} |`,
        );
      }
    }
    load.push(loadNow());
    const loadText = load.map((l) => l.map((x) => x.toFixed(1)).join(' ')).join(' -> ');
    process.stdout.write(
      [
        ...(o.loads > 0
          ? [lines.join('\n'), `Medians of ${o.loads} alternating loads each (ms to the first chart).`]
          : []),
        ...(o.warmReps > 0 ? [clicks.join('\n'), `${o.warmReps} timed clicks per case and side, ms.`] : []),
        `Load average ${loadText}.`,
      ].join('\n\n') + '\n',
    );
  },
  { usage: USAGE, prefix: 'side-by-side failed' },
);
