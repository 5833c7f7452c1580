import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FileEntry } from '../../src/lib/manifest.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The bytes of a Parquet file's footer (its metadata, the metadata's length and the magic), from its last 8 bytes:
 * what a reader fetches before any rows (src/lib/file-reads.ts).
 */
export async function parquetFooterBytes(path: string): Promise<number> {
  const handle = await open(path);
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(8);
    if (size >= 12) await handle.read(tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${path} does not end as a Parquet file`);
    return tail.readUInt32LE(0) + 8;
  } finally {
    await handle.close();
  }
}

/** Format version 1 and ZSTD, because duckdb-wasm 1.28 (DuckDB 0.9) in the browser must read every file. */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v1';

/**
 * Writes the rows of `select` to `<root>/<base>.<hash>.parquet` and returns its manifest entry; the content hash
 * in the name lets hosts cache the file forever.
 */
export async function writeParquet(
  duck: DuckDBConnection,
  select: string,
  { root, base, rowGroupSize = 122_880 }: { root: string; base: string; rowGroupSize?: number },
): Promise<FileEntry> {
  const tmp = join(root, `${base}.tmp.parquet`);
  await mkdir(dirname(tmp), { recursive: true });
  const result = await duck.run(
    `COPY (${select}) TO ${quoteLiteral(tmp)}
       (${PARQUET_OPTIONS}, ROW_GROUP_SIZE ${rowGroupSize})`,
  );
  const sha256 = await sha256File(tmp);
  const path = `${base}.${sha256.slice(0, 16)}.parquet`;
  await rename(tmp, join(root, path));
  const [{ size }, footer] = await Promise.all([stat(join(root, path)), parquetFooterBytes(join(root, path))]);
  return { path, rows: result.rowsChanged, bytes: size, sha256, footer };
}
