import { datasetFiles, datasetSources } from '../../lib/explorer-data.ts';
import {
  cooccurrenceProblem,
  cooccurrenceQuery,
  cooccurrenceRead,
  MODES,
  type Mode,
} from '../../lib/sql/cooccurrence.ts';
import {
  appended,
  bacteriumName,
  checkRadio,
  chips,
  fillBacteria,
  listed,
  onAddBacterium,
  onRadio,
  onRemoveChip,
} from '../controls.ts';
import { defineView } from '../view.ts';
import { COOCCURRENCE_LIMIT, type CooccurrenceState } from './state.ts';

/** Metabolic co-occurrence: metabolites whose top producers include all (or any) of the selected bacteria. */
export const cooccurrence = defineView({
  id: 'cooccurrence',
  title: 'Top producer consortia',
  definitions: 'cooccurrence',

  parse: (p): CooccurrenceState => ({
    bacteria: p.bacteria('cb', 'Co-occurrence', COOCCURRENCE_LIMIT, 'bacteria in the co-occurrence'),
    mode: p.choice('mode', MODES, 'all', 'mode'),
  }),
  serialize: (s) => [
    ...s.bacteria.map((id): [string, string] => ['cb', id]),
    ...(s.mode !== 'all' ? [['mode', s.mode] as [string, string]] : []),
  ],
  selection: (s, { dataset }) =>
    s.bacteria.length === 0
      ? ''
      : `${listed(s.bacteria.map((id) => bacteriumName(dataset, id)))}, ${s.mode === 'all' ? 'all' : 'any'} of them`,
  reset: (s) => ({ ...s, bacteria: [] }),
  features: () => [],

  wire(panel, api) {
    onAddBacterium(panel.querySelector('[data-control=cooccurrence-bacterium]')!, (id) =>
      api.update((s) => void (s.bacteria = appended(s.bacteria, id, COOCCURRENCE_LIMIT))),
    );
    onRemoveChip(panel.querySelector('[data-chips=cooccurrence-bacteria]')!, (id) =>
      api.update((s) => void (s.bacteria = s.bacteria.filter((x) => x !== id))),
    );
    onRadio(panel.querySelector('[data-control=mode]')!, (value) => api.update((s) => void (s.mode = value as Mode)));
  },

  sync(panel, s, api) {
    const d = api.dataset();
    fillBacteria(panel.querySelector('[data-control=cooccurrence-bacterium]')!, d, 'Add a bacterium…');
    chips(panel.querySelector('[data-chips=cooccurrence-bacteria]')!, s.bacteria, (id) => bacteriumName(d, id));
    checkRadio(panel.querySelector('[data-control=mode]')!, s.mode);
  },

  queries({ bacteria, mode }, { dataset: d, shared, topProducerRanks }) {
    const problem = cooccurrenceProblem(bacteria, mode, topProducerRanks);
    if (problem) return { problem };
    // Every qualifying metabolite, in one query: the table and the CSV hold them all, the chart the first ones.
    const options = { bacteria, mode, type: shared.type, limit: null };
    const query = cooccurrenceQuery(datasetSources(d), options);
    const direct = cooccurrenceRead(d.files.topProducers, options);
    return { queries: { rows: { query, files: datasetFiles(d), columns: true, direct } } };
  },

  render: () => import('./render.ts').then((m) => m.renderCooccurrence),
});
