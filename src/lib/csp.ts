/**
 * The Content-Security-Policy of every page: only the site's own origin. duckdb-wasm needs 'wasm-unsafe-eval' to
 * compile its module; Plot writes inline styles into its SVG, hence 'unsafe-inline' for styles only. The Parquet
 * reader's zstd decoder (zstddec) fetches its WebAssembly from a `data:` URL inside its own script: a data URL holds
 * its bytes and reaches no host.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
