import * as Plot from '@observablehq/plot';
import { OKABE_ITO } from '../../lib/colors.ts';
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

/** The qualifying metabolites as rows, a dot per selected bacterium among their top producers. */
export function cooccurrenceChart(
  dots: CooccurrenceDot[],
  { width, bacteria }: { width: number; bacteria: { id: string; name: string }[] },
) {
  const features = [...new Set(dots.map((d) => d.feature))];
  const labels = new Map(dots.map((d) => [d.feature, d.label]));
  const names = bacteria.map((b) => b.name);
  return Plot.plot({
    width,
    height: 60 + 22 * features.length,
    marginLeft: labelMargin([...labels.values()]),
    x: { label: 'log2 fold change', grid: true },
    y: { domain: features, tickFormat: (f: string) => truncate(labels.get(f) ?? f), label: null },
    color: { domain: names, range: OKABE_ITO, legend: true },
    symbol: { domain: names },
    marks: [
      Plot.dot(dots, {
        x: 'value',
        y: 'feature',
        fill: 'bacteriumName',
        symbol: 'bacteriumName',
        r: 5,
        title: (d: CooccurrenceDot) =>
          `${d.label} (${d.feature})\n${d.bacteriumName}: rank ${d.rank} of its top producers\n${formatValue(d.value)}`,
        tip: true,
      }),
    ],
  });
}
