import type { ExplorerComparison } from '../../lib/explorer-data.ts';

/** The comparison's slice of the state: one bacterium, by its id in either dataset, whatever the dataset tab. */
export interface CompareState {
  bacterium: string | null;
}

/** What a picked id is to the comparison: a matched pair, or a bacterium of one of its datasets only (0: x, 1: y). */
export type Resolved =
  | { kind: 'pair'; pair: ExplorerComparison['bacteria'][number] }
  | { kind: 'only'; side: 0 | 1; name: string }
  | { kind: 'none' };

/**
 * Resolves a picked id: a pair by its id in the first dataset, then in the second (links may carry either), then a
 * bacterium one dataset has alone; anything else (another dataset's) is none.
 */
export function resolvePick(c: ExplorerComparison, id: string): Resolved {
  const pair = c.bacteria.find((b) => b.x === id) ?? c.bacteria.find((b) => b.y === id);
  if (pair) return { kind: 'pair', pair };
  for (const side of [0, 1] as const) {
    const only = c.unmatched[side].find((b) => b.id === id);
    if (only) return { kind: 'only', side, name: only.name };
  }
  return { kind: 'none' };
}

/**
 * The picker's value for a picked id: the option of its pair, found by its id in either dataset (links may carry
 * either; each option is a pair's first id, with its second); none for an id of neither.
 */
export function pickerValue(options: { x: string; y?: string }[], id: string | null): string {
  return options.find((o) => id !== null && (o.x === id || o.y === id))?.x ?? '';
}
