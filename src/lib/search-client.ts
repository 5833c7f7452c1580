import type { FeatureMatch, FeatureSearch } from './feature-search.ts';
import type { FileSize } from './file-reads.ts';

/** A search of a features file, or (`search` null) the reading of it ahead of the first keystroke. */
export interface SearchRequest {
  id: number;
  dataUrl: string;
  file: string;
  size: FileSize;
  search: FeatureSearch | null;
}

export type SearchReply = { id: number; matches: FeatureMatch[] } | { id: number; error: string };

/** The metabolite search of the page, answered by its own worker (search-worker.ts). */
export interface FeatureSearcher {
  /** Has the worker read the file now, so that the first keystroke finds it read. */
  prepare(file: string, size: FileSize): void;
  search(file: string, size: FileSize, search: FeatureSearch): Promise<FeatureMatch[]>;
}

/** A searcher of the features files under `dataUrl`; its worker starts on first use. */
export function featureSearcher(dataUrl: URL): FeatureSearcher {
  let worker: Worker | undefined;
  let next = 0;
  const pending = new Map<number, { resolve(m: FeatureMatch[]): void; reject(e: Error): void }>();
  const failAll = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
    // The next request starts a new worker.
    worker = undefined;
  };
  const ask = (file: string, size: FileSize, search: FeatureSearch | null) => {
    if (!worker) {
      worker = new Worker(new URL('./search-worker.ts', import.meta.url));
      worker.addEventListener('message', ({ data }: MessageEvent<SearchReply>) => {
        const p = pending.get(data.id);
        pending.delete(data.id);
        if ('error' in data) p?.reject(new Error(data.error));
        else p?.resolve(data.matches);
      });
      worker.addEventListener('error', (event) =>
        failAll(`the search could not start (${event.message || 'worker error'})`),
      );
    }
    const id = ++next;
    const request: SearchRequest = { id, dataUrl: dataUrl.href, file, size, search };
    const answer = new Promise<FeatureMatch[]>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.postMessage(request);
    return answer;
  };
  return {
    prepare: (file, size) => void ask(file, size, null).catch(() => {}),
    search: (file, size, search) => ask(file, size, search),
  };
}
