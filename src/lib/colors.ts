/**
 * Produced (positive) and consumed (negative) colours, shared by every chart; a pair colour-blind readers can tell
 * apart.
 */
export const PRODUCED = '#2166ac';
export const CONSUMED = '#b35806';

/** Categorical colours readable by colour-blind readers (Okabe–Ito). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
