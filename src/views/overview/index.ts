import { overviewQuery, overviewRead } from '../../lib/sql/overview.ts';
import { parquetSource } from '../../lib/sql/sources.ts';
import { defineView } from '../view.ts';
import type { OverviewState } from './state.ts';

/** Overview: all features (binned) × all bacteria of a dataset, precomputed at build time, drawn on a canvas. */
export const overview = defineView({
  id: 'overview',
  title: 'Overview',
  definitions: 'overview',

  parse: (): OverviewState => ({}),
  serialize: () => [],
  selection: () => '',
  reset: (s) => s,
  features: () => [],
  wire() {},
  sync() {},

  queries: (_s, { dataset: d, shared }) => ({
    queries: {
      // Kept as columns: 22k cells, of which only the hovered one's strings are decoded.
      cells: {
        query: overviewQuery(parquetSource(d.files.overview), shared.type),
        files: [d.files.overview],
        columns: true,
        direct: overviewRead(d.files.overview, shared.type),
      },
    },
  }),

  render: () => import('./render.ts').then((m) => m.renderOverview),
});
