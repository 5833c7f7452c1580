/**
 * duckdb-wasm's worker, started before the engine's scripts are needed: the explorer starts it first thing, so that
 * the module downloads and compiles while the page's own scripts load (src/lib/engine-worker.ts).
 */
export interface EngineWorker {
  worker: Worker;
  /**
   * Rejects when the worker fails, as when its module cannot be fetched or compiled. duckdb-wasm 1.28 only logs a
   * worker's error and leaves its requests pending for ever, so the database's start races this.
   */
  failed: Promise<never>;
}

let started: EngineWorker | undefined;

function spawn(): EngineWorker {
  const worker = new Worker(new URL('./engine-worker.ts', import.meta.url));
  // Listened to from the start: the failure may come before the database takes the worker.
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener(
      'error',
      (event) => reject(new Error(`the data engine could not start (${event.message || 'worker error'})`)),
      { once: true },
    ),
  );
  failed.catch(() => {});
  return { worker, failed };
}

/** Starts the worker, once. */
export function startEngine(): void {
  started ??= spawn();
}

/** The started worker for the database to own (a new one when none is waiting, as after a failed start). */
export function takeEngineWorker(): EngineWorker {
  const engine = started ?? spawn();
  started = undefined;
  return engine;
}
