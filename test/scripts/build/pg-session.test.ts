import { readFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLog } from '../../../scripts/build/log.ts';
import { APPLICATION_NAME, createPool, openSnapshotSession, settleAll } from '../../../scripts/build/pg-session.ts';
import { buildInto } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('session');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

/** Samples how many build connections the server sees until `done` settles; returns the maximum. */
async function peakConnections(done: Promise<unknown>): Promise<number> {
  let peak = 0;
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => {});
  const dbName = new URL(db.url).pathname.slice(1);
  while (!finished) {
    const [row] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
      [APPLICATION_NAME, dbName],
    );
    peak = Math.max(peak, row!.n);
    await new Promise((r) => setTimeout(r, 10));
  }
  await done;
  return peak;
}

test('the session never holds more connections than its size, and uses them all', async () => {
  const pool = createPool({ connectionString: db.url, poolSize: 3, statementTimeoutMs: 10_000 });
  const session = await openSnapshotSession(pool, 3);
  const work = settleAll(Array.from({ length: 9 }, () => session.run((c) => c.query('SELECT pg_sleep(0.15)'))));
  expect(await peakConnections(work)).toBe(3);
  await session.close();
  await pool.end();
});

test('a whole build with pool size 2 never exceeds 2 connections', async () => {
  const build = buildInto(db.url, { poolSize: 2 });
  const peak = await peakConnections(build);
  expect(peak).toBeGreaterThanOrEqual(1);
  expect(peak).toBeLessThanOrEqual(2);
});

test('every connection of a session reads the one exported snapshot, even one opened after a commit', async () => {
  const pool = createPool({ connectionString: db.url, poolSize: 3, statementTimeoutMs: 10_000 });
  const session = await openSnapshotSession(pool, 3);
  const count = () =>
    session.run(async (c) => {
      const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM vivo, pg_sleep(0.1)');
      return rows[0]!.n;
    });
  expect(await count()).toBe(5);
  await db.query(`INSERT INTO vivo (name) VALUES ('LATE_ROW')`);
  try {
    // Three at once forces two new connections, which join after the insert committed.
    expect(await settleAll([count(), count(), count()])).toEqual([5, 5, 5]);
  } finally {
    await session.close();
    await pool.end();
    await db.query(`DELETE FROM vivo WHERE name = 'LATE_ROW'`);
  }
});

test('connections are read-only, named, time-limited, and plan no parallel workers', async () => {
  const pool = createPool({ connectionString: db.url, poolSize: 1, statementTimeoutMs: 200 });
  const session = await openSnapshotSession(pool, 1);
  const [setting] = await session.run(async (c) => (await c.query('SHOW max_parallel_workers_per_gather')).rows);
  expect(setting).toEqual({ max_parallel_workers_per_gather: '0' });
  await expect(session.run((c) => c.query(`INSERT INTO vivo (name) VALUES ('X')`))).rejects.toThrow(/read-only/);
  await session.close();
  const again = await openSnapshotSession(pool, 1);
  await expect(again.run((c) => c.query('SELECT pg_sleep(2)'))).rejects.toThrow(/statement timeout/);
  await again.close();
  await pool.end();
});

/** A TCP proxy in front of the real server that cuts the first `failures` connections. */
async function flakyProxy(target: URL, failures: number): Promise<{ server: Server; url: string }> {
  let seen = 0;
  const server = createServer((client) => {
    if (seen++ < failures) return client.destroy();
    const upstream = new Socket();
    upstream.connect(Number(target.port || 5432), target.hostname, () => {
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return { server, url: url.toString() };
}

test('a connection reset is retried with backoff and the build then succeeds', async () => {
  const { server, url } = await flakyProxy(new URL(db.url), 1);
  const lines: string[] = [];
  try {
    const { manifest } = await buildInto(url, { log: createLog({ write: (l) => lines.push(l) }) });
    expect(manifest.datasets.map((d) => d.counts.features)).toEqual([5, 5]);
    expect(lines.some((l) => /extract attempt 1 failed/.test(l))).toBe(true);
  } finally {
    server.close();
  }
});

test('a server that keeps refusing fails the build after the bounded retries, with a clear message', async () => {
  const { server, url } = await flakyProxy(new URL(db.url), 1_000);
  const lines: string[] = [];
  try {
    await expect(buildInto(url, { attempts: 3, log: createLog({ write: (l) => lines.push(l) }) })).rejects.toThrow(
      /(Connection terminated|ECONNRESET).*gave up after 3 attempts/,
    );
    expect(lines.filter((l) => /extract attempt \d failed/.test(l))).toHaveLength(2);
  } finally {
    server.close();
  }
});
