import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '../../../scripts/demo/seed.ts';
import { sha256File } from '../../../scripts/build/parquet.ts';
import { APPLICATION_NAME } from '../../../scripts/build/pg-session.ts';
import { manifestFiles } from '../../../src/lib/manifest.ts';
import { buildInto, readParquet } from '../../helpers/build.ts';
import { hashTree } from '../../helpers/files.ts';
import { withClient } from '../../helpers/postgres.ts';
import { CLUSTER_PASSWORD, startPrivateCluster, type PrivateCluster } from '../../helpers/private-cluster.ts';
import { tcpProxy } from '../../helpers/tcp-proxy.ts';

// Faults against a PostgreSQL server this file owns and stops: never the shared one.
const CONFIG = {
  datasets: [
    { id: 'in_vitro', title: 'In Vitro', table: 'gmm_test_1', schema: 'public' },
    { id: 'in_vivo', title: 'In Vivo', table: 'in_vivo', schema: 'public' },
  ],
};

let cluster: PrivateCluster;
let root: string;
let out: string;
let configPath: string;

const leftovers = async () => (await readdir(dirname(out))).filter((f) => f.startsWith('.'));

/** Starts the CLI as a direct child (not through npx, which would not pass signals on); resolves when it ends. */
function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done, output: () => output };
}

/** Holds an exclusive lock on `table` until released: the build's reads of it wait, mid-extraction. */
async function lockTable(table: string) {
  const client = new pg.Client({ connectionString: cluster.url });
  client.on('error', () => {});
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    client,
    release: () => client.query('COMMIT').then(() => client.end()),
  };
}

/** Waits until some build connection is blocked on a lock. */
async function waitForBlockedBuild(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const rows = await withClient(cluster.url, (c) =>
      c.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [
        APPLICATION_NAME,
      ]),
    );
    if (rows.rowCount) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the build never reached the locked table');
}

const buildConnections = () =>
  withClient(cluster.url, async (c) => {
    const { rows } = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [APPLICATION_NAME],
    );
    return rows[0]!.n;
  });

beforeAll(async () => {
  cluster = await startPrivateCluster();
  await withClient(cluster.url, (c) => seedDemo(c as pg.ClientBase, { scale: 0.1 }));
  root = await mkdtemp('/tmp/metanexus-faults-');
  out = join(root, 'data');
  configPath = join(root, 'config.json');
  await writeFile(configPath, JSON.stringify(CONFIG));
  await buildInto(cluster.url, { out, config: CONFIG });
}, 120_000);
afterAll(async () => {
  await cluster?.destroy();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the server goes away', () => {
  test('stopped mid-extraction: bounded retries, a clear failure, exit 1, old data untouched, no staging', async () => {
    const before = await hashTree(out);
    const lock = await lockTable('in_vivo');
    const build = cli(['build', '--out', out, '--config', configPath, '--pool-size', '2'], {
      DATABASE_URL: cluster.url,
    });
    try {
      await waitForBlockedBuild();
      await cluster.stop();
      const { code, output } = await build.done;
      expect(code).toBe(1);
      expect(output).toMatch(/extract attempt 1 failed .*retrying/);
      expect(output).toMatch(/error: .*gave up after 4 attempts/);
      expect(output).not.toContain(CLUSTER_PASSWORD);
      expect(await hashTree(out)).toEqual(before);
      expect(await leftovers()).toEqual([]);
    } finally {
      // The stop cut the lock's connection and so released it; ending the client closes what is left of it, and
      // releases the lock if the test failed before the stop (a COMMIT would fail on the cut connection).
      await lock.client.end();
      await cluster.start();
    }
  }, 60_000);

  test('authentication fails: no retry, exit 1, the message names the user and never the password', async () => {
    const url = new URL(cluster.url);
    url.password = 'Wrong-Pa55-Grep-Me-7';
    const { code, output } = await cli(['build', '--out', out, '--config', configPath], {
      DATABASE_URL: url.toString(),
    }).done;
    expect(code).toBe(1);
    expect(output).toContain('password authentication failed for user "postgres"');
    expect(output).not.toMatch(/attempt \d failed/);
    expect(output).not.toContain('Wrong-Pa55-Grep-Me-7');
  });

  test('statement timeout on a blocked read: a failure naming step and table, no retry, old data kept', async () => {
    const before = await hashTree(out);
    const lock = await lockTable('gmm_test_1');
    try {
      // The fingerprint step is the first to read the table.
      await expect(buildInto(cluster.url, { out, config: CONFIG, statementTimeoutMs: 500 })).rejects.toThrow(
        'fingerprint: public.gmm_test_1: canceling statement due to statement timeout',
      );
    } finally {
      await lock.release();
    }
    expect(await hashTree(out)).toEqual(before);
  });

  test('a pool smaller than the tasks: the build completes and never holds more than one connection', async () => {
    const counted = await tcpProxy(new URL(cluster.url));
    try {
      const { manifest } = await buildInto(counted.url, { out, config: CONFIG, poolSize: 1 });
      expect(manifest.datasets).toHaveLength(2);
      expect(counted.peak()).toBe(1);
    } finally {
      counted.close();
    }
  });
});

