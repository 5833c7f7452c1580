import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MIN_BYTES, precompress } from '../../../scripts/site/precompress.ts';

let dir: string;
const PAGE = Buffer.from(`<!doctype html>${'<p>MetaNexus</p>'.repeat(500)}`);
const NOISE = randomBytes(8 * 1024);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metanexus-precompress-'));
  await mkdir(join(dir, 'data/in_vivo'), { recursive: true });
  await writeFile(join(dir, 'index.html'), PAGE);
  await writeFile(join(dir, 'small.js'), 'x'.repeat(MIN_BYTES - 1));
  await writeFile(join(dir, 'noise.js'), NOISE);
  await writeFile(join(dir, 'data/in_vivo/values.0123456789abcdef.parquet'), PAGE);
  await writeFile(join(dir, 'data/manifest.json'), JSON.stringify({ pad: 'y'.repeat(5000) }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('brotli and gzip siblings of large compressible files only; never of Parquet', async () => {
  const done = await precompress(dir);
  expect(done.map((d) => d.path.slice(dir.length + 1)).sort()).toEqual(['data/manifest.json', 'index.html']);
  const files = (await readdir(dir, { recursive: true })).sort();
  expect(files.filter((f) => /\.(br|gz)$/.test(f))).toEqual([
    'data/manifest.json.br',
    'data/manifest.json.gz',
    'index.html.br',
    'index.html.gz',
  ]);
  expect(brotliDecompressSync(await readFile(join(dir, 'index.html.br')))).toEqual(PAGE);
  expect(gunzipSync(await readFile(join(dir, 'index.html.gz')))).toEqual(PAGE);
});

test('the same input gives the same bytes', async () => {
  const before = await readFile(join(dir, 'index.html.gz'));
  const br = await readFile(join(dir, 'index.html.br'));
  await precompress(dir);
  expect((await readFile(join(dir, 'index.html.gz'))).equals(before)).toBe(true);
  expect((await readFile(join(dir, 'index.html.br'))).equals(br)).toBe(true);
});
