import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset, DownloadFile, Downloads, FileEntry, Manifest } from '../../src/lib/manifest.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { PARQUET_OPTIONS, sha256File } from './parquet.ts';
import { keyParts } from './key-parts.ts';

/**
 * Rows per download part, about: the long table is cut at feature boundaries so that no file passes the 25 MiB some
 * static hosts allow. At full demo scale 1,000,000 rows make a CSV part of about 14 MiB gzipped and a Parquet part
 * of about 8.5 MiB (measured), which leaves room for the longer names and labels of the lab's data.
 */
export const DOWNLOAD_PART_ROWS = 1_000_000;

/** The columns of the downloads, in their order, with their DuckDB types. */
export const DOWNLOAD_COLUMNS = [
  ['feature', 'VARCHAR'],
  ['label', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['mz', 'DOUBLE'],
  ['rt', 'DOUBLE'],
  ['bacterium', 'VARCHAR'],
  ['value', 'DOUBLE'],
] as const;

export const DOWNLOAD_EXTENSIONS = { csv: 'csv.gz', parquet: 'parquet' } as const;
export type DownloadFormat = keyof typeof DOWNLOAD_EXTENSIONS;
export const DOWNLOAD_FORMATS = Object.keys(DOWNLOAD_EXTENSIONS) as DownloadFormat[];

/**
 * The FROM-item that reads download files of one format, with a `filename` column when asked. The CSV is read with its
 * declared types and no guessing: an empty field is NULL (only m/z and RT can be: names, labels, types and ids are
 * never empty).
 */
export function downloadSource(paths: string[], format: DownloadFormat, { filename = false } = {}): string {
  const list = `[${paths.map(quoteLiteral).join(', ')}]${filename ? ', filename = true' : ''}`;
  if (format === 'parquet') return `read_parquet(${list})`;
  const columns = `{${DOWNLOAD_COLUMNS.map(([n, t]) => `${quoteLiteral(n)}: ${quoteLiteral(t)}`).join(', ')}}`;
  return `read_csv(${list}, columns = ${columns}, header = true, auto_detect = false, delim = ',', quote = '"',
    escape = '"', compression = 'gzip')`;
}

/**
 * The FROM-item that reads a file the manifest lists, other than a CSV download: Parquet, or a JSON sidecar (one
 * record).
 */
export function publishedFileSource(path: string): string {
  return path.endsWith('.json') ? `read_json(${quoteLiteral(path)})` : downloadSource([path], 'parquet');
}

/** A part's name before the data version is known; it is renamed by `publishDownloads`. */
const stagedName = (id: string, part: number, format: DownloadFormat) =>
  `${id}/downloads/part-${String(part + 1).padStart(3, '0')}.${DOWNLOAD_EXTENSIONS[format]}`;

/**
 * Runs `COPY (select) TO <root>/<path>` in `format` and returns the file's entry. DuckDB writes the CSV plain and
 * Node's zlib compresses it: DuckDB's own gzip took three times as long as the CSV itself, the larger part of the
 * downloads' time at 4 × the demo.
 */
async function copyTo(
  duck: DuckDBConnection,
  select: string,
  { root, path, format }: { root: string; path: string; format: DownloadFormat },
): Promise<DownloadFile> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  if (format === 'parquet') {
    const result = await duck.run(`COPY (${select}) TO ${quoteLiteral(file)} (${PARQUET_OPTIONS})`);
    return entry(file, { format, path, rows: result.rowsChanged });
  }
  const plain = `${file}.tmp.csv`;
  const result = await duck.run(`COPY (${select}) TO ${quoteLiteral(plain)} (FORMAT csv, HEADER true)`);
  await pipeline(createReadStream(plain), createGzip(), createWriteStream(file));
  await rm(plain);
  return entry(file, { format, path, rows: result.rowsChanged });
}

/** A written download file's entry: its size and content hash with what the caller knows. */
async function entry(file: string, known: Pick<DownloadFile, 'format' | 'path' | 'rows'>): Promise<DownloadFile> {
  const [sha256, { size }] = await Promise.all([sha256File(file), stat(file)]);
  return { ...known, bytes: size, sha256 };
}

