import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { featureChangesQuery } from '../../../scripts/build/build-diff.ts';
import { openDuck, queryRows } from '../../../scripts/build/duck.ts';
import { escapeMarkdown, type BuildReport } from '../../../scripts/build/report.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { buildInto, FIXTURE_CONFIG } from '../../helpers/build.ts';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../../helpers/postgres.ts';

// Every expected value below is worked out by hand from test/data/fixture.sql and the changes each test makes.
let db: TestDatabase;
let out: string;
let first: { manifest: Manifest; report: BuildReport };

const noChange = {
  features: { added: { count: 0, sample: [] }, removed: { count: 0, sample: [] } },
  bacteria: { added: [], removed: [] },
};
const S = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  db = await createTestDatabase('report');
  await db.query(await readFile('test/data/fixture.sql', 'utf8'));
  ({ out, ...first } = await buildInto(db.url));
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('the first build', () => {
  test('reports rows, features per type, bacteria, files and timings, and no changes', async () => {
    const { report } = first;
    expect(report.changes).toBeNull();
    expect(report.datasets.map((d) => [d.id, d.table, d.sourceRows, d.counts.bacteria, d.counts.byType])).toEqual([
      ['vivo', 'public.vivo', 5, 4, { by_name: 1, by_positive: 2, by_negative: 2 }],
      ['vitro', 'public.vitro', 5, 12, { by_name: 3, by_positive: 1, by_negative: 1 }],
    ]);
    // Per dataset 6 files, a shard per bacterium, the downloads (one part of each format and their sidecar), and the
    // comparison of the two datasets.
    expect(report.files.count).toBe(2 * 6 + 4 + 12 + 2 * 3 + 1);
    expect(report.files.byKind['downloads']!.count).toBe(6);
    expect(report.files.byKind.comparison!.count).toBe(1);
    expect(report.files.byKind['bacterium shards']!.count).toBe(16);
    // The publish step is timed after the report is written.
    // Each part of precompute and verify is timed too, inside its step.
    expect(Object.keys(report.timings)).toEqual([
      'fingerprint',
      'extract',
      'tables (in precompute)',
      'values (in precompute)',
      'top producers (in precompute)',
      'overview (in precompute)',
      'bacterium files (in precompute)',
      'downloads (in precompute)',
      'precompute',
      'compare',
      'validate',
      'values (in verify)',
      'bacterium files (in verify)',
      'csv downloads (in verify)',
      'parquet downloads (in verify)',
      'top producers (in verify)',
      'overview (in verify)',
      'verify',
    ]);
    // Hand-counted from the fixture: vivo holds 11 cells, 8 positive (at most 4 a feature, all ranked); vitro 16,
    // 14 positive, of which M1T1_POS keeps its top 10 of 12.
    expect(report.verification.map((v) => [v.id, v.cells, v.bacteria, v.topProducerRows])).toEqual([
      ['vivo', 11, 4, 8],
      ['vitro', 16, 12, 12],
    ]);
    for (const v of report.verification) expect(v.largestDifference).toBeLessThanOrEqual(1);
    expect(JSON.parse(await readFile(join(out, 'build-report.json'), 'utf8'))).toEqual(report);
  });

  test('its Markdown summary', async () => {
    const md = await readFile(join(out, 'build-report.md'), 'utf8');
    expect(md).toContain('## MetaNexus data build');
    expect(md).toContain(`data version \`${first.manifest.dataVersion}\`, 35 files`);
    expect(md).toContain('| vivo | public.vivo | 5 | 5 | 1 | 2 | 2 | 4 | 11 |');
    expect(md).toContain('| vitro | public.vitro | 5 | 5 | 3 | 1 | 1 | 12 | 16 |');
    expect(md).toContain('**Changes**: none to report, this is the first build published here.');
    expect(md).toContain('vivo: 11 values of 4 bacteria and 8 top-producer rows; vitro: 16 values of 12 bacteria');
    expect(md).toMatch(
      /\*\*Steps\*\*: fingerprint \d+\.\d s · extract \d+\.\d s · tables \(in precompute\) \d+\.\d s · .* · downloads \(in precompute\) \d+\.\d s · precompute \d+\.\d s · compare \d+\.\d s · validate \d+\.\d s · .* · verify \d+\.\d s; peak memory \d+ MiB\./,
    );
    expect(md).toContain('**Warnings** (1):');
    expect(md).toContain('- public.vitro: column "notes" skipped: type text is not numeric');
  });
});

