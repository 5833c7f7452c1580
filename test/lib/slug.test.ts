import { describe, expect, it } from 'vitest';
import { bacteriumPagePath, bacteriumSlugs } from '../../src/lib/slug.ts';

const slugsOf = (ids: string[]) => Object.fromEntries(bacteriumSlugs(ids));

describe('bacteriumSlugs', () => {
  it('makes readable lower-case slugs', () => {
    expect(
      slugsOf([
        'Akkermansia_muciniphila',
        'Clostridium_sp._ASF356',
        'Escherichia_coli_Nissle-1917',
        'Lachnospiraceae_bacterium_3-1-46FAA',
        '__Odd  name__',
        'Ænigma_café',
      ]),
    ).toEqual({
      Akkermansia_muciniphila: 'akkermansia-muciniphila',
      'Clostridium_sp._ASF356': 'clostridium-sp-asf356',
      'Escherichia_coli_Nissle-1917': 'escherichia-coli-nissle-1917',
      'Lachnospiraceae_bacterium_3-1-46FAA': 'lachnospiraceae-bacterium-3-1-46faa',
      '__Odd  name__': 'odd-name',
      Ænigma_café: 'nigma-cafe',
    });
  });

  it('numbers collisions in id byte order, whatever the input order', () => {
    const ids = ['a_b', 'A.B', 'a-b', 'A_B'];
    // Byte order: 'A.B' < 'A_B' < 'a-b' < 'a_b'.
    const expected = { 'A.B': 'a-b', A_B: 'a-b-2', 'a-b': 'a-b-3', a_b: 'a-b-4' };
    expect(slugsOf(ids)).toEqual(expected);
    expect(slugsOf([...ids].reverse())).toEqual(expected);
  });

  it('uses byte order, not UTF-16 order, for characters beyond the BMP', () => {
    // U+FF01 sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes.
    expect(slugsOf(['x\u{1F600}', 'x\uFF01'])).toEqual({ 'x\uFF01': 'x', 'x\u{1F600}': 'x-2' });
  });

  it('never gives a numbered slug that another id has as its plain slug', () => {
    expect(slugsOf(['a', 'A', 'a_2'])).toEqual({ A: 'a', a: 'a-3', a_2: 'a-2' });
  });

  it('gives ids without letters or digits b-<n>', () => {
    expect(slugsOf(['___', '!!', 'B 1', 'Real'])).toEqual({ '!!': 'b-2', ___: 'b-3', 'B 1': 'b-1', Real: 'real' });
  });

  it('returns URL-safe, unique slugs for any input', () => {
    const ids = ['x', 'X', 'x!', '<script>', '../..', '?a=b#c', '%20', 'ü', 'ß', '日本', '', ' '];
    const slugs = [...bacteriumSlugs(ids).values()];
    expect(new Set(slugs).size).toBe(ids.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('bacteriumPagePath', () => {
  it('joins base, dataset and slug with a trailing slash', () => {
    expect(bacteriumPagePath('/', 'in_vivo', 'akkermansia-muciniphila')).toBe(
      '/bacteria/in_vivo/akkermansia-muciniphila/',
    );
    expect(bacteriumPagePath('/metanexus/', 'in_vitro', 'b-1')).toBe('/metanexus/bacteria/in_vitro/b-1/');
  });
});
