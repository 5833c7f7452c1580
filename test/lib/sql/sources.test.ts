import { describe, expect, it } from 'vitest';
import { topProducersOf, valuesOf, type DatasetSources } from '../../../src/lib/sql/sources.ts';

const src = (firsts: string[]): DatasetSources => ({
  featureFile: 'ff',
  bacteria: 'b',
  topProducers: [],
  values: firsts.map((firstFeature, i) => ({ firstFeature, source: `part${i}` })),
});

describe('valuesOf', () => {
  it('picks the last part whose first feature is not after the feature', () => {
    const s = src(['', 'M200', 'M500']);
    expect(valuesOf(s, 'A')).toBe('part0');
    expect(valuesOf(s, 'M200')).toBe('part1');
    expect(valuesOf(s, 'M300T1_NEG')).toBe('part1');
    expect(valuesOf(s, 'M500')).toBe('part2');
    expect(valuesOf(s, 'zzz')).toBe('part2');
  });

  it('compares in byte order, as the build sorted the parts', () => {
    // Upper case sorts before lower case, and é (U+00E9) after every ASCII letter.
    const s = src(['', 'Z', 'a', 'é']);
    expect(valuesOf(s, 'Zebra')).toBe('part1');
    expect(valuesOf(s, 'apple')).toBe('part2');
    expect(valuesOf(s, 'éclair')).toBe('part3');
  });

  it('always answers with the only part of a small dataset', () => {
    expect(valuesOf(src(['']), 'anything')).toBe('part0');
  });
});

describe('topProducersOf', () => {
  it('picks the last part whose first bacterium is not after the bacterium, in byte order', () => {
    const s: DatasetSources = {
      ...src(['']),
      topProducers: ['', 'B', 'a'].map((firstBacterium, i) => ({ firstBacterium, source: `top${i}` })),
    };
    expect(topProducersOf(s, 'A_x')).toBe('top0');
    expect(topProducersOf(s, 'B')).toBe('top1');
    expect(topProducersOf(s, 'Z_y')).toBe('top1');
    expect(topProducersOf(s, 'a_z')).toBe('top2');
    expect(topProducersOf(s, 'Ü')).toBe('top2');
  });
});
