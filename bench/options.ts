import { UsageError } from '../scripts/run-main.ts';

/** The whole number >= `min` of option `--flag` in parseArgs' `values`, or `fallback` when it is not given. */
export function count(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  fallback: number,
  min = 1,
): number {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag}: expected a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}
