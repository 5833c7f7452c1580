import type { DirectRead } from '../answers.ts';
import { compareBytes } from '../byte-order.ts';
import { quoteLiteral } from './quote.ts';
import { byteOrder, type Query } from './sources.ts';

/**
 * The one matching rule of the In vitro vs in vivo comparison, as SQL over the annotated name `expr`: lower case,
 * runs of white space as one space, trimmed, and an isomer suffix in any common form ("(isomer 2)", "isomer 2",
 * "_isomer2", "isomer-2", "[Isomer 2]") written as " (isomer 2)", so isomer 2 matches isomer 2 only. The suffix
 * needs a separator before it (a space, "_", "-" or a bracket): "diisomer2" is a name, not an isomer.
 */
export function metaboliteKey(expr: string): string {
  const spaced = `trim(regexp_replace(lower(${expr}), '\\s+', ' ', 'g'))`;
  return `regexp_replace(${spaced}, '^(.*?)(?:[ _-]+[([]?|[([]) ?isomer[ _-]*([0-9]+) ?[)\\]]?$', '\\1 (isomer \\2)')`;
}

/** One side of the comparison at build time: its dataset and its staged files (FROM-items). */
export interface ComparedSide {
  dataset: string;
  features: string;
  values: string;
}

/** The annotated features of a side with their normalised key. */
const annotated = (side: ComparedSide) =>
  `SELECT name, label, ${metaboliteKey('label')} AS key FROM ${side.features} WHERE type = 'by_name'`;

/** Keys that several annotated features of one side share: left out of the comparison, listed instead. */
export function ambiguousKeysSql(side: ComparedSide): string {
  return `SELECT key FROM (${annotated(side)}) GROUP BY key HAVING count(*) > 1 ORDER BY ${byteOrder('key')}`;
}

/** The metabolites matched by key: one annotated feature on each side, keys shared by several left out. */
export function matchedMetabolitesSql(x: ComparedSide, y: ComparedSide): string {
  const unique = (side: ComparedSide) =>
    `SELECT key, any_value(name) AS feature, any_value(label) AS label FROM (${annotated(side)})
      GROUP BY key HAVING count(*) = 1`;
  return `SELECT key, x.feature AS feature_x, x.label AS label_x, y.feature AS feature_y, y.label AS label_y
    FROM (${unique(x)}) AS x JOIN (${unique(y)}) AS y USING (key)`;
}

/** The matched bacteria as rows (bacterium: the id in x, bacterium_y: in y), quoted: build-time values. */
export function bacteriumPairsSql(bacteria: { x: string; y: string }[]): string {
  if (bacteria.length === 0) return 'SELECT NULL::VARCHAR AS bacterium, NULL::VARCHAR AS bacterium_y WHERE FALSE';
  const rows = bacteria.map((b) => `(${quoteLiteral(b.x)}, ${quoteLiteral(b.y)})`);
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS p(bacterium, bacterium_y)`;
}

/**
 * The comparison file's rows: for each matched bacterium (its id in x, and in y) and matched metabolite, its value
 * in each dataset, NULL where not measured; rows measured in neither are left out. Sorted by bacterium then key, so
 * the browser's lookup of one bacterium reads a row group or two. (Its bacteria are build-time values, quoted.)
 */
export function comparisonRowsSql(x: ComparedSide, y: ComparedSide, bacteria: { x: string; y: string }[]): string {
  return `SELECT p.bacterium, p.bacterium_y, m.key, m.feature_x, m.label_x, vx.value AS value_x,
                 m.feature_y, m.label_y, vy.value AS value_y
    FROM (${matchedMetabolitesSql(x, y)}) AS m CROSS JOIN (${bacteriumPairsSql(bacteria)}) AS p
    LEFT JOIN ${x.values} AS vx ON vx.feature = m.feature_x AND vx.bacterium = p.bacterium
    LEFT JOIN ${y.values} AS vy ON vy.feature = m.feature_y AND vy.bacterium = p.bacterium_y
   WHERE vx.value IS NOT NULL OR vy.value IS NOT NULL
   ORDER BY ${byteOrder('p.bacterium')}, ${byteOrder('m.key')}`;
}

/** One matched metabolite of one bacterium: its feature, label and value in each dataset (null: not measured). */
export interface ComparisonRow {
  key: string;
  feature_x: string;
  label_x: string;
  value_x: number | null;
  feature_y: string;
  label_y: string;
  value_y: number | null;
}

/** The matched metabolites of one bacterium (its id in the first dataset), in order of key. */
export function comparisonQuery(source: string, bacterium: string): Query {
  return {
    sql: `SELECT key, feature_x, label_x, value_x, feature_y, label_y, value_y
  FROM ${source}
 WHERE bacterium = ?
 ORDER BY ${byteOrder('key')}`,
    params: [bacterium],
  };
}

/** `comparisonQuery`'s answer without the engine: the bacterium's row groups of the file, in byte order of key. */
export function comparisonRead(file: string, bacterium: string): DirectRead {
  return {
    reads: [
      {
        file,
        columns: ['key', 'feature_x', 'label_x', 'value_x', 'feature_y', 'label_y', 'value_y'],
        filter: { bacterium: { $eq: bacterium } },
      },
    ],
    answer: (rows) => (rows as unknown as ComparisonRow[]).toSorted((x, y) => compareBytes(x.key, y.key)),
  };
}