describe('the difference from the previous build', () => {
  let report: BuildReport;

  beforeAll(async () => {
    await db.query(`INSERT INTO vivo (name, "A_one") VALUES ('M500T50_POS', 2)`);
    await db.query(`DELETE FROM vivo WHERE name = 'M300T30_NEG'`);
    await db.query(`ALTER TABLE vivo ADD COLUMN "E_five" double precision`);
    await db.query(`UPDATE vivo SET "E_five" = 1 WHERE name = 'M100T10_NEG'`);
    await db.query(`ALTER TABLE vivo DROP COLUMN "C.three"`);
    ({ report } = await buildInto(db.url, { out }));
  });

  test('features and bacteria added and removed, per dataset', () => {
    expect(report.changes).toEqual({
      since: { builtAt: first.manifest.builtAt, dataVersion: first.manifest.dataVersion },
      datasets: [
        {
          id: 'vivo',
          features: { added: { count: 1, sample: ['M500T50_POS'] }, removed: { count: 1, sample: ['M300T30_NEG'] } },
          bacteria: { added: ['E_five'], removed: ['C.three'] },
        },
        { id: 'vitro', ...noChange },
      ],
    });
    expect(Object.keys(report.timings)).toContain('diff');
  });

  test('in the Markdown summary, names escaped', async () => {
    const md = await readFile(join(out, 'build-report.md'), 'utf8');
    expect(md).toContain(`**Changes** since the build of ${first.manifest.builtAt.slice(0, 16).replace('T', ' ')} UTC`);
    expect(md).toContain('| dataset | features added | features removed | bacteria added | bacteria removed |');
    const changes = md.slice(md.indexOf('| dataset | features added'), md.indexOf('**Steps**'));
    expect(changes.trim().split('\n').slice(2)).toEqual([
      '| vivo | 1: M500T50\\_POS | 1: M300T30\\_NEG | 1: E\\_five | 1: C.three |',
    ]);
  });

  test('a rebuild of the same source reports no change', async () => {
    const again = await buildInto(db.url, { out, force: true });
    expect(again.report.changes!.datasets).toEqual([
      { id: 'vivo', ...noChange },
      { id: 'vitro', ...noChange },
    ]);
    expect(await readFile(join(out, 'build-report.md'), 'utf8')).toContain(
      ': no feature or bacterium added or removed.',
    );
  });

  test('a dataset dropped from the configuration counts all of it as removed, one added as added', async () => {
    const vivoOnly = { datasets: FIXTURE_CONFIG.datasets.filter((d) => d.id === 'vivo') };
    const dropped = await buildInto(db.url, { out, config: vivoOnly });
    expect(dropped.report.changes!.datasets[1]).toEqual({
      id: 'vitro',
      features: {
        added: { count: 0, sample: [] },
        removed: { count: 5, sample: ['M1T1_POS', 'M2T2_NEG', 'M3T3_pos', 'M4T4XPOS', 'indole'] },
      },
      bacteria: { added: [], removed: S },
    });
    const added = await buildInto(db.url, { out });
    expect(added.report.changes!.datasets[1]!.features.added.count).toBe(5);
    expect(added.report.changes!.datasets[1]!.bacteria.added).toEqual(S);
  });
});

test('feature changes: whole counts, a sample of the first names in byte order', async () => {
  const { duck, close } = await openDuck(1);
  try {
    const names = (list: string[]) => `SELECT * FROM (VALUES ${list.map((n) => `('${n}')`).join(', ')}) AS t(name)`;
    const [row] = await queryRows(
      duck,
      featureChangesQuery(names(['a', 'b', 'c']), names(['b', 'e', 'D', 'd', 'f']), 2),
    );
    expect(row).toEqual({ added_count: 4, added_sample: ['D', 'd'], removed_count: 2, removed_sample: ['a', 'c'] });
  } finally {
    await close();
  }
});

test('Markdown escaping keeps names from the data as text', () => {
  expect(escapeMarkdown('A_b.c|d <img src=x> *e* [f](g) `h` ~i~ &amp; !\n#j')).toBe(
    'A\\_b.c\\|d \\<img src=x\\> \\*e\\* \\[f\\](g) \\`h\\` \\~i\\~ \\&amp; \\! \\#j',
  );
});
