import type { Show } from '../../lib/sql/landscape.ts';

/** The landscape's slice of the state: a metabolite or a bacterium (never both), and what to show of its profile. */
export interface LandscapeState {
  metabolite: string | null;
  bacterium: string | null;
  show: Show;
  n: number;
  /** The brushed ranks of a bacterium's whole profile (Show all), listed in the table; null for none. */
  range: RankRange | null;
}

/** Bounds of N in Top/Bottom N. */
export const N_LIMITS = { min: 1, max: 1000, default: 10 } as const;

/** A range of ranks (1-based, both ends included) of a bacterium's sorted profile: what a reader brushed. */
export interface RankRange {
  from: number;
  to: number;
}

/** The URL form of a range, `from-to`. */
export const rangeText = ({ from, to }: RankRange) => `${from}-${to}`;

/** Reads `from-to` (whole ranks, from ≤ to, at least 1), or null for anything else. */
export function parseRange(text: string): RankRange | null {
  const match = /^(\d{1,7})-(\d{1,7})$/.exec(text.trim());
  if (!match) return null;
  const [from, to] = [Number(match[1]), Number(match[2])];
  return from >= 1 && from <= to ? { from, to } : null;
}
