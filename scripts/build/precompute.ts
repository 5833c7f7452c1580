import type { DuckDBConnection } from '@duckdb/node-api';
import type {
  Bacterium,
  Dataset,
  DatasetCounts,
  DownloadFile,
  FileEntry,
  TopProducerPart,
  ValuePart,
} from '../../src/lib/manifest.ts';
import { bacteriumShardSelect } from '../../src/lib/sql/landscape.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { writeDownloads } from './downloads.ts';
import { queryRows } from './duck.ts';
import type { ExtractedTable } from './extract.ts';
import type { Log } from './log.ts';
import { writeOverview } from './overview.ts';
import { keyParts } from './key-parts.ts';
import { writeParquet } from './parquet.ts';

/** How many top producers are kept per feature: the co-occurrence view's "top 10". */
export const TOP_PRODUCER_RANKS = 10;

/** What one dataset became: its files (paths relative to the output root) and counts. */
export interface DatasetOutput extends Pick<Dataset, 'counts' | 'files' | 'bacteria'> {
  /** Source rows left out (no name), so validation can reconcile counts. */
  skippedRows: number;
  /** NaN and ±∞ cells left out as not measured, per bacterium id: verification checks the source held them. */
  droppedNonFinite: Record<string, number>;
  /** The full long table for download, named with the data version once it is known (downloads.ts). */
  downloads: DownloadFile[];
}

export interface PrecomputeEffects {
  /** Rows per values file, about; VALUES_PART_ROWS by default. */
  valuesPartRows?: number;
  /** Rows per top-producers file, about; TOP_PRODUCER_PART_ROWS by default. */
  topProducerPartRows?: number;
  /** Rows per download part, about; DOWNLOAD_PART_ROWS by default. */
  downloadPartRows?: number;
  duck: DuckDBConnection;
  /** Output root (the staging folder). */
  root: string;
  log: Log;
}

/** Writes the rows of a SELECT to `<dataset>/<base>.<hash>.parquet` and returns its entry. */
type Write = (select: string, base: string, rowGroupSize?: number) => Promise<FileEntry>;

const TYPE_CASE = `CASE
    WHEN type_src IN ('by_name', 'by_positive', 'by_negative') THEN type_src
    WHEN ends_with(name, '_POS') THEN 'by_positive'
    WHEN ends_with(name, '_NEG') THEN 'by_negative'
    ELSE 'by_name' END`;

const SAMPLE = 5;
const sample = (names: string[]) =>
  names
    .slice(0, SAMPLE)
    .map((n) => JSON.stringify(n))
    .join(', ');

async function loadRaw(t: ExtractedTable, { duck, log }: PrecomputeEffects): Promise<number> {
  const columns = [
    ['name', 'VARCHAR'],
    ['mz', 'DOUBLE'],
    ['rt', 'DOUBLE'],
    ['type_src', 'VARCHAR'],
    ['label_src', 'VARCHAR'],
    ...t.schema.bacteria.map((_, i) => [`b${i}`, 'DOUBLE']),
  ];
  const struct = `{${columns.map(([n, type]) => `${quoteLiteral(n!)}: ${quoteLiteral(type!)}`).join(', ')}}`;
  const files = `[${t.files.map(quoteLiteral).join(', ')}]`;
  // PostgreSQL's CSV writes NULL as an empty field and '' as "": keep the two apart.
  await duck.run(`CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv(${files}, columns = ${struct},
      header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false)`);
  await duck.run('CREATE OR REPLACE TABLE bmap (idx INTEGER, id VARCHAR)');
  for (const [idx, id] of t.schema.bacteria.entries()) await duck.run('INSERT INTO bmap VALUES ($1, $2)', [idx, id]);

  const [{ rows }] = (await queryRows<{ rows: number }>(duck, 'SELECT count(*)::INT AS rows FROM raw')) as [
    { rows: number },
  ];
  if (rows === 0) log.warn(`${t.schema.table}: the table is empty; its dataset will have no features`);
  const unnamed = await queryRows<{ n: number }>(
    duck,
    `SELECT count(*)::INT AS n FROM raw WHERE trim(coalesce(name, '')) = ''`,
  );
  const skipped = unnamed[0]!.n;
  if (skipped > 0) log.warn(`${t.schema.table}: ${skipped} rows skipped: empty or NULL name`);
  const duplicates = await queryRows<{ name: string }>(
    duck,
    `SELECT name FROM raw WHERE trim(coalesce(name, '')) <> '' GROUP BY name HAVING count(*) > 1 ORDER BY name`,
  );
  if (duplicates.length > 0) {
    throw new Error(
      `${t.schema.table}: duplicate name: ${duplicates.length} names stand in more than one row: ` +
        sample(duplicates.map((d) => d.name)),
    );
  }
  const unknownTypes = await queryRows<{ name: string; type_src: string }>(
    duck,
    `SELECT name, type_src FROM raw WHERE type_src IS NOT NULL
        AND type_src NOT IN ('by_name', 'by_positive', 'by_negative') ORDER BY name`,
  );
  if (unknownTypes.length > 0) {
    log.warn(
      `${t.schema.table}: ${unknownTypes.length} rows with an unknown Type, typed by their name's suffix instead: ` +
        sample(unknownTypes.map((r) => `${r.name}=${r.type_src}`)),
    );
  }
  return skipped;
}

