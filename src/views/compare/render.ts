import { MIN_PAIRS, pearson, spearman } from '../../lib/correlation.ts';
import { formatCount, formatValue, plural } from '../../lib/format.ts';
import type { ComparisonRow } from '../../lib/sql/compare.ts';
import { landscapeSearch } from '../links.ts';
import { NO_DATA } from '../results.ts';
import type { Render } from '../view.ts';
import { scatterChart } from './chart.ts';
import { resolvePick, type CompareState } from './state.ts';

/** A correlation in words: its value, or why there is none. */
export function correlationText(value: number | undefined): string {
  return value === undefined ? 'undefined (the values of one dataset are all equal)' : formatValue(value);
}

/** One bacterium's values in both datasets on the metabolites matched by name: a scatter, its correlations, a table. */
export const renderCompare: Render<CompareState> = (results, state, ctx) => {
  // The view's queries ran, so the comparison exists and the pick is a matched pair.
  const c = ctx.comparison!;
  const picked = resolvePick(c, state.bacterium!);
  if (picked.kind !== 'pair') throw new Error(`no bacterium ${state.bacterium} in both datasets`);
  const { pair } = picked;
  const [x, y] = c.datasets;
  const rows = results.rows as ComparisonRow[];
  const both = rows.filter((r) => r.value_x !== null && r.value_y !== null);
  const [xs, ys] = [both.map((r) => r.value_x!), both.map((r) => r.value_y!)];
  const correlations =
    both.length < MIN_PAIRS
      ? `fewer than ${MIN_PAIRS} metabolites with a value in both, so no correlation`
      : `Spearman ρ = ${correlationText(spearman(xs, ys))}, Pearson r = ${correlationText(pearson(xs, ys))}`;
  const summary =
    `${plural(c.matched, 'annotated metabolite', 'annotated metabolites')} matched by name in ${x.title} and ` +
    `${y.title}; ${pair.name} has a value in both for ${formatCount(both.length)}: ${correlations}`;
  if (both.length === 0) {
    return { summary, message: `${NO_DATA}: ${pair.name} has a value in both datasets for none of them` };
  }
  const link = (d: 'x' | 'y', r: ComparisonRow) =>
    ctx.explorerPath +
    landscapeSearch(c.datasets[d === 'x' ? 0 : 1].id, { metabolite: d === 'x' ? r.feature_x : r.feature_y });
  // A point leads to the Landscape of the dataset whose tab is open, or of the first one.
  const to = ctx.shared.dataset === y.id ? 'y' : 'x';
  const xLabel = `${x.title}, log2 fold change`;
  const yLabel = `${y.title}, log2 fold change`;
  return {
    summary,
    chart: scatterChart(
      both.map((r) => ({
        x: r.value_x!,
        y: r.value_y!,
        tip: `${r.label_x}\n${x.title}: ${formatValue(r.value_x)}\n${y.title}: ${formatValue(r.value_y)}`,
        href: link(to, r),
      })),
      {
        width: ctx.width,
        xLabel,
        yLabel,
        ariaLabel: `Scatter plot: log2 fold change of ${pair.name} in ${x.title} against ${y.title}`,
        ariaDescription:
          `One dot per annotated metabolite with a value in both datasets (${formatCount(both.length)}): ` +
          `${x.title} across, ${y.title} up; ${correlations}. Dots in the upper right were produced in both, in the ` +
          `lower left consumed in both. Each dot links to the Landscape of its metabolite in ` +
          `${(to === 'x' ? x : y).title}. Every matched metabolite is in the table below, with links to both.`,
      },
    ),
    table: {
      columns: [
        { key: 'label_x', label: `Metabolite in ${x.title}` },
        { key: 'value_x', label: xLabel, numeric: true },
        { key: 'label_y', label: `Metabolite in ${y.title}` },
        { key: 'value_y', label: yLabel, numeric: true },
      ],
      row: (i) => {
        const r = rows[i]!;
        return {
          attrs: { featureX: r.feature_x, featureY: r.feature_y },
          cells: {
            label_x: r.label_x,
            value_x: formatValue(r.value_x),
            label_y: r.label_y,
            value_y: formatValue(r.value_y),
          },
          values: { value_x: r.value_x, value_y: r.value_y },
          links: { label_x: link('x', r), label_y: link('y', r) },
        };
      },
      total: rows.length,
      csv: () =>
        rows.map((r) => ({
          [`bacterium_${x.id}`]: pair.x,
          [`bacterium_${y.id}`]: pair.y,
          name: r.key,
          [`feature_${x.id}`]: r.feature_x,
          [`value_${x.id}`]: r.value_x,
          [`feature_${y.id}`]: r.feature_y,
          [`value_${y.id}`]: r.value_y,
        })),
    },
  };
};
