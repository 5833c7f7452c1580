import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duck.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The data pipeline's own folder: every `.ts` file in it decides what the build writes. */
const BUILD_DIR = 'scripts/build';
// Relative module specifiers of static and dynamic imports and re-exports.
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.ts)['"]/g;

/**
 * The build's code: every `.ts` file under scripts/build/ and every file of the project they import, followed
 * transitively (the src/lib modules the pipeline shares with the site), as paths relative to `root`, sorted. The site's
 * own code (preview server, pages, CSP) is not among them, so editing it does not rebuild the data.
 */
export async function buildCodeFiles(root = ROOT): Promise<string[]> {
  const entries = await readdir(join(root, BUILD_DIR), { recursive: true, withFileTypes: true });
  const queue = entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const [, specifier] of (await readFile(join(root, file), 'utf8')).matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), specifier!));
      if (!seen.has(target) && !target.startsWith('..') && existsSync(join(root, target))) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].map((f) => f.split('\\').join('/')).sort();
}

/** A hash of the build's code (see buildCodeFiles) and of the DuckDB that writes the Parquet. */
export async function codeVersion(duck: DuckDBConnection, root = ROOT): Promise<string> {
  const hash = createHash('sha256');
  const [engine] = await queryRows<{ v: string }>(duck, 'SELECT version() AS v');
  hash.update(`duckdb ${engine!.v}\n`);
  for (const file of await buildCodeFiles(root)) hash.update(`${file}\n`).update(await readFile(join(root, file)));
  return hash.digest('hex');
}
