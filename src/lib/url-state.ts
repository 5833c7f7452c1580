import { TYPE_FILTERS, type TypeFilter } from './feature-types.ts';

/** Longest value a URL parameter may hold; longer ones are dropped with a notice. */
export const VALUE_LENGTH = 500;

/** What the URL is checked against: the datasets and their bacteria ids; the first dataset is the default. */
export interface StateContext {
  datasets: { id: string; bacteria: string[] }[];
}

/**
 * Reads one search string for one dataset: every invalid value falls back to its default, and each reader call that
 * drops or changes a value adds a plain-text notice saying so.
 */
export interface ParamReader {
  readonly notices: string[];
  /** The first value of a parameter, an empty or overlong one read as absent. */
  one(key: string): string | null;
  /** Every value of a repeated parameter, first occurrence kept, empty and overlong ones dropped. */
  many(key: string): string[];
  choice<T extends string>(key: string, options: readonly T[], fallback: T, what: string): T;
  /** A whole number clamped to [min, max]. */
  whole(key: string, bounds: { min: number; max: number; default: number }, what: string): number;
  /** A bacterium id of the dataset, or null. */
  bacterium(key: string): string | null;
  /** A bacterium id of any dataset, or null: for a pick that does not belong to one dataset. */
  anyBacterium(key: string): string | null;
  /** Bacterium ids of the dataset, unknown ones dropped, at most `limit`. */
  bacteria(key: string, where: string, limit: number, what: string): string[];
  /** At most `limit` ids, the first ones. */
  capped(ids: string[], limit: number, what: string): string[];
}

/** A value quoted for a notice, shortened so a hostile URL cannot flood the page. */
export function quoted(value: string): string {
  return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
}

function paramReader(
  params: URLSearchParams,
  notices: string[],
  known: Set<string>,
  anywhere: Set<string> = known,
): ParamReader {
  const tooLong = (key: string, value: string) => {
    if (value.length <= VALUE_LENGTH) return false;
    notices.push(`Parameter "${key}" dropped: ${value.length} characters, more than ${VALUE_LENGTH}.`);
    return true;
  };
  const capped = (ids: string[], limit: number, what: string) => {
    if (ids.length <= limit) return ids;
    notices.push(`At most ${limit} ${what}: kept the first ${limit} of ${ids.length}.`);
    return ids.slice(0, limit);
  };
  const member = (key: string, ids: Set<string>) => {
    const id = reader.one(key);
    if (id === null || ids.has(id)) return id;
    notices.push(`Unknown bacterium ${quoted(id)} dropped.`);
    return null;
  };
  const reader: ParamReader = {
    notices,
    one(key) {
      const value = params.get(key);
      return value === null || value === '' || tooLong(key, value) ? null : value;
    },
    many: (key) => [...new Set(params.getAll(key).filter((v) => v !== '' && !tooLong(key, v)))],
    choice(key, options, fallback, what) {
      const value = reader.one(key);
      if (value === null) return fallback;
      if ((options as readonly string[]).includes(value)) return value as typeof fallback;
      notices.push(`Unknown ${what} ${quoted(value)}: showing ${quoted(fallback)}.`);
      return fallback;
    },
    whole(key, { min, max, default: fallback }, what) {
      const value = reader.one(key);
      if (value === null) return fallback;
      const parsed = Number(value);
      if (value.trim() === '' || !Number.isFinite(parsed)) {
        notices.push(`${what} ${quoted(value)} is not a number: showing ${fallback}.`);
        return fallback;
      }
      const n = Math.min(max, Math.max(min, Math.round(parsed)));
      if (n !== parsed)
        notices.push(`${what} ${quoted(value)} is outside ${min} to ${max} or not whole: showing ${n}.`);
      return n;
    },
    bacterium: (key) => member(key, known),
    anyBacterium: (key) => member(key, anywhere),
    bacteria(key, where, limit, what) {
      const ids = reader.many(key);
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        const sample = unknown.slice(0, 3).map(quoted).join(', ') + (unknown.length > 3 ? ', …' : '');
        notices.push(`${where}: ${unknown.length} unknown bacteria dropped (${sample}).`);
      }
      return capped(
        ids.filter((id) => known.has(id)),
        limit,
        what,
      );
    },
    capped,
  };
  return reader;
}

/** A view's part of the URL state: how it is read from the parameters and written back, defaults left out. */
export interface StateSlice<Id extends string = string, S = unknown> {
  readonly id: Id;
  parse(params: ParamReader): S;
  serialize(state: S): [string, string][];
}

type SliceState<V> = V extends StateSlice<string, infer S> ? S : never;

/** The explorer's whole state: what every view shares, and one slice per view. Everything a permalink restores. */
export type ExplorerStateOf<Views extends readonly StateSlice[]> = {
  dataset: string;
  view: Views[number]['id'];
  type: TypeFilter;
} & { [V in Views[number] as V['id']]: SliceState<V> };

/** Reads a location's search string into the state of `views`, with a notice for each value it could not keep. */
export function parseExplorerState<Views extends readonly StateSlice[]>(
  search: string,
  ctx: StateContext,
  views: Views,
): { state: ExplorerStateOf<Views>; notices: string[] } {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const first = ctx.datasets[0];
  if (!first) throw new Error('no datasets: the explorer needs at least one');
  const shared = paramReader(params, notices, new Set());
  const dsId = shared.one('ds');
  const dataset = ctx.datasets.find((d) => d.id === dsId) ?? first;
  if (dsId !== null && dataset.id !== dsId) {
    notices.push(`Unknown dataset ${quoted(dsId)}: showing ${quoted(dataset.id)}.`);
  }
  const ids = views.map((v) => v.id);
  const state: Record<string, unknown> = {
    dataset: dataset.id,
    view: shared.choice('view', ids, ids[0]!, 'view'),
    type: shared.choice('type', TYPE_FILTERS, 'all', 'type filter'),
  };
  const everywhere = new Set(ctx.datasets.flatMap((d) => d.bacteria));
  const reader = paramReader(params, notices, new Set(dataset.bacteria), everywhere);
  for (const view of views) state[view.id] = view.parse(reader);
  return { state: state as ExplorerStateOf<Views>, notices };
}

/**
 * The canonical search string of a state: fixed key order, defaults left out, except the dataset, which is always
 * written so that a permalink survives a change of the default dataset.
 */
export function explorerSearch<Views extends readonly StateSlice[]>(
  state: ExplorerStateOf<Views>,
  views: Views,
): string {
  const p = new URLSearchParams({ ds: state.dataset });
  if (state.view !== views[0]!.id) p.append('view', state.view);
  if (state.type !== 'all') p.append('type', state.type);
  const slices = state as unknown as Record<string, unknown>;
  for (const view of views) for (const [key, value] of view.serialize(slices[view.id])) p.append(key, value);
  return `?${p}`;
}
