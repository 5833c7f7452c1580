/** The issue's budgets, checked against a run's results; a failed budget is reported, never an exit code. */
import type { BenchResults, InteractionResult } from './results.ts';

/** One budget: what is measured, the limit and the measured value in words, and whether it holds. */
export interface BudgetCheck {
  budget: string;
  limit: string;
  value: string;
  pass: boolean;
}

export const LIMITS = {
  interactionP95Ms: 100,
  searchP95Ms: 50,
  contentMs: 1_000,
  interactiveMs: 2_000,
  dataBuildMs: 60_000,
  peakMemoryMiB: 1_536,
  fileBytes: 25 * 2 ** 20,
} as const;

/** The p95 budget of a warm interaction: the search keystroke has its own, tighter one. */
export function interactionLimitMs(id: string): number {
  return id === 'search-keystroke' ? LIMITS.searchP95Ms : LIMITS.interactionP95Ms;
}

/** Whether an interaction's p95 is within its budget. */
export function interactionPasses(i: InteractionResult): boolean {
  return i.ours.p95 <= interactionLimitMs(i.id);
}

const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Every budget of the issue, in the order the report lists them. */
export function checkBudgets(r: BenchResults): BudgetCheck[] {
  const warm = r.interactions.filter((i) => i.id !== 'search-keystroke');
  const worst = warm.reduce((a, b) => (b.ours.p95 > a.ours.p95 ? b : a), warm[0]!);
  const search = r.interactions.find((i) => i.id === 'search-keystroke');
  const failing = warm.filter((i) => !interactionPasses(i)).map((i) => i.id);
  const largest = r.build.shipped.largest;
  return [
    {
      budget: 'every warm interaction, p95',
      limit: `<= ${LIMITS.interactionP95Ms} ms`,
      value: `worst ${worst.id} ${ms(worst.ours.p95)}${failing.length > 0 ? `; over: ${failing.join(', ')}` : ''}`,
      pass: failing.length === 0,
    },
    ...(search
      ? [
          {
            budget: 'search keystroke, p95',
            limit: `<= ${LIMITS.searchP95Ms} ms`,
            value: ms(search.ours.p95),
            pass: interactionPasses(search),
          },
        ]
      : []),
    {
      budget: 'first meaningful content, cold (median)',
      limit: `<= ${LIMITS.contentMs} ms`,
      value: `${ms(r.cold.content.median)} (max ${ms(r.cold.content.max)})`,
      pass: r.cold.content.median <= LIMITS.contentMs,
    },
    {
      budget: 'interactive, cold (median)',
      limit: `<= ${LIMITS.interactiveMs} ms`,
      value: `${ms(r.cold.interactive.median)} (max ${ms(r.cold.interactive.max)})`,
      pass: r.cold.interactive.median <= LIMITS.interactiveMs,
    },
    {
      budget: 'full-scale data build, all steps (median)',
      limit: `<= ${LIMITS.dataBuildMs / 1000} s`,
      value: `${(r.build.dataBuild.median / 1000).toFixed(1)} s`,
      pass: r.build.dataBuild.median <= LIMITS.dataBuildMs,
    },
    {
      budget: 'peak memory of the build process (max)',
      limit: `<= ${LIMITS.peakMemoryMiB} MiB`,
      value: `${Math.round(r.build.peakMemoryMiB.max)} MiB`,
      pass: r.build.peakMemoryMiB.max <= LIMITS.peakMemoryMiB,
    },
    {
      budget: 'build connections seen in pg_stat_activity',
      limit: `<= --pool-size ${r.build.poolSize}`,
      value: String(r.build.maxConnections),
      pass: r.build.maxConnections <= r.build.poolSize,
    },
    {
      budget: 'largest shipped file',
      limit: `<= ${mib(LIMITS.fileBytes)}`,
      value: `${largest.path} ${mib(largest.bytes)}`,
      pass: largest.bytes <= LIMITS.fileBytes,
    },
  ];
}
