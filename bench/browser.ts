/** Browser figures: page loads of permalinks and warm interactions, in Chromium over the built site. */
import type { Browser, Page, Request } from 'playwright-core';
import type { Manifest } from '../src/lib/manifest.ts';
import { defaultState, stateToSearch, type ExplorerState } from '../src/views/index.ts';
import { COLD_PROBE, WARM_PROBE, type Action, type ActResult, type ColdMarks } from './in-page.ts';
import { emulate, type NetworkCondition } from './network.ts';
import type { Selections } from './selections.ts';

/** What went over the wire since a mark: bytes, and the shortest request that was not an HTTP-cache hit. */
export interface Traffic {
  bytes: number;
  /** Request start to response end, in ms, of the quickest request with bytes on the wire (Infinity: none). */
  shortestMs: number;
}

/**
 * Bytes of every request a page makes, counted from the moment of `mark()`. Its dedicated workers' requests are
 * included: Playwright reports duckdb-wasm's synchronous XHR from its worker as the page's (checked on Chromium 156
 * with a worker's sync XHR: one 'request' event on the page, sizes included).
 */
interface ByteCounter {
  mark(): number;
  /**
   * Waits until no request is in flight, then adds up the requests started since `mark` (and before `before`, a time
   * in ms since the epoch, when given).
   */
  since(mark: number, before?: number): Promise<Traffic>;
}

function countBytes(page: Page): ByteCounter {
  let next = 0;
  let pending = 0;
  const order = new WeakMap<Request, number>();
  const finished: { seq: number; startedAt: number; traffic: Promise<Traffic> }[] = [];
  page.on('request', (request) => {
    order.set(request, next++);
    pending += 1;
  });
  page.on('requestfinished', (request) => {
    pending -= 1;
    const traffic = request.sizes().then(
      (s) => {
        const bytes = s.responseBodySize + s.responseHeadersSize;
        return { bytes, shortestMs: bytes > 0 ? request.timing().responseEnd : Number.POSITIVE_INFINITY };
      },
      () => ({ bytes: 0, shortestMs: Number.POSITIVE_INFINITY }),
    );
    finished.push({ seq: order.get(request) ?? -1, startedAt: request.timing().startTime, traffic });
  });
  page.on('requestfailed', () => (pending -= 1));
  return {
    mark: () => next,
    async since(mark, before = Number.POSITIVE_INFINITY) {
      for (let waited = 0; pending > 0 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      const all = await Promise.all(
        finished.filter((f) => f.seq >= mark && f.startedAt < before).map((f) => f.traffic),
      );
      return {
        bytes: all.reduce((sum, t) => sum + t.bytes, 0),
        shortestMs: Math.min(Number.POSITIVE_INFINITY, ...all.map((t) => t.shortestMs)),
      };
    },
  };
}

/** One page load of a permalink: paint and explorer marks (ms since navigation start) and its traffic. */
export interface PageLoadRun {
  fcp: number;
  content: number;
  /** The explorer's first finished render: the first chart. */
  interactive: number;
  bytes: number;
  shortestMs: number;
  state: string;
}

/** A render that ended in an error is no figure: the bench stops, with the page's message. */
async function failed(page: Page, what: string): Promise<never> {
  throw new Error(`${what}: the explorer shows an error: ${await page.locator('[data-status]').textContent()}`);
}

async function loadOnce(page: Page, url: string, bytes: ByteCounter): Promise<PageLoadRun> {
  const mark = bytes.mark();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const marks = (window as unknown as { __cold: ColdMarks }).__cold;
      return marks.interactive !== undefined && marks.content !== undefined;
    },
    undefined,
    { timeout: 180_000, polling: 50 },
  );
  const marks = await page.evaluate(() => ({
    ...(window as unknown as { __cold: ColdMarks }).__cold,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    origin: performance.timeOrigin,
  }));
  if (marks.state === 'error') await failed(page, url);
  // What the first chart waited for: the page fetches the features file for search once the chart is drawn.
  const traffic = await bytes.since(mark, marks.origin + marks.interactive!);
  return {
    fcp: marks.fcp,
    // Meaningful content is on screen no earlier than the first contentful paint.
    content: Math.max(marks.content!, marks.fcp),
    interactive: marks.interactive!,
    ...traffic,
    state: marks.state ?? 'unknown',
  };
}

/**
 * Loads `url` in a new browser context (empty cache) on `network`, then again in the same page, as a repeat visit
 * with the HTTP cache of the first (hashed files are immutable, pages and the manifest revalidate).
 */
