import { explorerSearch, parseExplorerState, type ExplorerStateOf, type StateContext } from '../lib/url-state.ts';
import { compare } from './compare/index.ts';
import { cooccurrence } from './cooccurrence/index.ts';
import { landscape } from './landscape/index.ts';
import { network } from './network/index.ts';
import { overview } from './overview/index.ts';

/** The explorer's views, in tab order; the first is the default. A new view is one folder and one line here. */
export const VIEWS = [landscape, network, cooccurrence, overview, compare] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** The explorer's whole state: what every view shares and each view's slice. Everything a permalink restores. */
export type ExplorerState = ExplorerStateOf<typeof VIEWS>;

/** Reads a location's search string; anything invalid falls back to its default, with a plain-text notice saying so. */
export function parseState(search: string, ctx: StateContext): { state: ExplorerState; notices: string[] } {
  return parseExplorerState(search, ctx, VIEWS);
}

/** The canonical search string of a state (see explorerSearch). */
export function stateToSearch(state: ExplorerState): string {
  return explorerSearch(state, VIEWS);
}

/** The state with nothing selected, on the first dataset. */
export function defaultState(ctx: StateContext): ExplorerState {
  return parseState('', ctx).state;
}
