import { labelsOf, type FeatureLabel, type FeatureMatch, type FeatureSearch } from './feature-search.ts';
import type { FileSize } from './file-reads.ts';

/** What the worker is asked of a features file: a search, the labels of some features, or only to read it. */
export type SearchAsk = { search: FeatureSearch } | { labels: string[] } | { read: true };

export interface SearchRequest {
  id: number;
  dataUrl: string;
  file: string;
  size: FileSize;
  ask: SearchAsk;
}

export type SearchReply = { id: number; answer: FeatureMatch[] | FeatureLabel[] } | { id: number; error: string };

/** The metabolite search of the page, answered by its own worker (search-worker.ts), and the labels it knows. */
export interface FeatureSearcher {
  /** Has the worker read the file now, so that the first keystroke finds it read. */
  prepare(file: string, size: FileSize): void;
  /** Whether the worker has read `file`: it then answers its labels without a read. */
  holds(file: string): boolean;
  search(file: string, size: FileSize, search: FeatureSearch): Promise<FeatureMatch[]>;
  /** What `featureLabelQueries` answers for `names`, from the worker's copy of the features file. */
  labels(file: string, size: FileSize, names: string[]): Promise<FeatureLabel[]>;
}

/** A searcher of the features files under `dataUrl`; its worker starts on first use. */
export function featureSearcher(dataUrl: URL): FeatureSearcher {
  let worker: Worker | undefined;
  let next = 0;
  const pending = new Map<number, { resolve(answer: unknown): void; reject(e: Error): void }>();
  const held = new Set<string>();
  const failAll = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
    held.clear();
    // The next request starts a new worker.
    worker = undefined;
  };
  const ask = async <T>(file: string, size: FileSize, ask: SearchAsk): Promise<T> => {
    if (!worker) {
      worker = new Worker(new URL('./search-worker.ts', import.meta.url));
      worker.addEventListener('message', ({ data }: MessageEvent<SearchReply>) => {
        const p = pending.get(data.id);
        pending.delete(data.id);
        if ('error' in data) p?.reject(new Error(data.error));
        else p?.resolve(data.answer);
      });
      worker.addEventListener('error', (event) =>
        failAll(`the search could not start (${event.message || 'worker error'})`),
      );
    }
    const id = ++next;
    const request: SearchRequest = { id, dataUrl: dataUrl.href, file, size, ask };
    const reply = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.postMessage(request);
    const answer = (await reply) as T;
    // Any answer means the worker has read the file.
    held.add(file);
    return answer;
  };
  // Labels answered, by file and name (null: no such feature): a selection asks for its labels at every click, and a
  // known one is answered without a message, which the page would get only a task (often a frame) later.
  const known = new Map<string, Map<string, FeatureLabel | null>>();
  const labels = async (file: string, size: FileSize, names: string[]): Promise<FeatureLabel[]> => {
    let byName = known.get(file);
    if (!byName) known.set(file, (byName = new Map()));
    const missing = [...new Set(names.filter((n) => !byName.has(n)))];
    if (missing.length > 0) {
      const found = await ask<FeatureLabel[]>(file, size, { labels: missing });
      for (const name of missing) byName.set(name, null);
      for (const f of found) byName.set(f.name, f);
    }
    return labelsOf(names, (name) => byName.get(name));
  };
  return {
    prepare: (file, size) => void ask(file, size, { read: true }).catch(() => {}),
    holds: (file) => held.has(file),
    search: (file, size, search) => ask(file, size, { search }),
    labels,
  };
}
