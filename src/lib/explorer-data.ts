import type { Manifest } from './manifest.ts';
import { quoteIdent } from './sql/quote.ts';
import { parquetSource, type DatasetSources } from './sql/sources.ts';

/** What the explorer needs from the manifest, embedded in the page so it works from the first paint. */
export interface ExplorerData {
  dataVersion: string;
  builtAt: string;
  source: Manifest['source'];
  datasets: {
    id: string;
    title: string;
    files: { features: string; bacteria: string; values: { path: string; first: string }[]; topProducers: string };
    bacteria: { id: string; name: string; values: number; file: string }[];
  }[];
}
export type ExplorerDataset = ExplorerData['datasets'][number];

/** Trims the manifest to the explorer's needs: paths only, no hashes or sizes. */
export function explorerData(manifest: Manifest): ExplorerData {
  return {
    dataVersion: manifest.dataVersion,
    builtAt: manifest.builtAt,
    source: manifest.source,
    datasets: manifest.datasets.map((d) => ({
      id: d.id,
      title: d.title,
      files: {
        features: d.files.features.path,
        bacteria: d.files.bacteria.path,
        values: d.files.values.map((f) => ({ path: f.path, first: f.firstFeature })),
        topProducers: d.files.topProducers.path,
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
    values: d.files.values.map((part) => ({ first: part.first, source: parquetSource(part.path) })),
    topProducers: parquetSource(d.files.topProducers),
  };
}

/** Every file of a dataset that a view query may read (shards excepted). */
export function datasetFiles(d: ExplorerDataset): string[] {
  const { values, ...single } = d.files;
  return [...Object.values(single), ...values.map((part) => part.path)];
}
