import { defineConfig } from 'astro/config';

// Overridable so the end-to-end tests can build a site from their own data without touching public/ or dist/.
const publicDir = process.env.METANEXUS_PUBLIC_DIR ?? './public';
const outDir = process.env.METANEXUS_DIST_DIR ?? './dist';

export default defineConfig({
  output: 'static',
  publicDir,
  outDir,
  redirects: { '/yale-university': '/' },
  vite: {
    // duckdb-wasm ships its own workers and wasm; Vite must not pre-bundle them.
    optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  },
});