async function buildTables(t: ExtractedTable, { duck, log }: PrecomputeEffects): Promise<Record<string, number>> {
  const unpivot = t.schema.bacteria.map((_, i) => `b${i}`).join(', ');
  // A view, read twice (the NaN and ∞ cells, then the values): a table of every cell was one more copy of them in
  // DuckDB's memory.
  await duck.run(`CREATE OR REPLACE VIEW cells AS
    SELECT u.name AS feature, m.id AS bacterium, u.value
      FROM (UNPIVOT (SELECT name, ${unpivot} FROM raw WHERE trim(coalesce(name, '')) <> '')
            ON ${unpivot} INTO NAME col VALUE value) AS u
      JOIN bmap AS m ON 'b' || m.idx = u.col`);
  const nonFinite = await queryRows<{ feature: string; bacterium: string; n: bigint }>(
    duck,
    `SELECT bacterium, count(*) AS n, min(feature) AS feature FROM cells WHERE NOT isfinite(value)
      GROUP BY bacterium ORDER BY bacterium`,
  );
  if (nonFinite.length > 0) {
    const total = nonFinite.reduce((sum, c) => sum + Number(c.n), 0);
    log.warn(
      `${t.schema.table}: ${total} NaN or infinite values treated as not measured: ` +
        sample(nonFinite.map((c) => `${c.feature}/${c.bacterium}`)),
    );
  }
  // Clustered by feature, so that a query for one part of the values reads only that part's row groups. Sorted by
  // feature alone: every file sorts its own rows in full, and the bacterium as a second key made this sort of every
  // cell 70 % dearer (3.0 s against 1.8 s at full demo scale).
  await duck.run(`CREATE OR REPLACE TABLE vals AS
    SELECT feature, bacterium, value FROM cells WHERE isfinite(value) ORDER BY feature`);
  // Each aggregated before the join: grouping every cell by the joined row's columns cost a wide hash table.
  await duck.run(`CREATE OR REPLACE TABLE features AS
    SELECT r.name, coalesce(nullif(trim(r.label_src), ''), r.name) AS label, ${TYPE_CASE} AS type, r.mz, r.rt,
           coalesce(v.n, 0)::INTEGER AS n_values, v.min_value, v.max_value
      FROM raw AS r
      LEFT JOIN (SELECT feature, count(*) AS n, min(value) AS min_value, max(value) AS max_value FROM vals
                  GROUP BY feature) AS v ON v.feature = r.name
     WHERE trim(coalesce(r.name, '')) <> ''`);
  await duck.run(`CREATE OR REPLACE TABLE bacteria AS
    SELECT m.id, replace(m.id, '_', ' ') AS name, m.idx::INTEGER AS position, coalesce(v.n, 0)::INTEGER AS n_values,
           coalesce(v.n_positive, 0)::INTEGER AS n_positive, v.min_value, v.max_value
      FROM bmap AS m
      LEFT JOIN (SELECT bacterium, count(*) AS n, count(*) FILTER (WHERE value > 0) AS n_positive,
                        min(value) AS min_value, max(value) AS max_value FROM vals GROUP BY bacterium) AS v
        ON v.bacterium = m.id`);
  await duck.run(`CREATE OR REPLACE TABLE summary AS
    SELECT ${quoteLiteral(t.dataset.id)} AS dataset,
           (SELECT count(*) FROM features)::INTEGER AS features,
           (SELECT count(*) FROM bacteria)::INTEGER AS bacteria,
           (SELECT count(*) FROM vals)::BIGINT AS "values",
           count(*) FILTER (WHERE type = 'by_name')::INTEGER AS by_name,
           count(*) FILTER (WHERE type = 'by_positive')::INTEGER AS by_positive,
           count(*) FILTER (WHERE type = 'by_negative')::INTEGER AS by_negative
      FROM features`);
  // Every later step reads the long table: the wide one, as large at 4 × the demo, would only crowd DuckDB's memory.
  await duck.run('DROP VIEW cells');
  await duck.run('DROP TABLE raw');
  const empty = await queryRows<{ id: string }>(duck, 'SELECT id FROM bacteria WHERE n_values = 0 ORDER BY id');
  if (empty.length > 0)
    log.warn(`${t.schema.table}: ${empty.length} bacteria without any value: ${sample(empty.map((b) => b.id))}`);
  return Object.fromEntries(nonFinite.map((c) => [c.bacterium, Number(c.n)]));
}

