import { datasetFiles, datasetSources } from '../../lib/explorer-data.ts';
import { featureTitle } from '../../lib/format.ts';
import { bacteriumSlugs } from '../../lib/slug.ts';
import {
  bacteriumProfileQuery,
  bacteriumProfileRead,
  metaboliteProfileQuery,
  metaboliteProfileRead,
  SHOWS,
  type Show,
} from '../../lib/sql/landscape.ts';
import { parquetSource } from '../../lib/sql/sources.ts';
import { quoted } from '../../lib/url-state.ts';
import { bacteriumName, checkRadio, fillBacteria, onRadio } from '../controls.ts';
import { featureLabels } from '../labels.ts';
import { defineView, type ViewQueries } from '../view.ts';
import { N_LIMITS, parseRange, rangeText, type LandscapeState } from './state.ts';

/** Each landscape panel's metabolite search box, to show the selection's label in. */
const boxes = new WeakMap<HTMLElement, { set value(text: string) }>();

const $ = <T extends HTMLElement>(panel: HTMLElement, control: string) =>
  panel.querySelector<T>(`[data-control=${control}]`)!;

/** Microbial metabolic landscape: one metabolite across the bacteria, or one bacterium across the features. */
export const landscape = defineView({
  id: 'landscape',
  title: 'Microbial metabolic landscape',
  definitions: 'top-bottom-n',

  parse(p): LandscapeState {
    const metabolite = p.one('m');
    let bacterium = p.bacterium('b');
    if (metabolite !== null && bacterium !== null) {
      const kept = `kept metabolite ${quoted(metabolite)}, dropped bacterium ${quoted(bacterium)}`;
      p.notices.push(`Both a metabolite and a bacterium were picked: ${kept}.`);
      bacterium = null;
    }
    const rangeParam = p.one('r');
    const range = rangeParam === null ? null : parseRange(rangeParam);
    if (rangeParam !== null && range === null) {
      p.notices.push(`Range ${quoted(rangeParam)} dropped: expected two ranks such as 120-450.`);
    }
    return {
      metabolite,
      bacterium,
      show: p.choice('show', SHOWS, 'all', 'show option'),
      n: p.whole('n', N_LIMITS, 'N'),
      range,
    };
  },
  serialize: (s) => [
    ...(s.metabolite !== null ? [['m', s.metabolite] as [string, string]] : []),
    ...(s.bacterium !== null ? [['b', s.bacterium] as [string, string]] : []),
    ...(s.show !== 'all' ? [['show', s.show] as [string, string]] : []),
    ...(s.n !== N_LIMITS.default ? [['n', String(s.n)] as [string, string]] : []),
    ...(s.range !== null ? [['r', rangeText(s.range)] as [string, string]] : []),
  ],
  selection(s, { dataset, label }) {
    const what = s.metabolite !== null ? featureTitle(label(s.metabolite), s.metabolite) : s.bacterium;
    if (what === null) return '';
    const name = s.bacterium !== null ? bacteriumName(dataset, s.bacterium) : what;
    const shown = s.show === 'all' ? 'all values' : `${s.show === 'top' ? 'top' : 'bottom'} ${s.n}`;
    return `${name}, ${shown}${s.range ? `, ranks ${s.range.from}–${s.range.to}` : ''}`;
  },
  reset: (s) => ({ ...s, metabolite: null, bacterium: null, range: null }),
  features: (s) => (s.metabolite === null ? [] : [s.metabolite]),

  wire(panel, api) {
    const box = api.searchBox(panel.querySelector('[data-search=landscape]')!, (m) =>
      api.update((s) => Object.assign(s, { metabolite: m.name, bacterium: null, range: null })),
    );
    boxes.set(panel, box);
    const bacterium = $<HTMLSelectElement>(panel, 'landscape-bacterium');
    bacterium.addEventListener('change', () =>
      api.update((s) => Object.assign(s, { bacterium: bacterium.value || null, metabolite: null, range: null })),
    );
    panel
      .querySelector('[data-clear-range]')!
      .addEventListener('click', () => api.update((s) => void (s.range = null)));
    onRadio($(panel, 'show'), (value) => api.update((s) => Object.assign(s, { show: value as Show, range: null })));
    // Live as the reader types; a half-typed or empty number waits for the next keystroke.
    const n = $<HTMLInputElement>(panel, 'n');
    n.addEventListener('input', () => {
      const value = Math.round(Number(n.value));
      if (n.value === '' || !Number.isFinite(value) || value === api.state().n) return;
      const clamped = Math.min(N_LIMITS.max, Math.max(N_LIMITS.min, value));
      api.update((s) => void (s.n = clamped), { push: false });
    });
  },

  sync(panel, s, api) {
    const bacterium = $<HTMLSelectElement>(panel, 'landscape-bacterium');
    fillBacteria(bacterium, api.dataset(), '— none —');
    bacterium.value = s.bacterium ?? '';
    boxes.get(panel)!.value = s.metabolite ? api.label(s.metabolite) : '';
    checkRadio($(panel, 'show'), s.show);
    panel.querySelector<HTMLElement>('[data-clear-range]')!.hidden = s.range === null;
    // The prerendered page of the picked bacterium, readable without JavaScript and citable.
    const page = panel.querySelector<HTMLElement>('[data-bacterium-page]')!;
    page.hidden = s.bacterium === null;
    if (s.bacterium !== null) {
      const d = api.dataset();
      const link = page.querySelector('a')!;
      const slug = bacteriumSlugs(d.bacteria.map((b) => b.id)).get(s.bacterium);
      link.href = `${link.dataset.base}bacteria/${d.id}/${slug}/`;
      link.textContent = `The page of ${bacteriumName(d, s.bacterium)}`;
    }
    $<HTMLInputElement>(panel, 'n').value = String(s.n);
  },

  queries(s, { dataset: d, shared }): ViewQueries {
    const { metabolite, bacterium, show, n } = s;
    if (metabolite) {
      const src = datasetSources(d);
      const files = datasetFiles(d);
      return {
        queries: {
          labels: featureLabels(d, [metabolite]),
          rows: {
            query: metaboliteProfileQuery(src, { feature: metabolite, show, n }),
            files,
            direct: metaboliteProfileRead(d.files.values, d.bacteria, { feature: metabolite, show, n }),
          },
        },
      };
    }
    if (bacterium) {
      const b = d.bacteria.find((x) => x.id === bacterium);
      if (!b) return { problem: `No data for this selection: no bacterium ${bacterium} in ${d.title}` };
      // Kept as columns: "All" has up to ~32k rows, of which the page decodes only the ones it shows.
      const options = { type: shared.type, show, n };
      const query = bacteriumProfileQuery(parquetSource(b.file), options);
      const direct = bacteriumProfileRead(b.file, options);
      return { queries: { profile: { query, files: [b.file], columns: true, direct } } };
    }
    return { problem: 'Pick a metabolite or a bacterium to see its profile.' };
  },

  render: () => import('./render.ts').then((m) => m.renderLandscape),
});
