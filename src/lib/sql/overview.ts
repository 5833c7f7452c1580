import type { TypeFilter } from '../feature-types.ts';
import { rowColumns, type DirectRead } from '../answers.ts';
import { quoteIdent } from './quote.ts';
import type { Query } from './sources.ts';

/** One cell of the overview: a bin of features × a bacterium, with what the bin's measured values sum up to. */
export interface OverviewCell {
  /** The bin's position among all bins of the dataset (types in order, then by mean). */
  bin: number;
  type: string;
  /** Features in the bin, measured or not, and its first and last by mean. */
  features: number;
  first_feature: string;
  last_feature: string;
  /** The bacterium's position in the similarity order. */
  row: number;
  bacterium: string;
  /** How many of the bin's features the bacterium has a value for; the rest are NULL while it is 0. */
  measured: number;
  mean_value: number | null;
  max_value: number | null;
  min_value: number | null;
  /** The feature with the largest |value| in the cell (ties by id), and its value. */
  strongest: string | null;
  strongest_value: number | null;
}

const NAMES = [
  'bin',
  'type',
  'features',
  'first_feature',
  'last_feature',
  'row',
  'bacterium',
  'measured',
  'mean_value',
  'max_value',
  'min_value',
  'strongest',
  'strongest_value',
];
const COLUMNS = NAMES.map(quoteIdent).join(', ');

/** Every cell of the overview of one type (or all), bin by bin and each bin in row order: a full grid. */
export function overviewQuery(source: string, type: TypeFilter): Query {
  return type === 'all'
    ? { sql: `SELECT ${COLUMNS}\n  FROM ${source}\n ORDER BY bin, "row"`, params: [] }
    : { sql: `SELECT ${COLUMNS}\n  FROM ${source}\n WHERE type = ?\n ORDER BY bin, "row"`, params: [type] };
}

/** `overviewQuery`'s answer without the engine: the file's rows of the type (bins of a type are contiguous). */
export function overviewRead(file: string, type: TypeFilter): DirectRead {
  return {
    reads: [{ file, columns: NAMES, filter: type === 'all' ? undefined : { type: { $eq: type } } }],
    answer: (rows) =>
      rowColumns((rows as unknown as OverviewCell[]).toSorted((x, y) => x.bin - y.bin || x.row - y.row)),
  };
}
