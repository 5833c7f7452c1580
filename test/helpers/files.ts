import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { sha256File } from '../../scripts/build/parquet.ts';

/** Every file under `root` with its SHA-256, keyed by relative path: equal trees are byte-for-byte equal. */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Object.fromEntries(await Promise.all(files.map(async (f) => [relative(root, f), await sha256File(f)])));
}
