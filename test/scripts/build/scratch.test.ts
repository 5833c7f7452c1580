import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import { createScratch, removeStaleScratch } from '../../../scripts/build/scratch.ts';
import { parseManifest } from '../../../src/lib/manifest.ts';
import { hashTree } from '../../helpers/files.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../../helpers/postgres.ts';
import { sourceCells } from '../../helpers/source-sql.ts';

// Builds, benches and tests on one machine never share scratch files: two builds once overwrote each other's DuckDB
// spill files and one published wrong numbers with exit 0.
let db: TestDatabase;
let root: string;

beforeAll(async () => {
  db = await createTestDatabase('scratch');
  await withClient(db.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.1 }));
  root = await mkdtemp(join(tmpdir(), 'metanexus-concurrent-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  await db?.drop();
  await stopTestServer();
});

/** Starts the data build's command line into `out`, with a DuckDB memory limit low enough that it spills. */
function startBuild(out: string): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  // Node itself, not npx, so that the child's pid is the build's, which names its scratch folders.
  const args = ['--import', 'tsx', 'scripts/cli.ts', 'build', '--database-url', db.url, '--out', out, '--force'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, METANEXUS_DUCKDB_MEMORY_LIMIT: '100MB' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

/** Scratch folders in the temp directory owned by `pid`. */
const scratchOf = async (pid: number) =>
  (await readdir(tmpdir())).filter((name) => new RegExp(`^metanexus-[a-z]+-${pid}-`).test(name));

describe('two full data builds at once against one source', () => {
  test('both succeed with byte-identical files that equal the source', async () => {
    const [a, b] = [startBuild(join(root, 'a', 'data')), startBuild(join(root, 'b', 'data'))];
    const results = await Promise.all([a.done, b.done]);
    for (const { code, stderr } of results) expect(code, stderr).toBe(0);
    // Each spilled into its own folder, and left none behind.
    for (const { stderr } of results) expect(stderr).toMatch(/✓ verify/);
    for (const { child } of [a, b]) expect(await scratchOf(child.pid!)).toEqual([]);

    const parquet = async (side: string) =>
      Object.fromEntries(
        Object.entries(await hashTree(join(root, side, 'data'))).filter(([p]) => p.endsWith('.parquet')),
      );
    expect(await parquet('a')).toEqual(await parquet('b'));
    const manifest = parseManifest(JSON.parse(await readFile(join(root, 'a', 'data', 'manifest.json'), 'utf8')));
    for (const dataset of manifest.datasets) {
      const table = dataset.id === 'in_vivo' ? 'in_vivo' : 'gmm_test_1';
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (${sourceCells(table)}) AS c WHERE abs(value) < 'Infinity'`,
      );
      expect(dataset.counts.values, dataset.id).toBe(row!.n);
    }
  });
});

describe('scratch folders', () => {
  test('a build interrupted by SIGTERM removes its scratch folders on the way out', async () => {
    const build = startBuild(join(root, 'c', 'data'));
    // Wait until DuckDB is busy: both the spill and the extract folders exist by then.
    await new Promise<void>((resolve) => {
      build.child.stderr!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('▸ precompute')) resolve();
      });
    });
    expect((await scratchOf(build.child.pid!)).length).toBeGreaterThan(0);
    build.child.kill('SIGTERM');
    const { code } = await build.done;
    expect(code).toBe(143);
    expect(await scratchOf(build.child.pid!)).toEqual([]);
  });

  test('a stale folder is removed only when the process that made it is gone', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'metanexus-stale-'));
    const sleeper = spawn('sleep', ['30']);
    const finished = spawn('true');
    await new Promise((resolve) => finished.on('close', resolve));
    const alive = join(parent, `metanexus-duckdb-${sleeper.pid}-abc123`);
    const gone = join(parent, `metanexus-extract-${finished.pid}-def456`);
    const unrelated = join(parent, 'metanexus-site-123456');
    for (const dir of [alive, gone, unrelated]) await mkdir(dir);
    const own = await createScratch('duckdb', parent);
    try {
      expect(await removeStaleScratch(parent)).toEqual([`metanexus-extract-${finished.pid}-def456`]);
      expect([alive, gone, unrelated, own.dir].map((d) => existsSync(d))).toEqual([true, false, true, true]);
    } finally {
      sleeper.kill();
      await own.remove();
    }
    expect(existsSync(own.dir)).toBe(false);
    await rm(parent, { recursive: true, force: true });
  });
});
