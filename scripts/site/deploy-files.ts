import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { HEADERS_FILE, renderHeadersFile, siteHeaderRules } from './host-headers.ts';
import { addModulePreloads } from './module-preload.ts';
import { precompress } from './precompress.ts';

/** The per-file limit of some static hosts (Cloudflare Pages). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** Cloudflare Pages reads at most this many rules from `_headers`. */
const MAX_HEADER_RULES = 100;

/** Files of `dir` larger than `limit` bytes, relative to it. */
export async function filesOver(dir: string, limit: number): Promise<{ path: string; bytes: number }[]> {
  const found: { path: string; bytes: number }[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    const { size } = await stat(path);
    if (size > limit) found.push({ path: relative(dir, path), bytes: size });
  }
  return found;
}

/**
 * An Astro integration that completes `dist/` for a static host once the pages are built: module preloads in the
 * pages, `_headers` (cache and MIME rules), `.br` and `.gz` siblings of the large text and wasm files, and a warning
 * for any file over the 25 MiB that some hosts refuse.
 */
export function deployFiles(): AstroIntegration {
  let base = '/';
  return {
    name: 'metanexus-deploy-files',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const dist = fileURLToPath(dir);
        // Before compressing: the pages change.
        const preloaded = await addModulePreloads(dist, base);
        const rules = await siteHeaderRules(dist, base);
        if (rules.length > MAX_HEADER_RULES)
          logger.warn(`${HEADERS_FILE}: ${rules.length} rules, Cloudflare Pages reads ${MAX_HEADER_RULES}`);
        await writeFile(join(dist, HEADERS_FILE), renderHeadersFile(rules));
        const compressed = await precompress(dist);
        const saved = compressed.reduce((sum, c) => sum + c.bytes - c.br, 0);
        logger.info(
          `module preloads in ${preloaded} pages; ${HEADERS_FILE}: ${rules.length} rules; ` +
            `${compressed.length} files precompressed ` +
            `(brotli saves ${(saved / 1e6).toFixed(1)} MB)`,
        );
        for (const f of await filesOver(dist, MAX_FILE_BYTES)) {
          logger.warn(
            `${f.path}: ${(f.bytes / 2 ** 20).toFixed(1)} MiB, ` +
              'over the 25 MiB per file that some hosts (Cloudflare Pages) accept',
          );
        }
      },
    },
  };
}
