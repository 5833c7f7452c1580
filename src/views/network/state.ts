/** The heatmap's slice of the state: its rows and columns, in selection order. */
export interface NetworkState {
  bacteria: string[];
  metabolites: string[];
}

/** Most rows and columns a heatmap may have. */
export const NETWORK_LIMITS = { bacteria: 50, metabolites: 100 } as const;
