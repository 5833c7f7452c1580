import type { Mode } from '../../lib/sql/cooccurrence.ts';

/** The co-occurrence's slice of the state: the selected bacteria, and whether all or any must be top producers. */
export interface CooccurrenceState {
  bacteria: string[];
  mode: Mode;
}

/** Most bacteria the co-occurrence takes. */
export const COOCCURRENCE_LIMIT = 30;