/**
 * Writes a dataset's full long table (every measured cell with its feature's label, type, m/z and RT) as CSV (gzip)
 * and Parquet parts cut at the same feature boundaries, from the tables precompute built (`vals`, `features`).
 * An empty dataset still gets one (empty) part of each format.
 */
export async function writeDownloads(
  duck: DuckDBConnection,
  { root, id, partRows = DOWNLOAD_PART_ROWS }: { root: string; id: string; partRows?: number },
): Promise<DownloadFile[]> {
  const parts = Math.max(
    1,
    (await keyParts(duck, { table: 'download_parts', source: 'vals', key: 'feature', partRows })).length,
  );
  const files: DownloadFile[] = [];
  for (let part = 0; part < parts; part++) {
    const select = `SELECT ${DOWNLOAD_COLUMNS.map(([n]) => n).join(', ')}
      FROM vals JOIN download_parts USING (feature)
      JOIN (SELECT name AS feature, label, type, mz, rt FROM features) USING (feature)
     WHERE part = ${part} ORDER BY feature, bacterium`;
    for (const format of DOWNLOAD_FORMATS)
      files.push(await copyTo(duck, select, { root, path: stagedName(id, part, format), format }));
  }
  return files;
}

/** What a download's sidecar names besides its files. */
export interface DownloadContext {
  dataVersion: string;
  builtAt: string;
  source: Manifest['source'];
  dataset: Pick<Dataset, 'id' | 'title'>;
  /** The source table, `schema.table`. */
  table: string;
}

/**
 * Gives the staged parts their published names, which carry the data version (known only once every file is
 * written, so it cannot be in their content), and writes the JSON sidecar that names the source, the build date and
 * the data version beside them. Deterministic: the same files and context give the same names and bytes.
 */
export async function publishDownloads(
  staging: string,
  parts: DownloadFile[],
  { dataVersion, builtAt, source, dataset, table }: DownloadContext,
): Promise<Downloads> {
  const stem = `${dataset.id}/downloads/metanexus-${dataset.id}-${dataVersion}`;
  const named: DownloadFile[] = [];
  for (const part of parts) {
    const path = part.path.replace(/^.*\/part-/, `${stem}-part-`);
    await rename(join(staging, part.path), join(staging, path));
    named.push({ ...part, path });
  }
  const sidecar = {
    project: 'MetaNexus',
    dataset: { id: dataset.id, title: dataset.title },
    source:
      source === 'demo' ? `synthetic demo data (table ${table})` : `the lab's PostgreSQL database, table ${table}`,
    builtAt,
    dataVersion,
    content:
      'Every measured cell of the table in long format, one row per feature and bacterium, sorted by feature ' +
      'then bacterium; cells that are NULL (not measured) or NaN/infinite in the source are not included. The ' +
      'parts are cut at feature boundaries; the CSV and Parquet parts hold the same rows.',
    columns: {
      feature: 'feature id (source column name)',
      label: 'metabolite name, or the feature id when there is none',
      type: 'by_name, by_positive or by_negative (annotated, positive or negative ionisation mode)',
      mz: 'mass-to-charge ratio; empty when not recorded',
      rt: 'retention time; empty when not recorded',
      bacterium: 'bacterium id (source column name)',
      value: 'log2 fold change',
    },
    files: named.map((p) => ({
      name: p.path.split('/').pop(),
      format: p.format,
      rows: p.rows,
      bytes: p.bytes,
      sha256: p.sha256,
    })),
  };
  const about = `${stem}.json`;
  const text = `${JSON.stringify(sidecar, null, 2)}\n`;
  await writeFile(join(staging, about), text);
  const entry: FileEntry = {
    path: about,
    rows: 1,
    bytes: Buffer.byteLength(text),
    sha256: await sha256File(join(staging, about)),
  };
  return { about: entry, parts: named };
}
