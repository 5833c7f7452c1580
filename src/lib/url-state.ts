import { FEATURE_TYPES, type FeatureType } from './feature-types.ts';
import { MODES, type Mode } from './sql/cooccurrence.ts';
import { SHOWS, type Show } from './sql/landscape.ts';

/** The explorer's three views, in tab order; the first is the default. */
export const VIEWS = ['landscape', 'network', 'cooccurrence'] as const;
export type View = (typeof VIEWS)[number];

export type TypeFilter = 'all' | FeatureType;
const TYPE_FILTERS: readonly TypeFilter[] = ['all', ...FEATURE_TYPES];

/** The explorer's whole state: everything a permalink restores. */
export interface ExplorerState {
  dataset: string;
  view: View;
  type: TypeFilter;
  landscape: { metabolite: string | null; bacterium: string | null; show: Show; n: number };
  network: { bacteria: string[]; metabolites: string[] };
  cooccurrence: { bacteria: string[]; mode: Mode };
}

/** What the URL is checked against: the datasets and their bacteria ids; the first dataset is the default. */
export interface StateContext {
  datasets: { id: string; bacteria: string[] }[];
}

/** Bounds the URL state is held to; the page can use them to stop a selection from growing past them. */
export const STATE_LIMITS = {
  n: { min: 1, max: 1000, default: 10 },
  networkBacteria: 50,
  networkMetabolites: 100,
  cooccurrenceBacteria: 30,
  valueLength: 500,
} as const;

/** The state with nothing selected, on the first dataset. */
export function defaultState(ctx: StateContext): ExplorerState {
  const first = ctx.datasets[0];
  if (!first) throw new Error('no datasets: the explorer needs at least one');
  return {
    dataset: first.id,
    view: 'landscape',
    type: 'all',
    landscape: { metabolite: null, bacterium: null, show: 'all', n: STATE_LIMITS.n.default },
    network: { bacteria: [], metabolites: [] },
    cooccurrence: { bacteria: [], mode: 'all' },
  };
}

/** Reads a location's search string; anything invalid falls back to its default, with a plain-text notice saying so. */
export function parseState(search: string, ctx: StateContext): { state: ExplorerState; notices: string[] } {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const defaults = defaultState(ctx);
  const one = (key: string) => oneParam(params, key, notices);
  const many = (key: string) => manyParams(params, key, notices);

  const dsId = one('ds');
  const dataset = ctx.datasets.find((d) => d.id === dsId) ?? ctx.datasets[0]!;
  if (dsId !== null && dataset.id !== dsId) {
    notices.push(`Unknown dataset ${quoted(dsId)}: showing ${quoted(dataset.id)}.`);
  }
  const known = new Set(dataset.bacteria);
  const bacteriaIds = (ids: string[], where: string) => {
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const sample = unknown.slice(0, 3).map(quoted).join(', ') + (unknown.length > 3 ? ', …' : '');
      notices.push(`${where}: ${unknown.length} unknown bacteria dropped (${sample}).`);
    }
    return ids.filter((id) => known.has(id));
  };

  let metabolite = one('m');
  let bacterium = one('b');
  if (bacterium !== null && !known.has(bacterium)) {
    notices.push(`Unknown bacterium ${quoted(bacterium)} dropped.`);
    bacterium = null;
  }
  if (metabolite !== null && bacterium !== null) {
    const kept = `kept metabolite ${quoted(metabolite)}, dropped bacterium ${quoted(bacterium)}`;
    notices.push(`Both a metabolite and a bacterium were picked: ${kept}.`);
    bacterium = null;
  }

  return {
    state: {
      dataset: dataset.id,
      view: choice(one('view'), VIEWS, defaults.view, 'view', notices),
      type: choice(one('type'), TYPE_FILTERS, defaults.type, 'type filter', notices),
      landscape: {
        metabolite,
        bacterium,
        show: choice(one('show'), SHOWS, defaults.landscape.show, 'show option', notices),
        n: parseN(one('n'), notices),
      },
      network: {
        bacteria: cap(
          bacteriaIds(many('nb'), 'Network'),
          STATE_LIMITS.networkBacteria,
          'bacteria in the network',
          notices,
        ),
        metabolites: cap(many('nm'), STATE_LIMITS.networkMetabolites, 'metabolites in the network', notices),
      },
      cooccurrence: {
        bacteria: cap(
          bacteriaIds(many('cb'), 'Co-occurrence'),
          STATE_LIMITS.cooccurrenceBacteria,
          'bacteria in the co-occurrence',
          notices,
        ),
        mode: choice(one('mode'), MODES, defaults.cooccurrence.mode, 'mode', notices),
      },
    },
    notices,
  };
}

