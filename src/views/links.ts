/** What a link leads to: the Landscape of one metabolite, or of one bacterium. */
export type LandscapePick = { metabolite: string } | { bacterium: string };

/**
 * The search string of the Landscape of one metabolite or bacterium of a dataset, as the explorer writes it (the
 * canonical form of stateToSearch: dataset first, defaults left out), so a link and a permalink are the same text.
 */
export function landscapeSearch(dataset: string, pick: LandscapePick): string {
  const params = new URLSearchParams({ ds: dataset });
  if ('metabolite' in pick) params.append('m', pick.metabolite);
  else params.append('b', pick.bacterium);
  return `?${params}`;
}
