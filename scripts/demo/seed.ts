import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent } from '../../src/lib/sql/quote.ts';
import { DEMO_GENERATOR_VERSION, DEMO_SEED, generateDemo, toCsvLine } from './generate.ts';
import type { DemoOptions, DemoTable } from './generate.ts';

/** What `seedDemo` did: `loaded` is false when the same demo was already in place. */
export interface SeedResult {
  loaded: boolean;
  tables: { name: string; rows: number; columns: number }[];
  ms: number;
}

type Log = (msg: string) => void;

const MARKER_TABLE = 'metanexus_demo_marker';
// COPY data is sent in chunks of about this many characters: one CopyData message per line would be slow.
const CHUNK_CHARS = 1 << 16;

/** Loads the demo tables into PostgreSQL in one transaction, unless the marker shows the same demo is loaded. */
export async function seedDemo(
  client: pg.ClientBase,
  options: DemoOptions & { force?: boolean; log?: Log } = {},
): Promise<SeedResult> {
  const started = performance.now();
  const { force = false, log = () => {}, ...demoOptions } = options;
  const tables = generateDemo(demoOptions);
  const seed = demoOptions.seed ?? DEMO_SEED;
  const scale = demoOptions.scale ?? 1;
  const summary = tables.map((t) => ({ name: t.name, rows: t.rowCount, columns: t.columns.length }));

  if (!force && (await isLoaded(client, tables, seed, scale))) {
    log(`demo already loaded (seed ${seed}, scale ${scale})`);
    return { loaded: false, tables: summary, ms: performance.now() - started };
  }
  await client.query('BEGIN');
  try {
    for (const table of tables) await loadTable(client, table, log);
    await writeMarker(client, seed, scale);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  const ms = performance.now() - started;
  log(`demo loaded in ${Math.round(ms)} ms`);
  return { loaded: true, tables: summary, ms };
}

async function isLoaded(client: pg.ClientBase, tables: DemoTable[], seed: number, scale: number): Promise<boolean> {
  const names = [MARKER_TABLE, ...tables.map((t) => t.name)];
  const missing = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM unnest($1::text[]) AS t(name) WHERE to_regclass(quote_ident(name)) IS NULL',
    [names],
  );
  if (missing.rows[0]?.count !== 0) return false;
  const marker = await client.query(
    `SELECT 1 FROM ${quoteIdent(MARKER_TABLE)} WHERE seed = $1 AND scale = $2 AND generator_version = $3`,
    [seed, scale, DEMO_GENERATOR_VERSION],
  );
  return (marker.rowCount ?? 0) > 0;
}

async function loadTable(client: pg.ClientBase, table: DemoTable, log: Log): Promise<void> {
  log(`seeding ${table.name}: ${table.rowCount} rows x ${table.columns.length} columns`);
  const name = quoteIdent(table.name);
  try {
    await client.query(`DROP TABLE IF EXISTS ${name}`);
    const definitions = table.columns.map((c) => `${quoteIdent(c.name)} ${c.pgType}`);
    await client.query(`CREATE TABLE ${name} (${definitions.join(', ')})`);
    const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
    const copy = client.query(copyFrom(`COPY ${name} (${columns}) FROM STDIN WITH (FORMAT csv)`));
    await pipeline(Readable.from(csvChunks(table)), copy);
    if (copy.rowCount !== table.rowCount) {
      throw new Error(`COPY stored ${copy.rowCount} rows, expected ${table.rowCount}`);
    }
    await client.query(`ANALYZE ${name}`);
  } catch (error) {
    throw new Error(`seeding ${table.name} failed: ${messageOf(error)}`, { cause: error });
  }
}

/** The table as CSV text, a few kilobytes at a time, so memory stays flat whatever the table size. */
function* csvChunks(table: DemoTable): Generator<string> {
  let chunk = '';
  for (const row of table.rows()) {
    chunk += toCsvLine(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

async function writeMarker(client: pg.ClientBase, seed: number, scale: number): Promise<void> {
  const marker = quoteIdent(MARKER_TABLE);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${marker} ` +
        '(seed int, scale double precision, generator_version int, loaded_at timestamptz)',
    );
    await client.query(`DELETE FROM ${marker}`);
    await client.query(`INSERT INTO ${marker} (seed, scale, generator_version, loaded_at) VALUES ($1, $2, $3, now())`, [
      seed,
      scale,
      DEMO_GENERATOR_VERSION,
    ]);
  } catch (error) {
    throw new Error(`writing ${MARKER_TABLE} failed: ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
