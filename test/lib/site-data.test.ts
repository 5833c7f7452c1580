import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck } from '../../scripts/build/duck.ts';
import { bacteriumShardSelect } from '../../src/lib/sql/landscape.ts';
import { quoteLiteral } from '../../src/lib/sql/quote.ts';
import { loadManifest, readBacteriumExtremes } from '../../src/lib/site-data.ts';

let dir: string;
const shard = { path: 'shard.parquet', rows: 7, bytes: 0, sha256: '0'.repeat(64) };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metanexus-site-data-'));
  const { duck, close } = await openDuck(1);
  try {
    // Ties at 2 and -1 are broken by feature id in byte order ('B' < 'a'); one label is NULL, which the build's
    // features table replaces by the id. Written by the build's own shard query, with its ranks.
    const cells = `(SELECT feature, coalesce(label, feature) AS label, type, value FROM (VALUES
        ('a', 'Alpha', 'by_name', 2.0), ('B', NULL, 'by_positive', 2.0), ('c', 'Gamma', 'by_negative', 5.5),
        ('d', 'Delta', 'by_name', 0.0), ('e', 'Eps', 'by_name', -1.0), ('D', 'Dee', 'by_name', -1.0),
        ('f', 'Phi', 'by_negative', -3.25)
      ) t(feature, label, type, value))`;
    await duck.run(`COPY (${bacteriumShardSelect(cells)}) TO ${quoteLiteral(join(dir, shard.path))} (FORMAT parquet)`);
  } finally {
    await close();
  }
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readBacteriumExtremes', () => {
  it('returns the n highest and the n lowest, ties by feature id ascending', async () => {
    const { top, bottom } = await readBacteriumExtremes(dir, shard, 3);
    expect(top.map((r) => [r.feature, r.value])).toEqual([
      ['c', 5.5],
      ['B', 2],
      ['a', 2],
    ]);
    expect(bottom.map((r) => [r.feature, r.value])).toEqual([
      ['f', -3.25],
      ['D', -1],
      ['e', -1],
    ]);
    expect(top[1]).toEqual({ feature: 'B', label: 'B', type: 'by_positive', value: 2 });
  });

  it('returns every row in both lists when the shard is shorter than n', async () => {
    const { top, bottom } = await readBacteriumExtremes(dir, shard);
    expect(top.map((r) => r.feature)).toEqual(['c', 'B', 'a', 'd', 'D', 'e', 'f']);
    expect(bottom.map((r) => r.feature)).toEqual(['f', 'D', 'e', 'd', 'B', 'a', 'c']);
  });
});

describe('loadManifest', () => {
  it('says how to make the manifest when it is missing', async () => {
    await expect(loadManifest(join(dir, 'nothing'))).rejects.toThrow(
      `${join(dir, 'nothing', 'manifest.json')} is missing: run \`npm run build:data\` first`,
    );
  });

  it('rejects an invalid manifest, naming the field', async () => {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ schemaVersion: 2 }));
    await expect(loadManifest(dir)).rejects.toThrow(/invalid manifest: schemaVersion/);
  });
});
