import { defineConfig } from 'astro/config';
import { deployFiles } from './scripts/site/deploy-files.ts';

// Overridable so the end-to-end tests can build a site from their own data without touching public/ or dist/.
const publicDir = process.env.METANEXUS_PUBLIC_DIR ?? './public';
const outDir = process.env.METANEXUS_DIST_DIR ?? './dist';
// The path the host serves the site under, e.g. `/<repository>` on GitHub Pages (the nightly workflow sets it). The
// pages append to it, so it ends with a slash.
const base = (process.env.METANEXUS_BASE_PATH ?? '').replace(/\/*$/, '/');

export default defineConfig({
  output: 'static',
  publicDir,
  outDir,
  base,
  // Astro does not put the base in front of a redirect's target.
  redirects: { '/yale-university': base },
  integrations: [deployFiles()],
  vite: {
    // duckdb-wasm ships its own workers and wasm; Vite must not pre-bundle them.
    optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
    // The engine's worker (src/lib/engine-worker.ts) loads duckdb-wasm's worker script and module: named as the
    // page's assets are, they stay one copy each, not a second one under the worker bundle's own names.
    // Workers are classic scripts, one file each: a dynamic import inside one (the zstd decoder's, file-reads.ts)
    // is bundled into it.
    worker: {
      rollupOptions: { output: { assetFileNames: '_astro/[name].[hash][extname]', inlineDynamicImports: true } },
    },
  },
});
