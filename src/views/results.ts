import type { Columns } from '../lib/db.ts';

export const NO_DATA = 'No data for this selection';

/** The first `count` rows of a columnar result (all by default), as objects. */
export const rowsOf = <T>(c: Columns<T>, count = c.length): T[] =>
  Array.from({ length: Math.min(count, c.length) }, (_, i) => c.row(i));
