import type { Columns } from '../../lib/db.ts';
import { formatCount, formatValue, typeWords } from '../../lib/format.ts';
import type { BacteriumProfileRow, MetaboliteProfileRow } from '../../lib/sql/landscape.ts';
import { NO_DATA, rowsOf, TABLE_ROWS } from '../results.ts';
import type { Render } from '../view.ts';
import { barsChart, profileCurve, type Bar } from './chart.ts';
import type { LandscapeState } from './state.ts';

/** The profile of the picked metabolite (bars per bacterium) or bacterium (a curve, or bars for Top/Bottom N). */
export const renderLandscape: Render<LandscapeState> = (results, { metabolite, bacterium, show, n }, ctx) => {
  const { dataset: d, width } = ctx;
  const what = show === 'all' ? 'All' : `${show === 'top' ? 'Top' : 'Bottom'} ${n}`;
  if (metabolite) {
    const labels = results.labels as { name: string; label: string }[];
    const rows = results.rows as MetaboliteProfileRow[];
    const feature = labels.find((l) => l.name === metabolite);
    const title = feature ? `${feature.label} (${metabolite})` : metabolite;
    if (!feature || rows.length === 0) {
      return { summary: title, message: feature ? NO_DATA : `${NO_DATA}: no feature ${metabolite} in ${d.title}` };
    }
    const bars: Bar[] = rows.map((r) => ({
      key: r.bacterium,
      label: r.name,
      value: r.value,
      tip: `${r.name}\n${feature.label} (${metabolite})\n${formatValue(r.value)}`,
    }));
    return {
      summary: `${what}: ${formatCount(rows.length)} bacteria with a value for ${title}`,
      chart: barsChart(bars, { width, xLabel: 'log2 fold change' }),
      table: {
        columns: [
          { key: 'bacterium', label: 'Bacterium' },
          { key: 'value', label: 'log2 fold change', numeric: true },
        ],
        rows: rows.slice(0, TABLE_ROWS).map((r) => ({
          attrs: { bacterium: r.bacterium, value: String(r.value) },
          cells: { bacterium: r.name, value: formatValue(r.value) },
        })),
        total: rows.length,
        csv: () => rows.map((r) => ({ feature: metabolite, bacterium: r.bacterium, value: r.value })),
      },
      fileName: `${d.id}-${metabolite}-${show}`,
    };
  }
  const b = d.bacteria.find((x) => x.id === bacterium)!;
  const result = results.profile as Columns<BacteriumProfileRow>;
  if (result.length === 0) return { summary: b.name, message: NO_DATA };
  const tip = (r: BacteriumProfileRow) =>
    `${b.name}\n${r.label} (${r.feature})\n${typeWords(r.type)}\n${formatValue(r.value)}`;
  const yLabel = `log2 fold change, ${b.name}`;
  const chart =
    show === 'all'
      ? profileCurve({ values: result.column('value'), tip: (i) => tip(result.row(i)) }, { width, yLabel })
      : barsChart(
          rowsOf(result).map((r) => ({ key: r.feature, label: r.label, value: r.value, tip: tip(r) })),
          { width, xLabel: yLabel },
        );
  return {
    summary: `${what}: ${formatCount(result.length)} features with a value for ${b.name}`,
    chart,
    table: {
      columns: [
        { key: 'label', label: 'Metabolite' },
        { key: 'feature', label: 'Feature id' },
        { key: 'type', label: 'Type' },
        { key: 'value', label: 'log2 fold change', numeric: true },
      ],
      rows: rowsOf(result, TABLE_ROWS).map((r) => ({
        attrs: { feature: r.feature, value: String(r.value) },
        cells: { label: r.label, feature: r.feature, type: typeWords(r.type), value: formatValue(r.value) },
      })),
      total: result.length,
      csv: () =>
        rowsOf(result).map((r) => ({
          bacterium: b.id,
          feature: r.feature,
          label: r.label,
          type: r.type,
          value: r.value,
        })),
    },
    fileName: `${d.id}-${b.id}-${show}`,
  };
};
