/**
 * `<link rel="modulepreload">` for what each page's module scripts import statically. Astro writes a page's script
 * as one `<script type="module">`, whose shared chunks the browser finds only once it has that script: one more round
 * trip before the explorer starts (at 10 Mbit/s, 40 ms, first charts came 33 to 135 ms sooner for five of six
 * permalinks; on the loopback no difference, BENCHMARKS.md). Dynamic imports (a view's chart, the engine) stay lazy:
 * Vite preloads their own chunks when they are asked for.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { basePrefix } from './host-headers.ts';

const MODULE_SCRIPT = /<script type="module" src="([^"]+)"/g;

/**
 * The chunks `entry` imports statically, and theirs, in the order found (`entry` itself left out): paths from the
 * site's root as the pages write them (`/_astro/x.js`, under `base`), read from `dist`.
 */
export async function staticImports(dist: string, base: string, entry: string): Promise<string[]> {
  await init;
  const prefix = basePrefix(base);
  const found = new Set<string>();
  const visit = async (url: string): Promise<void> => {
    if (!url.startsWith(`${prefix}/`)) throw new Error(`module ${url} is not under the site's base ${base}`);
    const code = await readFile(join(dist, url.slice(prefix.length)), 'utf8');
    const [imports] = parse(code);
    for (const i of imports) {
      // d === -1: a static import; n: its specifier, undefined where it is not a plain string.
      if (i.d !== -1 || i.n === undefined || !i.n.startsWith('.')) continue;
      const target = posix.join(posix.dirname(url), i.n);
      if (found.has(target) || target === entry) continue;
      found.add(target);
      await visit(target);
    }
  };
  await visit(entry);
  return [...found];
}

/** Adds the module preloads to every page of `dist` that has module scripts; how many pages it changed. */
export async function addModulePreloads(dist: string, base: string): Promise<number> {
  // Most pages share their scripts (the explorer's is on 226): each is read and followed once.
  const importsOf = new Map<string, Promise<string[]>>();
  const imports = (entry: string) => {
    let found = importsOf.get(entry);
    if (!found) importsOf.set(entry, (found = staticImports(dist, base, entry)));
    return found;
  };
  let changed = 0;
  for (const e of await readdir(dist, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.html')) continue;
    const path = join(e.parentPath, e.name);
    const html = await readFile(path, 'utf8');
    const entries = [...html.matchAll(MODULE_SCRIPT)].map((m) => m[1]!);
    const chunks = new Set<string>();
    for (const entry of entries) for (const c of await imports(entry)) chunks.add(c);
    if (chunks.size === 0) continue;
    const links = [...chunks].map((c) => `<link rel="modulepreload" href="${c}">`).join('');
    if (!html.includes('</head>')) throw new Error(`${path}: no </head> to put its module preloads in`);
    await writeFile(path, html.replace('</head>', `${links}</head>`));
    changed += 1;
  }
  return changed;
}
