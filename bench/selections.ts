/**
 * The selections both designs are timed on: drawn from the built data, different for every repetition, and the same
 * on every run (ordered by hashes, not by a random generator), so that the browser and the live queries see the same.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDuck, queryRows } from '../scripts/build/duck.ts';
import type { Manifest } from '../src/lib/manifest.ts';
import { parquetSource } from '../src/lib/sql/sources.ts';
import type { Mode } from '../src/lib/sql/cooccurrence.ts';
import type { ExplorerState } from '../src/views/index.ts';

/** A heatmap selection: rows then columns, in selection order. */
export interface HeatmapSelection {
  bacteria: string[];
  features: string[];
}

/** What the benchmark picks, per repetition; every list has `reps` entries. */
export interface Selections {
  dataset: string;
  /** Every bacterium of the dataset, for the live queries' unpivot. */
  allBacteria: string[];
  /** Features with many measured bacteria (the heavier lookups); the Top 10 case has its own, so no cache helps it. */
  metabolites: string[];
  metabolitesTop: string[];
  /** The densest bacteria (the "All ~32k" profiles), each with its number of values; the Top 10 case takes the next. */
  profiles: { id: string; values: number }[];
  profilesTop: { id: string; values: number }[];
  /** The type filter applied in the type-filter case, per repetition. */
  types: ('by_name' | 'by_positive' | 'by_negative')[];
  heatmaps: { small: HeatmapSelection[]; large: HeatmapSelection[] };
  cooccurrence: { size: number; mode: Mode; sets: string[][] }[];
  /** What the search box holds after each keystroke: every prefix of a few words, typed one key at a time. */
  keystrokes: string[];
  /** Bacteria of the comparison (by their first dataset's id), one per repetition; none without a comparison. */
  compareBacteria: string[];
}

/** Heatmap shapes and co-occurrence sizes of the issue: 5x10 and 20x50; 2, 3 and 5 bacteria in both modes. */
export const HEATMAP_SHAPES = { small: [5, 10], large: [20, 50] } as const;
export const COOCCURRENCE_SIZES = [2, 3, 5] as const;
const TYPES = ['by_negative', 'by_positive', 'by_name'] as const;

