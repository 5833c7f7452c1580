/**
 * duckdb-wasm's worker, started before the engine's scripts are needed: the explorer starts it first thing, so that
 * the module downloads and compiles while the page's own scripts load (src/lib/engine-worker.ts).
 */
let started: Worker | undefined;

const spawn = () => new Worker(new URL('./engine-worker.ts', import.meta.url));

/** Starts the worker, once. */
export function startEngine(): void {
  started ??= spawn();
}

/** The started worker for the database to own (a new one when none is waiting, as after a failed start). */
export function takeEngineWorker(): Worker {
  const worker = started ?? spawn();
  started = undefined;
  return worker;
}