/**
 * The canonical search string of a state: fixed key order, defaults left out, except the dataset, which is always
 * written so that a permalink survives a change of the default dataset.
 */
export function stateToSearch(state: ExplorerState): string {
  const p = new URLSearchParams({ ds: state.dataset });
  const { landscape: l, network: net, cooccurrence: co } = state;
  if (state.view !== 'landscape') p.append('view', state.view);
  if (state.type !== 'all') p.append('type', state.type);
  if (l.metabolite !== null) p.append('m', l.metabolite);
  if (l.bacterium !== null) p.append('b', l.bacterium);
  if (l.show !== 'all') p.append('show', l.show);
  if (l.n !== STATE_LIMITS.n.default) p.append('n', String(l.n));
  for (const id of net.bacteria) p.append('nb', id);
  for (const id of net.metabolites) p.append('nm', id);
  for (const id of co.bacteria) p.append('cb', id);
  if (co.mode !== 'all') p.append('mode', co.mode);
  return `?${p}`;
}

/** A value quoted for a notice, shortened so a hostile URL cannot flood the page. */
function quoted(value: string): string {
  return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
}

function tooLong(key: string, value: string, notices: string[]): boolean {
  if (value.length <= STATE_LIMITS.valueLength) return false;
  notices.push(`Parameter "${key}" dropped: ${value.length} characters, more than ${STATE_LIMITS.valueLength}.`);
  return true;
}

/** The first value of a parameter, with an empty or overlong one read as absent. */
function oneParam(params: URLSearchParams, key: string, notices: string[]): string | null {
  const value = params.get(key);
  return value === null || value === '' || tooLong(key, value, notices) ? null : value;
}

/** Every value of a repeated parameter, first occurrence kept, empty and overlong ones dropped. */
function manyParams(params: URLSearchParams, key: string, notices: string[]): string[] {
  return [...new Set(params.getAll(key).filter((v) => v !== '' && !tooLong(key, v, notices)))];
}

function choice<T extends string>(
  value: string | null,
  options: readonly T[],
  fallback: T,
  what: string,
  notices: string[],
): T {
  if (value === null) return fallback;
  if ((options as readonly string[]).includes(value)) return value as T;
  notices.push(`Unknown ${what} ${quoted(value)}: showing ${quoted(fallback)}.`);
  return fallback;
}

function parseN(value: string | null, notices: string[]): number {
  const { min, max, default: fallback } = STATE_LIMITS.n;
  if (value === null) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    notices.push(`N ${quoted(value)} is not a number: showing ${fallback}.`);
    return fallback;
  }
  const n = Math.min(max, Math.max(min, Math.round(parsed)));
  if (n !== parsed) notices.push(`N ${quoted(value)} is outside ${min} to ${max} or not whole: showing ${n}.`);
  return n;
}

function cap(ids: string[], limit: number, what: string, notices: string[]): string[] {
  if (ids.length <= limit) return ids;
  notices.push(`At most ${limit} ${what}: kept the first ${limit} of ${ids.length}.`);
  return ids.slice(0, limit);
}
