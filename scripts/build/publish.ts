import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { manifestFiles, parseManifest, type Manifest } from '../../src/lib/manifest.ts';
import { DOWNLOAD_EXTENSIONS, publishedFileSource } from './downloads.ts';
import { queryRows } from './duck.ts';
import type { Log } from './log.ts';
import { parquetFooterBytes, sha256File } from './parquet.ts';

export const MANIFEST_FILE = 'manifest.json';
export const REPORT_FILE = 'build-report.json';
export const REPORT_SUMMARY_FILE = 'build-report.md';

/** Sibling folders of the published one: hidden, on the same file system, so a rename is atomic. */
export function publishPaths(out: string, pid = process.pid) {
  const parent = dirname(out);
  const name = basename(out);
  return { staging: join(parent, `.${name}.staging-${pid}`), previous: join(parent, `.${name}.previous`) };
}

/**
 * Repairs what an interrupted publish (a killed process) left: restores the previous data when the new one never
 * arrived, and removes stale staging folders.
 */
export async function recoverPublish(out: string): Promise<string[]> {
  const { previous } = publishPaths(out);
  const notes: string[] = [];
  if (existsSync(previous)) {
    if (existsSync(out)) await rm(previous, { recursive: true, force: true });
    else {
      await rename(previous, out);
      notes.push(`restored ${out} from an interrupted publish`);
    }
  }
  const parent = dirname(out);
  if (existsSync(parent)) {
    const stale = (await readdir(parent)).filter((f) => f.startsWith(`.${basename(out)}.staging-`));
    for (const folder of stale) {
      await rm(join(parent, folder), { recursive: true, force: true });
      notes.push(`removed stale staging folder ${folder}`);
    }
  }
  return notes;
}

/**
 * Checks every file the manifest lists: present, hash and Parquet footer as recorded, readable (as Parquet, or as
 * the JSON of the downloads), row count as recorded. The CSV downloads are left to verification, which parses each
 * once for its cells and counts its rows in the same pass: counting them here parsed every CSV once more.
 */
export async function validateStaging(duck: DuckDBConnection, staging: string, manifest: Manifest): Promise<void> {
  for (const file of manifestFiles(manifest)) {
    const path = join(staging, file.path);
    if (!existsSync(path)) throw new Error(`validate: missing file ${file.path}`);
    const sha256 = await sha256File(path);
    if (sha256 !== file.sha256) throw new Error(`validate: ${file.path}: content hash differs from the manifest`);
    if (file.footer !== undefined && (await parquetFooterBytes(path)) !== file.footer) {
      throw new Error(`validate: ${file.path}: its footer is not the ${file.footer} bytes the manifest says`);
    }
    if (path.endsWith(`.${DOWNLOAD_EXTENSIONS.csv}`)) continue;
    const [row] = await queryRows<{ n: bigint }>(duck, `SELECT count(*) AS n FROM ${publishedFileSource(path)}`);
    if (Number(row!.n) !== file.rows) {
      throw new Error(`validate: ${file.path}: ${row!.n} rows, the manifest says ${file.rows}`);
    }
  }
}

/**
 * The manifest of the data published in `out`, when it is readable and every file it lists is there at its recorded
 * size; otherwise undefined, with the reason logged (a missing folder is no news).
 */
export async function readPublished(out: string, log: Log): Promise<Manifest | undefined> {
  let manifest: Manifest;
  try {
    manifest = parseManifest(JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log.info(`published data ignored: ${(error as Error).message}`);
    return undefined;
  }
  for (const file of manifestFiles(manifest)) {
    const size = await stat(join(out, file.path)).then(
      (s) => s.size,
      () => undefined,
    );
    if (size !== file.bytes) {
      log.info(
        `published data ignored: ${file.path} is ` +
          (size === undefined ? 'missing' : `${size} bytes, not ${file.bytes}`),
      );
      return undefined;
    }
  }
  return manifest;
}

/**
 * Writes the report, its Markdown summary and the manifest last, so no manifest ever points at files that are not
 * there.
 */
export async function writeManifest(
  staging: string,
  manifest: Manifest,
  report: { json: unknown; markdown: string },
): Promise<void> {
  await writeFile(join(staging, REPORT_FILE), `${JSON.stringify(report.json, null, 2)}\n`);
  await writeFile(join(staging, REPORT_SUMMARY_FILE), report.markdown);
  await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Swaps the validated staging folder in for `out`; the old data stays in place until the new one is. */
export async function swapIn(staging: string, out: string): Promise<void> {
  const { previous } = publishPaths(out);
  await mkdir(dirname(out), { recursive: true });
  await rm(previous, { recursive: true, force: true });
  if (existsSync(out)) await rename(out, previous);
  await rename(staging, out);
  await rm(previous, { recursive: true, force: true });
}
