/** The benchmark's printed report: Markdown tables, so that BENCHMARKS.md can hold a run as printed. */
import {
  bytesBudgeted,
  checkBudgets,
  interactionLimitText,
  pageLoadLimitMs,
  interactionPasses,
  limitsFor,
  type Limits,
} from './budgets.ts';
import { compareWithDash, DASH_REFERENCE } from './dash-reference.ts';
import type { BenchResults, PageLoadResult } from './results.ts';
import { growthRatio, speedup, type Summary } from './stats.ts';

/** A Markdown table with padded columns; columns listed in `right` are right-aligned. */
export function markdownTable(headers: string[], rows: string[][], right: number[] = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, 3, ...rows.map((r) => (r[c] ?? '').length)));
  const pad = (text: string, c: number) => (right.includes(c) ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (right.includes(c) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Milliseconds for reading: one decimal below 10 ms, seconds above 10 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Bytes in B, KiB or MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

const passFail = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const spread = (s: Summary, f: (x: number) => string) => [f(s.median), f(s.min), f(s.max)];
/** A ratio such as 16x, 1.9x or 0.0026x (two significant digits below 1, where ours is the slower). */
export function formatRatio(x: number): string {
  if (x >= 10) return `${Math.round(x)}x`;
  return x >= 1 ? `${x.toFixed(1)}x` : `${Number(x.toPrecision(2))}x`;
}

const scaleName = (scale: number) => (scale === 1 ? 'full scale' : `scale ${scale}`);

/** Step order of the data build; steps the build does not report separately print as a dash. */
const STEPS = ['extract', 'precompute', 'write', 'validate', 'publish'];

function buildSection(r: BenchResults): string {
  const b = r.build;
  const steps = [...STEPS, ...Object.keys(b.steps).filter((s) => !STEPS.includes(s))];
  const rows = steps.map((step) => {
    const s = b.steps[step];
    return s ? [step, ...spread(s, formatMs)] : [step, '— (inside precompute)', '', ''];
  });
  rows.push(
    ['**data build, all steps**', ...spread(b.dataBuild, formatMs)],
    ['`build` process, spawn to exit', ...spread(b.process, formatMs)],
    ['`astro build`', ...spread(b.astroBuild, formatMs)],
    ['peak memory of the build process', ...spread(b.peakMemoryMiB, (x) => `${Math.round(x)} MiB`)],
    [`build connections in pg_stat_activity (pool ${b.poolSize})`, `max ${b.maxConnections}`, '', ''],
  );
  const shipped = Object.entries(b.shipped.byKind)
    .sort((x, y) => y[1].bytes - x[1].bytes)
    .map(([kind, k]) => [kind, String(k.count), formatBytes(k.bytes)]);
  shipped.push(['**total in dist/**', String(b.shipped.files), formatBytes(b.shipped.total)]);
  return [
    `## Build, ${scaleName(r.options.scale)} (${b.sourceRows.toLocaleString('en-US')} source rows, ${b.runs} runs)`,
    '',
    markdownTable(['step', 'median', 'min', 'max'], rows, [1, 2, 3]),
    '',
    `Shipped bytes (largest file: ${b.shipped.largest.path}, ${formatBytes(b.shipped.largest.bytes)})`,
    '',
    markdownTable(['kind', 'files', 'bytes'], shipped, [1, 2]),
  ].join('\n');
}

function scalingSection(r: BenchResults): string {
  if (r.scaling.length < 2) return '';
  const rows = r.scaling.map((s, i) => {
    const prev = r.scaling[i - 1];
    const ratio = prev
      ? growthRatio(
          { size: prev.sourceRows, value: prev.dataBuild.median },
          { size: s.sourceRows, value: s.dataBuild.median },
        )
      : undefined;
    return [
      String(s.scale),
      s.sourceRows.toLocaleString('en-US'),
      ...spread(s.dataBuild, formatMs),
      ratio ? ratio.toFixed(2) : '',
    ];
  });
  const [first, last] = [r.scaling[0]!, r.scaling.at(-1)!];
  const overall = growthRatio(
    { size: first.sourceRows, value: first.dataBuild.median },
    { size: last.sourceRows, value: last.dataBuild.median },
  );
  return [
    '## Build time against size (data build, all steps)',
    '',
    markdownTable(
      ['scale', 'source rows', 'median', 'min', 'max', 'growth vs. previous (1 = linear)'],
      rows,
      [1, 2, 3, 4, 5],
    ),
    '',
    `From ${first.scale} to ${last.scale} scale: ${(last.dataBuild.median / first.dataBuild.median).toFixed(2)}x ` +
      `the time for ${(last.sourceRows / first.sourceRows).toFixed(2)}x the rows (${overall.toFixed(2)} of linear).`,
  ].join('\n');
}

function coldSection(r: BenchResults, limits: Limits): string {
  const c = r.cold;
  const rows = [
    ['first contentful paint', ...spread(c.fcp, formatMs), ''],
    [
      'first meaningful content (counts and lists)',
      ...spread(c.content, formatMs),
      passFail(c.content.median <= limits.contentMs),
    ],
    [
      'interactive (engine ready, first query drawn)',
      ...spread(c.interactive, formatMs),
      passFail(c.interactive.median <= limits.firstChartLocalMs),
    ],
    ['bytes before the first chart', ...spread(c.bytes, formatBytes), ''],
  ];
  return [
    `## Cold load (new browser context each time, ${c.fcp.n} loads of \`${c.url}\`)`,
    '',
    markdownTable(['figure', 'median', 'min', 'max', 'budget'], rows, [1, 2, 3]),
  ].join('\n');
}

function interactionSection(r: BenchResults, limits: Limits): string {
  const scale = r.options.scale;
  const rows = r.interactions.map((i) => [
    i.label,
    String(i.ours.n),
    formatMs(i.ours.p50),
    formatMs(i.ours.p95),
    formatMs(i.oursFrame.p50),
    formatBytes(i.bytes.median),
    String(Math.round(i.meanRows)),
    i.live ? formatMs(i.live.p50) : '—',
    i.live ? formatMs(i.live.p95) : '—',
    i.live ? formatRatio(speedup(i.live.p50, i.ours.p50)) : '—',
    `${passFail(interactionPasses(i, scale))} (${interactionLimitText(i.id, scale)})`,
    bytesBudgeted(i.id) ? passFail(i.bytes.median <= limits.bytesPerClick) : '',
  ]);
  return [
    '## Warm interactions (input event to the chart updated in the DOM; dataset in_vivo)',
    '',
    markdownTable(
      [
        'interaction',
        'n',
        'p50',
        'p95',
        'p50 to next frame',
        'bytes (median)',
        'rows',
        'live p50',
        'live p95',
        'live / ours (p50)',
        'time budget',
        `bytes <= ${formatBytes(limits.bytesPerClick)}`,
      ],
      rows,
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ),
    '',
    "Bytes are on the wire (headers and body), the worker's requests included, with the HTTP cache the page had by " +
      'then: a click whose files an earlier case already fetched costs 0 B.',
  ].join('\n');
}

function throttledSection(r: BenchResults, limits: Limits): string {
  const measured = r.interactions.filter((i) => i.throttled);
  if (!r.throttled || measured.length === 0) return '';
  const rows = measured.map((i) => [
    i.label,
    String(i.throttled!.ours.n),
    formatMs(i.throttled!.ours.p50),
    formatMs(i.throttled!.ours.p95),
    formatBytes(i.throttled!.bytes.median),
    passFail(i.throttled!.ours.p95 <= limits.throttledP95Ms),
  ]);
  return [
    `## Warm interactions at ${r.throttled.network} (Chromium network emulation, page and worker)`,
    '',
    markdownTable(
      ['interaction', 'n', 'p50', 'p95', 'bytes (median)', `p95 <= ${limits.throttledP95Ms} ms`],
      rows,
      [1, 2, 3, 4],
    ),
    '',
    'A fresh browser context (empty cache) with the emulation set before the page loads. HTTP-cache hits cost no ' +
      'network: a click whose files are cached takes its local time, so the figures depend on what earlier cases ' +
      `fetched. Quickest request with bytes on the wire: ${formatMs(r.throttled.shortestRequestMs)} (the emulated ` +
      'latency is its floor, so the emulation reached the worker).',
  ].join('\n');
}

/** A cell of the page-load table: the median and its range. */
const loadCell = (l: PageLoadResult | undefined) =>
  l ? `${formatMs(l.interactive.median)} (${formatMs(l.interactive.min)}–${formatMs(l.interactive.max)})` : '—';

function pageLoadSection(r: BenchResults, limits: Limits): string {
  if (r.pageLoads.length === 0) return '';
  const networks = [...new Map(r.pageLoads.map((l) => [l.network, l.networkLabel])).entries()];
  const pages = [...new Map(r.pageLoads.map((l) => [l.page, l])).values()];
  const find = (page: string, network: string, visit: PageLoadResult['visit']) =>
    r.pageLoads.find((l) => l.page === page && l.network === network && l.visit === visit);
  const rows = pages.flatMap((p) =>
    networks.map(([network, label]) => {
      const [cold, repeat] = [find(p.page, network, 'cold'), find(p.page, network, 'repeat')];
      return [
        p.label,
        label,
        loadCell(cold),
        cold ? formatBytes(cold.bytes.median) : '—',
        loadCell(repeat),
        repeat ? formatBytes(repeat.bytes.median) : '—',
        [cold, repeat]
          .flatMap((l) => {
            const limit = l && pageLoadLimitMs(l.network, l.visit, limits);
            return l && limit !== undefined ? [`${l.visit} ${passFail(l.interactive.median <= limit)}`] : [];
          })
          .join(', '),
      ];
    }),
  );
  const loads = r.pageLoads[0]!.interactive.n;
  return [
    `## Page loads: time to the first chart (median of ${loads}, min–max) and bytes on the wire`,
    '',
    markdownTable(
      [
        'permalink',
        'connection',
        'cold: first chart',
        'cold: bytes',
        'repeat visit: first chart',
        'repeat: bytes',
        'budget',
      ],
      rows,
      [2, 3, 4, 5],
    ),
    '',
    `Cold: a new browser context (empty cache). Repeat visit: the same page loaded again (hashed files from the HTTP ` +
      `cache, pages and the manifest revalidated; the context's cache is in memory, as a private window's, and keeps ` +
      `less than a disk cache would). Budgets: first chart <= ${formatMs(limits.firstChartLocalMs)} ` +
      `cold on local, <= ${formatMs(limits.firstChartFastMs)} cold at 10 Mbit/s, <= ` +
      `${formatMs(limits.repeatVisitMs)} on a repeat visit (local). Permalinks:`,
    '',
    ...pages.map((p) => `- ${p.label}: \`${p.url}\``),
  ].join('\n');
}

const yesNo = (x: boolean | undefined) => (x === undefined ? '—' : x ? 'yes' : 'no');

function dashSection(r: BenchResults): string {
  const rows = Object.entries(DASH_REFERENCE).flatMap(([id, ref]) => {
    const ours = r.interactions.find((i) => i.id === id);
    if (!ours) return [];
    const c = compareWithDash(ours.ours, ref);
    return [
      [
        ref.label,
        formatMs(ours.ours.p50),
        formatMs(ours.ours.p95),
        formatMs(ref.p50),
        ref.p95 === undefined ? '—' : formatMs(ref.p95),
        formatRatio(c.ratio),
        yesNo(c.p50),
        yesNo(c.p95),
      ],
    ];
  });
  if (rows.length === 0) return '';
  return [
    '## Against the old Dash app (its own per-click times, quoted in issue 13: lower bounds)',
    '',
    markdownTable(
      [
        'interaction',
        'ours p50',
        'ours p95',
        'Dash p50',
        'Dash p95',
        'ours / Dash (p50)',
        'p50 as fast',
        'p95 as fast',
      ],
      rows,
      [1, 2, 3, 4, 5],
    ),
    '',
    'The Dash figures are fixed (bench/dash-reference.ts), not measured by this bench. "As fast": ours is at most ' +
      'the Dash figure; below 1 in the ratio, ours is faster.',
  ].join('\n');
}

/** The whole report of a run, as printed and as pasted into BENCHMARKS.md. */
export function formatReport(r: BenchResults): string {
  const budgets = checkBudgets(r);
  const limits = limitsFor(r.options.scale);
  const o = r.options;
  const m = r.machine;
  const header = [
    `# MetaNexus benchmark, ${r.date}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}. ` +
      `Load average (1/5/15 min) at start ${m.load.start?.join(' / ')}, at end ${m.load.end?.join(' / ')}.`,
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `Source: ${o.source}; demo scale ${o.scale}` +
      `${r.seedSeconds > 0 ? ` (seeded in this run in ${formatMs(r.seedSeconds * 1000)}, in no other figure)` : ''}; ` +
      `pool size ${o.poolSize}; ${o.runs} build runs, ${o.reps} repetitions per interaction (${o.warmups} ` +
      `warm-ups), ${o.throttledReps} under network emulation, ` +
      `${o.skipLive ? 'no live queries' : `${o.baselineReps} per live query`}, ` +
      `${o.coldLoads} loads per page-load cell.`,
  ].join('\n');
  const budgetRows = budgets.map((b) => [b.budget, b.limit, b.value, passFail(b.pass)]);
  return [
    header,
    buildSection(r),
    scalingSection(r),
    coldSection(r, limits),
    pageLoadSection(r, limits),
    interactionSection(r, limits),
    throttledSection(r, limits),
    dashSection(r),
    ['## Budgets', '', markdownTable(['budget', 'limit', 'measured', ''], budgetRows)].join('\n'),
  ]
    .filter((s) => s !== '')
    .join('\n\n');
}
