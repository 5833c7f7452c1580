import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, queryRows } from '../../scripts/build/duck.ts';
import { parquetFooterBytes, PARQUET_OPTIONS } from '../../scripts/build/parquet.ts';
import type { Columns, Row } from '../../src/lib/db.ts';
import type { DirectRead } from '../../src/lib/answers.ts';
import { fileReader, readAnswer, stringFromBytes, type FileReader, type FileSize } from '../../src/lib/file-reads.ts';
import { FEATURE_TYPES } from '../../src/lib/feature-types.ts';
import { featureLabelQueries, featureLabelRead } from '../../src/lib/sql/features.ts';
import {
  bacteriumProfileQuery,
  bacteriumProfileRead,
  metaboliteProfileQuery,
  metaboliteProfileRead,
  SHOWS,
} from '../../src/lib/sql/landscape.ts';
import { comparisonQuery, comparisonRead } from '../../src/lib/sql/compare.ts';
import { cooccurrenceQuery, cooccurrenceRead, MODES } from '../../src/lib/sql/cooccurrence.ts';
import { featureCellsQueries, featureCellsRead } from '../../src/lib/sql/network.ts';
import { overviewQuery, overviewRead } from '../../src/lib/sql/overview.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { parquetSource, type DatasetSources, type Query } from '../../src/lib/sql/sources.ts';
import { a, BACTERIA, FEATURES, fixtureStatements, shard, SOURCES } from './sql/fixture.ts';

/** The fixture's tables as the build writes its files; the values in two parts, cut at 'M', with one NULL value. */
const PARTS = [
  { path: 'values.000.parquet', firstFeature: '', where: `feature < 'M'` },
  { path: 'values.001.parquet', firstFeature: 'M', where: `feature >= 'M'` },
];
const shardPath = (i: number) => `bacteria/${i}.parquet`;
/** The top producers in two parts cut at 'a_z', as SOURCES cuts them: a read of the wrong part would miss rows. */
const TOP_PARTS = [
  { path: 'top-producers.000.parquet', firstBacterium: '', where: `bacterium < ${quoteLiteral(a)}` },
  { path: 'top-producers.001.parquet', firstBacterium: a, where: `bacterium >= ${quoteLiteral(a)}` },
];
const IDS = [...FEATURES.map((f) => f[0]), 'nope', "F_but' OR '1'='1"];

/** A served folder, with every request it answered and whether it honours ranges. */
interface Served {
  url: URL;
  requests: { path: string; range?: string }[];
  close(): Promise<void>;
}

/**
 * Serves `dir`: with `ranges` false a range is ignored (the whole file is sent), with `piece` a range is answered with
 * at most that many bytes, as a 206 may be (Chromium's in-memory cache cuts ranges it holds in part so).
 */
