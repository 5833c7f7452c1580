import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EmbeddedDatabase } from '../../scripts/demo/embedded-db.ts';
import { quoteIdent } from '../../src/lib/sql/quote.ts';

/** A throw-away database on a real PostgreSQL server. */
export interface TestDatabase {
  url: string;
  /** The server's admin URL (for roles, other databases, pg_stat_activity). */
  adminUrl: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

let embedded: Promise<EmbeddedDatabase> | undefined;

/** The server under test: TEST_DATABASE_URL when set (CI), else an embedded PostgreSQL for this test run. */
async function serverUrl(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  // One data folder per worker: test files run in parallel, and one shared folder would make each wait for the last.
  embedded ??= import('../../scripts/demo/embedded-db.ts').then((m) =>
    m.startEmbeddedPostgres(m.embeddedDir(`test-postgres-${process.env.VITEST_POOL_ID ?? 0}`)),
  );
  return (await embedded).connectionString;
}

/** Stops the embedded server if this run started one. */
export async function stopTestServer(): Promise<void> {
  if (embedded) await (await embedded).stop();
  embedded = undefined;
}

export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database named after the test, so tests never see each other's tables. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = await serverUrl();
  const name = `metanexus_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    adminUrl,
    query: (sql, params) => withClient(url.toString(), async (c) => (await c.query(sql, params)).rows),
    drop: () =>
      withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => {}),
  };
}
