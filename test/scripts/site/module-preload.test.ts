import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addModulePreloads, staticImports } from '../../../scripts/site/module-preload.ts';

let dist: string;

/** A built site's files, as minified as Vite writes them. */
const FILES: Record<string, string> = {
  '_astro/entry.js': 'import{a as x}from"./a.js";import"./b.js";const lazy=()=>import("./lazy.js");export{x,lazy};',
  '_astro/a.js': 'import{c}from"./c.js";export const a=c;',
  '_astro/b.js': 'import{a}from"./a.js";console.log(a);',
  '_astro/c.js': 'export const c=1;',
  '_astro/lazy.js': 'import"./lazy-dep.js";export const l=1;',
  '_astro/lazy-dep.js': 'export const d=1;',
};
const page = (script: string) =>
  `<!DOCTYPE html><html><head><title>t</title>${script}</head>` +
  `<body><script type="application/json">{"x":"\\u003c/head>"}</script></body></html>`;

beforeEach(async () => {
  dist = await mkdtemp(join(tmpdir(), 'metanexus-preload-'));
  await mkdir(join(dist, '_astro'));
  await mkdir(join(dist, 'about'));
  for (const [path, code] of Object.entries(FILES)) await writeFile(join(dist, path), code);
});
afterEach(async () => {
  await rm(dist, { recursive: true, force: true });
});

describe('module preloads', () => {
  test('follow static imports to the end, each once, and leave dynamic ones and their chunks lazy', async () => {
    expect(await staticImports(dist, '/', '/_astro/entry.js')).toEqual([
      '/_astro/a.js',
      '/_astro/c.js',
      '/_astro/b.js',
    ]);
    expect(await staticImports(dist, '/site/', '/site/_astro/lazy.js')).toEqual(['/site/_astro/lazy-dep.js']);
  });

  test('go in the head of pages with module scripts, under the base path; other pages stay as they were', async () => {
    const base = '/metanexus/';
    const explorer = page('<script type="module" src="/metanexus/_astro/entry.js"></script>');
    const about = page('');
    await writeFile(join(dist, 'index.html'), explorer);
    await writeFile(join(dist, 'about', 'index.html'), about);
    expect(await addModulePreloads(dist, base)).toBe(1);
    const links = ['a', 'c', 'b'].map((c) => `<link rel="modulepreload" href="/metanexus/_astro/${c}.js">`).join('');
    expect(await readFile(join(dist, 'index.html'), 'utf8')).toBe(explorer.replace('</head>', `${links}</head>`));
    expect(await readFile(join(dist, 'about', 'index.html'), 'utf8')).toBe(about);
  });

  test('a script outside the base path, or a chunk missing, stops the build', async () => {
    await writeFile(join(dist, 'index.html'), page('<script type="module" src="/elsewhere/entry.js"></script>'));
    await expect(addModulePreloads(dist, '/metanexus')).rejects.toThrow(/not under the site's base/);
    await rm(join(dist, '_astro', 'c.js'));
    await expect(staticImports(dist, '/', '/_astro/entry.js')).rejects.toThrow(/c\.js/);
  });
});
