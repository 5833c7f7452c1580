import pg from 'pg';
import pLimit from 'p-limit';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';

export const APPLICATION_NAME = 'metanexus-build';

export interface PoolOptions {
  connectionString: string;
  /** The most connections the build may hold at once: the lab database is shared. */
  poolSize: number;
  statementTimeoutMs: number;
}

/** A bounded pool whose connections are read-only, time-limited and named in pg_stat_activity. */
export function createPool({ connectionString, poolSize, statementTimeoutMs }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    application_name: APPLICATION_NAME,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 1_000,
    // No parallel workers: they are server processes of their own (in pg_stat_activity under the same name), so a
    // query planned in parallel would take more of the shared server than the pool size says.
    options:
      '-c default_transaction_read_only=on -c standard_conforming_strings=on -c max_parallel_workers_per_gather=0',
  });
  // An idle client that the server drops (admin shutdown) emits here; the task using it fails and is retried.
  pool.on('error', () => {});
  return pool;
}

/** Runs tasks on up to `size` connections that all read one exported snapshot of the database. */
export interface SnapshotSession {
  readonly snapshotId: string;
  run<T>(task: (client: pg.ClientBase) => Promise<T>): Promise<T>;
  /** Ends every transaction and returns the connections to the pool. */
  close(): Promise<void>;
}

const BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Opens a snapshot session: the first connection exports its snapshot (as `pg_dump --jobs` does) and stays in
 * its transaction, also serving as a worker, so the session never needs more than `size` connections.
 */
export async function openSnapshotSession(pool: pg.Pool, size: number): Promise<SnapshotSession> {
  const first = await pool.connect();
  const clients: pg.PoolClient[] = [first];
  let failure: unknown;
  // A checked-out client whose server goes away emits 'error'; unheard, that would crash the process.
  const listen = (client: pg.PoolClient) => client.on('error', (error) => (failure ??= error));
  listen(first);
  let snapshotId: string;
  try {
    await first.query(BEGIN);
    const { rows } = await first.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    snapshotId = rows[0]!.id;
  } catch (error) {
    first.release(true);
    throw error;
  }
  const idle: pg.PoolClient[] = [first];
  const broken = new Set<pg.PoolClient>();
  const limit = pLimit(size);

  async function join(): Promise<pg.PoolClient> {
    const client = await pool.connect();
    clients.push(client);
    listen(client);
    await client.query(BEGIN);
    await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshotId)}`);
    return client;
  }

  return {
    snapshotId,
    run: (task) =>
      limit(async () => {
        // Once a task has failed the session is done for: queued tasks fail fast instead of starting.
        if (failure) throw failure;
        const client = idle.pop() ?? (await join());
        try {
          const result = await task(client);
          idle.push(client);
          return result;
        } catch (error) {
          failure ??= error;
          broken.add(client);
          throw error;
        }
      }),
    async close() {
      await Promise.all(
        clients.map(async (client) => {
          const ok = !broken.has(client);
          if (ok) await client.query('COMMIT').catch(() => {});
          client.release(!ok);
        }),
      );
    },
  };
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Connection lost or refused, server shutting down: worth another try. Timeouts and SQL errors are not. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && TRANSIENT_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|terminating connection/i.test(error.message);
}

/** Like Promise.all, but waits for every task to settle before rejecting, so nothing runs after a failure. */
export async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Retries `run` on transient errors with exponential backoff, `attempts` times in all. */
export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  {
    attempts,
    baseDelayMs,
    onRetry,
  }: { attempts: number; baseDelayMs: number; onRetry?: (error: Error, attempt: number) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) {
        throw new Error(`${(error as Error).message} (gave up after ${attempts} attempts)`, { cause: error });
      }
      onRetry?.(error as Error, attempt);
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
