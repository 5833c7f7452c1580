import type { Columns } from '../../lib/db.ts';
import type { OverviewCell } from '../../lib/sql/overview.ts';

/** One bin as shown: its place among the shown bins and within its type. */
export interface OverviewBin {
  bin: number;
  type: string;
  features: number;
  first: string;
  last: string;
  /** 1-based position within its type, and how many bins the type has. */
  ofType: number;
  typeBins: number;
}

/** A run of bins of one type: [from, to) among the shown bins. */
export interface TypeSection {
  type: string;
  from: number;
  to: number;
  features: number;
}

/** The overview's cells as a grid: bins (columns) × bacteria (rows, in similarity order). */
export interface OverviewGrid {
  bins: OverviewBin[];
  sections: TypeSection[];
  /** Bacterium ids in row order. */
  bacteria: string[];
  /** The index of a cell in the query's result. */
  at(bin: number, row: number): number;
  /** The cell's mean, or null when nothing of the bin is measured in that bacterium. */
  mean(bin: number, row: number): number | null;
  cell(bin: number, row: number): OverviewCell;
}

/**
 * The grid of a query result ordered by bin then row, holding every bacterium for every bin (as the build writes it):
 * cell (b, r) is row b × bacteria + r. Only the bins' first rows are decoded here; other cells on demand.
 */
export function overviewGrid(cells: Columns<OverviewCell>): OverviewGrid {
  const binColumn = cells.column('bin');
  let rows = 0;
  while (rows < cells.length && binColumn[rows] === binColumn[0]) rows++;
  const bins: OverviewBin[] = [];
  for (let i = 0; rows > 0 && i < cells.length; i += rows) {
    const c = cells.row(i);
    bins.push({
      bin: c.bin,
      type: c.type,
      features: c.features,
      first: c.first_feature,
      last: c.last_feature,
      ofType: 0,
      typeBins: 0,
    });
  }
  const sections: TypeSection[] = [];
  bins.forEach((b, i) => {
    const last = sections.at(-1);
    if (last?.type === b.type) {
      last.to = i + 1;
      last.features += b.features;
    } else sections.push({ type: b.type, from: i, to: i + 1, features: b.features });
  });
  for (const s of sections) {
    for (let i = s.from; i < s.to; i++) Object.assign(bins[i]!, { ofType: i - s.from + 1, typeBins: s.to - s.from });
  }
  const bacteria = Array.from({ length: rows }, (_, r) => cells.row(r).bacterium);
  const measured = cells.column('measured');
  const means = cells.column('mean_value');
  const at = (bin: number, row: number) => bin * rows + row;
  return {
    bins,
    sections,
    bacteria,
    at,
    // Arrow gives a nullable DOUBLE column as numbers with 0 for NULL: the count says which cells are empty.
    mean: (bin, row) => (measured[at(bin, row)] ? (means[at(bin, row)] as number) : null),
    cell: (bin, row) => cells.row(at(bin, row)),
  };
}
