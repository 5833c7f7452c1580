/**
 * The old Dash app's per-click times, the reference our warm interactions are compared with. Quoted from GitHub
 * issue 13, which took them from the Dash app itself (measured there, not by this bench: they cannot be re-measured
 * here). They are lower bounds of what a click cost in that design. Co-occurrence was quoted at p50 only.
 */
export const DASH_REFERENCE: Record<string, { label: string; p50: number; p95?: number }> = {
  'metabolite-all': { label: 'metabolite lookup, All', p50: 104, p95: 140 },
  'metabolite-top10': { label: 'metabolite lookup, Top 10', p50: 80, p95: 119 },
  'bacterium-all': { label: 'bacterium profile, All', p50: 2390, p95: 2670 },
  'bacterium-type': { label: 'bacterium profile, All, type filter', p50: 1040, p95: 2290 },
  'bacterium-top10': { label: 'bacterium profile, Top 10', p50: 78, p95: 100 },
  'heatmap-5x10': { label: 'heatmap 5 x 10', p50: 52, p95: 66 },
  'heatmap-20x50': { label: 'heatmap 20 x 50', p50: 54, p95: 82 },
  'cooccurrence-2-all': { label: 'co-occurrence, 2 bacteria, all of them', p50: 180 },
  'cooccurrence-3-all': { label: 'co-occurrence, 3 bacteria, all of them', p50: 132 },
  'cooccurrence-5-all': { label: 'co-occurrence, 5 bacteria, all of them', p50: 65 },
};

/** Ours against the Dash reference: the p50 ratio (below 1: ours is faster) and whether ours is at least as fast. */
export interface DashComparison {
  ratio: number;
  p50: boolean;
  /** Undefined where the reference has no p95. */
  p95?: boolean;
}

export function compareWithDash(
  ours: { p50: number; p95: number },
  ref: { p50: number; p95?: number },
): DashComparison {
  return {
    ratio: ours.p50 / ref.p50,
    p50: ours.p50 <= ref.p50,
    ...(ref.p95 === undefined ? {} : { p95: ours.p95 <= ref.p95 }),
  };
}