export async function pageLoads(
  browser: Browser,
  url: string,
  network: NetworkCondition,
): Promise<{ cold: PageLoadRun; repeat: PageLoadRun }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await emulate(context, page, network);
    const bytes = countBytes(page);
    await page.addInitScript({ content: COLD_PROBE });
    const cold = await loadOnce(page, url, bytes);
    const repeat = await loadOnce(page, url, bytes);
    return { cold, repeat };
  } finally {
    await context.close();
  }
}

/** A warm interaction: how to set up repetition `i` (untimed) and the input that is timed. */
export interface InteractionCase {
  id: string;
  label: string;
  /** Run once before the repetitions. */
  start: Action[];
  /** Timed repetitions when not the run's `reps`. */
  count?: number;
  setup(i: number): Action[];
  timed(i: number): Action[];
}

/** The measurements of one case, one entry per timed action. */
export interface InteractionRun {
  id: string;
  label: string;
  ms: number[];
  frameMs: number[];
  bytes: number[];
  rows: number[];
  states: Record<string, number>;
  /** The quickest request with bytes on the wire, over the whole run: under emulation, at least its latency. */
  shortestMs: number;
}

/** The search string of a state built from the defaults of `manifest`. */
export function searchFor(manifest: Manifest, dataset: string, change: (s: ExplorerState) => void): string {
  const ctx = { datasets: manifest.datasets.map((d) => ({ id: d.id, bacteria: d.bacteria.map((b) => b.id) })) };
  const state = defaultState(ctx);
  state.dataset = dataset;
  change(state);
  return stateToSearch(state);
}

/** The interactions of the issue, over `sel` (repetitions 0..n-1; the last `warmups` only warm up). */
export function interactionCases(manifest: Manifest, sel: Selections): InteractionCase[] {
  const url = (change: (s: ExplorerState) => void = () => {}): Action => ({
    kind: 'url',
    search: searchFor(manifest, sel.dataset, change),
  });
  const lookup =
    (list: string[]) =>
    (i: number): Action[] => [{ kind: 'type', box: 'landscape', text: list[i]! }];
  const pick =
    (list: string[]) =>
    (i: number): Action[] => [{ kind: 'pick', feature: list[i]! }];
  const profile =
    (list: { id: string }[]) =>
    (i: number): Action[] => [{ kind: 'select', control: 'landscape-bacterium', value: list[i]!.id }];
  const cases: InteractionCase[] = [
    {
      id: 'metabolite-all',
      label: 'metabolite lookup, All',
      start: [url()],
      setup: lookup(sel.metabolites),
      timed: pick(sel.metabolites),
    },
    {
      id: 'metabolite-top10',
      label: 'metabolite lookup, Top 10',
      start: [url((s) => (s.landscape.show = 'top'))],
      setup: lookup(sel.metabolitesTop),
      timed: pick(sel.metabolitesTop),
    },
    {
      id: 'bacterium-all',
      label: 'bacterium profile, All',
      start: [url()],
      setup: () => [],
      timed: profile(sel.profiles),
    },
    {
      id: 'bacterium-top10',
      label: 'bacterium profile, Top 10',
      start: [url((s) => (s.landscape.show = 'top'))],
      setup: () => [],
      timed: profile(sel.profilesTop),
    },
    {
      id: 'bacterium-type',
      label: 'bacterium profile, All, type filter',
      start: [],
      setup: (i) => [url((s) => (s.landscape.bacterium = sel.profiles[i]!.id))],
      timed: (i) => [{ kind: 'select', control: 'type', value: sel.types[i]! }],
    },
  ];
  for (const [size, list] of Object.entries(sel.heatmaps)) {
    const [rows, columns] = [list[0]!.bacteria.length, list[0]!.features.length];
    cases.push({
      id: `heatmap-${rows}x${columns}`,
      label: `heatmap ${rows} x ${columns} (${size})`,
      start: [],
      setup: (i) => [
        url((s) => {
          s.view = 'network';
          s.network = { bacteria: list[i]!.bacteria.slice(0, -1), metabolites: list[i]!.features };
        }),
      ],
      timed: (i) => [{ kind: 'select', control: 'network-bacterium', value: list[i]!.bacteria.at(-1)! }],
    });
  }
  for (const { size, mode, sets } of sel.cooccurrence) {
    cases.push({
      id: `cooccurrence-${size}-${mode}`,
      label: `co-occurrence, ${size} bacteria, ${mode === 'all' ? 'all of them' : 'any of them'}`,
      start: [],
      setup: (i) => [
        url((s) => {
          s.view = 'cooccurrence';
          s.cooccurrence = { bacteria: sets[i]!.slice(0, -1), mode };
        }),
      ],
      timed: (i) => [{ kind: 'select', control: 'cooccurrence-bacterium', value: sets[i]!.at(-1)! }],
    });
  }
  cases.push({
    id: 'overview-type',
    label: 'overview, type filter',
    start: [],
    setup: () => [url((s) => (s.view = 'overview'))],
    timed: (i) => [{ kind: 'select', control: 'type', value: sel.types[i]! }],
  });
  if (sel.compareBacteria.length > 1) {
    cases.push({
      id: 'compare-bacterium',
      label: 'in vitro vs in vivo, a bacterium',
      start: [url((s) => (s.view = 'compare'))],
      setup: () => [],
      timed: (i) => [{ kind: 'select', control: 'compare-bacterium', value: sel.compareBacteria[i]! }],
    });
  }
  const keystrokes = sel.keystrokes;
  cases.push({
    id: 'search-keystroke',
    label: 'search keystroke',
    start: [url()],
    count: keystrokes.length,
    setup: () => [],
    timed: (i) => [{ kind: 'type', box: 'landscape', text: keystrokes[i % keystrokes.length]! }],
  });
  return cases;
}

