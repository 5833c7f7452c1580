import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/lib/manifest.ts';

const FILE = { path: 'x.parquet', rows: 1, bytes: 1, sha256: '0'.repeat(64) };

/** A minimal valid manifest, as built before datasets had descriptions and the manifest a citation. */
const OLDER = {
  schemaVersion: 1,
  builtAt: '2025-01-02T03:04:05.000Z',
  dataVersion: '0123456789ab',
  source: 'demo',
  topProducerRanks: 10,
  datasets: [
    {
      id: 'in_vivo',
      title: 'In Vivo',
      counts: { features: 1, bacteria: 1, values: 1, byType: { by_name: 1, by_positive: 0, by_negative: 0 } },
      files: {
        features: FILE,
        bacteria: FILE,
        values: [{ ...FILE, firstFeature: 'M1' }],
        topProducers: [{ ...FILE, firstBacterium: 'A' }],
        summary: FILE,
        overview: FILE,
      },
      bacteria: [],
    },
  ],
};

describe('parseManifest: description and citation', () => {
  test('a manifest without them still parses, and has none', () => {
    const manifest = parseManifest(OLDER);
    expect(manifest.citation).toBeUndefined();
    expect(manifest.datasets[0]!.description).toBeUndefined();
  });

  test('keeps a dataset description and the parts of a citation that are set', () => {
    const dataset = { ...OLDER.datasets[0], description: 'Mono-colonised mice, against germ-free mice.' };
    const manifest = parseManifest({ ...OLDER, datasets: [dataset], citation: { doi: '10.5281/zenodo.42' } });
    expect(manifest.datasets[0]!.description).toBe(dataset.description);
    expect(manifest.citation).toEqual({ doi: '10.5281/zenodo.42' });
  });

  test('refuses a DOI that is not bare, naming the field', () => {
    expect(() => parseManifest({ ...OLDER, citation: { doi: 'javascript:alert(1)' } })).toThrow(
      'invalid manifest: citation.doi:',
    );
  });
});