/**
 * Rows per values file: the long table is cut at feature boundaries into parts of about 8 MiB, because some static
 * hosts refuse files over 25 MiB (in vivo's single file was 26 MiB at full scale). A part may pass this by less than
 * one feature's values (at most one per bacterium).
 */
export const VALUES_PART_ROWS = 1_000_000;

/**
 * Rows per top-producers file: cut at bacterium boundaries like the values, for the same hosts (in vivo's single file
 * was 37.6 MB at 4 × the demo). A part may pass this by less than one bacterium's rows (at most one per feature).
 */
export const TOP_PRODUCER_PART_ROWS = 1_000_000;

/**
 * The rows of table `source` as parts of about `partRows` rows cut at `key` boundaries (by `keyParts`), each sorted
 * by `order` in row groups of 8,192, so that a query for one key reads one part and few of its groups through HTTP
 * range requests. Returns each part's first key and file, in part order; an empty table still gets one (empty) part.
 */
async function writeParts(
  duck: DuckDBConnection,
  write: Write,
  { source, key, table, order, base, partRows }: Parameters<typeof keyParts>[1] & { order: string; base: string },
): Promise<{ first: string; file: FileEntry }[]> {
  const firsts = await keyParts(duck, { table, source, key, partRows });
  const files: { first: string; file: FileEntry }[] = [];
  for (let part = 0; part < Math.max(1, firsts.length); part++) {
    files.push({
      first: firsts[part]?.first ?? '',
      file: await write(
        `SELECT s.* FROM ${source} AS s JOIN ${table} AS p USING (${key}) WHERE p.part = ${part} ORDER BY ${order}`,
        `${base}.${String(part).padStart(3, '0')}`,
        8_192,
      ),
    });
  }
  return files;
}

/** The values as parts in feature order: one feature's lookup reads one row group of one part. */
async function writeValueParts(duck: DuckDBConnection, write: Write, partRows: number): Promise<ValuePart[]> {
  const parts = await writeParts(duck, write, {
    source: 'vals',
    key: 'feature',
    table: 'value_parts',
    order: 'feature, bacterium',
    base: 'values',
    partRows,
  });
  return parts.map(({ first, file }) => ({ firstFeature: first, ...file }));
}

/**
 * Each feature's top producers (its highest positive values, ties by bacterium id) as parts in bacterium order:
 * "which features have all these bacteria in their top 10" reads each selected bacterium's groups of one part. Each
 * row carries its feature's type and label, so that the answer needs no other file (the features file is 2.4 MiB, a
 * bacterium's rows a row group or two); the label is NULL where it is the feature id (all but 496 of 81,813 in vivo),
 * which keeps a row group a quarter smaller than a copied label.
 */
async function writeTopProducers(duck: DuckDBConnection, write: Write, partRows: number): Promise<TopProducerPart[]> {
  await duck.run(`CREATE OR REPLACE TABLE top_producers AS
    SELECT t.bacterium, t.feature, nullif(f.label, f.name) AS label, f.type, t.rank, t.value FROM (
      SELECT feature, bacterium, value,
             row_number() OVER (PARTITION BY feature ORDER BY value DESC, bacterium ASC)::INTEGER AS rank
        FROM vals WHERE value > 0) AS t JOIN features AS f ON f.name = t.feature
     WHERE t.rank <= ${TOP_PRODUCER_RANKS}`);
  const parts = await writeParts(duck, write, {
    source: 'top_producers',
    key: 'bacterium',
    table: 'top_producer_parts',
    order: 'bacterium, feature',
    base: 'top-producers',
    partRows,
  });
  await duck.run('DROP TABLE top_producers');
  return parts.map(({ first, file }) => ({ firstBacterium: first, ...file }));
}

