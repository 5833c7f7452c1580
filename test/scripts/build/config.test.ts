import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { comparisonOf, loadConfig, parseConfig } from '../../../scripts/build/config.ts';

const DATASETS = [{ id: 'in_vivo', title: 'In Vivo', table: 'in_vivo' }];

describe('parseConfig', () => {
  test('a configuration without descriptions or citation is valid, and gets none', () => {
    const config = parseConfig({ datasets: DATASETS });
    expect(config).toEqual({ datasets: [{ ...DATASETS[0], schema: 'public' }] });
    expect(config.citation).toBeUndefined();
    expect(config.datasets[0]!.description).toBeUndefined();
  });

  test('keeps a dataset description and every part of a citation, trimmed', () => {
    const citation = { text: ' Doe J. Bugs (2025). ', doi: '10.5281/zenodo.42', contact: 'lab@example.org' };
    const config = parseConfig({ datasets: [{ ...DATASETS[0], description: ' Mice. ' }], citation });
    expect(config.datasets[0]!.description).toBe('Mice.');
    expect(config.citation).toEqual({ ...citation, text: 'Doe J. Bugs (2025).' });
  });

  test('each part of a citation is optional', () => {
    expect(parseConfig({ datasets: DATASETS, citation: { doi: '10.1000/x/y' } }).citation).toEqual({
      doi: '10.1000/x/y',
    });
    expect(parseConfig({ datasets: DATASETS, citation: {} }).citation).toEqual({});
  });

  test.each([
    [{ citation: { doi: 'https://doi.org/10.5281/zenodo.42' } }, 'citation.doi: a DOI is written bare'],
    [{ citation: { doi: 'zenodo.42' } }, 'citation.doi: a DOI is written bare'],
    [{ citation: { text: '  ' } }, 'citation.text:'],
    [{ citation: { DOI: '10.5281/zenodo.42' } }, "citation: Unrecognized key(s) in object: 'DOI'"],
    [{ datasets: [{ ...DATASETS[0], description: '' }] }, 'datasets.0.description:'],
  ])('names the wrong field: %j', (change, message) => {
    expect(() => parseConfig({ datasets: DATASETS, ...change }, 'lab.json')).toThrow(`lab.json: ${message}`);
  });
});

describe('comparison', () => {
  const TWO = [...DATASETS, { id: 'in_vitro', title: 'In Vitro', table: 'gmm' }];

  test('without its section: the first two datasets, matched by id; none with one dataset', () => {
    expect(comparisonOf(parseConfig({ datasets: TWO }))).toEqual({ datasets: ['in_vivo', 'in_vitro'], bacteria: {} });
    expect(comparisonOf(parseConfig({ datasets: DATASETS }))).toBeUndefined();
  });

  test('its section names the datasets in order and maps ids that differ', () => {
    const comparison = { datasets: ['in_vitro', 'in_vivo'], bacteria: { 'E. coli': 'Escherichia_coli' } };
    expect(comparisonOf(parseConfig({ datasets: TWO, comparison }))).toEqual(comparison);
  });

  test.each([
    [{ datasets: ['in_vitro', 'nope'] }, 'comparison.datasets.1: unknown dataset "nope"; the datasets are in_vivo'],
    [{ datasets: ['in_vivo', 'in_vivo'] }, 'comparison.datasets: two different datasets'],
    [{ datasets: ['in_vivo'] }, 'comparison.datasets:'],
    [
      { datasets: ['in_vivo', 'in_vitro'], bacteria: { a: 'x', b: 'x' } },
      'comparison.bacteria.b: "a" and "b" both map to "x": one each',
    ],
    [{ datasets: ['in_vivo', 'in_vitro'], bacteria: { a: '' } }, 'comparison.bacteria.a:'],
    [{ datasets: ['in_vivo', 'in_vitro'], pairs: {} }, "comparison: Unrecognized key(s) in object: 'pairs'"],
  ])('names the wrong field: %j', (comparison, message) => {
    expect(() => parseConfig({ datasets: TWO, comparison }, 'lab.json')).toThrow(`lab.json: ${message}`);
  });
});

describe('loadConfig', () => {
  test('reads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metanexus-config-'));
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ datasets: DATASETS, citation: { contact: 'Lab' } }));
    await expect(loadConfig(path)).resolves.toMatchObject({ citation: { contact: 'Lab' } });
    await writeFile(path, JSON.stringify({ datasets: [] }));
    await expect(loadConfig(path)).rejects.toThrow(`${path}: datasets:`);
  });

  test("the repository's configuration describes every dataset and sets no citation (the lab's to fill)", async () => {
    const config = await loadConfig();
    for (const d of config.datasets) expect(d.description, d.id).toMatch(/log2 fold change .* against /);
    expect(config.citation).toBeUndefined();
  });
});
