/**
 * Produced (positive) and consumed (negative) colours, shared by every chart; a pair colour-blind readers can tell
 * apart.
 */
export const PRODUCED = '#2166ac';
export const CONSUMED = '#b35806';

/** The light neutral that diverging scales pass through at 0. */
export const NEUTRAL = '#f7f7f7';

/** "Not measured" (NULL): a grey outside every scale, always drawn with `NOT_MEASURED_MARK` on it. */
export const NOT_MEASURED = '#bdbdbd';
export const NOT_MEASURED_MARK = '∅';
export const NOT_MEASURED_LABEL = `${NOT_MEASURED_MARK} not measured`;

/** The words for the two signs, as legends show them. */
export const PRODUCED_LABEL = 'produced (> 0)';
export const CONSUMED_LABEL = 'consumed (< 0)';

/** The legend word of a value's sign (0, which draws nothing, counts as produced). */
export const signLabel = (value: number) => (value < 0 ? CONSUMED_LABEL : PRODUCED_LABEL);

/** An ordinal colour scale of the two signs, with its legend: values are mapped through `signLabel`. */
export const SIGN_SCALE = {
  type: 'ordinal',
  domain: [PRODUCED_LABEL, CONSUMED_LABEL],
  range: [PRODUCED, CONSUMED],
  legend: true,
} as const;

/**
 * A diverging colour scale over [-extent, extent], centred on 0: consumed through the neutral to produced. Plot
 * interpolates the three colours in RGB, which keeps the two hues on each side.
 */
export function divergingScale(extent: number, label: string) {
  return {
    type: 'diverging',
    pivot: 0,
    domain: [-extent, extent],
    range: [CONSUMED, NEUTRAL, PRODUCED],
    label,
  } as const;
}

/**
 * Colours that tell bacteria apart in the co-occurrence: the Okabe–Ito colours (readable by colour-blind readers)
 * less the blue, orange and vermillion that would read as produced or consumed. Five colours against Plot's seven
 * filled symbols give 35 distinct pairs (5 and 7 are coprime), more than the 30 bacteria it takes.
 */
export const BACTERIUM_COLORS = ['#009E73', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
export const BACTERIUM_SYMBOLS = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross', 'wye'];
