/**
 * The metabolite search, off the page's thread: a dataset's features file is read once (by range, as the page reads
 * files: file-reads.ts), and each keystroke scans its labels and ids (feature-search.ts); the labels of selected
 * features are then looked up in the same copy. It answers the messages of search-client.ts.
 */
import { featureIndex, type FeatureIndex, type SearchableFeature } from './feature-search.ts';
import { fileReader } from './file-reads.ts';
import type { SearchReply, SearchRequest } from './search-client.ts';

const COLUMNS = ['name', 'label', 'type', 'mz', 'rt', 'n_values'];
const indexes = new Map<string, Promise<FeatureIndex>>();

function indexOf({ dataUrl, file, size }: SearchRequest): Promise<FeatureIndex> {
  const key = new URL(file, dataUrl).href;
  let index = indexes.get(key);
  if (!index) {
    const read = fileReader(new URL(dataUrl), () => size);
    index = read({ file, columns: COLUMNS }).then((rows) => featureIndex(rows as unknown as SearchableFeature[]));
    // A failed read may be retried by the next keystroke.
    index.catch(() => indexes.delete(key));
    indexes.set(key, index);
  }
  return index;
}

self.addEventListener('message', (event: MessageEvent<SearchRequest>) => {
  const request = event.data;
  const reply = (r: SearchReply) => postMessage(r);
  const { ask } = request;
  indexOf(request)
    .then((index) =>
      reply({
        id: request.id,
        answer: 'search' in ask ? index.search(ask.search) : 'labels' in ask ? index.labels(ask.labels) : [],
      }),
    )
    .catch((error: unknown) =>
      reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
});
