import type { Columns } from '../../lib/db.ts';
import { TYPE_LABELS } from '../../lib/feature-types.ts';
import { formatValue, plural, typeWords } from '../../lib/format.ts';
import type { OverviewCell } from '../../lib/sql/overview.ts';
import { bacteriumName } from '../controls.ts';
import { landscapeSearch } from '../links.ts';
import { NO_DATA } from '../results.ts';
import type { Render } from '../view.ts';
import { overviewChart } from './chart.ts';
import { overviewGrid, type OverviewBin } from './grid.ts';
import type { OverviewState } from './state.ts';

/** A bin in words: `Negative ions, bin 7 of 144: 409 features, M12T3_NEG to M40T9_NEG`. */
export function binWords(b: OverviewBin): string {
  const features =
    b.features === 1
      ? `1 feature, ${b.first}`
      : `${plural(b.features, 'feature', 'features')}, ${b.first} to ${b.last}`;
  const type = TYPE_LABELS[b.type as keyof typeof TYPE_LABELS]?.filter ?? b.type;
  return `${type}, bin ${b.ofType} of ${b.typeBins}: ${features}`;
}

/** A cell's numbers in words, a line each, as its tip shows them. */
export function cellWords(c: OverviewCell): string[] {
  if (c.measured === 0) return [`measured: 0 of ${c.features} (not measured)`];
  return [
    `measured: ${c.measured} of ${c.features}`,
    `mean ${formatValue(c.mean_value)}, max ${formatValue(c.max_value)}, min ${formatValue(c.min_value)}`,
    `strongest: ${c.strongest} (${formatValue(c.strongest_value)}); click for its Landscape`,
  ];
}

/** The whole dataset as bins of features × bacteria in similarity order, on a canvas, and the cells' table. */
export const renderOverview: Render<OverviewState> = (results, _state, ctx) => {
  const { dataset: d } = ctx;
  const cells = results.cells as Columns<OverviewCell>;
  const grid = overviewGrid(cells);
  if (grid.bins.length === 0 || grid.bacteria.length === 0) return { summary: '', message: NO_DATA };
  const name = (id: string) => bacteriumName(d, id);
  const features = grid.bins.reduce((sum, b) => sum + b.features, 0);
  const landscape = (pick: Parameters<typeof landscapeSearch>[1]) => ctx.explorerPath + landscapeSearch(d.id, pick);
  const bin = (c: OverviewCell) => grid.bins[c.bin - grid.bins[0]!.bin]!;
  return {
    summary:
      `${plural(grid.bacteria.length, 'bacterium', 'bacteria')} (similar profiles together) × ` +
      `${plural(grid.bins.length, 'bin', 'bins')} of ${plural(features, 'feature', 'features')} ` +
      `(${TYPE_LABELS[ctx.shared.type].filter.toLowerCase()}); colour: the mean of a bin's measured values`,
    chart: overviewChart(grid, {
      width: ctx.width,
      type: ctx.shared.type,
      name,
      bacteriumHref: (id) => landscape({ bacterium: id }),
      cellHref: (c) => (c.strongest === null ? null : landscape({ metabolite: c.strongest })),
      tip: (c) => [name(c.bacterium), binWords(bin(c)), ...cellWords(c)],
      ariaLabel: `Overview of ${d.title}: ${grid.bins.length} bins of features × ${grid.bacteria.length} bacteria`,
      ariaDescription:
        'One row per bacterium, bacteria with similar profiles next to each other; one column per bin of features, ' +
        'grouped by type and ordered within it by mean. A cell is coloured by the mean of the bacterium’s measured ' +
        'values in the bin: blue produced (> 0), orange consumed (< 0), lighter nearer 0; grey with a dark dot ' +
        'where none is measured. Each bacterium name links to its Landscape. The cells’ numbers are in the table ' +
        'below.',
    }),
    table: {
      columns: [
        { key: 'strongest', label: 'Strongest feature' },
        { key: 'bacterium', label: 'Bacterium' },
        { key: 'type', label: 'Type' },
        { key: 'bin', label: 'Bin', numeric: true },
        { key: 'range', label: 'Features (lowest to highest mean)' },
        { key: 'features', label: 'Features', numeric: true },
        { key: 'measured', label: 'Measured', numeric: true },
        { key: 'mean', label: 'Mean', numeric: true },
        { key: 'max', label: 'Max', numeric: true },
        { key: 'min', label: 'Min', numeric: true },
        { key: 'strongestValue', label: 'Strongest value', numeric: true },
      ],
      total: cells.length,
      row(i) {
        const c = cells.row(i);
        const b = bin(c);
        return {
          // The strongest feature's Landscape is where the cell's link goes: a cell with none measured has no link.
          attrs: { bin: String(c.bin), row: String(c.row), ...(c.strongest === null ? {} : { feature: c.strongest }) },
          cells: {
            strongest: c.strongest ?? '',
            bacterium: name(c.bacterium),
            type: typeWords(c.type),
            bin: `${b.ofType} of ${b.typeBins}`,
            range: b.features === 1 ? b.first : `${b.first} to ${b.last}`,
            features: String(c.features),
            measured: String(c.measured),
            mean: formatValue(c.mean_value),
            max: formatValue(c.max_value),
            min: formatValue(c.min_value),
            strongestValue: formatValue(c.strongest_value),
          },
          values: {
            bin: b.ofType,
            features: c.features,
            measured: c.measured,
            mean: c.mean_value,
            max: c.max_value,
            min: c.min_value,
            strongestValue: c.strongest_value,
          },
        };
      },
      csv: () =>
        Array.from({ length: cells.length }, (_, i) => {
          const c = cells.row(i);
          return {
            bacterium: c.bacterium,
            type: c.type,
            bin: bin(c).ofType,
            features: c.features,
            first_feature: c.first_feature,
            last_feature: c.last_feature,
            measured: c.measured,
            mean: c.mean_value,
            max: c.max_value,
            min: c.min_value,
            strongest: c.strongest,
            strongest_value: c.strongest_value,
          };
        }),
    },
  };
};
