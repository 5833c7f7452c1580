import type { Mode } from '../../lib/sql/cooccurrence.ts';

/** The co-occurrence's slice of the state: the selected bacteria, and whether all or any must be top producers. */
export interface CooccurrenceState {
  bacteria: string[];
  mode: Mode;
}

/** The chart draws the metabolites with the highest peaks, this many; the table lists every one. */
export const CHART_METABOLITES = 50;

/** Most bacteria the co-occurrence takes. */
export const COOCCURRENCE_LIMIT = 30;