async function act(page: Page, action: Action): Promise<ActResult> {
  return page.evaluate(
    (a) => (window as unknown as { __bench: { act(a: Action): Promise<ActResult> } }).__bench.act(a),
    action,
  );
}

/** A site's explorer page for warm interactions, with its errors and its traffic. */
interface WarmPage {
  page: Page;
  errors: string[];
  bytes: ByteCounter;
}

async function openWarm(browser: Browser, siteUrl: string, network: NetworkCondition, close: (() => Promise<void>)[]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  close.push(() => context.close());
  const page = await context.newPage();
  await emulate(context, page, network);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const bytes = countBytes(page);
  await page.addInitScript({ content: WARM_PROBE });
  await page.goto(siteUrl);
  await page.waitForSelector('metanexus-explorer[data-renders]', { timeout: 120_000 });
  return { page, errors, bytes } satisfies WarmPage;
}

/** Runs repetition `i` of `c` on `w` (its set-up untimed), into `run`. */
async function timedRepetition(w: WarmPage, c: InteractionCase, i: number, run: InteractionRun): Promise<void> {
  for (const action of c.setup(i)) await act(w.page, action);
  const mark = w.bytes.mark();
  for (const action of c.timed(i)) {
    const result = await act(w.page, action);
    if (result.state === 'error') await failed(w.page, c.id);
    run.ms.push(result.ms);
    run.frameMs.push(result.frameMs);
    run.rows.push(result.rows);
    run.states[result.state] = (run.states[result.state] ?? 0) + 1;
  }
  const traffic = await w.bytes.since(mark);
  run.bytes.push(traffic.bytes);
  run.shortestMs = Math.min(run.shortestMs, traffic.shortestMs);
}

/**
 * Opens the explorer of each site once and runs every case: `warmups` untimed repetitions first (selections
 * `reps..`), then `reps` timed ones, each with its own selection. With more than one site (a side by side), each
 * repetition runs on every site in turn, the first site alternating, so that the machine's drift falls on all of them
 * alike. Returns each site's runs.
 */
export async function warmInteractions(
  browser: Browser,
  siteUrls: string[],
  cases: InteractionCase[],
  {
    reps,
    warmups,
    network,
    onCase,
  }: { reps: number; warmups: number; network: NetworkCondition; onCase(id: string): void },
): Promise<InteractionRun[][]> {
  const close: (() => Promise<void>)[] = [];
  try {
    const sites: WarmPage[] = [];
    for (const url of siteUrls) sites.push(await openWarm(browser, url, network, close));
    const runs: InteractionRun[][] = sites.map(() => []);
    for (const c of cases) {
      onCase(c.id);
      const count = c.count ?? reps;
      const caseRuns = sites.map((): InteractionRun => ({
        id: c.id,
        label: c.label,
        ms: [],
        frameMs: [],
        bytes: [],
        rows: [],
        states: {},
        shortestMs: Number.POSITIVE_INFINITY,
      }));
      for (const { page } of sites) {
        for (const action of c.start) await act(page, action);
        for (let w = 0; w < warmups; w++) {
          for (const action of [...c.setup(reps + w), ...c.timed(reps + w)]) await act(page, action);
        }
      }
      for (let i = 0; i < count; i++) {
        const order = [...sites.keys()];
        for (const k of i % 2 === 0 ? order : order.reverse()) await timedRepetition(sites[k]!, c, i, caseRuns[k]!);
      }
      caseRuns.forEach((run, k) => runs[k]!.push(run));
    }
    const errors = sites.flatMap((w) => w.errors);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return runs;
  } finally {
    for (const done of close) await done();
  }
}