async function serve(dir: string, { ranges = true, piece = 0 } = {}): Promise<Served> {
  const files = sirv(dir, { dev: true });
  const requests: Served['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url!, range: req.headers.range });
    if (!ranges) delete req.headers.range;
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (piece > 0 && range) {
      const start = Number(range[1]);
      req.headers.range = `bytes=${start}-${Math.min(Number(range[2]), start + piece - 1)}`;
    }
    files(req, res, () => {
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

describe('stringFromBytes', () => {
  it('gives the UTF-8 text of ASCII, non-ASCII and very long strings', () => {
    const encoder = new TextEncoder();
    for (const text of ['', 'M88T30_POS', 'Ü_tie', `Ü,'&"_🦠`, 'x'.repeat(1024), 'y'.repeat(500_000)]) {
      expect(stringFromBytes(encoder.encode(text))).toBe(text);
    }
    expect(stringFromBytes(undefined)).toBeUndefined();
  });
});

describe('answers read without the engine', () => {
  let dir: string;
  let duck: Awaited<ReturnType<typeof openDuck>>;
  let served: Served;
  let read: FileReader;
  let sources: DatasetSources;
  let names: { id: string; name: string }[];
  const sizes = new Map<string, FileSize>();

  const sql = <T = Row>(q: Query) => queryRows<T>(duck.duck, q.sql, q.params as DuckDBValue[]);
  const direct = (d: DirectRead) => readAnswer(read, d);
  const rowsOf = (c: Columns<unknown>) => Array.from({ length: c.length }, (_, i) => c.row(i));
  // BIGINT arrives as bigint from node DuckDB, and as a number from both browser engines.
  const plainNumbers = (row: unknown) =>
    Object.fromEntries(Object.entries(row as Row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
  /** Writes the rows of `select` as the build writes its files, and records the file's sizes as the manifest does. */
  const write = async (select: string, path: string) => {
    await duck.duck.run(`COPY (${select}) TO ${quoteLiteral(join(dir, path))} (${PARQUET_OPTIONS})`);
    sizes.set(path, { bytes: (await stat(join(dir, path))).size, footer: await parquetFooterBytes(join(dir, path)) });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metanexus-file-reads-'));
    duck = await openDuck(1);
    for (const statement of fixtureStatements()) await duck.duck.run(statement);
    // A NULL, which the build may write for a cell without a value: every answer leaves it out.
    await duck.duck.run(`INSERT INTO "values" VALUES ('F_ester', ${quoteLiteral(BACTERIA[0]!)}, NULL)`);
    for (const p of PARTS) {
      await write(`SELECT * FROM "values" WHERE ${p.where} ORDER BY feature, bacterium`, p.path);
    }
    await write('SELECT * FROM features ORDER BY name', 'features.parquet');
    for (const p of TOP_PARTS) {
      await write(`SELECT * FROM top_producers WHERE ${p.where} ORDER BY bacterium, feature`, p.path);
    }
    await write('SELECT * FROM bacteria ORDER BY id', 'bacteria.parquet');
    await mkdir(join(dir, 'bacteria'));
    for (const [i, id] of BACTERIA.entries()) await write(`SELECT * FROM ${shard(id)}`, shardPath(i));
    served = await serve(dir);
    read = fileReader(served.url, (file) => sizes.get(file));
    const file = (path: string) => parquetSource(join(dir, path));
    sources = {
      ...SOURCES,
      featureFile: file('features.parquet'),
      bacteria: file('bacteria.parquet'),
      values: PARTS.map((p) => ({ firstFeature: p.firstFeature, source: file(p.path) })),
      topProducers: TOP_PARTS.map((p) => ({ firstBacterium: p.firstBacterium, source: file(p.path) })),
    };
    names = await sql<{ id: string; name: string }>({ sql: 'SELECT id, name FROM bacteria', params: [] });
  });
  afterAll(async () => {
    await served?.close();
    await duck?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('give every metabolite profile as its query does: each show, several N, unknown and hostile ids', async () => {
    let compared = 0;
    for (const feature of IDS) {
      for (const show of SHOWS) {
        for (const n of [1, 2, 3, 10]) {
          const options = { feature, show, n };
          const expected = await sql(metaboliteProfileQuery(sources, options));
          expect(await direct(metaboliteProfileRead(PARTS, names, options)), JSON.stringify(options)).toEqual(expected);
          compared += expected.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('give every bacterium profile as its query does: each type, show and several N', async () => {
    let compared = 0;
    for (const [i, id] of BACTERIA.entries()) {
      for (const type of ['all', ...FEATURE_TYPES] as const) {
        for (const show of SHOWS) {
          for (const n of [1, 2, 3, 10]) {
            const options = { type, show, n };
            const expected = await sql(bacteriumProfileQuery(parquetSource(join(dir, shardPath(i))), options));
            const answer = (await direct(bacteriumProfileRead(shardPath(i), options))) as Columns<unknown>;
            expect(rowsOf(answer), JSON.stringify({ id, ...options })).toEqual(expected);
            compared += expected.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('give every co-occurrence as its query does: each pair and larger selection, mode, type and limit', async () => {
    // Every selection of 2 to 5 of the bacteria, one with an unknown id, one with a duplicate.
    const selections = [
      ...Array.from({ length: 2 ** BACTERIA.length }, (_, bits) => BACTERIA.filter((_, i) => bits & (1 << i))),
      [BACTERIA[0]!, 'nope'],
      [BACTERIA[1]!, BACTERIA[2]!, BACTERIA[1]!],
    ].filter((s) => s.length >= 2);
    let compared = 0;
    for (const bacteria of selections) {
      for (const mode of MODES) {
        for (const type of ['all', ...FEATURE_TYPES] as const) {
          for (const limit of [null, 1, 2]) {
            const options = { bacteria, mode, type, limit };
            const expected = await sql(cooccurrenceQuery(sources, options));
            const answer = (await direct(cooccurrenceRead(TOP_PARTS, options))) as Columns<unknown>;
            expect(rowsOf(answer), JSON.stringify(options)).toEqual(expected);
            compared += expected.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('are lookups, kept for after the engine is ready, only where they read a row group or two', () => {
    expect(cooccurrenceRead(TOP_PARTS, { bacteria: BACTERIA, mode: 'any', type: 'all', limit: null }).lookup).toBe(
      true,
    );
    expect(metaboliteProfileRead(PARTS, names, { feature: 'F_but', show: 'all', n: 10 }).lookup).toBe(true);
    expect(featureLabelRead('features.parquet', IDS).lookup).toBe(true);
    expect(bacteriumProfileRead(shardPath(0), { type: 'all', show: 'bottom', n: 10 }).lookup).toBe(true);
    for (const options of [
      { type: 'all', show: 'all', n: 10 },
      { type: 'by_name', show: 'top', n: 10 },
    ] as const) {
      expect(bacteriumProfileRead(shardPath(0), options).lookup).toBe(false);
    }
    expect(featureCellsRead(PARTS, IDS).lookup).toBeUndefined();
  });

  it('give the labels and heatmap cells their queries give, NULL values left out', async () => {
    const labels = (await Promise.all(featureLabelQueries(sources.featureFile, IDS).map((q) => sql(q)))).flat();
    expect(await direct(featureLabelRead('features.parquet', IDS))).toEqual(labels);
    expect(labels).toHaveLength(FEATURES.length);
    const cells = (await Promise.all(featureCellsQueries(sources, IDS).map((q) => sql(q)))).flat();
    expect(await direct(featureCellsRead(PARTS, IDS))).toEqual(cells);
    expect(cells.some((c) => c.feature === 'F_ester')).toBe(true);
  });

  it('give the Overview of each type as its query does, NULL cells and BIGINT counts included', async () => {
    // Three bins per type, one row per bacterium; a bacterium without values in a bin has NULL figures.
    await write(
      `SELECT bin, type, 4 AS features, 'F' || bin AS first_feature, 'L' || bin AS last_feature, "row",
              bacterium, measured,
              CASE WHEN measured = 0 THEN NULL ELSE (bin * 7 + "row") % 5 - 2.5 END AS mean_value,
              CASE WHEN measured = 0 THEN NULL ELSE 3.0 END AS max_value,
              CASE WHEN measured = 0 THEN NULL ELSE -3.0 END AS min_value,
              CASE WHEN measured = 0 THEN NULL ELSE 'F' || bin END AS strongest,
              CASE WHEN measured = 0 THEN NULL ELSE 3.0 END AS strongest_value
         FROM (SELECT b AS bin, ['by_name', 'by_positive', 'by_negative'][b // 3 + 1] AS type FROM range(9) AS t(b)),
              (SELECT r::INTEGER AS "row", ${quoteLiteral(BACTERIA[0]!)} || r AS bacterium,
                      ((r * 3) % 4)::BIGINT AS measured FROM range(5) AS u(r))
        ORDER BY bin, "row"`,
      'overview.parquet',
    );
    for (const type of ['all', ...FEATURE_TYPES] as const) {
      const expected = await sql(overviewQuery(parquetSource(join(dir, 'overview.parquet')), type));
      expect(expected.length).toBeGreaterThan(0);
      const answer = (await direct(overviewRead('overview.parquet', type))) as Columns<unknown>;
      expect(rowsOf(answer).map(plainNumbers), type).toEqual(expected.map(plainNumbers));
    }
  });

  it("give each bacterium's comparison as its query does, in byte order of key", async () => {
    const keys = ['b', 'a', 'Ü', 'B', 'ä', 'a b'];
    await write(
      `SELECT bacterium, key, 'x_' || key AS feature_x, key AS label_x,
              CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END AS value_x,
              'y_' || key AS feature_y, upper(key) AS label_y,
              CASE WHEN i % 4 = 1 THEN NULL ELSE -i * 0.25 END AS value_y
         FROM (SELECT unnest(${`[${keys.map(quoteLiteral).join(', ')}]`}) AS key, generate_subscripts(
               ${`[${keys.map(quoteLiteral).join(', ')}]`}, 1) AS i),
              (SELECT unnest(${`[${BACTERIA.map(quoteLiteral).join(', ')}]`}) AS bacterium)
        ORDER BY encode(bacterium), encode(key)`,
      'comparison.parquet',
    );
    for (const bacterium of [...BACTERIA, 'nope', "x' OR '1'='1"]) {
      const expected = await sql(comparisonQuery(parquetSource(join(dir, 'comparison.parquet')), bacterium));
      expect(await direct(comparisonRead('comparison.parquet', bacterium)), bacterium).toEqual(expected);
    }
  });

  it('fetch exactly the footer, then the row group holding a key, once; two keys of a group share it', async () => {
    // 30,000 features x 3 bacteria with values that do not compress away, in row groups of 2,048 rows, sorted by
    // feature as the values parts are.
    const big = join(dir, 'big.parquet');
    await duck.duck.run(
      `COPY (SELECT printf('F%05d', i) AS feature, b::VARCHAR AS bacterium, (hash(i, b) % 100003)::DOUBLE / 7 AS value
               FROM range(30000) AS t(i), range(3) AS u(b) ORDER BY feature, bacterium)
         TO ${quoteLiteral(big)} (${PARQUET_OPTIONS}, ROW_GROUP_SIZE 2048)`,
    );
    const size = { bytes: (await stat(big)).size, footer: await parquetFooterBytes(big) };
    const counting = await serve(dir);
    try {
      const reader = fileReader(counting.url, () => size);
      const lookup = { file: 'big.parquet', columns: ['bacterium', 'value'], filter: { feature: { $eq: 'F12345' } } };
      const expected = await sql({
        sql: `SELECT bacterium, value FROM ${parquetSource(big)} WHERE feature = ? ORDER BY bacterium`,
        params: ['F12345'],
      });
      expect(expected).toHaveLength(3);
      // F12345 and F12346 lie in one row group (682 features to a group): read together, it is fetched once.
      const [rows] = await Promise.all([reader(lookup), reader({ ...lookup, filter: { feature: { $eq: 'F12346' } } })]);
      expect(rows).toEqual(expected);
      await reader(lookup);
      expect(counting.requests).toHaveLength(2);
      const asked = counting.requests.map((r) => r.range!.replace('bytes=', '').split('-').map(Number));
      expect(asked[0]).toEqual([size.bytes - size.footer, size.bytes - 1]);
      const bytes = asked.reduce((sum, [from, to]) => sum + to! - from! + 1, 0);
      expect(bytes).toBeLessThan(size.bytes / 4);
    } finally {
      await counting.close();
    }
  });

  it('read the rest of a range that came in part, and name a file shorter than the manifest says', async () => {
    const pieces = await serve(dir, { piece: 100 });
    try {
      const reader = fileReader(pieces.url, (file) => sizes.get(file) ?? { bytes: 1000 });
      const options = { bacteria: BACTERIA, mode: 'any', type: 'all', limit: null } as const;
      const expected = await sql(cooccurrenceQuery(sources, options));
      expect(expected.length).toBeGreaterThan(5);
      expect(rowsOf((await readAnswer(reader, cooccurrenceRead(TOP_PARTS, options))) as Columns<unknown>)).toEqual(
        expected,
      );
      // Every footer and row group here is over 100 bytes, so each took several requests, later ones past the cache.
      expect(pieces.requests.length).toBeGreaterThan(2 * TOP_PARTS.length);
      await writeFile(join(dir, 'short.parquet'), Buffer.alloc(4096, 7));
      sizes.set('short.parquet', { bytes: 8192 });
      await expect(reader({ file: 'short.parquet', columns: ['y'] })).rejects.toThrow(
        'data file short.parquet could not be read: 4096 bytes where 8192 were due',
      );
    } finally {
      await pieces.close();
    }
  });

  it('read a host that ignores ranges, and name a file that is missing', async () => {
    const whole = await serve(dir, { ranges: false });
    try {
      const reader = fileReader(whole.url, (file) => sizes.get(file) ?? { bytes: 1000 });
      const [part] = PARTS;
      expect(
        await reader({ file: part!.path, columns: ['feature', 'value'], filter: { feature: { $eq: 'F_but' } } }),
      ).toHaveLength(4);
      // Garbage of the manifest's size, and a file shorter than the manifest says.
      await writeFile(join(dir, 'garbage.parquet'), Buffer.alloc(4096, 7));
      sizes.set('garbage.parquet', { bytes: 4096 });
      await expect(reader({ file: 'garbage.parquet', columns: ['x'] })).rejects.toThrow(
        'data file garbage.parquet could not be read: ',
      );
      sizes.set('garbage.parquet', { bytes: 8192 });
      await expect(reader({ file: 'garbage.parquet', columns: ['y'] })).rejects.toThrow(
        'data file garbage.parquet could not be read: 4096 bytes where 8192 were due',
      );
      await expect(reader({ file: 'gone.parquet', columns: ['x'] })).rejects.toThrow(
        'data file gone.parquet is missing (HTTP 404)',
      );
      await expect(
        fileReader(whole.url, () => undefined)({ file: 'features.parquet', columns: ['name'] }),
      ).rejects.toThrow('data file features.parquet is not in the manifest');
    } finally {
      await whole.close();
    }
  });
});
