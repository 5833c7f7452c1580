import type { ResultTable, TableRow } from '../../src/views/view.ts';

/** Every row of a result table, in its order. */
export function tableRows(table: ResultTable): TableRow[] {
  return Array.from({ length: table.total }, (_, i) => table.row(i));
}