/**
 * One file per bacterium sorted by value with its ranks: Top N and Bottom N read a group or two, All one file. The
 * cells are first copied once into a table sorted by bacterium, so that each shard's query reads only its own row
 * groups (DuckDB skips the others by their min/max): a query per bacterium over the whole values table made the
 * shards cost bacteria × cells, 15 minutes of the 4 × build.
 */
async function writeShards(duck: DuckDBConnection, write: Write, log: Log, id: string): Promise<Bacterium[]> {
  await duck.run(`CREATE OR REPLACE TABLE shard_cells AS
    SELECT m.idx AS position, v.feature, f.label, f.type, v.value
      FROM vals AS v JOIN bmap AS m ON m.id = v.bacterium JOIN features AS f ON f.name = v.feature
     ORDER BY m.idx`);
  const rows = await queryRows<{ id: string; name: string; n_values: number; position: number }>(
    duck,
    'SELECT id, name, n_values, position FROM bacteria ORDER BY id',
  );
  const bacteria: Bacterium[] = [];
  const progress = log.progress(`${id}: bacterium files`, rows.length);
  for (const b of rows) {
    const file = await write(
      bacteriumShardSelect(`(SELECT feature, label, type, value FROM shard_cells WHERE position = ${b.position})`),
      `bacteria/${String(b.position).padStart(3, '0')}`,
      2_048,
    );
    bacteria.push({ id: b.id, name: b.name, values: b.n_values, file });
    progress.tick();
  }
  progress.done();
  await duck.run('DROP TABLE shard_cells');
  return bacteria;
}

/** Turns one extracted table into the Parquet files the site reads, under `<root>/<dataset id>/`. */
export async function precompute(t: ExtractedTable, effects: PrecomputeEffects): Promise<DatasetOutput> {
  const { duck, root, log } = effects;
  // Each part is timed on its own in the report (summed over the datasets, and part of precompute's time).
  const { skippedRows, droppedNonFinite } = await log.step('tables (in precompute)', async () => ({
    skippedRows: await loadRaw(t, effects),
    droppedNonFinite: await buildTables(t, effects),
  }));
  const id = t.dataset.id;
  const write: Write = (select, base, rowGroupSize) =>
    writeParquet(duck, select, { root, base: `${id}/${base}`, rowGroupSize });

  const files = {
    // Small row groups: a label lookup (`name = ?`) before the first chart reads one group, not the whole file.
    features: await write('SELECT * FROM features ORDER BY name', 'features', 2_048),
    bacteria: await write('SELECT * FROM bacteria ORDER BY id', 'bacteria'),
    values: await log.step('values (in precompute)', () =>
      writeValueParts(duck, write, effects.valuesPartRows ?? VALUES_PART_ROWS),
    ),
    topProducers: await log.step('top producers (in precompute)', () =>
      writeTopProducers(duck, write, effects.topProducerPartRows ?? TOP_PRODUCER_PART_ROWS),
    ),
    summary: await write('SELECT * FROM summary', 'summary'),
    overview: await log.step('overview (in precompute)', () => writeOverview(duck, write)),
  };

  const bacteria = await log.step('bacterium files (in precompute)', () => writeShards(duck, write, log, id));

  const [summary] = await queryRows<{ by_name: number; by_positive: number; by_negative: number; values: bigint }>(
    duck,
    'SELECT * FROM summary',
  );
  const counts: DatasetCounts = {
    features: files.features.rows,
    bacteria: bacteria.length,
    values: Number(summary!.values),
    byType: { by_name: summary!.by_name, by_positive: summary!.by_positive, by_negative: summary!.by_negative },
  };
  const downloads = await log.step('downloads (in precompute)', () =>
    writeDownloads(duck, { root, id, partRows: effects.downloadPartRows }),
  );
  return { counts, files, bacteria, skippedRows, droppedNonFinite, downloads };
}