test('a concurrent writer during the build: every table reflects one snapshot', async () => {
  // Each writer transaction adds one row to BOTH tables; a build without one shared snapshot reads the tables (and
  // the chunks of each) at different moments and sees different sets of these rows.
  let writing = true;
  let written = 0;
  const writer = withClient(cluster.url, async (c) => {
    while (writing) {
      const name = `W${String(written).padStart(6, '0')}_POS`;
      await c.query('BEGIN');
      await c.query('INSERT INTO in_vivo (name, "Type") VALUES ($1, $2)', [name, 'by_positive']);
      await c.query('INSERT INTO gmm_test_1 (name) VALUES ($1)', [name]);
      await c.query('COMMIT');
      written++;
    }
  });
  try {
    const { out: fresh, manifest, report } = await buildInto(cluster.url, { config: CONFIG, poolSize: 4 });
    const names = async (id: string) => {
      const d = manifest.datasets.find((x) => x.id === id)!;
      const rows = await readParquet<{ name: string }>(
        join(fresh, d.files.features.path),
        `SELECT name FROM t WHERE name LIKE 'W%'`,
      );
      return rows.map((r) => r.name);
    };
    expect(written).toBeGreaterThan(0);
    expect(await names('in_vivo')).toEqual(await names('in_vitro'));
    for (const d of report.datasets) expect(d.counts.features).toBe(d.sourceRows);
  } finally {
    writing = false;
    await writer;
    await withClient(cluster.url, async (c) => {
      await c.query(`DELETE FROM in_vivo WHERE name LIKE 'W%'`);
      await c.query(`DELETE FROM gmm_test_1 WHERE name LIKE 'W%'`);
    });
  }
});

describe('the build process is killed or interrupted', () => {
  test('SIGKILL while the new data is being written: the old data stays whole, the next build recovers', async () => {
    const before = await hashTree(out);
    // Forced: the source is the one already published, which a build would otherwise leave as it is.
    const build = cli(['build', '--out', out, '--config', configPath, '--force'], { DATABASE_URL: cluster.url });
    const staging = join(dirname(out), '.data.staging-');
    while ((await readdir(dirname(out))).every((f) => !join(dirname(out), f).startsWith(staging))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    build.child.kill('SIGKILL');
    const { signal } = await build.done;
    expect(signal).toBe('SIGKILL');
    expect(await hashTree(out)).toEqual(before);
    const { manifest } = await buildInto(cluster.url, { out, config: CONFIG });
    for (const file of manifestFiles(manifest)) expect(await sha256File(join(out, file.path))).toBe(file.sha256);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  test('SIGTERM mid-extraction: exit 143 and every build connection is released', async () => {
    const lock = await lockTable('in_vivo');
    const build = cli(['build', '--out', out, '--config', configPath], { DATABASE_URL: cluster.url });
    try {
      await waitForBlockedBuild();
      expect(await buildConnections()).toBeGreaterThan(0);
      build.child.kill('SIGTERM');
      const { code, output } = await build.done;
      expect(code, output).toBe(143);
      expect(output).toContain('interrupted (SIGTERM)');
    } finally {
      await lock.release();
    }
    for (let i = 0; i < 50 && (await buildConnections()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await buildConnections()).toBe(0);
  }, 60_000);

  test('SIGINT during a demo build stops the embedded PostgreSQL', async () => {
    const dir = await mkdtemp('/tmp/metanexus-embedded-');
    // Run as root, the server runs as the user postgres, who must enter the data folder's parent.
    await chmod(dir, 0o755);
    const dataDir = join(dir, 'pg');
    const build = cli(['build', '--out', join(dir, 'data'), '--demo-scale', '0.05'], {
      METANEXUS_EMBEDDED_DIR: dataDir,
    });
    try {
      while (!build.output().includes('▸ seed demo data')) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);
      build.child.kill('SIGINT');
      const { code, output } = await build.done;
      expect(code, output).toBe(130);
      for (let i = 0; i < 50 && existsSync(join(dataDir, 'postmaster.pid')); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      // PostgreSQL may still be writing its last files while it shuts down.
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  }, 120_000);
});
