/** The overview has no state of its own: it shows the whole dataset, under the shared type filter. */
export type OverviewState = Record<string, never>;
