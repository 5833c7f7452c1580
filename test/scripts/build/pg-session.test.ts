import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLog } from '../../../scripts/build/log.ts';
import { APPLICATION_NAME, createPool, openSnapshotSession, settleAll } from '../../../scripts/build/pg-session.ts';
import { buildInto } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';
import { tcpProxy } from '../../helpers/tcp-proxy.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('session');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

test('the session never holds more connections than its size, and uses them all', async () => {
  const counted = await tcpProxy(new URL(db.url));
  const pool = createPool({ connectionString: counted.url, poolSize: 3, statementTimeoutMs: 10_000 });
  try {
    const session = await openSnapshotSession(pool, 3);
    await settleAll(Array.from({ length: 9 }, () => session.run((c) => c.query('SELECT pg_sleep(0.15)'))));
    await session.close();
    expect(counted.peak()).toBe(3);
  } finally {
    await pool.end();
    counted.close();
  }
});

test('a whole build with pool size 2 never exceeds 2 connections', async () => {
  const counted = await tcpProxy(new URL(db.url));
  try {
    const { manifest } = await buildInto(counted.url, { poolSize: 2 });
    expect(manifest.datasets.map((d) => d.counts.features)).toEqual([5, 5]);
    expect(counted.peak()).toBeGreaterThanOrEqual(1);
    expect(counted.peak()).toBeLessThanOrEqual(2);
  } finally {
    counted.close();
  }
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
  const [name] = await session.run(async (c) => (await c.query('SHOW application_name')).rows);
  expect(name).toEqual({ application_name: APPLICATION_NAME });
  await expect(session.run((c) => c.query(`INSERT INTO vivo (name) VALUES ('X')`))).rejects.toThrow(/read-only/);
  await session.close();
  const again = await openSnapshotSession(pool, 1);
  await expect(again.run((c) => c.query('SELECT pg_sleep(2)'))).rejects.toThrow(/statement timeout/);
  await again.close();
  await pool.end();
});

test('a connection reset is retried with backoff and the build then succeeds', async () => {
  const flaky = await tcpProxy(new URL(db.url), 1);
  const lines: string[] = [];
  try {
    const { manifest } = await buildInto(flaky.url, { log: createLog({ write: (l) => lines.push(l) }) });
    expect(manifest.datasets.map((d) => d.counts.features)).toEqual([5, 5]);
    expect(lines.some((l) => /extract attempt 1 failed/.test(l))).toBe(true);
  } finally {
    flaky.close();
  }
});

test('a server that keeps refusing fails the build after the bounded retries, with a clear message', async () => {
  const refusing = await tcpProxy(new URL(db.url), 1_000);
  const lines: string[] = [];
  try {
    await expect(
      buildInto(refusing.url, { attempts: 3, log: createLog({ write: (l) => lines.push(l) }) }),
    ).rejects.toThrow(/(Connection terminated|ECONNRESET).*gave up after 3 attempts/);
    expect(lines.filter((l) => /extract attempt \d failed/.test(l))).toHaveLength(2);
  } finally {
    refusing.close();
  }
});
