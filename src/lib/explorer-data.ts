import type { Bacterium, Dataset, Manifest, TopProducerPart, ValuePart } from './manifest.ts';
import { parquetSource, type DatasetSources } from './sql/sources.ts';
import type { FileSize } from './file-reads.ts';

/** A dataset as the explorer needs it: the manifest's entry with file paths only, no hashes or sizes. */
export interface ExplorerDataset extends Pick<Dataset, 'id' | 'title'> {
  files: Record<'features' | 'bacteria' | 'overview', string> & {
    values: Pick<ValuePart, 'path' | 'firstFeature'>[];
    topProducers: Pick<TopProducerPart, 'path' | 'firstBacterium'>[];
  };
  bacteria: (Pick<Bacterium, 'id' | 'name' | 'values'> & { file: string })[];
}

/** A bacterium as the comparison names it. */
interface Named {
  id: string;
  name: string;
}

/**
 * The In vitro vs in vivo comparison as the explorer needs it: its datasets (x, then y), the matched bacteria by
 * their id in each (named as in x), each dataset's unmatched bacteria, how many metabolites matched, and the file.
 */
export interface ExplorerComparison {
  datasets: [Pick<Dataset, 'id' | 'title'>, Pick<Dataset, 'id' | 'title'>];
  bacteria: { x: string; y: string; name: string }[];
  unmatched: [Named[], Named[]];
  matched: number;
  file: string;
}

/** What the explorer needs from the manifest, embedded in the page so it works from the first paint. */
export interface ExplorerData extends Pick<Manifest, 'dataVersion' | 'builtAt' | 'source' | 'topProducerRanks'> {
  datasets: ExplorerDataset[];
  /** Absent when the site has one dataset. */
  comparison?: ExplorerComparison;
  /** The sizes of each data file that may be read without the engine (file-reads.ts), by path. */
  sizes: Record<string, FileSize>;
}

/** The comparison of the manifest, trimmed for the explorer. */
function explorerComparison({ datasets, comparison: c }: Manifest): ExplorerComparison | undefined {
  if (!c) return undefined;
  const [x, y] = c.datasets.map((id) => datasets.find((d) => d.id === id)!) as [Dataset, Dataset];
  const name = (d: Dataset, id: string) => d.bacteria.find((b) => b.id === id)?.name ?? id;
  const unmatched = (d: Dataset) => (c.unmatched[d.id] ?? []).map((id) => ({ id, name: name(d, id) }));
  return {
    datasets: [
      { id: x.id, title: x.title },
      { id: y.id, title: y.title },
    ],
    bacteria: c.bacteria.map((b) => ({ ...b, name: name(x, b.x) })),
    unmatched: [unmatched(x), unmatched(y)],
    matched: c.matched,
    file: c.file.path,
  };
}

/** Trims the manifest to the explorer's needs. */
export function explorerData(manifest: Manifest): ExplorerData {
  const { dataVersion, builtAt, source, topProducerRanks } = manifest;
  return {
    dataVersion,
    builtAt,
    source,
    topProducerRanks,
    datasets: manifest.datasets.map((d) => ({
      id: d.id,
      title: d.title,
      files: {
        features: d.files.features.path,
        bacteria: d.files.bacteria.path,
        values: d.files.values.map(({ path, firstFeature }) => ({ path, firstFeature })),
        topProducers: d.files.topProducers.map(({ path, firstBacterium }) => ({ path, firstBacterium })),
        overview: d.files.overview.path,
      },
      bacteria: d.bacteria.map((b) => ({ id: b.id, name: b.name, values: b.values, file: b.file.path })),
    })),
    comparison: explorerComparison(manifest),
    sizes: Object.fromEntries(
      [
        ...manifest.datasets.flatMap((d) => [
          d.files.features,
          d.files.overview,
          ...d.files.values,
          ...d.files.topProducers,
          ...d.bacteria.map((b) => b.file),
        ]),
        ...(manifest.comparison ? [manifest.comparison.file] : []),
      ].map((f) => [f.path, { bytes: f.bytes, footer: f.footer }]),
    ),
  };
}

/** JSON safe to place inside a <script> element: no `<` can close it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/** FROM-items of a dataset's tables for the view queries. */
export function datasetSources(d: ExplorerDataset): DatasetSources {
  return {
    featureFile: parquetSource(d.files.features),
    bacteria: parquetSource(d.files.bacteria),
    values: d.files.values.map((part) => ({ firstFeature: part.firstFeature, source: parquetSource(part.path) })),
    topProducers: d.files.topProducers.map((part) => ({
      firstBacterium: part.firstBacterium,
      source: parquetSource(part.path),
    })),
  };
}

/** Every file of a dataset that a view query may read (shards excepted). */
export function datasetFiles(d: ExplorerDataset): string[] {
  const { values, topProducers, ...single } = d.files;
  return [...Object.values(single), ...[...values, ...topProducers].map((part) => part.path)];
}
