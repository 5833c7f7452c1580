import type { Bacterium, Dataset, Manifest, ValuePart } from './manifest.ts';
import { quoteIdent } from './sql/quote.ts';
import { parquetSource, type DatasetSources } from './sql/sources.ts';

/** A dataset as the explorer needs it: the manifest's entry with file paths only, no hashes or sizes. */
export interface ExplorerDataset extends Pick<Dataset, 'id' | 'title'> {
  files: Record<'features' | 'bacteria' | 'topProducers' | 'overview', string> & {
    values: Pick<ValuePart, 'path' | 'firstFeature'>[];
  };
  bacteria: (Pick<Bacterium, 'id' | 'name' | 'values'> & { file: string })[];
}

/** What the explorer needs from the manifest, embedded in the page so it works from the first paint. */
export interface ExplorerData extends Pick<Manifest, 'dataVersion' | 'builtAt' | 'source' | 'topProducerRanks'> {
  datasets: ExplorerDataset[];
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
        topProducers: d.files.topProducers.path,
        overview: d.files.overview.path,
      },
      bacteria: d.bacteria.map((b) => ({ id: b.id, name: b.name, values: b.values, file: b.file.path })),
    })),
  };
}

/** JSON safe to place inside a <script> element: no `<` can close it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/** The in-memory table the features file is copied into (searched on every keystroke). */
export function featuresTable(d: ExplorerDataset): string {
  return `features_${d.id}`;
}

/** FROM-items of a dataset's tables for the view queries. */
export function datasetSources(d: ExplorerDataset): DatasetSources {
  return {
    features: quoteIdent(featuresTable(d)),
    bacteria: parquetSource(d.files.bacteria),
    values: d.files.values.map((part) => ({ firstFeature: part.firstFeature, source: parquetSource(part.path) })),
    topProducers: parquetSource(d.files.topProducers),
  };
}

/** Every file of a dataset that a view query may read (shards excepted). */
export function datasetFiles(d: ExplorerDataset): string[] {
  const { values, ...single } = d.files;
  return [...Object.values(single), ...values.map((part) => part.path)];
}