/** `list` in a fixed pseudo-random order that depends on `salt`. */
export function shuffled<T extends string>(list: readonly T[], salt: string): T[] {
  const key = (x: string) => createHash('md5').update(`${salt}\u0000${x}`).digest('hex');
  return [...list]
    .map((x) => ({ x, k: key(x) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((e) => e.x);
}

/** First words of labels (letters only, as a reader would type them), then two feature-id prefixes. */
function searchWords(labels: string[], features: string[]): string[] {
  const words = labels.map((l) => /[a-z]{4,}/i.exec(l)?.[0]?.toLowerCase().slice(0, 8)).filter((w): w is string => !!w);
  return [...new Set(words)].slice(0, 6).concat(features.slice(0, 2).map((f) => f.slice(0, 6)));
}

/** The comparison's matched bacteria in a fixed pseudo-random order, `reps` of them (repeating when fewer). */
function compareBacteria(manifest: Manifest, reps: number): string[] {
  const matched = shuffled(
    (manifest.comparison?.bacteria ?? []).map((b) => b.x),
    'compare',
  );
  return matched.length > 0 ? Array.from({ length: reps }, (_, i) => matched[i % matched.length]!) : [];
}

/** Draws `reps` selections of every kind from the dataset `datasetId` of a built data folder. */
export async function drawSelections(
  dataDir: string,
  manifest: Manifest,
  datasetId: string,
  reps: number,
): Promise<Selections> {
  const d = manifest.datasets.find((x) => x.id === datasetId);
  if (!d) throw new Error(`selections: no dataset ${datasetId} in the manifest`);
  const features = parquetSource(join(dataDir, d.files.features.path));
  const topProducers = parquetSource(d.files.topProducers.map((p) => join(dataDir, p.path)));
  const { duck, close } = await openDuck(1);
  try {
    const names = async (sql: string) => (await queryRows<{ name: string }>(duck, sql)).map((r) => r.name);
    const metabolites = await names(
      `SELECT name FROM ${features} WHERE n_values >= (SELECT quantile_disc(n_values, 0.9) FROM ${features})
        ORDER BY md5(name) LIMIT ${2 * reps}`,
    );
    const measured = await names(`SELECT name FROM ${features} WHERE n_values > 0 ORDER BY md5(name || 'heatmap')`);
    const producers = await names(
      `SELECT bacterium AS name FROM ${topProducers} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 30`,
    );
    const words = await names(
      `SELECT label AS name FROM ${features} WHERE type = 'by_name' AND label <> name ORDER BY md5(label) LIMIT 40`,
    );
    const allBacteria = d.bacteria.map((b) => b.id);
    const densest = [...d.bacteria].sort((a, b) => b.values - a.values || (a.id < b.id ? -1 : 1));
    const heatmap = ([rows, columns]: readonly [number, number], at: number, salt: string): HeatmapSelection => ({
      bacteria: shuffled(allBacteria, `${salt}${at}`).slice(0, rows),
      features: measured.slice(at * columns, (at + 1) * columns),
    });
    const range = Array.from({ length: reps }, (_, i) => i);
    return {
      dataset: datasetId,
      allBacteria,
      metabolites: metabolites.slice(0, reps),
      metabolitesTop: metabolites.slice(reps),
      profiles: range.map((i) => densest[i % densest.length]!).map((b) => ({ id: b.id, values: b.values })),
      profilesTop: range.map((i) => densest[(reps + i) % densest.length]!).map((b) => ({ id: b.id, values: b.values })),
      types: range.map((i) => TYPES[i % TYPES.length]!),
      heatmaps: {
        small: range.map((i) => heatmap(HEATMAP_SHAPES.small, i, 'small')),
        large: range.map((i) => heatmap(HEATMAP_SHAPES.large, reps + i, 'large')),
      },
      cooccurrence: COOCCURRENCE_SIZES.flatMap((size) =>
        (['all', 'any'] as const).map((mode) => ({
          size,
          mode,
          sets: range.map((i) => shuffled(producers, `co${size}${mode}${i}`).slice(0, size)),
        })),
      ),
      keystrokes: searchWords(words, metabolites).flatMap((word) => [...word].map((_, k) => word.slice(0, k + 1))),
      compareBacteria: compareBacteria(manifest, reps),
    };
  } finally {
    await close();
  }
}

/** A permalink timed as a page load, cold and as a repeat visit: `change` sets its state from the defaults. */
export interface PageLoad {
  id: string;
  label: string;
  change(state: ExplorerState, sel: Selections): void;
}

/** The permalinks of the page-load figures, one or more per view: a new view adds its own here. */
export const PAGE_LOADS: PageLoad[] = [
  {
    id: 'landscape-metabolite',
    label: 'landscape, metabolite',
    change: (s, sel) => (s.landscape.metabolite = sel.metabolites[0]!),
  },
  {
    id: 'landscape-bacterium-top10',
    label: 'landscape, bacterium Top 10',
    change: (s, sel) => {
      s.landscape.bacterium = sel.profilesTop[0]!.id;
      s.landscape.show = 'top';
    },
  },
  {
    id: 'heatmap-5x10',
    label: 'heatmap 5 x 10',
    change: (s, sel) => {
      s.view = 'network';
      s.network = { bacteria: sel.heatmaps.small[0]!.bacteria, metabolites: sel.heatmaps.small[0]!.features };
    },
  },
  {
    id: 'cooccurrence-2',
    label: 'co-occurrence of 2',
    change: (s, sel) => {
      s.view = 'cooccurrence';
      s.cooccurrence = { bacteria: sel.cooccurrence.find((c) => c.size === 2)!.sets[0]!, mode: 'all' };
    },
  },
  {
    id: 'overview',
    label: 'overview, all types',
    change: (s) => (s.view = 'overview'),
  },
  {
    id: 'compare',
    label: 'in vitro vs in vivo',
    change: (s, sel) => {
      s.view = 'compare';
      s.compare = { bacterium: sel.compareBacteria[0] ?? null };
    },
  },
];
