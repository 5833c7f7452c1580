import type { Show } from '../../lib/sql/landscape.ts';

/** The landscape's slice of the state: a metabolite or a bacterium (never both), and what to show of its profile. */
export interface LandscapeState {
  metabolite: string | null;
  bacterium: string | null;
  show: Show;
  n: number;
}

/** Bounds of N in Top/Bottom N. */
export const N_LIMITS = { min: 1, max: 1000, default: 10 } as const;
