/** The issues' budgets, checked against a run's results; a failed budget is reported, never an exit code. */
import type { BenchResults, InteractionResult, PageLoadResult } from './results.ts';

/** One budget: what is measured, the limit and the measured value in words, and whether it holds. */
export interface BudgetCheck {
  budget: string;
  limit: string;
  value: string;
  pass: boolean;
}

/** The limits at the real tables' size (scale 1). */
export const LIMITS = {
  interactionP95Ms: 100,
  searchP95Ms: 50,
  contentMs: 1_000,
  /** First chart of a cold load on the loopback (issue 13; was 2 s). */
  firstChartLocalMs: 1_000,
  /** First chart of a cold load at 10 Mbit/s, 40 ms. */
  firstChartFastMs: 3_000,
  /** First chart of a repeat visit on the loopback. */
  repeatVisitMs: 500,
  /** Bytes on the wire per click, for lookups, Top/Bottom N and heatmaps (median of the repetitions). */
  bytesPerClick: 150 * 1024,
  /** p95 of a warm interaction at 10 Mbit/s, 40 ms. */
  throttledP95Ms: 300,
  dataBuildMs: 60_000,
  peakMemoryMiB: 1_536,
  fileBytes: 25 * 2 ** 20,
} as const;

/** At scale 4 (4x the features, 3x the bacteria): the build and warm budgets of issue 13. */
const SCALED = { interactionP95Ms: 200, dataBuildMs: 5 * 60_000, peakMemoryMiB: 3 * 1024 } as const;

export type Limits = { [K in keyof typeof LIMITS]: number };

/** The limits of a run at `scale`: above 1, the scale-4 build and warm budgets; the rest as at scale 1. */
export function limitsFor(scale: number): Limits {
  return scale > 1 ? { ...LIMITS, ...SCALED, searchP95Ms: SCALED.interactionP95Ms } : { ...LIMITS };
}

/** Stricter p50 / p95 limits of single interactions at scale 1 (issue 13). */
const STRICTER: Record<string, { p50: number; p95?: number }> = {
  'heatmap-20x50': { p50: 50, p95: 80 },
  'heatmap-5x10': { p50: 50 },
  'bacterium-top10': { p50: 50 },
};

/** The budget of a warm interaction: a p95 for every one, a p50 for some. */
export function interactionLimits(id: string, scale: number): { p50?: number; p95: number } {
  const limits = limitsFor(scale);
  const p95 = id === 'search-keystroke' ? limits.searchP95Ms : limits.interactionP95Ms;
  const stricter = scale > 1 ? undefined : STRICTER[id];
  return stricter ? { p50: stricter.p50, p95: Math.min(p95, stricter.p95 ?? p95) } : { p95 };
}

/** Whether an interaction is within its budget, p50 and p95. */
export function interactionPasses(i: InteractionResult, scale: number): boolean {
  const { p50, p95 } = interactionLimits(i.id, scale);
  return i.ours.p95 <= p95 && (p50 === undefined || i.ours.p50 <= p50);
}

/** The budget in words, as in the report's tables: `p50 <= 50, p95 <= 80 ms`. */
export function interactionLimitText(id: string, scale: number): string {
  const { p50, p95 } = interactionLimits(id, scale);
  return p50 === undefined ? `p95 <= ${p95} ms` : `p50 <= ${p50}, p95 <= ${p95} ms`;
}

/** Whether the bytes-per-click budget applies: lookups, Top/Bottom N and heatmaps. */
export function bytesBudgeted(id: string): boolean {
  return /^(metabolite-|bacterium-(top|bottom)|heatmap-)/.test(id);
}

const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A budget over several items: passes when none is over; names the worst and those over. */
function overAll<T>(
  budget: string,
  limit: string,
  items: T[],
  name: (t: T) => string,
  value: (t: T) => number,
  passes: (t: T) => boolean,
  show: (x: number) => string,
): BudgetCheck[] {
  if (items.length === 0) return [];
  const worst = items.reduce((a, b) => (value(b) > value(a) ? b : a));
  const over = items.filter((t) => !passes(t)).map(name);
  return [
    {
      budget,
      limit,
      value: `worst ${name(worst)} ${show(value(worst))}${over.length > 0 ? `; over: ${over.join(', ')}` : ''}`,
      pass: over.length === 0,
    },
  ];
}

/** The first-chart budget of a page-load cell, if it has one: cold on local and at 10 Mbit/s, repeat on local. */
export function pageLoadLimitMs(network: string, visit: PageLoadResult['visit'], limits: Limits): number | undefined {
  if (network === 'local') return visit === 'cold' ? limits.firstChartLocalMs : limits.repeatVisitMs;
  return network === '10mbit' && visit === 'cold' ? limits.firstChartFastMs : undefined;
}

