import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import { MAX_FILE_BYTES } from '../../../scripts/site/deploy-files.ts';
import { MIN_BYTES } from '../../../scripts/site/precompress.ts';
import { serve } from '../../../scripts/site/serve.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../../helpers/postgres.ts';
import { buildSite, type BuiltSite } from '../../helpers/site.ts';

// What README's "Maintainers: nightly rebuild and deploy" promises of a built dist/, checked on one.
const IMMUTABLE = 'public, max-age=31536000, immutable';

let db: TestDatabase;
let site: BuiltSite | undefined;
let dist: string;
let files: string[];
let server: Awaited<ReturnType<typeof serve>>;

/** `_headers` read the way a host reads it: a path line, then indented `Name: value` lines. */
function parseHeadersFile(text: string): { pattern: RegExp; headers: Record<string, string> }[] {
  const rules: { pattern: RegExp; headers: Record<string, string> }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      const glob = line
        .trim()
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
      rules.push({ pattern: new RegExp(`^${glob.join('.*')}$`), headers: {} });
    } else {
      const [name, ...value] = line.trim().split(':');
      rules.at(-1)!.headers[name!] = value.join(':').trim();
    }
  }
  return rules;
}

beforeAll(async () => {
  db = await createTestDatabase('deploy');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.01 }));
  site = await buildSite(db.url);
  ({ dist } = site);
  files = (await readdir(dist, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dist.length + 1));
  server = await serve({ dir: dist });
}, 600_000);
afterAll(async () => {
  await server?.close();
  await site?.remove();
  await db?.drop();
  await stopTestServer();
});

describe('_headers', () => {
  test('keeps hashed assets and data a year, revalidates pages and the manifest, types wasm and Parquet', async () => {
    const text = await readFile(join(dist, '_headers'), 'utf8');
    for (const block of [
      `/_astro/*\n  Cache-Control: ${IMMUTABLE}`,
      `/data/in_vivo/*\n  Cache-Control: ${IMMUTABLE}`,
      `/data/in_vitro/*\n  Cache-Control: ${IMMUTABLE}`,
      '/data/manifest.json\n  Cache-Control: no-cache',
      '/\n  Cache-Control: no-cache',
      '/index.html\n  Cache-Control: no-cache',
      '/bacteria/*\n  Cache-Control: no-cache',
      '/*.wasm\n  Content-Type: application/wasm',
      '/*.parquet\n  Content-Type: application/vnd.apache.parquet',
    ]) {
      expect(text).toContain(`\n${block}\n`);
    }
  });

  test('gives every file one Cache-Control, immutable exactly when its name carries a content hash', async () => {
    const rules = parseHeadersFile(await readFile(join(dist, '_headers'), 'utf8'));
    for (const file of files.filter((f) => f !== '_headers' && !/\.(br|gz)$/.test(f))) {
      const values = rules
        .filter((r) => r.pattern.test(`/${file}`) && r.headers['Cache-Control'])
        .map((r) => r.headers['Cache-Control']);
      // The downloads carry the data version, a hash of every data file's content, instead of their own.
      const hashed =
        file.startsWith('_astro/') ||
        /\.[0-9a-f]{16}\.parquet$/.test(file) ||
        /\/downloads\/metanexus-\w+-[0-9a-f]{12}(-part-\d{3}\.parquet|\.json)$/.test(file);
      expect(values, file).toEqual([hashed ? IMMUTABLE : 'no-cache']);
    }
  });
});

describe('precompressed files', () => {
  test("duckdb-wasm's wasm: under 25 MiB, with brotli and gzip siblings that decompress to it", async () => {
    const wasm = files.find((f) => /^_astro\/duckdb-eh\.[\w-]+\.wasm$/.test(f))!;
    const bytes = await readFile(join(dist, wasm));
    expect(bytes.length).toBeLessThan(MAX_FILE_BYTES);
    const br = await readFile(join(dist, `${wasm}.br`));
    expect(brotliDecompressSync(br).equals(bytes)).toBe(true);
    expect(gunzipSync(await readFile(join(dist, `${wasm}.gz`))).equals(bytes)).toBe(true);
    expect(br.length).toBeLessThan(bytes.length / 4);
  });

  test('every large script, page and JSON file has both; no Parquet file or gzipped CSV has either', async () => {
    for (const file of files.filter((f) => /\.(js|html|json)$/.test(f))) {
      if ((await stat(join(dist, file))).size < MIN_BYTES) continue;
      expect(files, file).toContain(`${file}.br`);
      expect(files, file).toContain(`${file}.gz`);
    }
    expect(files.filter((f) => /\.parquet\.(br|gz)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.csv.gz')).length).toBeGreaterThan(0);
    expect(files.filter((f) => /\.csv\.gz\.(br|gz)$/.test(f))).toEqual([]);
  });

  test('no file is over 25 MiB', async () => {
    for (const file of files) expect((await stat(join(dist, file))).size, file).toBeLessThan(MAX_FILE_BYTES);
  });
});

describe('module preloads', () => {
  test("the explorer's page preloads each chunk its script imports statically, and the server has each", async () => {
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    const script = /<script type="module" src="\/([^"]+)"/.exec(html)![1]!;
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="\/([^"]+)">/g)].map((m) => m[1]!);
    // The script's own static imports, as Vite writes them (`from"./chunk.js"`, `import"./chunk.js"`).
    const code = await readFile(join(dist, script), 'utf8');
    const imported = [...code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map((m) => `_astro/${m[1]}`);
    expect(imported.length).toBeGreaterThan(0);
    expect(preloads).toEqual(expect.arrayContaining(imported));
    for (const chunk of preloads) {
      const res = await fetch(new URL(chunk, server.url));
      expect(res.status, chunk).toBe(200);
      expect(res.headers.get('content-type'), chunk).toMatch(/javascript/);
      await res.arrayBuffer();
    }
  });
});

describe('npm run preview on the built site', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, server.url), { headers });

  test('answers every file with the headers _headers gives it', async () => {
    const rules = parseHeadersFile(await readFile(join(dist, '_headers'), 'utf8'));
    const sample = files.filter((f) => !/\.(br|gz)$/.test(f) && f !== '_headers').filter((_, i) => i % 10 === 0);
    expect(sample.length).toBeGreaterThan(20);
    for (const file of sample) {
      const res = await get(file, { 'Accept-Encoding': 'identity' });
      expect(res.status, file).toBe(200);
      for (const rule of rules.filter((r) => r.pattern.test(`/${file}`))) {
        for (const [name, value] of Object.entries(rule.headers))
          expect(res.headers.get(name), `${file} ${name}`).toBe(value);
      }
      await res.arrayBuffer();
    }
  });

  test('serves the wasm brotli-compressed, and a Parquet range from the file itself', async () => {
    const wasm = files.find((f) => f.endsWith('.wasm'))!;
    const res = await get(wasm, { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-type')).toBe('application/wasm');
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(Number(res.headers.get('content-length'))).toBe((await stat(join(dist, `${wasm}.br`))).size);
    await res.arrayBuffer();
    const parquet = files.find((f) => f.endsWith('.parquet'))!;
    const range = await get(parquet, { 'Accept-Encoding': 'br, gzip', Range: 'bytes=0-3' });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await range.arrayBuffer()).toString()).toBe('PAR1');
  });
});
