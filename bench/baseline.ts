/**
 * The baseline: the live-query design this project replaces. For the same selections as the browser, the SQL that
 * the Dash version ran on PostgreSQL per click, written from the semantics in DESIGN.md, timed warm on the same server.
 */
import type pg from 'pg';
import { quoteIdent } from '../src/lib/sql/quote.ts';
import type { Selections } from './selections.ts';

/** A parameterised PostgreSQL query. */
export interface LiveQuery {
  text: string;
  values: unknown[];
}

/**
 * The wide source table of the dataset (the in_vivo shape: `name`, `"Type"`, `metabolite`, one column per
 * bacterium).
 */
export interface WideTable {
  /** Quoted, schema-qualified. */
  table: string;
  bacteria: string[];
}

const byteOrder = (expr: string) => `${expr} COLLATE "C"`;

/** Every bacterium column of one row as (bacterium, value) pairs: the unpivot the live design runs per click. */
function unpivot(t: WideTable, row: string): string {
  const columns = t.bacteria.map((b) => `${row}.${quoteIdent(b)}`).join(', ');
  return `CROSS JOIN LATERAL unnest($1::text[], ARRAY[${columns}]::float8[]) AS u(bacterium, value)`;
}

/** A metabolite's values: the one wide row, unpivoted; All, or the 10 highest. */
export function liveMetabolite(t: WideTable, feature: string, top?: number): LiveQuery {
  const text = `SELECT u.bacterium, u.value
  FROM ${t.table} AS t ${unpivot(t, 't')}
 WHERE t.name = $2 AND u.value IS NOT NULL
 ORDER BY u.value DESC, ${byteOrder('u.bacterium')}${top ? `\n LIMIT ${top}` : ''}`;
  return { text, values: [t.bacteria, feature] };
}

/** A bacterium's column: every feature with a value, optionally of one type; All, or the 10 highest. */
export function liveBacterium(
  t: WideTable,
  bacterium: string,
  { type, top }: { type?: string; top?: number },
): LiveQuery {
  const column = quoteIdent(bacterium);
  const values: unknown[] = [];
  let typeClause = '';
  if (type) {
    values.push(type);
    typeClause = ` AND "Type" = $1`;
  }
  const text = `SELECT name, coalesce(metabolite, name) AS label, "Type" AS type, ${column} AS value
  FROM ${t.table}
 WHERE ${column} IS NOT NULL${typeClause}
 ORDER BY ${column} DESC, ${byteOrder('name')}${top ? `\n LIMIT ${top}` : ''}`;
  return { text, values };
}

/** The heatmap: the selected columns of the selected rows. */
export function liveHeatmap(t: WideTable, bacteria: string[], features: string[]): LiveQuery {
  const text = `SELECT name, ${bacteria.map(quoteIdent).join(', ')} FROM ${t.table} WHERE name = ANY($1::text[])`;
  return { text, values: [features] };
}

/**
 * Co-occurrence: every candidate metabolite (one that a selected bacterium produces) gets its top-10 producers over
 * all bacteria with a window function, then the ones where all (or any) of the selection rank; the first 50 by peak.
 */
export function liveCooccurrence(t: WideTable, selected: string[], mode: 'all' | 'any', limit = 50): LiveQuery {
  const candidate = selected.map((b) => `${quoteIdent(b)} > 0`).join(mode === 'all' ? ' AND ' : ' OR ');
  const text = `WITH cells AS (
    SELECT c.name AS feature, u.bacterium, u.value
      FROM (SELECT * FROM ${t.table} WHERE ${candidate}) AS c ${unpivot(t, 'c')}
     WHERE u.value > 0
), ranked AS (
    SELECT feature, bacterium, value,
           row_number() OVER (PARTITION BY feature ORDER BY value DESC, ${byteOrder('bacterium')}) AS rank
      FROM cells
), hits AS (
    SELECT feature, max(value) AS peak FROM ranked
     WHERE rank <= 10 AND bacterium = ANY($2::text[])
     GROUP BY feature${mode === 'all' ? '\n    HAVING count(*) = $3' : ''}
), page AS (
    SELECT feature, peak, count(*) OVER () AS total FROM hits ORDER BY peak DESC, ${byteOrder('feature')} LIMIT ${limit}
)
SELECT p.feature, r.bacterium, r.rank, r.value, p.peak, p.total
  FROM page AS p JOIN ranked AS r USING (feature)
 WHERE r.rank <= 10 AND r.bacterium = ANY($2::text[])
 ORDER BY p.peak DESC, ${byteOrder('p.feature')}, r.rank`;
  return { text, values: mode === 'all' ? [t.bacteria, selected, selected.length] : [t.bacteria, selected] };
}

/** The search box: features whose label or id contains the text, exact and prefix matches first. */
export function liveSearch(t: WideTable, typed: string): LiveQuery {
  const text = `SELECT name, coalesce(metabolite, name) AS label, "Type" AS type
  FROM ${t.table}
 WHERE strpos(lower(name), $1) > 0 OR strpos(lower(metabolite), $1) > 0
 ORDER BY CASE WHEN lower(name) = $1 OR lower(metabolite) = $1 THEN 0
               WHEN starts_with(lower(name), $1) OR starts_with(lower(metabolite), $1) THEN 1 ELSE 2 END,
          ${byteOrder('coalesce(metabolite, name)')}, ${byteOrder('name')}
 LIMIT 100`;
  return { text, values: [typed.toLowerCase()] };
}

/** The live queries of each interaction case (ids as in the browser cases), one per repetition `i`. */
export function liveCases(t: WideTable, sel: Selections): Record<string, (i: number) => LiveQuery> {
  const cases: Record<string, (i: number) => LiveQuery> = {
    'metabolite-all': (i) => liveMetabolite(t, sel.metabolites[i]!),
    'metabolite-top10': (i) => liveMetabolite(t, sel.metabolitesTop[i]!, 10),
    'bacterium-all': (i) => liveBacterium(t, sel.profiles[i]!.id, {}),
    'bacterium-top10': (i) => liveBacterium(t, sel.profilesTop[i]!.id, { top: 10 }),
    'bacterium-type': (i) => liveBacterium(t, sel.profiles[i]!.id, { type: sel.types[i]! }),
    'search-keystroke': (i) => liveSearch(t, sel.keystrokes[i % sel.keystrokes.length]!),
  };
  for (const list of Object.values(sel.heatmaps)) {
    const id = `heatmap-${list[0]!.bacteria.length}x${list[0]!.features.length}`;
    cases[id] = (i) => liveHeatmap(t, list[i]!.bacteria, list[i]!.features);
  }
  for (const { size, mode, sets } of sel.cooccurrence) {
    cases[`cooccurrence-${size}-${mode}`] = (i) => liveCooccurrence(t, sets[i]!, mode);
  }
  return cases;
}

/** Times `query(i)` for each timed `i` on `client`, after untimed runs of the warm-up ones; round trips included. */
export async function timeLive(
  client: pg.ClientBase,
  query: (i: number) => LiveQuery,
  { timed, warmup }: { timed: number[]; warmup: number[] },
): Promise<number[]> {
  for (const i of warmup) {
    const q = query(i);
    await client.query(q.text, q.values);
  }
  const ms: number[] = [];
  for (const i of timed) {
    const q = query(i);
    const start = performance.now();
    await client.query(q.text, q.values);
    ms.push(performance.now() - start);
  }
  return ms;
}
