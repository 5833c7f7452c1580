import * as Plot from '@observablehq/plot';
import { LINKED_TIP, accessibleChart } from '../../lib/chart-a11y.ts';
import { BACTERIUM_COLORS, BACTERIUM_SYMBOLS, PRODUCED } from '../../lib/colors.ts';
import { formatValue } from '../../lib/format.ts';
import { labelMargin, truncate } from '../axis-labels.ts';

/** One dot per (feature, selected top producer): one colour and shape per bacterium, rank in the tip. */
export interface CooccurrenceDot {
  feature: string;
  label: string;
  bacterium: string;
  bacteriumName: string;
  rank: number;
  value: number;
}

/** What the co-occurrence chart needs besides the dots. */
export interface CooccurrenceOptions {
  width: number;
  /** The selected bacteria, in selection order: each keeps its colour and symbol while the others change. */
  bacteria: { id: string; name: string }[];
  ariaLabel: string;
  ariaDescription: string;
  /** Where clicking a dot leads. */
  href?: (dot: CooccurrenceDot) => string;
}

/**
 * The qualifying metabolites as rows, a dot per selected bacterium among their top producers, on a stem from 0 in
 * the produced hue (every top producer value is > 0). Bacterium i has colour i mod 5 and symbol i mod 7: a distinct
 * pair for each of the 35 first, named in the legend.
 */
export function cooccurrenceChart(dots: CooccurrenceDot[], options: CooccurrenceOptions) {
  const { width, bacteria, ariaLabel, ariaDescription, href } = options;
  const features = [...new Set(dots.map((d) => d.feature))];
  const labels = new Map(dots.map((d) => [d.feature, d.label]));
  const peaks = new Map<string, number>();
  for (const d of dots) peaks.set(d.feature, Math.max(peaks.get(d.feature) ?? 0, d.value));
  const ids = bacteria.map((b) => b.id);
  const names = new Map(bacteria.map((b) => [b.id, b.name]));
  return accessibleChart(
    Plot.plot({
      width,
      height: 60 + 22 * features.length,
      marginLeft: labelMargin([...labels.values()]),
      ariaLabel,
      ariaDescription,
      x: { label: 'log2 fold change (produced > 0)', grid: true },
      y: { domain: features, tickFormat: (f: string) => truncate(labels.get(f) ?? f), label: null },
      color: { domain: ids, range: ids.map((_, i) => BACTERIUM_COLORS[i % BACTERIUM_COLORS.length]!) },
      symbol: {
        domain: ids,
        range: ids.map((_, i) => BACTERIUM_SYMBOLS[i % BACTERIUM_SYMBOLS.length]!),
        legend: true,
        tickFormat: (id: string) => names.get(id) ?? id,
      },
      marks: [
        Plot.ruleY([...peaks], {
          x1: 0,
          x2: ([, peak]: [string, number]) => peak,
          y: ([feature]: [string, number]) => feature,
          stroke: PRODUCED,
          strokeOpacity: 0.6,
          strokeWidth: 2,
          ariaHidden: 'true',
        }),
        Plot.dot(dots, {
          x: 'value',
          y: 'feature',
          fill: 'bacterium',
          symbol: 'bacterium',
          stroke: '#333',
          strokeWidth: 0.75,
          r: 4.5, // as in the legend, so each bacterium has one shape
          title: (d: CooccurrenceDot) =>
            [
              `${d.label} (${d.feature})`,
              `${d.bacteriumName}: rank ${d.rank} of its top producers`,
              formatValue(d.value),
            ].join('\n'),
          tip: LINKED_TIP,
          ariaLabel: (d: CooccurrenceDot) =>
            `${d.label} (${d.feature}), ${d.bacteriumName}, rank ${d.rank}, ${formatValue(d.value)}`,
          ...(href ? { href } : {}),
        }),
      ],
    }),
  );
}
