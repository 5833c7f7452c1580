import { datasetFiles, datasetSources, type ExplorerDataset } from '../lib/explorer-data.ts';
import { featureLabelQueries, featureLabelRead } from '../lib/sql/features.ts';
import type { ViewQuery } from './view.ts';

/**
 * The query for the label and type of each of `names` in dataset `d`: by lookup, with or without the engine, or from
 * the search's copy of the features file once it has one.
 */
export function featureLabels(d: ExplorerDataset, names: string[]): ViewQuery {
  return {
    labels: { file: d.files.features, names },
    kept: featureLabelQueries(datasetSources(d).featureFile, names),
    files: datasetFiles(d),
    direct: featureLabelRead(d.files.features, names),
  };
}
