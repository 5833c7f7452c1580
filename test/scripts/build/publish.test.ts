import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { publishPaths, recoverPublish } from '../../../scripts/build/publish.ts';
import { manifestFiles } from '../../../src/lib/manifest.ts';
import { buildInto, FIXTURE_CONFIG } from '../../helpers/build.ts';
import { hashTree } from '../../helpers/files.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

let db: TestDatabase;
let out: string;

const leftovers = async () => (await readdir(dirname(out))).filter((f) => f !== 'data');

beforeAll(async () => {
  db = await createTestDatabase('publish');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  ({ out } = await buildInto(db.url));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

test('a build that fails during extraction leaves the published data byte for byte, and no staging', async () => {
  const before = await hashTree(out);
  const config = {
    datasets: [...FIXTURE_CONFIG.datasets, { id: 'gone', title: 'Gone', table: 'missing', schema: 'public' }],
  };
  await expect(buildInto(db.url, { out, config })).rejects.toThrow('fingerprint: public.missing: table not found');
  expect(await hashTree(out)).toEqual(before);
  expect(await leftovers()).toEqual([]);
});

test('a build that fails after files were written (duplicate names) leaves the published data as it was', async () => {
  const before = await hashTree(out);
  await db.query(`INSERT INTO vitro (name) VALUES ('M1T1_POS')`);
  try {
    await expect(buildInto(db.url, { out })).rejects.toThrow(/vitro: duplicate name.*"M1T1_POS"/);
  } finally {
    await db.query(`DELETE FROM vitro WHERE name = 'M1T1_POS' AND "S01" IS NULL`);
  }
  expect(await hashTree(out)).toEqual(before);
  expect(await leftovers()).toEqual([]);
});

test('a publish killed between its two renames is repaired by the next build', async () => {
  const before = await hashTree(out);
  const { previous, staging } = publishPaths(out, 99999);
  // The state a SIGKILL leaves after "data -> .data.previous" and before "staging -> data".
  await rename(out, previous);
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'half-written.parquet'), 'partial');
  expect(await recoverPublish(out)).toHaveLength(2);
  expect(await hashTree(out)).toEqual(before);
  expect(existsSync(previous) || existsSync(staging)).toBe(false);
});

test('a successful rebuild replaces the data whole', async () => {
  await db.query(`UPDATE vivo SET "A_one" = 7 WHERE name = 'X_ANNOT'`);
  try {
    const { manifest } = await buildInto(db.url, { out });
    const listed = new Set(manifestFiles(manifest).map((f) => f.path));
    // Every file the manifest lists, and beside them only the manifest and the build report.
    const own = ['manifest.json', 'build-report.json', 'build-report.md'];
    const onDisk = Object.keys(await hashTree(out)).filter((p) => !own.includes(p));
    expect(new Set(onDisk)).toEqual(listed);
  } finally {
    await db.query(`UPDATE vivo SET "A_one" = -1 WHERE name = 'X_ANNOT'`);
  }
  expect(await leftovers()).toEqual([]);
});
