import type { Columns } from '../../lib/db.ts';
import { featureTitle, formatCount, formatValue, plural, typeWords } from '../../lib/format.ts';
import type { BacteriumProfileRow, MetaboliteProfileRow } from '../../lib/sql/landscape.ts';
import { NO_DATA, rowsOf } from '../results.ts';
import { landscapeSearch } from '../links.ts';
import type { Render } from '../view.ts';
import { brushRanks } from './brush.ts';
import { barsChart, profileCurve, type Bar } from './chart.ts';
import type { LandscapeState } from './state.ts';

/** The profile of the picked metabolite (bars per bacterium) or bacterium (a curve, or bars for Top/Bottom N). */
export const renderLandscape: Render<LandscapeState> = (results, state, ctx) => {
  const { metabolite, bacterium, show, n } = state;
  const { dataset: d, width } = ctx;
  const what = show === 'all' ? 'All' : `${show === 'top' ? 'Top' : 'Bottom'} ${n}`;
  const signs = 'produced (> 0) in blue to the right of 0, consumed (< 0) in orange to the left';
  if (metabolite) {
    const labels = results.labels as { name: string; label: string }[];
    const rows = results.rows as MetaboliteProfileRow[];
    const feature = labels.find((l) => l.name === metabolite);
    const title = feature ? featureTitle(feature.label, metabolite) : metabolite;
    if (!feature || rows.length === 0) {
      return { summary: title, message: feature ? NO_DATA : `${NO_DATA}: no feature ${metabolite} in ${d.title}` };
    }
    const bars: Bar[] = rows.map((r) => ({
      key: r.bacterium,
      label: r.name,
      value: r.value,
      tip: `${r.name}\n${title}\n${formatValue(r.value)}`,
    }));
    return {
      summary: `${what}: ${plural(rows.length, 'bacterium', 'bacteria')} with a value for ${title}`,
      chart: barsChart(bars, {
        width,
        xLabel: 'log2 fold change',
        ariaLabel: `Bar chart: log2 fold change of ${title} in each bacterium, ${d.title}`,
        ariaDescription:
          `${what}: one bar per bacterium with a value (${formatCount(rows.length)}), highest first; ${signs}. ` +
          'Each bar links to the Landscape of its bacterium. The same values are in the table below.',
        href: (bar) => ctx.explorerPath + landscapeSearch(d.id, { bacterium: bar.key }),
      }),
      table: {
        columns: [
          { key: 'bacterium', label: 'Bacterium' },
          { key: 'value', label: 'log2 fold change', numeric: true },
        ],
        row: (i) => {
          const r = rows[i]!;
          return {
            attrs: { bacterium: r.bacterium, value: String(r.value) },
            cells: { bacterium: r.name, value: formatValue(r.value) },
            values: { value: r.value },
          };
        },
        total: rows.length,
        csv: () => rows.map((r) => ({ feature: metabolite, bacterium: r.bacterium, value: r.value })),
      },
    };
  }
  const b = d.bacteria.find((x) => x.id === bacterium)!;
  const result = results.profile as Columns<BacteriumProfileRow>;
  if (result.length === 0) return { summary: b.name, message: NO_DATA };
  const tip = (r: BacteriumProfileRow) =>
    `${b.name}\n${featureTitle(r.label, r.feature)}\n${typeWords(r.type)}\n${formatValue(r.value)}`;
  const yLabel = `log2 fold change, ${b.name}`;
  const shape = show === 'all' ? 'Curve' : 'Bar chart';
  const ariaLabel = `${shape}: log2 fold change of each feature in ${b.name}, ${d.title}`;
  const count = `${plural(result.length, 'feature', 'features')} with a value`;
  const chart =
    show === 'all'
      ? profileCurve(
          { values: result.column('value'), tip: (i) => tip(result.row(i)) },
          {
            width,
            yLabel,
            ariaLabel,
            ariaDescription:
              `All ${count}, ranked from the highest value to the lowest along the horizontal axis; the area ` +
              'under the curve is blue where produced (> 0) and orange where consumed (< 0). The values are in ' +
              'the table below.',
          },
        )
      : barsChart(
          rowsOf(result).map((r) => ({ key: r.feature, label: r.label, value: r.value, tip: tip(r) })),
          {
            width,
            xLabel: yLabel,
            ariaLabel,
            ariaDescription:
              `${what}: one bar per feature (${count}); ${signs}. ` +
              'Each bar links to the Landscape of its metabolite. The same values are in the table below.',
            href: (bar) => ctx.explorerPath + landscapeSearch(d.id, { metabolite: bar.key }),
          },
        );
  // The brushed ranks of the whole curve, within the ranks there are; the table lists them.
  const range =
    show === 'all' && state.range && state.range.from <= result.length
      ? { from: state.range.from, to: Math.min(state.range.to, result.length) }
      : null;
  if (show === 'all') brushRanks(chart, result.length, range, (picked) => ctx.update((s) => void (s.range = picked)));
  const [first, listed] = range ? [range.from - 1, range.to - range.from + 1] : [0, result.length];
  const brushed = range
    ? `; ranks ${formatCount(range.from)}–${formatCount(range.to)} (${plural(listed, 'feature', 'features')}) ` +
      'are listed in the table'
    : show === 'all'
      ? '; drag across the curve to list a range of ranks'
      : '';
  return {
    summary: `${what}: ${plural(result.length, 'feature', 'features')} with a value for ${b.name}${brushed}`,
    chart,
    table: {
      columns: [
        { key: 'label', label: 'Metabolite' },
        { key: 'feature', label: 'Feature id' },
        { key: 'type', label: 'Type' },
        { key: 'value', label: 'log2 fold change', numeric: true },
      ],
      // Rows are decoded only when the table shows or sorts them: "All" has up to ~32k.
      row: (i) => {
        const r = result.row(first + i);
        return {
          attrs: { feature: r.feature, value: String(r.value) },
          cells: { label: r.label, feature: r.feature, type: typeWords(r.type), value: formatValue(r.value) },
          values: { value: r.value },
        };
      },
      total: listed,
      csv: () =>
        rowsOf(result, first + listed)
          .slice(first)
          .map((r) => ({
            bacterium: b.id,
            feature: r.feature,
            label: r.label,
            type: r.type,
            value: r.value,
          })),
    },
  };
};
