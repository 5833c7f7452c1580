import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeBase, serve } from '../../../scripts/site/serve.ts';

const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const PARQUET = 'data/in_vivo/values.0123456789abcdef.parquet';
const DOWNLOAD = 'data/in_vivo/downloads/metanexus-in_vivo-0123456789ab-part-001.csv.gz';
const SCRIPT = Buffer.from(`export const x = ${JSON.stringify('x'.repeat(4000))};`);

let dir: string;
let server: Awaited<ReturnType<typeof serve>>;
const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);

/** The status for `path` sent as written: fetch would normalize `..` segments away, node:http does not. */
function rawStatus(origin: string, path: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    request(new URL(origin), { path }, (res) => {
      res.resume();
      done(res.statusCode);
    })
      .on('error', fail)
      .end();
  });
}

beforeAll(async () => {
  const parent = await mkdtemp(join(tmpdir(), 'metanexus-serve-'));
  await writeFile(join(parent, 'serve-secret.txt'), 'secret');
  dir = join(parent, 'dist');
  await mkdir(join(dir, 'data/in_vivo'), { recursive: true });
  await mkdir(join(dir, '_astro'));
  await mkdir(join(dir, 'bacteria'));
  await writeFile(join(dir, PARQUET), BYTES);
  await writeFile(join(dir, 'data/manifest.json'), '{}');
  await writeFile(join(dir, '_astro/index.B1c2D3e4.js'), 'export {};');
  await writeFile(join(dir, '_astro/big.C1d2E3f4.js'), SCRIPT);
  await writeFile(join(dir, '_astro/big.C1d2E3f4.js.br'), brotliCompressSync(SCRIPT));
  await writeFile(join(dir, '_astro/big.C1d2E3f4.js.gz'), gzipSync(SCRIPT));
  await writeFile(join(dir, 'duckdb-eh.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  await mkdir(join(dir, 'data/in_vivo/downloads'));
  await writeFile(join(dir, DOWNLOAD), gzipSync(SCRIPT));
  await writeFile(join(dir, 'index.html'), '<h1>home</h1>');
  await writeFile(join(dir, 'bacteria/index.html'), '<h1>bacteria</h1>');
  await writeFile(join(dir, '404.html'), '<h1>not here</h1>');
  server = await serve({ dir });
});

afterAll(async () => {
  await server?.close();
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('serve', () => {
  it('listens on a free local port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves a file whole, announcing range support', async () => {
    const res = await get(PARQUET);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BYTES);
  });

  it('answers a byte range with 206 and exactly those bytes', async () => {
    const res = await get(PARQUET, { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(BYTES.subarray(100, 200));
  });

  it('reads suffix and open ranges right', async () => {
    const suffix = await get(PARQUET, { headers: { Range: 'bytes=-10' } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(BYTES.subarray(990));
    const open = await get(PARQUET, { headers: { Range: 'bytes=995-' } });
    expect(open.headers.get('content-range')).toBe('bytes 995-999/1000');
    expect(Buffer.from(await open.arrayBuffer())).toEqual(BYTES.subarray(995));
  });

  it('sends the whole file for ranges it does not split, and 416 past the end', async () => {
    // bytes=0-0 is duckdb-wasm's fallback probe: a 200 with the full length makes it read the file whole.
    for (const range of ['bytes=0-0', 'bytes=0-1,5-9', 'bytes=9-5', 'items=0-5']) {
      const res = await get(PARQUET, { headers: { Range: range } });
      expect(res.status, range).toBe(200);
      expect((await res.arrayBuffer()).byteLength, range).toBe(1000);
    }
    const past = await get(PARQUET, { headers: { Range: 'bytes=1000-' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with the length and no body, as duckdb-wasm opens a file', async () => {
    const head = await get(PARQUET, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1000');
    // duckdb-wasm 1.28 sends HEAD with `Range: bytes=0-` and needs 206 plus the file's length.
    const ranged = await get(PARQUET, { method: 'HEAD', headers: { Range: 'bytes=0-' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-length')).toBe('1000');
    expect(await ranged.text()).toBe('');
  });

  it('serves wasm as application/wasm', async () => {
    const res = await get('duckdb-eh.wasm');
    expect(res.headers.get('content-type')).toBe('application/wasm');
  });

  it('caches hashed files forever and revalidates the rest', async () => {
    const immutable = 'public, max-age=31536000, immutable';
    expect((await get(PARQUET)).headers.get('cache-control')).toBe(immutable);
    expect((await get('_astro/index.B1c2D3e4.js')).headers.get('cache-control')).toBe(immutable);
    expect((await get('data/manifest.json')).headers.get('cache-control')).toBe('no-cache');
    const page = await get('');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const etag = page.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache');
  });

  it('gives each file one strong ETag for all its ranges, its compressed sibling another, and 304 for it', async () => {
    // Chromium keeps the ranges of a file it fetched only under a strong validator.
    const path = '_astro/big.C1d2E3f4.js';
    const tags = await Promise.all(
      ['bytes=0-9', 'bytes=10-19'].map(async (range) => (await get(path, { headers: { Range: range } })).headers),
    );
    const tag = tags[0]!.get('etag')!;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(tags[1]!.get('etag')).toBe(tag);
    const compressed = await get(path, { headers: { 'Accept-Encoding': 'br' } });
    expect(compressed.headers.get('content-encoding')).toBe('br');
    expect(compressed.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(compressed.headers.get('etag')).not.toBe(tag);
    const again = await get(path, { headers: { 'If-None-Match': tag, 'Accept-Encoding': 'identity' } });
    expect(again.status).toBe(304);
  });

  it('serves the brotli or gzip sibling when the client takes it, the file itself otherwise', async () => {
    const path = '_astro/big.C1d2E3f4.js';
    for (const [encoding, length] of [
      ['br', brotliCompressSync(SCRIPT).length],
      ['gzip', gzipSync(SCRIPT).length],
      ['identity', SCRIPT.length],
    ] as const) {
      const res = await get(path, { headers: { 'Accept-Encoding': encoding } });
      expect(res.status, encoding).toBe(200);
      expect(res.headers.get('content-encoding'), encoding).toBe(encoding === 'identity' ? null : encoding);
      expect(res.headers.get('content-length'), encoding).toBe(String(length));
      expect(res.headers.get('content-type'), encoding).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control'), encoding).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary'), encoding).toBe('Accept-Encoding');
      expect(Buffer.from(await res.arrayBuffer()), encoding).toEqual(SCRIPT);
    }
  });

  it('sends a gzipped download asked for by name as the bytes it holds, not as an encoding to decode', async () => {
    const stored = gzipSync(SCRIPT);
    for (const headers of [{ 'Accept-Encoding': 'gzip' }, { 'Accept-Encoding': 'identity' }]) {
      const res = await get(DOWNLOAD, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('content-type')).toBe('application/gzip');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(stored);
    }
  });

  it('answers a range from the file itself, never from a compressed sibling', async () => {
    const res = await get('_astro/big.C1d2E3f4.js', { headers: { 'Accept-Encoding': 'br, gzip', Range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-range')).toBe(`bytes 0-9/${SCRIPT.length}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(SCRIPT.subarray(0, 10));
  });

  it('serves a directory index with or without the trailing slash', async () => {
    for (const path of ['bacteria/', 'bacteria']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe('<h1>bacteria</h1>');
    }
  });

  it('answers unknown paths with the 404 page', async () => {
    for (const path of ['nope', 'bacteria/nope/']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toBe('<h1>not here</h1>');
    }
  });

  it('never serves files outside the folder', async () => {
    for (const path of ['/../serve-secret.txt', '/data/%2e%2e/%2e%2e/../serve-secret.txt']) {
      expect(await rawStatus(server.url, path), path).toBe(404);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await get('', { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says what to do when the folder is missing', async () => {
    await expect(serve({ dir: join(dir, 'missing') })).rejects.toThrow(/missing: run `npm run build` first/);
  });
});

describe('serve under a base path', () => {
  let atBase: Awaited<ReturnType<typeof serve>>;
  let origin: string;
  beforeAll(async () => {
    atBase = await serve({ dir, base: '/metanexus/' });
    origin = new URL(atBase.url).origin;
  });
  afterAll(() => atBase?.close());
  const at = (path: string, init?: RequestInit) => fetch(new URL(path, origin), { redirect: 'manual', ...init });

  it('normalizes the base to one slash at each end', () => {
    for (const base of ['metanexus', '/metanexus', 'metanexus/', '//metanexus//'])
      expect(normalizeBase(base), base).toBe('/metanexus/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('')).toBe('/');
  });

  it('gives the site address with the base', () => {
    expect(atBase.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metanexus\/$/);
  });

  it('serves the site under the base, with the headers of its rules and ranges', async () => {
    const page = await at('/metanexus/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<h1>home</h1>');
    expect((await at('/metanexus/bacteria/')).status).toBe(200);
    const parquet = await at(`/metanexus/${PARQUET}`, { headers: { Range: 'bytes=100-199' } });
    expect(parquet.status).toBe(206);
    expect(parquet.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(parquet.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(Buffer.from(await parquet.arrayBuffer())).toEqual(BYTES.subarray(100, 200));
    expect((await at('/metanexus/duckdb-eh.wasm')).headers.get('content-type')).toBe('application/wasm');
    expect((await at('/metanexus/data/manifest.json')).headers.get('cache-control')).toBe('no-cache');
  });

  it('redirects the base without its slash, keeping the query, as GitHub Pages does', async () => {
    const res = await at('/metanexus?ds=in_vivo');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/metanexus/?ds=in_vivo');
  });

  it('answers every path outside the base with the 404 page', async () => {
    for (const path of [
      '/',
      '/index.html',
      `/${PARQUET}`,
      '/data/manifest.json',
      '/metanexus-other/',
      '/other/metanexus/',
    ]) {
      const res = await at(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe('<h1>not here</h1>');
    }
    expect((await at('/metanexus/nope')).status).toBe(404);
  });

  it('is what `npm run preview -- --port 0 --base metanexus` starts', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/site/serve.ts', '--dir', dir, '--port', '0', '--base', 'metanexus'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = line.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metanexus\/$/);
      expect(await (await fetch(url)).text()).toBe('<h1>home</h1>');
      expect((await fetch(new URL('/', url))).status).toBe(404);
    } finally {
      child.kill();
    }
  });

  it('never leaves the base through `..`', async () => {
    for (const path of [
      '/metanexus/../index.html',
      '/metanexus/%2e%2e/index.html',
      '/metanexus/../serve-secret.txt',
      '//metanexus/',
    ]) {
      expect(await rawStatus(origin, path), path).toBe(404);
    }
  });
});
