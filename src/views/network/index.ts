import { datasetFiles, datasetSources } from '../../lib/explorer-data.ts';
import { featureCellsQueries, featureCellsRead } from '../../lib/sql/network.ts';
import { appended, bacteriumName, chips, fillBacteria, listed, onAddBacterium, onRemoveChip } from '../controls.ts';
import { featureLabels } from '../labels.ts';
import { defineView } from '../view.ts';
import { NETWORK_LIMITS, type NetworkState } from './state.ts';

/** Metabolic interaction network: a heatmap of selected bacteria × metabolites with the Net Balance row. */
export const network = defineView({
  id: 'network',
  title: 'Metabolic interaction network',
  definitions: 'net-balance',

  parse: (p): NetworkState => ({
    bacteria: p.bacteria('nb', 'Network', NETWORK_LIMITS.bacteria, 'bacteria in the network'),
    metabolites: p.capped(p.many('nm'), NETWORK_LIMITS.metabolites, 'metabolites in the network'),
  }),
  serialize: (s) => [
    ...s.bacteria.map((id): [string, string] => ['nb', id]),
    ...s.metabolites.map((id): [string, string] => ['nm', id]),
  ],
  selection: (s, { dataset, label }) =>
    s.bacteria.length === 0 || s.metabolites.length === 0
      ? ''
      : `${listed(s.bacteria.map((id) => bacteriumName(dataset, id)))} × ${listed(s.metabolites.map(label))}`,
  reset: () => ({ bacteria: [], metabolites: [] }),
  features: (s) => s.metabolites,

  wire(panel, api) {
    const search = panel.querySelector<HTMLElement>('[data-search=network]')!;
    const box = api.searchBox(search, (m) => {
      api.update((s) => void (s.metabolites = appended(s.metabolites, m.name, NETWORK_LIMITS.metabolites)));
      box.value = '';
    });
    onAddBacterium(panel.querySelector('[data-control=network-bacterium]')!, (id) =>
      api.update((s) => void (s.bacteria = appended(s.bacteria, id, NETWORK_LIMITS.bacteria))),
    );
    onRemoveChip(panel.querySelector('[data-chips=network-bacteria]')!, (id) =>
      api.update((s) => void (s.bacteria = s.bacteria.filter((x) => x !== id))),
    );
    onRemoveChip(panel.querySelector('[data-chips=network-metabolites]')!, (id) =>
      api.update((s) => void (s.metabolites = s.metabolites.filter((x) => x !== id))),
    );
  },

  sync(panel, s, api) {
    const d = api.dataset();
    fillBacteria(panel.querySelector('[data-control=network-bacterium]')!, d, 'Add a bacterium…');
    chips(panel.querySelector('[data-chips=network-bacteria]')!, s.bacteria, (id) => bacteriumName(d, id));
    chips(panel.querySelector('[data-chips=network-metabolites]')!, s.metabolites, (f) => api.label(f));
  },

  queries({ bacteria, metabolites }, { dataset: d }) {
    if (bacteria.length === 0 || metabolites.length === 0) {
      return { problem: 'Select at least one bacterium and one metabolite.' };
    }
    const src = datasetSources(d);
    const files = datasetFiles(d);
    return {
      queries: {
        labels: featureLabels(d, metabolites),
        cells: {
          kept: featureCellsQueries(src, metabolites),
          files,
          direct: featureCellsRead(d.files.values, metabolites),
        },
      },
    };
  },

  render: () => import('./render.ts').then((m) => m.renderNetwork),
});
