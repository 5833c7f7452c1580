import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import pLimit from 'p-limit';

/**
 * Files worth compressing ahead of time. Not Parquet: it is ZSTD-compressed already, and duckdb-wasm reads it with
 * HTTP range requests, which must address the bytes of the file itself.
 */
export const COMPRESSIBLE = /\.(?:html|css|js|mjs|json|wasm|svg|md|txt)$/;
/** Smaller files fit in a packet or two anyway. */
export const MIN_BYTES = 1024;
// Brotli's best quality takes 30 s on duckdb-wasm's 18 MB wasm, for 13 % less than quality 9 (1.4 s).
const BEST_QUALITY_UP_TO = 4 * 1024 * 1024;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** One compressed sibling written beside its file. */
export interface Precompressed {
  path: string;
  bytes: number;
  br: number;
  gz: number;
}

async function compress(path: string, source: Buffer): Promise<Precompressed | undefined> {
  const quality = source.length <= BEST_QUALITY_UP_TO ? constants.BROTLI_MAX_QUALITY : 9;
  const [br, gz] = await Promise.all([
    brotli(source, {
      params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: source.length },
    }),
    gzipped(source, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  if (br.length >= source.length && gz.length >= source.length) return undefined;
  if (br.length < source.length) await writeFile(`${path}.br`, br);
  if (gz.length < source.length) await writeFile(`${path}.gz`, gz);
  return { path, bytes: source.length, br: br.length, gz: gz.length };
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file of `dir` of at least MIN_BYTES, for hosts that
 * serve precompressed files (nginx `brotli_static`/`gzip_static`, Caddy `precompressed`, `npm run preview`); each
 * only when it is smaller. The output is deterministic: gzip's header carries no time.
 */
export async function precompress(dir: string, { concurrency = 2 } = {}): Promise<Precompressed[]> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  const limit = pLimit(concurrency);
  const done = await Promise.all(
    files.map((path) =>
      limit(async () => {
        const source = await readFile(path);
        return source.length >= MIN_BYTES ? compress(path, source) : undefined;
      }),
    ),
  );
  return done.filter((d): d is Precompressed => d !== undefined);
}
