import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  headerMatcher,
  IMMUTABLE,
  renderHeadersFile,
  REVALIDATE,
  siteHeaderRules,
} from '../../../scripts/site/host-headers.ts';

let dist: string;
const FILES = [
  'index.html',
  'index.html.br',
  '404.html',
  '_headers',
  '_astro/index.B1c2D3e4.js',
  '_astro/duckdb-eh.Bbw6HAmJ.wasm',
  'bacteria/index.html',
  'bacteria/in_vivo/akkermansia/index.html',
  'data/manifest.json',
  'data/build-report.json',
  'data/build-report.md',
  'data/in_vivo/features.0123456789abcdef.parquet',
  'data/in_vivo/bacteria/000.0123456789abcdef.parquet',
  'data/in_vitro/values.0123456789abcdef.parquet',
  'yale-university/index.html',
];

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'metanexus-headers-'));
  for (const file of FILES) {
    await mkdir(dirname(join(dist, file)), { recursive: true });
    await writeFile(join(dist, file), '');
  }
});
afterAll(() => rm(dist, { recursive: true, force: true }));

describe('the rules of a built site', () => {
  test('content types, then hashed folders kept for a year, then everything else revalidated', async () => {
    const rules = await siteHeaderRules(dist);
    expect(rules.map((r) => [r.path, Object.values(r.headers).join()])).toEqual([
      ['/*.wasm', 'application/wasm'],
      ['/*.parquet', 'application/vnd.apache.parquet'],
      ['/*.csv.gz', 'application/gzip'],
      ['/_astro/*', IMMUTABLE],
      ['/data/in_vitro/*', IMMUTABLE],
      ['/data/in_vivo/*', IMMUTABLE],
      ['/', REVALIDATE],
      ['/data/build-report.json', REVALIDATE],
      ['/data/build-report.md', REVALIDATE],
      ['/data/manifest.json', REVALIDATE],
      ['/404.html', REVALIDATE],
      ['/bacteria/*', REVALIDATE],
      ['/index.html', REVALIDATE],
      ['/yale-university/*', REVALIDATE],
    ]);
  });

  test('under a base path', async () => {
    const rules = await siteHeaderRules(dist, '/metanexus/');
    expect(rules.map((r) => r.path)).toContain('/metanexus/_astro/*');
    expect(rules.map((r) => r.path)).toContain('/metanexus/');
    expect(rules.every((r) => r.path.startsWith('/metanexus/'))).toBe(true);
  });

  test('every file gets a Cache-Control from exactly one rule: immutable when its name carries a hash', async () => {
    const rules = await siteHeaderRules(dist);
    for (const file of FILES.filter((f) => f !== '_headers' && !f.endsWith('.br'))) {
      const path = `/${file}`;
      const matching = rules.filter((r) => headerMatcher([r])(path)['Cache-Control']);
      expect(matching.length, path).toBe(1);
      const hashed = /\.[0-9A-Za-z_-]{8}\.(js|wasm)$|\.[0-9a-f]{16}\.parquet$/.test(file);
      expect(matching[0]!.headers['Cache-Control'], path).toBe(hashed ? IMMUTABLE : REVALIDATE);
    }
  });

  test('in the _headers syntax', () => {
    const text = renderHeadersFile([
      { path: '/_astro/*', headers: { 'Cache-Control': IMMUTABLE } },
      { path: '/*.wasm', headers: { 'Content-Type': 'application/wasm', 'X-Extra': 'yes' } },
    ]);
    expect(text.split('\n').slice(1)).toEqual([
      '/_astro/*',
      `  Cache-Control: ${IMMUTABLE}`,
      '/*.wasm',
      '  Content-Type: application/wasm',
      '  X-Extra: yes',
      '',
    ]);
    expect(text).toMatch(/^# /);
  });
});

test('matching: `*` spans any characters, slashes included; everything else is literal', () => {
  const match = headerMatcher([
    { path: '/*.wasm', headers: { A: '1' } },
    { path: '/data/in_vivo/*', headers: { B: '2' } },
    { path: '/data/manifest.json', headers: { C: '3' } },
  ]);
  expect(match('/_astro/x/y.wasm')).toEqual({ A: '1' });
  expect(match('/x.wasm.br')).toEqual({});
  expect(match('/data/in_vivo/bacteria/1.parquet')).toEqual({ B: '2' });
  expect(match('/data/in_vivo2/x')).toEqual({});
  expect(match('/data/manifestXjson')).toEqual({});
  expect(match('/data/manifest.json')).toEqual({ C: '3' });
});