function pageLoadChecks(loads: PageLoadResult[], limits: Limits): BudgetCheck[] {
  const chart = (budget: string, network: string, visit: PageLoadResult['visit']) => {
    const limit = pageLoadLimitMs(network, visit, limits)!;
    return overAll(
      budget,
      `<= ${ms(limit)}`,
      loads.filter((l) => l.network === network && l.visit === visit),
      (l) => l.page,
      (l) => l.interactive.median,
      (l) => l.interactive.median <= limit,
      ms,
    );
  };
  return [
    ...chart('first chart, cold, local (median per permalink)', 'local', 'cold'),
    ...chart('first chart, cold, 10 Mbit/s (median per permalink)', '10mbit', 'cold'),
    ...chart('first chart, repeat visit, local (median)', 'local', 'repeat'),
  ];
}

/** Every budget, in the order the report lists them. */
export function checkBudgets(r: BenchResults): BudgetCheck[] {
  const scale = r.options.scale;
  const limits = limitsFor(scale);
  const warm = r.interactions.filter((i) => i.id !== 'search-keystroke');
  const search = r.interactions.find((i) => i.id === 'search-keystroke');
  const budgeted = r.interactions.filter((i) => bytesBudgeted(i.id));
  const throttled = r.interactions.filter((i) => i.throttled);
  const largest = r.build.shipped.largest;
  const stricter = warm.filter((i) => interactionLimits(i.id, scale).p50 !== undefined);
  return [
    ...overAll(
      'every warm interaction, p95',
      `<= ${limits.interactionP95Ms} ms${scale > 1 ? '' : ' (heatmap 20 x 50: 80 ms)'}`,
      warm,
      (i) => i.id,
      (i) => i.ours.p95,
      (i) => i.ours.p95 <= interactionLimits(i.id, scale).p95,
      ms,
    ),
    ...overAll(
      'heatmaps and bacterium Top 10, p50',
      '<= 50 ms',
      stricter,
      (i) => i.id,
      (i) => i.ours.p50,
      (i) => i.ours.p50 <= interactionLimits(i.id, scale).p50!,
      ms,
    ),
    ...(search
      ? [
          {
            budget: 'search keystroke, p95',
            limit: `<= ${limits.searchP95Ms} ms`,
            value: ms(search.ours.p95),
            pass: search.ours.p95 <= limits.searchP95Ms,
          },
        ]
      : []),
    ...overAll(
      'bytes per click: lookups, Top/Bottom N, heatmaps (median)',
      `<= ${kib(limits.bytesPerClick)}`,
      budgeted,
      (i) => i.id,
      (i) => i.bytes.median,
      (i) => i.bytes.median <= limits.bytesPerClick,
      kib,
    ),
    ...overAll(
      'every warm interaction at 10 Mbit/s, 40 ms, p95',
      `<= ${limits.throttledP95Ms} ms`,
      throttled,
      (i) => i.id,
      (i) => i.throttled!.ours.p95,
      (i) => i.throttled!.ours.p95 <= limits.throttledP95Ms,
      ms,
    ),
    ...pageLoadChecks(r.pageLoads, limits),
    {
      budget: 'first meaningful content, cold (median)',
      limit: `<= ${limits.contentMs} ms`,
      value: `${ms(r.cold.content.median)} (max ${ms(r.cold.content.max)})`,
      pass: r.cold.content.median <= limits.contentMs,
    },
    {
      budget: `data build, all steps, scale ${scale} (median)`,
      limit: `<= ${limits.dataBuildMs / 1000} s`,
      value: `${(r.build.dataBuild.median / 1000).toFixed(1)} s`,
      pass: r.build.dataBuild.median <= limits.dataBuildMs,
    },
    {
      budget: 'peak memory of the build process (max)',
      limit: `<= ${limits.peakMemoryMiB} MiB`,
      value: `${Math.round(r.build.peakMemoryMiB.max)} MiB`,
      pass: r.build.peakMemoryMiB.max <= limits.peakMemoryMiB,
    },
    {
      budget: 'build connections seen in pg_stat_activity',
      limit: `<= --pool-size ${r.build.poolSize}`,
      value: String(r.build.maxConnections),
      pass: r.build.maxConnections <= r.build.poolSize,
    },
    {
      budget: 'largest shipped file',
      limit: `<= ${mib(limits.fileBytes)}`,
      value: `${largest.path} ${mib(largest.bytes)}`,
      pass: largest.bytes <= limits.fileBytes,
    },
  ];
}
