import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { astroBuild, createSiteDirs, type SiteDirs } from '../../scripts/site/site-build.ts';
import { quoteIdent, quoteLiteral } from '../../src/lib/sql/quote.ts';
import { FIXTURE_CONFIG } from '../helpers/build.ts';
import { createTestDatabase, stopTestServer, withClient, type TestDatabase } from '../helpers/postgres.ts';

const run = promisify(execFile);
// Easy to grep for: it must appear nowhere in the output folder, the report, the logs or the errors.
const PASSWORD = 'Grep-Me-Secret-73519';
const ROLE = `metanexus_cli_${process.pid}`;

let db: TestDatabase;
let urlWithPassword: string;
let dir: string;
let site: SiteDirs | undefined;

beforeAll(async () => {
  db = await createTestDatabase('cli');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  await withClient(db.adminUrl, (c) =>
    c.query(`CREATE ROLE ${quoteIdent(ROLE)} LOGIN PASSWORD ${quoteLiteral(PASSWORD)}`),
  );
  await db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(ROLE)}`);
  const url = new URL(db.url);
  url.username = ROLE;
  url.password = PASSWORD;
  urlWithPassword = url.toString();
  dir = await mkdtemp(join(tmpdir(), 'metanexus-cli-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(FIXTURE_CONFIG));
});
afterAll(async () => {
  await db?.drop();
  await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${quoteIdent(ROLE)}`));
  for (const folder of [dir, site?.root]) if (folder) await rm(folder, { recursive: true, force: true });
  await stopTestServer();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

test('build from DATABASE_URL: progress on stderr, a report, and the password nowhere', async () => {
  const out = join(dir, 'data');
  const { code, output } = await cli(
    ['build', '--out', out, '--config', join(dir, 'config.json'), '--pool-size', '2'],
    {
      DATABASE_URL: urlWithPassword,
    },
  );
  expect(code, output).toBe(0);
  expect(output).toMatch(/✓ extract \(\d+\.\d+ s\)/);
  expect(output).toMatch(/✓ publish/);
  expect(output).not.toContain(PASSWORD);
  const report = JSON.parse(await readFile(join(out, 'build-report.json'), 'utf8'));
  expect(report.datasets.map((d: { sourceRows: number }) => d.sourceRows)).toEqual([5, 5]);
  expect(Object.keys(report.timings)).toEqual(expect.arrayContaining(['extract', 'precompute', 'validate']));
  await expectNoPassword(out);
  // And the site built from that data: dist/ is what gets published.
  site = await createSiteDirs();
  await astroBuild({ ...site, publicDir: dir });
  await expectNoPassword(site.dist);
}, 180_000);

async function expectNoPassword(folder: string) {
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    const bytes = await readFile(join(entry.parentPath, entry.name));
    expect(bytes.includes(PASSWORD), entry.name).toBe(false);
  }
}

test('a failing build exits 1 with a message naming the table, and no password', async () => {
  await writeFile(
    join(dir, 'bad.json'),
    JSON.stringify({ datasets: [{ id: 'x', title: 'X', table: 'no_such_table' }] }),
  );
  const { code, output } = await cli([
    'build',
    '--database-url',
    urlWithPassword,
    '--out',
    join(dir, 'bad'),
    '--config',
    join(dir, 'bad.json'),
  ]);
  expect(code).toBe(1);
  expect(output).toContain('error: fingerprint: public.no_such_table: table not found');
  expect(output).not.toContain(PASSWORD);
});

test('an unreachable server: error without the password, exit 1', async () => {
  const url = new URL(urlWithPassword);
  url.port = '1';
  const { code, output } = await cli(['build', '--database-url', url.toString(), '--out', join(dir, 'x')]);
  expect(code).toBe(1);
  expect(output).toMatch(/ECONNREFUSED/);
  expect(output).not.toContain(PASSWORD);
}, 120_000);

test('usage mistakes exit 2 with the usage text', async () => {
  const { code, output } = await cli(['build', '--pool-size', 'lots']);
  expect(code).toBe(2);
  expect(output).toContain('--pool-size: expected a positive number, got "lots"');
  expect(output).toContain('usage:');
  expect((await cli(['frobnicate'])).code).toBe(2);
});
