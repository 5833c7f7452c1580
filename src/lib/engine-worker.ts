import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

// duckdb-wasm fetches and compiles its module only when the page asks it to instantiate, after the page's own scripts
// have loaded, and compiles a copy of the response piped through a progress stream, which Chromium's code cache cannot
// key, so every visit compiled the 18 MB module again. Here the module is fetched and compiled from its own response as
// soon as this worker starts; duckdb-wasm's later request for it gets an empty answer (no second request), and its
// instantiation takes the compiled module.
const wasm = new URL(wasmUrl, self.location.href).href;
const compiled = WebAssembly.compileStreaming(fetch(wasm));
// Thrown out of the worker, so that the page sees an error event (engine.ts): duckdb-wasm's instantiation would wait
// for the module for ever.
compiled.catch((error: unknown) =>
  setTimeout(() => {
    throw error;
  }),
);
const fetchFromNetwork = self.fetch.bind(self);
self.fetch = (input, init) =>
  new Request(input, init).url === wasm ? Promise.resolve(new Response(null)) : fetchFromNetwork(input, init);
WebAssembly.instantiateStreaming = async (_response, imports) => {
  const module = await compiled;
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};
(self as unknown as { importScripts(url: string): void }).importScripts(workerUrl);
