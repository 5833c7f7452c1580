import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuck } from '../../../scripts/build/duck.ts';
import { sha256File, writeParquet } from '../../../scripts/build/parquet.ts';
import type { BuildDataOptions } from '../../../scripts/build/build-data.ts';
import type { DatasetOutput } from '../../../scripts/build/precompute.ts';
import { tolerance } from '../../../scripts/build/verify.ts';
import type { FileEntry } from '../../../src/lib/manifest.ts';
import { quoteLiteral } from '../../../src/lib/sql/quote.ts';
import { buildInto, runBuild } from '../../helpers/build.ts';
import { hashTree } from '../../helpers/files.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

// The build must prove its staged files equal the source before it publishes. Each test corrupts the staged files
// between precompute and validation (the build's test hook), the way a collision in DuckDB's spill files did, while
// keeping every file's content hash consistent, so that only the check against the source can catch it.
let db: TestDatabase;
let out: string;
let published: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase('verify');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  ({ out } = await buildInto(db.url));
  published = await hashTree(out);
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

/** Rewrites a staged Parquet file through `select` over its rows (view `t`); returns its new entry. */
async function rewrite(staging: string, entry: FileEntry, select: string): Promise<FileEntry> {
  const { duck, close } = await openDuck(1);
  try {
    await duck.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${quoteLiteral(join(staging, entry.path))})`);
    await rm(join(staging, entry.path));
    return await writeParquet(duck, select, {
      root: staging,
      base: entry.path.replace(/\.[0-9a-f]{16}\.parquet$/, ''),
    });
  } finally {
    await close();
  }
}

/**
 * Rewrites a staged download part (the first of its format unless `which` says otherwise) in its own format through
 * `select` over its rows (table `t`), in place, and updates its entry's rows, size and hash, so that only the check
 * against the source can tell.
 */
async function rewriteDownload(
  staging: string,
  vivo: DatasetOutput,
  format: 'csv' | 'parquet',
  select: string,
  which: 'first' | 'last' = 'first',
) {
  const parts = vivo.downloads.filter((p) => p.format === format);
  const entry = which === 'first' ? parts[0]! : parts.at(-1)!;
  const path = join(staging, entry.path);
  const { duck, close } = await openDuck(1);
  try {
    await duck.run(
      `CREATE TABLE t AS SELECT * FROM ${format === 'csv' ? 'read_csv' : 'read_parquet'}(${quoteLiteral(path)})`,
    );
    const options = format === 'csv' ? 'FORMAT csv, HEADER true, COMPRESSION gzip' : 'FORMAT parquet';
    const { rowsChanged: rows } = await duck.run(`COPY (${select}) TO ${quoteLiteral(path)} (${options})`);
    Object.assign(entry, { rows, bytes: (await stat(path)).size, sha256: await sha256File(path) });
  } finally {
    await close();
  }
}

type Tamper = (staging: string, vivo: DatasetOutput) => Promise<void>;

/**
 * Runs a forced build whose staged `vivo` files `tamper` corrupts; expects it to fail with a message matching every
 * pattern, and to publish nothing.
 */
function expectRefused(tamper: Tamper, ...messages: RegExp[]): Promise<void> {
  return expectRefusedWith({}, tamper, ...messages);
}

/** expectRefused, for a build with `options`. */
async function expectRefusedWith(
  options: Partial<BuildDataOptions>,
  tamper: Tamper,
  ...messages: RegExp[]
): Promise<void> {
  const error = await runBuild(db.url, {
    ...options,
    out,
    force: true,
    afterPrecompute: (staging, outputs) => tamper(staging, outputs[0]!),
  }).then(
    () => new Error('the build published'),
    (e: Error) => e,
  );
  for (const message of messages) expect(error.message).toMatch(message);
  expect(await hashTree(out)).toEqual(published);
  expect((await readdir(dirname(out))).filter((f) => f !== 'data')).toEqual([]);
}

const shardOf = (vivo: DatasetOutput, id: string) => vivo.bacteria.find((b) => b.id === id)!;

describe('a build refuses staged data that differs from the source', () => {
  test('one finite value changed in a values part', async () => {
    await expectRefused(async (staging, vivo) => {
      const part = vivo.files.values[0]!;
      const changed = `SELECT feature, bacterium, CASE WHEN feature = 'M400T40_POS' AND bacterium = 'A_one'
        THEN value + 0.001 ELSE value END AS value FROM t ORDER BY feature, bacterium`;
      vivo.files.values[0] = { ...part, ...(await rewrite(staging, part, changed)) };
    }, /verify: .*\n {2}vivo: bacterium "A_one": values parts: sum differs by 0\.00(099|100)\d+ \(tolerance [\d.e-]+\): 3 cells, sum 5\.501/);
  });

  test('a value turned into NaN in a values part', async () => {
    await expectRefused(async (staging, vivo) => {
      const part = vivo.files.values[0]!;
      const changed = `SELECT feature, bacterium, CASE WHEN feature = 'M100T10_NEG' AND bacterium = 'B_two'
        THEN 'NaN'::DOUBLE ELSE value END AS value FROM t ORDER BY feature, bacterium`;
      vivo.files.values[0] = { ...part, ...(await rewrite(staging, part, changed)) };
    }, /vivo: bacterium "B_two": values parts: 1 NaN or infinite values: 2 cells, sum 7,.*the source has 3 cells, sum 8\.5/);
  });

  test('two values of one bacterium swapped between features (count, sum and squares unchanged)', async () => {
    await expectRefused(async (staging, vivo) => {
      const part = vivo.files.values[0]!;
      // D "odd"; name holds -2 (M100T10_NEG) and 2 (M400T40_POS) besides 3: swapping them keeps n, Σv and Σv².
      const swapped = `SELECT feature, bacterium, CASE WHEN bacterium = 'D "odd"; name' AND abs(value) = 2
        THEN -value ELSE value END AS value FROM t ORDER BY feature, bacterium`;
      vivo.files.values[0] = { ...part, ...(await rewrite(staging, part, swapped)) };
    }, /vivo: bacterium "D \\"odd\\"; name": values parts: weightedSum differs by 12 /);
  });

  test('a cell missing from a bacterium file', async () => {
    await expectRefused(async (staging, vivo) => {
      const shard = shardOf(vivo, 'C.three');
      shard.file = await rewrite(staging, shard.file, `SELECT * FROM t WHERE value <> 0 ORDER BY value DESC, feature`);
    }, /vivo: bacterium "C\.three": bacterium file: cell count differs: 1 cells, sum 3.*the source has 2 cells, sum 3/);
  });

  test('top-producer rows: a value not its cell, a gap in the ranks, a producer left out, a wrong label', async () => {
    await expectRefused(
      async (staging, vivo) => {
        // M400T40_POS ranks A_one 5, B_two 4, C.three 3, D 2: drop B_two and lower C.three to 1; A_one's row of it
        // gets another label.
        const [part] = vivo.files.topProducers;
        vivo.files.topProducers[0] = {
          ...part!,
          ...(await rewrite(
            staging,
            part!,
            `SELECT bacterium, feature,
                  CASE WHEN feature = 'M400T40_POS' AND bacterium = 'A_one' THEN 'Butyrate' ELSE label END AS label,
                  type, rank,
                  CASE WHEN feature = 'M400T40_POS' AND bacterium = 'C.three' THEN 1 ELSE value END AS value
             FROM t WHERE NOT (feature = 'M400T40_POS' AND bacterium = 'B_two') ORDER BY bacterium, feature`,
          )),
        };
      },
      /vivo: 1 top-producer rows: value differs from its cell, or is not positive, e\.g\. feature "M400T40_POS", bacterium "C\.three"/,
      /vivo: 1 top-producer rows: ranks do not run 1\.\.k, e\.g\. feature "M400T40_POS"/,
      /vivo: 1 top-producer rows: ranks out of order, e\.g\. feature "M400T40_POS", bacterium "D \\"odd\\"; name"/,
      /vivo: 1 top-producer rows: a higher producer is left out, e\.g\. feature "M400T40_POS", bacterium "B_two"/,
      /vivo: 1 top-producer rows: label or type differs from the features file, e\.g\. feature "M400T40_POS", bacterium "A_one"/,
    );
  });

  test('top-producer parts: a part whose first bacterium is not the one the manifest records', async () => {
    await expectRefused(
      async (staging, vivo) => {
        // Cut the one part in two before C.three, but record the second as beginning at D: the browser would look
        // for C.three's rows in the first part and miss them.
        const [whole] = vivo.files.topProducers;
        const { duck, close } = await openDuck(1);
        try {
          await duck.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${quoteLiteral(join(staging, whole!.path))})`);
          await rm(join(staging, whole!.path));
          const part = async (where: string, n: number) =>
            writeParquet(duck, `SELECT * FROM t WHERE ${where} ORDER BY bacterium, feature`, {
              root: staging,
              base: `vivo/top-producers.00${n}`,
            });
          vivo.files.topProducers = [
            { firstBacterium: 'A_one', ...(await part(`bacterium < 'C'`, 0)) },
            { firstBacterium: 'D "odd"; name', ...(await part(`bacterium >= 'C'`, 1)) },
          ];
        } finally {
          await close();
        }
      },
      /vivo: 1 top-producer rows: part does not begin with its first bacterium, e\.g\. bacterium "D \\"odd\\"; name"/,
      /vivo: 1 top-producer rows: row outside the bacteria of its part, e\.g\. feature "M400T40_POS", bacterium "C\.three"/,
    );
  });

  test('a CSV download part with another row count than its manifest entry', async () => {
    await expectRefused(async (_staging, vivo) => {
      vivo.downloads.find((p) => p.format === 'csv')!.rows += 1;
    }, /vivo: CSV download: vivo\/downloads\/metanexus-vivo-[0-9a-f]{12}-part-001\.csv\.gz: 11 rows, the manifest says 12/);
  });

  test('overview: a measured count, a maximum and a strongest value that do not follow from the values', async () => {
    await expectRefused(
      async (staging, vivo) => {
        vivo.files.overview = await rewrite(
          staging,
          vivo.files.overview,
          `SELECT * REPLACE (
                  CASE WHEN bacterium = 'A_one' AND measured > 0 THEN measured + 1 ELSE measured END AS measured,
                  CASE WHEN bacterium = 'B_two' THEN max_value + 1 ELSE max_value END AS max_value,
                  CASE WHEN bacterium = 'C.three' THEN strongest_value / 2 ELSE strongest_value END AS strongest_value)
             FROM t ORDER BY bin, "row"`,
        );
      },
      /vivo: overview: 2 × measured counts, largest or smallest value differ from the values, e\.g\. "A_one"/,
      /vivo: overview: \d+ × strongest value differs from its cell, e\.g\. "C\.three M\d+T\d+_POS"/,
    );
  });

  test('one value changed in the CSV download', async () => {
    await expectRefused(
      (staging, vivo) =>
        rewriteDownload(
          staging,
          vivo,
          'csv',
          `SELECT * REPLACE (CASE WHEN feature = 'M400T40_POS' AND bacterium = 'A_one' THEN value + 0.001 ELSE value
             END AS value) FROM t`,
        ),
      /vivo: bacterium "A_one": CSV download: sum differs by 0\.00(099|100)\d+ /,
    );
  });

  test('a row missing from the Parquet download, and a label changed', async () => {
    await expectRefused(
      (staging, vivo) =>
        rewriteDownload(
          staging,
          vivo,
          'parquet',
          `SELECT * REPLACE (CASE WHEN feature = 'M400T40_POS' THEN 'not its label' ELSE label END AS label) FROM t
            WHERE NOT (feature = 'M100T10_NEG' AND bacterium = 'B_two')`,
        ),
      /vivo: bacterium "B_two": Parquet download: cell count differs: 2 cells/,
      /vivo: Parquet download: \d+ rows whose label, type, m\/z or RT differ from the features file, e\.g\. feature "M400T40_POS"/,
    );
  });

  test('a value and labels changed in two of several CSV download parts, each part read back on its own', async () => {
    // Parts of about 4 rows, cut between features in name order: M100T10_NEG and M200T20_POS (6 rows), M400T40_POS
    // (4), X_ANNOT (1, A_one's -1). A_one's rows are changed in the first part and the last.
    const mislabel = (where: string) =>
      `CASE WHEN bacterium = 'A_one' AND ${where} THEN 'not its label' ELSE label END AS label`;
    await expectRefusedWith(
      { downloadPartRows: 4 },
      async (staging, vivo) => {
        expect(vivo.downloads.filter((p) => p.format === 'csv').length).toBe(3);
        await rewriteDownload(staging, vivo, 'csv', `SELECT * REPLACE (${mislabel("feature = 'M100T10_NEG'")}) FROM t`);
        await rewriteDownload(
          staging,
          vivo,
          'csv',
          `SELECT * REPLACE (${mislabel('true')}, CASE WHEN bacterium = 'A_one' THEN value * 2 ELSE value END AS value)
             FROM t`,
          'last',
        );
      },
      /vivo: bacterium "A_one": CSV download: sum differs by 1 /,
      /vivo: CSV download: 2 rows whose label, type, m\/z or RT differ from the features file, e\.g\. feature "M100T10_NEG"/,
    );
  });

  test('NaN or infinity that precompute met and the source does not hold', async () => {
    await expectRefused(async (_staging, vivo) => {
      vivo.droppedNonFinite['A_one'] = 1;
    }, /vivo: bacterium "A_one": precompute: 1 NaN or infinite values, the source holds 0/);
  });

  test('the counts shown on the About page (summary file)', async () => {
    await expectRefused(async (staging, vivo) => {
      vivo.files.summary = await rewrite(
        staging,
        vivo.files.summary,
        `SELECT * REPLACE ("values" - 1 AS "values") FROM t`,
      );
    }, /vivo: summary file: 10 values in all, the source has 11/);
  });
});

test('the same build untouched publishes, and its report records the check', async () => {
  const { report } = await buildInto(db.url, { out });
  expect(report.verification.map((v) => v.id)).toEqual(['vivo', 'vitro']);
});

describe('tolerance', () => {
  test('is the bound on the rounding error of two float sums of n terms', () => {
    expect(tolerance(0, 0)).toBe(0);
    expect(tolerance(30_000, 60_000)).toBeCloseTo(30_002 * 60_000 * 2 ** -52, 20);
    // A change of one part in a million in one value of a typical profile is far above it.
    expect(tolerance(30_000, 60_000)).toBeLessThan(1e-6);
  });
});
