import { comparisonQuery, comparisonRead } from '../../lib/sql/compare.ts';
import { parquetSource } from '../../lib/sql/sources.ts';
import { bacteriumName } from '../controls.ts';
import { defineView, type ViewQueries } from '../view.ts';
import { pickerValue, resolvePick, type CompareState } from './state.ts';

/** In vitro vs in vivo: one bacterium's values on the annotated metabolites of both datasets, and their correlation. */
export const compare = defineView({
  id: 'compare',
  title: 'In vitro vs in vivo',
  definitions: 'comparison',

  parse: (p): CompareState => ({ bacterium: p.anyBacterium('xb') }),
  serialize: (s) => (s.bacterium === null ? [] : [['xb', s.bacterium]]),
  selection: (s, { dataset }) => (s.bacterium === null ? '' : bacteriumName(dataset, s.bacterium)),
  // The pick does not belong to a dataset: a switch of tab keeps it.
  reset: (s) => s,
  features: () => [],

  wire(panel, api) {
    const select = panel.querySelector<HTMLSelectElement>('[data-control=compare-bacterium]');
    select?.addEventListener('change', () => api.update((s) => void (s.bacterium = select.value || null)));
  },

  sync(panel, s) {
    const select = panel.querySelector<HTMLSelectElement>('[data-control=compare-bacterium]');
    if (select)
      select.value = pickerValue(
        [...select.options].map((o) => ({ x: o.value, y: o.dataset.y })),
        s.bacterium,
      );
  },

  queries(s, { dataset, comparison: c }): ViewQueries {
    if (!c) {
      const problem = `The comparison needs two datasets; this site has one (${dataset.title}): nothing to compare.`;
      return { problem };
    }
    const [x, y] = c.datasets;
    if (s.bacterium === null) return { problem: `Pick a bacterium measured in ${x.title} and ${y.title} to compare.` };
    const picked = resolvePick(c, s.bacterium);
    if (picked.kind === 'only') {
      const [has, lacks] = picked.side === 0 ? [x, y] : [y, x];
      return {
        problem:
          `${picked.name} is in ${has.title} only: no bacterium of ${lacks.title} matches it (by id, or by the ` +
          'map of the configuration), so there is nothing to compare. The bacteria of one dataset only are listed ' +
          'under the picker.',
      };
    }
    if (picked.kind === 'none') {
      return { problem: `${s.bacterium} is a bacterium of neither ${x.title} nor ${y.title}: nothing to compare.` };
    }
    if (c.matched === 0) {
      return {
        problem:
          `No annotated metabolite of ${x.title} has its name in ${y.title} too (names are matched as the About ` +
          'page says), so there is nothing to compare.',
      };
    }
    return {
      queries: {
        rows: {
          query: comparisonQuery(parquetSource(c.file), picked.pair.x),
          files: [c.file],
          direct: comparisonRead(c.file, picked.pair.x),
        },
      },
    };
  },

  render: () => import('./render.ts').then((m) => m.renderCompare),
});
