import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  redirects: { '/yale-university': '/' },
  vite: {
    // duckdb-wasm ships its own workers and wasm; Vite must not pre-bundle them.
    optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  },
});
