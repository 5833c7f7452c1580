import { formatValue, plural } from '../../lib/format.ts';
import type { Columns } from '../../lib/db.ts';
import type { CooccurrenceRow } from '../../lib/sql/cooccurrence.ts';
import { bacteriumName } from '../controls.ts';
import { landscapeSearch } from '../links.ts';
import { rowsOf } from '../results.ts';
import type { Render } from '../view.ts';
import { cooccurrenceChart } from './chart.ts';
import { CHART_METABOLITES, type CooccurrenceState } from './state.ts';

/** The metabolites the selected bacteria co-produce (all or any of them among the top producers), and the table. */
export const renderCooccurrence: Render<CooccurrenceState> = (results, { bacteria, mode }, ctx) => {
  const { dataset: d, width, topProducerRanks: ranks } = ctx;
  // Every qualifying metabolite, by peak (up to ~40k rows for "any"), kept as columns: the chart draws the rows of
  // the first ones, decoded here; the table decodes the rows it shows, the CSV all of them.
  const all = results.rows as Columns<CooccurrenceRow>;
  const rows: CooccurrenceRow[] = [];
  const charted = new Set<string>();
  for (let i = 0; i < all.length; i++) {
    const r = all.row(i);
    if (!charted.has(r.feature) && charted.size === CHART_METABOLITES) break;
    charted.add(r.feature);
    rows.push(r);
  }
  const who = mode === 'all' ? 'all' : 'at least one';
  if (rows.length === 0) {
    return {
      summary: '',
      message:
        `No metabolite has ${who} of the ${plural(bacteria.length, 'selected bacterium', 'selected bacteria')} ` +
        `among its top ${ranks} producers.`,
    };
  }
  const total = rows[0]!.total;
  const shown = new Set(rows.map((r) => r.feature)).size;
  const name = (id: string) => bacteriumName(d, id);
  return {
    summary:
      `${plural(total, 'metabolite has', 'metabolites have')} ${who} of the selected bacteria ` +
      `among their top ${ranks} producers` +
      (shown < total ? `; the ${shown} with the highest peak are shown` : ''),
    chart: cooccurrenceChart(
      rows.map((r) => ({ ...r, bacteriumName: name(r.bacterium) })),
      {
        width,
        bacteria: bacteria.map((id) => ({ id, name: name(id) })),
        ariaLabel:
          `Dot chart: metabolites with ${who} of the ${bacteria.length} selected bacteria among their top ` +
          `${ranks} producers, ${d.title}`,
        ariaDescription:
          `One row per metabolite (${shown} shown), highest peak first; one dot per selected bacterium among its ` +
          'top producers, at its log2 fold change (all produced, > 0), each bacterium with its own colour and ' +
          'symbol, named in the legend. Each dot links to the Landscape of its metabolite; the ranks are in the tip ' +
          'and in the table below.',
        href: (dot) => ctx.explorerPath + landscapeSearch(d.id, { metabolite: dot.feature }),
      },
    ),
    table: {
      columns: [
        { key: 'label', label: 'Metabolite' },
        { key: 'feature', label: 'Feature id' },
        { key: 'bacterium', label: 'Bacterium' },
        { key: 'rank', label: 'Rank', numeric: true },
        { key: 'value', label: 'log2 fold change', numeric: true },
      ],
      row: (i) => {
        const r = all.row(i);
        return {
          attrs: { feature: r.feature, bacterium: r.bacterium, rank: String(r.rank), value: String(r.value) },
          cells: {
            label: r.label,
            feature: r.feature,
            bacterium: name(r.bacterium),
            rank: String(r.rank),
            value: formatValue(r.value),
          },
          values: { rank: r.rank, value: r.value },
        };
      },
      total: all.length,
      csv: () =>
        rowsOf(all).map((r) => ({
          feature: r.feature,
          label: r.label,
          bacterium: r.bacterium,
          rank: r.rank,
          value: r.value,
          peak: r.peak,
        })),
    },
  };
};
