import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuck } from '../../../scripts/build/duck.ts';
import { buildCodeFiles, codeVersion } from '../../../scripts/build/code-version.ts';
import { createLog } from '../../../scripts/build/log.ts';
import { sha256File } from '../../../scripts/build/parquet.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { buildInto, FIXTURE_CONFIG, runBuild } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

let db: TestDatabase;
let out: string;
let manifest: Manifest;

/** Every file and folder under `root` (the folder included) with its content hash and modification time. */
async function snapshotTree(root: string): Promise<Record<string, { sha256?: string; mtimeMs: number }>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const tree: Record<string, { sha256?: string; mtimeMs: number }> = { '.': { mtimeMs: (await stat(root)).mtimeMs } };
  for (const e of entries) {
    const path = join(e.parentPath, e.name);
    tree[relative(root, path)] = {
      sha256: e.isFile() ? await sha256File(path) : undefined,
      mtimeMs: (await stat(path)).mtimeMs,
    };
  }
  return tree;
}

const siblings = async () => (await readdir(dirname(out))).filter((f) => f !== 'data');

beforeAll(async () => {
  db = await createTestDatabase('fingerprint');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  ({ out, manifest } = await buildInto(db.url));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('an unchanged source', () => {
  test('the manifest records the fingerprint', () => {
    expect(manifest.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a second build stops after the fingerprint and leaves every file byte for byte, mtime included', async () => {
    const before = await snapshotTree(out);
    const lines: string[] = [];
    const outcome = await runBuild(db.url, { out, log: createLog({ write: (l) => lines.push(l) }) });
    expect(outcome).toEqual({ status: 'unchanged', fingerprint: manifest.fingerprint, builtAt: manifest.builtAt });
    expect(await snapshotTree(out)).toEqual(before);
    expect(await siblings()).toEqual([]);
    expect(lines).toContain('▸ fingerprint');
    expect(lines).not.toContain('▸ extract');
  });

  test('rows moved on disk (deleted and inserted again) are the same source', async () => {
    await db.query(`DELETE FROM vivo WHERE name = 'X_ANNOT'`);
    await db.query(
      `INSERT INTO vivo (name, mz, rt, "Type", metabolite, "A_one")
        VALUES ('X_ANNOT', 150, 15, 'by_name', 'indole', -1)`,
    );
    expect((await runBuild(db.url, { out })).status).toBe('unchanged');
  });

  test('a change in a column the build does not read (not numeric) is no change', async () => {
    await db.query(`UPDATE vitro SET notes = 'changed' WHERE name = 'M1T1_POS'`);
    expect((await runBuild(db.url, { out })).status).toBe('unchanged');
  });
});

describe('what rebuilds', () => {
  const retitled = { datasets: FIXTURE_CONFIG.datasets.map((d) => (d.id === 'vivo' ? { ...d, title: 'In vivo' } : d)) };

  test('a changed value rebuilds; changing it back gives the first fingerprint again', async () => {
    await db.query(`UPDATE vivo SET "A_one" = 6 WHERE name = 'M400T40_POS'`);
    const changed = await runBuild(db.url, { out });
    expect(changed.status).toBe('rebuilt');
    expect(changed.status === 'rebuilt' && changed.report.fingerprint).not.toBe(manifest.fingerprint);
    await db.query(`UPDATE vivo SET "A_one" = 5 WHERE name = 'M400T40_POS'`);
    const back = await runBuild(db.url, { out });
    expect(back.status === 'rebuilt' && back.report.fingerprint).toBe(manifest.fingerprint);
  });

  test('--force rebuilds an unchanged source', async () => {
    const before = await snapshotTree(out);
    const outcome = await runBuild(db.url, { out, force: true, now: new Date('2030-01-01T00:00:00Z') });
    expect(outcome.status).toBe('rebuilt');
    expect(outcome.status === 'rebuilt' && outcome.report.fingerprint).toBe(manifest.fingerprint);
    const manifestJson = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifestJson.builtAt).toBe('2030-01-01T00:00:00.000Z');
    expect((await stat(out)).mtimeMs).not.toBe(before['.']!.mtimeMs);
  });

  test('a configuration change rebuilds', async () => {
    expect((await runBuild(db.url, { out, config: retitled })).status).toBe('rebuilt');
    expect((await runBuild(db.url, { out, config: retitled })).status).toBe('unchanged');
  });

  test('a new row rebuilds, and so does the source kind (demo or database)', async () => {
    await db.query(`INSERT INTO vitro (name, "S01") VALUES ('M9T9_POS', 1)`);
    expect((await runBuild(db.url, { out, config: retitled })).status).toBe('rebuilt');
    expect((await runBuild(db.url, { out, config: retitled, source: 'demo' })).status).toBe('rebuilt');
  });

  test('published data with a file missing is rebuilt, saying why', async () => {
    const options = { out, config: retitled, source: 'demo' as const };
    expect((await runBuild(db.url, options)).status).toBe('unchanged');
    const current = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const shard = current.datasets[0]!.bacteria[0]!.file.path;
    await rm(join(out, shard));
    const lines: string[] = [];
    const outcome = await runBuild(db.url, { ...options, log: createLog({ write: (l) => lines.push(l) }) });
    expect(outcome.status).toBe('rebuilt');
    expect(lines).toContain(`published data ignored: ${shard} is missing`);
  });
});

test('the code version follows the build code and the src/lib files it imports, and nothing else', async () => {
  const root = await mkdtemp(join(tmpdir(), 'metanexus-code-'));
  const files: Record<string, string> = {
    'scripts/build/precompute.ts': "import { q } from '../../src/lib/sql/q.ts';\nexport const p = q;",
    'src/lib/sql/q.ts': "export { r as q } from '../r.ts';",
    'src/lib/r.ts': 'export const r = 1;',
    'src/lib/csp.ts': 'export const csp = 1;',
    'scripts/site/serve.ts': "import { csp } from '../../src/lib/csp.ts';",
    'scripts/demo/seed.ts': 'export {};',
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  const { duck, close } = await openDuck(1);
  try {
    expect(await buildCodeFiles(root)).toEqual(['scripts/build/precompute.ts', 'src/lib/r.ts', 'src/lib/sql/q.ts']);
    const first = await codeVersion(duck, root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    // The preview server, the CSP and the demo generator do not change what the build writes.
    for (const file of ['scripts/site/serve.ts', 'src/lib/csp.ts', 'scripts/demo/seed.ts']) {
      await writeFile(join(root, file), `${files[file]}\n// edited`);
    }
    expect(await codeVersion(duck, root)).toBe(first);
    // A module the build imports, even through a re-export, does.
    await writeFile(join(root, 'src/lib/r.ts'), 'export const r = 2;');
    const edited = await codeVersion(duck, root);
    expect(edited).not.toBe(first);
    await writeFile(join(root, 'scripts/build/new-step.ts'), 'export {};');
    expect(await codeVersion(duck, root)).not.toBe(edited);
  } finally {
    await close();
    await rm(root, { recursive: true, force: true });
  }
});

test('in this project, the site code is outside the build code', async () => {
  const files = await buildCodeFiles();
  expect(files).toContain('scripts/build/precompute.ts');
  expect(files).toContain('src/lib/sql/landscape.ts');
  expect(files).toContain('src/lib/manifest.ts');
  for (const file of files) expect(file).toMatch(/^(scripts\/build|src\/lib)\//);
  expect(files).not.toContain('src/lib/csp.ts');
});
