import type { DuckDBConnection } from '@duckdb/node-api';
import { FEATURE_TYPES, type FeatureType } from '../../src/lib/feature-types.ts';
import type { FileEntry } from '../../src/lib/manifest.ts';
import { queryRows } from './duck.ts';
import { binsPerType, similarityOrder, type Profile } from './overview-layout.ts';

/**
 * Means are summed as DECIMAL(38, 12), exactly, so the same rows give the same bits in whatever order DuckDB's threads
 * add them (a DOUBLE sum does not: parallel partial sums combine in any order). Values are rounded to 12 decimals
 * first, far below the 4 shown; magnitudes from SUM_LIMIT on would overflow and fail the build instead.
 */
const SUM_LIMIT = 1e20;
const mean = (v: string) => `(sum(${v}::DECIMAL(38, 12))::DOUBLE / count(${v}))`;

/**
 * The overview of one dataset: every bin of features × every bacterium, one row each, in bin then row order. Reads
 * the precompute's `features`, `vals` and `bmap` tables and writes its file through `write`.
 *
 * Features are grouped by type (FEATURE_TYPES order), ordered within it by their mean over the bacteria that measured
 * them (none measured last), then by id, and cut into `binsPerType` runs of equal size (±1).
 */
export async function writeOverview(
  duck: DuckDBConnection,
  write: (select: string, base: string) => Promise<FileEntry>,
): Promise<FileEntry> {
  const [{ largest }] = (await queryRows<{ largest: number | null }>(
    duck,
    'SELECT max(abs(value)) AS largest FROM vals',
  )) as [{ largest: number | null }];
  if (largest !== null && largest >= SUM_LIMIT) {
    throw new Error(`overview: a value of magnitude ${largest} is too large to average (limit ${SUM_LIMIT})`);
  }
  await duck.run(`CREATE OR REPLACE TABLE ov_features AS
    SELECT f.name, f.type,
           row_number() OVER (PARTITION BY f.type ORDER BY m.mean ASC NULLS LAST, f.name) - 1 AS pos,
           count(*) OVER (PARTITION BY f.type) AS n_type
      FROM features AS f
      LEFT JOIN (SELECT feature, ${mean('value')} AS mean FROM vals GROUP BY feature) AS m ON m.feature = f.name`);
  const sizes = await queryRows<{ type: FeatureType; n: number }>(
    duck,
    'SELECT type, count(*)::INTEGER AS n FROM ov_features GROUP BY type',
  );
  const bins = binsPerType(
    Object.fromEntries(FEATURE_TYPES.map((t) => [t, sizes.find((s) => s.type === t)?.n ?? 0])) as Record<
      FeatureType,
      number
    >,
  );
  await duck.run('CREATE OR REPLACE TABLE ov_types (type VARCHAR, first_bin INTEGER, bins INTEGER)');
  let offset = 0;
  for (const type of FEATURE_TYPES) {
    await duck.run('INSERT INTO ov_types VALUES ($1, $2, $3)', [type, offset, bins[type]]);
    offset += bins[type];
  }
  await duck.run(`CREATE OR REPLACE TABLE ov_bin_of AS
    SELECT f.name AS feature, f.pos, (t.first_bin + f.pos * t.bins // f.n_type)::INTEGER AS bin
      FROM ov_features AS f JOIN ov_types AS t USING (type)`);
  await duck.run(`CREATE OR REPLACE TABLE ov_bins AS
    SELECT b.bin, any_value(f.type) AS type, count(*)::INTEGER AS features,
           arg_min(b.feature, b.pos) AS first_feature, arg_max(b.feature, b.pos) AS last_feature
      FROM ov_bin_of AS b JOIN ov_features AS f ON f.name = b.feature
     GROUP BY b.bin`);
  // The strongest feature: largest |value|, ties by feature id (VARCHAR compares in byte order in DuckDB), found in
  // the same pass as the other aggregates: a second pass joined every cell to its cell's largest, and a third read the
  // strongest value back from the values.
  const strongest = '(-abs(v.value), v.feature)';
  await duck.run(`CREATE OR REPLACE TABLE ov_cells AS
    SELECT b.bin, v.bacterium, count(*)::INTEGER AS measured, ${mean('v.value')} AS mean_value,
           max(v.value) AS max_value, min(v.value) AS min_value,
           arg_min(v.feature, ${strongest}) AS strongest, arg_min(v.value, ${strongest}) AS strongest_value
      FROM vals AS v JOIN ov_bin_of AS b USING (feature)
     GROUP BY b.bin, v.bacterium`);

  const order = similarityOrder(await profiles(duck, offset));
  await duck.run('CREATE OR REPLACE TABLE ov_rows (bacterium VARCHAR, "row" INTEGER)');
  for (const [row, id] of order.entries()) await duck.run('INSERT INTO ov_rows VALUES ($1, $2)', [id, row]);

  return write(
    `SELECT b.bin, b.type, b.features, b.first_feature, b.last_feature, r."row", r.bacterium,
            coalesce(c.measured, 0)::INTEGER AS measured, c.mean_value, c.max_value, c.min_value,
            c.strongest, c.strongest_value
       FROM ov_bins AS b CROSS JOIN ov_rows AS r
       LEFT JOIN ov_cells AS c ON c.bin = b.bin AND c.bacterium = r.bacterium
      ORDER BY b.bin, r."row"`,
    'overview',
  );
}

/** Every bacterium's bin means, over all `bins` bins, in bin order. */
async function profiles(duck: DuckDBConnection, bins: number): Promise<Profile[]> {
  const ids = await queryRows<{ id: string }>(duck, 'SELECT id FROM bmap ORDER BY idx');
  const cells = await queryRows<{ bin: number; bacterium: string; mean_value: number }>(
    duck,
    'SELECT bin, bacterium, mean_value FROM ov_cells',
  );
  const byId = new Map(ids.map(({ id }): [string, Profile] => [id, { id, means: new Array(bins).fill(null) }]));
  for (const c of cells) byId.get(c.bacterium)!.means[c.bin] = c.mean_value;
  return [...byId.values()];
}
