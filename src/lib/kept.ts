/**
 * Keeps the answers to the last `limit` keys, least recently used dropped first; a key asked for again while its
 * answer is under way shares it, and a failed answer is forgotten so that it may be asked again. For answers read from
 * content-addressed data files, which never go stale.
 */
export function keeper<T>(limit: number): (key: string, answer: () => Promise<T>) => Promise<T> {
  // Insertion order is recency order: a hit is moved to the end, and the first entry is the least recently used.
  const kept = new Map<string, Promise<T>>();
  return (key, answer) => {
    let promise = kept.get(key);
    if (promise) kept.delete(key);
    else {
      promise = answer();
      promise.catch(() => kept.delete(key));
    }
    kept.set(key, promise);
    if (kept.size > limit) kept.delete(kept.keys().next().value!);
    return promise;
  };
}
