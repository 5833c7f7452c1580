import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The superuser's password: the cluster checks passwords, so authentication failures can be tested. */
export const CLUSTER_PASSWORD = 'Cluster-Pa55-Grep-Me-42';

/** A PostgreSQL server a test owns and may stop: the system's binaries, a data folder in /tmp. */
export interface PrivateCluster {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Fast shutdown: open connections are cut with admin_shutdown, as in a server restart. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL binaries in /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Initialises and starts a throw-away cluster (password auth) on a free port. */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = await binDir();
  const root = await mkdtemp('/tmp/metanexus-cluster-');
  const data = join(root, 'data');
  // PostgreSQL refuses to run as root: run it as the postgres user, who must own the folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await chmod(root, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout), Number(gid));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const pwfile = join(root, 'pw');
  await writeFile(pwfile, `${CLUSTER_PASSWORD}\n`, { mode: 0o644 });
  await pg('initdb', ['-D', data, '-A', 'scram-sha-256', '-U', 'postgres', `--pwfile=${pwfile}`, '--no-sync']);
  await rm(pwfile);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const cluster: PrivateCluster = {
    url: `postgres://postgres:${CLUSTER_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    start: () => pg('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', 'start']).then(() => {}),
    stop: () => pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).then(() => {}),
    async destroy() {
      await cluster.stop().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
