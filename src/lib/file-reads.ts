import { parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import type { Columns, DirectRead, FileRead, Row } from './answers.ts';
import { keeper } from './kept.ts';

/** Reads data files with HTTP range requests. */
export type FileReader = (read: FileRead) => Promise<Row[]>;

/** What a reader knows of a file before reading it, from the manifest: its length, and its footer's when given. */
export interface FileSize {
  bytes: number;
  footer?: number;
}

// Every file the build writes is ZSTD (scripts/build/parquet.ts), decoded by zstd's own decoder in WebAssembly: a
// bacterium's shard in 17 ms where fzstd (JavaScript) took 110 to 150, and 8 where it took 30 before the JIT warms
// (BENCHMARKS.md). Its module (24 KB brotli) is loaded and compiled from the moment this one loads, beside the first
// footer's request, not inside the page's script.
const zstd = import('zstddec').then(async ({ ZSTDDecoder }) => {
  const decoder = new ZSTDDecoder();
  await decoder.init();
  return { ZSTD: (input: Uint8Array, length: number) => decoder.decode(input, length) };
});
zstd.catch(() => {}); // each read awaits it and reports its failure

const utf8 = new TextDecoder();

/** Longer strings are decoded as UTF-8: a call's arguments are bounded, and TextDecoder's cost is per call. */
const SHORT_STRING = 1024;

/**
 * Strings of a column, most of them short ASCII ids: built from their bytes directly, which in Chromium takes a third
 * of a TextDecoder call per value (measured: 100k ids, 40 against 110 ms); anything else is decoded as UTF-8.
 */
export function stringFromBytes(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return bytes;
  if (bytes.length > SHORT_STRING) return utf8.decode(bytes);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 127) return utf8.decode(bytes);
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/**
 * The first request for the footer of a file whose footer size is not known asks for this many bytes from its end;
 * a larger footer costs a second request.
 */
const FOOTER_BYTES = 48 * 1024;

/** Why a file could not be read, naming it, as duckdb-wasm's errors are worded in db.ts. */
export class FileReadError extends Error {
  constructor(file: string, why: string, options?: { cause?: unknown }) {
    super(`data file ${file} ${why}`, options);
    this.name = 'FileReadError';
  }
}

/** How many reads a reader keeps the rows of: the labels and rows of a selection are asked for more than once. */
const KEPT_READS = 100;

/**
 * A reader of the files under `dataUrl`, `size` giving what the manifest says of each. Footers and the rows of the
 * last KEPT_READS reads are kept (files are content-addressed: never stale); a read, or a range of a file, asked for
 * again while under way is not sent twice (two features of a heatmap may lie in one row group).
 */
export function fileReader(dataUrl: URL, size: (file: string) => FileSize | undefined): FileReader {
  const footers = new Map<string, Promise<FileMetaData>>();
  const ranges = new Map<string, Promise<ArrayBuffer>>();
  const keep = keeper<Row[]>(KEPT_READS);
  const read = async ({ file, columns, filter }: FileRead): Promise<Row[]> => {
    const known = size(file);
    if (known === undefined) throw new FileReadError(file, 'is not in the manifest');
    const byteLength = known.bytes;
    const short = (got: number, due: number) =>
      new FileReadError(file, `could not be read: ${got} bytes where ${due} were due`);
    const range = async (start: number, end: number): Promise<ArrayBuffer> => {
      // Each range has a URL of its own, which the host ignores: Chromium's HTTP cache lets one request at a time
      // write a URL's entry, so ranges of one file fetched at once on a slow connection were not kept, and a repeat
      // visit fetched them again (BENCHMARKS.md, "Ranges of one file fetched at once are not cached").
      const url = new URL(file, dataUrl);
      url.search = `range=${start}-${end - 1}`;
      const get = async (from: number, cache: RequestCache) => {
        const response = await fetch(url, { headers: { Range: `bytes=${from}-${end - 1}` }, cache }).catch((cause) => {
          throw new FileReadError(file, 'could not be fetched', { cause });
        });
        return { status: response.status, ok: response.ok, bytes: new Uint8Array(await response.arrayBuffer()) };
      };
      const first = await get(start, 'default');
      if (!first.ok) throw new FileReadError(file, `is missing (HTTP ${first.status})`);
      // A host that ignores ranges sends the whole file, which must be the manifest's.
      if (first.status !== 206) {
        if (first.bytes.byteLength !== byteLength) throw short(first.bytes.byteLength, byteLength);
        return first.bytes.slice(start, end).buffer;
      }
      // A 206 may hold less than was asked: a host may send a range in pieces, and Chromium's in-memory HTTP cache
      // ends a range it holds in part at a 4 KiB boundary of its entry (crbug.com/390229583). The rest is asked for
      // past the cache.
      const due = end - start;
      if (first.bytes.byteLength === due) return first.bytes.buffer;
      const whole = new Uint8Array(due);
      let got = 0;
      for (let piece = first; ; piece = await get(start + got, 'no-store')) {
        const n = piece.bytes.byteLength;
        // Only the cache's answer may be empty: a host that sends nothing more has no more.
        if (piece.status !== 206 || (n === 0 && piece !== first)) throw short(got, due);
        if (got + n > due) throw short(got + n, due);
        whole.set(piece.bytes, got);
        got += n;
        if (got === due) return whole.buffer;
      }
    };
    const buffer = {
      byteLength,
      slice(start: number, end = byteLength) {
        const key = `${file} ${start}-${end}`;
        let bytes = ranges.get(key);
        if (!bytes) {
          bytes = range(start, end);
          ranges.set(key, bytes);
          void bytes.then(
            () => ranges.delete(key),
            () => ranges.delete(key),
          );
        }
        return bytes;
      },
    };
    let metadata = footers.get(file);
    if (!metadata) {
      metadata = parquetMetadataAsync(buffer, { initialFetchSize: known.footer ?? Math.min(FOOTER_BYTES, byteLength) });
      metadata.catch(() => footers.delete(file));
      footers.set(file, metadata);
    }
    try {
      const compressors = await zstd;
      const rows = await parquetReadObjects({
        file: buffer,
        metadata: await metadata,
        columns,
        filter,
        compressors,
        parsers: { stringFromBytes },
      });
      // BIGINT columns arrive as bigint, as from duckdb-wasm: plain numbers for the views.
      for (const row of rows) for (const key in row) if (typeof row[key] === 'bigint') row[key] = Number(row[key]);
      return rows;
    } catch (error) {
      if (error instanceof FileReadError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new FileReadError(file, `could not be read: ${why}`, { cause: error });
    }
  };
  return (r) => keep(JSON.stringify([r.file, r.columns, r.filter]), () => read(r));
}

/** A direct read's answer: the rows of its reads with `read`, in order, shaped by its `answer`. */
export async function readAnswer(
  read: FileReader,
  { reads, answer }: DirectRead,
): Promise<unknown[] | Columns<unknown>> {
  const rows = (await Promise.all(reads.map(read))).flat();
  return answer ? answer(rows) : rows;
}
