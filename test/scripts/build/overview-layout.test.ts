import { describe, expect, test } from 'vitest';
import { binsPerType, correlationDistance, similarityOrder } from '../../../scripts/build/overview-layout.ts';

describe('binsPerType', () => {
  test('shares the bins in proportion to the types, rounded, at least 1 for a type with features', () => {
    const sizes = { by_name: 456, by_positive: 22_488, by_negative: 58_869 };
    const all = 456 + 22_488 + 58_869;
    expect(binsPerType(sizes, 200)).toEqual({
      by_name: Math.max(1, Math.round((200 * 456) / all)),
      by_positive: Math.round((200 * 22_488) / all),
      by_negative: Math.round((200 * 58_869) / all),
    });
    expect(binsPerType({ by_name: 1, by_positive: 0, by_negative: 10_000 }, 200)).toEqual({
      by_name: 1,
      by_positive: 0,
      by_negative: 200,
    });
  });

  test('never more bins than features, none for an empty dataset', () => {
    expect(binsPerType({ by_name: 2, by_positive: 3, by_negative: 0 }, 200)).toEqual({
      by_name: 2,
      by_positive: 3,
      by_negative: 0,
    });
    expect(binsPerType({ by_name: 0, by_positive: 0, by_negative: 0 }, 200)).toEqual({
      by_name: 0,
      by_positive: 0,
      by_negative: 0,
    });
  });
});

describe('correlationDistance', () => {
  test('1 − r over the bins both measured; not measured is left out, not read as 0', () => {
    expect(correlationDistance([1, 2, 3, null], [2, 4, 6, 100])).toBeCloseTo(0, 12);
    expect(correlationDistance([1, 2, 3], [3, 2, 1])).toBeCloseTo(2, 12);
    expect(correlationDistance([1, null, 2, 3], [1, 5, 2, 3])).toBeCloseTo(0, 12);
  });

  test('undefined r (fewer than 3 shared bins, a constant profile) counts as uncorrelated', () => {
    expect(correlationDistance([1, 2, null], [1, 2, 3])).toBe(1);
    expect(correlationDistance([1, 1, 1], [1, 2, 3])).toBe(1);
  });
});

describe('similarityOrder', () => {
  // a and c rise together, b and d fall together: each pair must end up side by side.
  const rising = [1, 2, 3, 4, 5];
  const profiles = [
    { id: 'a', means: rising },
    { id: 'b', means: rising.map((v) => -v) },
    { id: 'c', means: rising.map((v) => 2 * v + 0.1 * (v % 2)) },
    { id: 'd', means: rising.map((v) => -v - 0.3 * (v % 2)) },
  ];

  test('puts similar profiles next to each other', () => {
    const order = similarityOrder(profiles);
    expect(order).toHaveLength(4);
    expect(Math.abs(order.indexOf('a') - order.indexOf('c'))).toBe(1);
    expect(Math.abs(order.indexOf('b') - order.indexOf('d'))).toBe(1);
  });

  test('is deterministic: the input order does not matter, ties go by id', () => {
    expect(similarityOrder([...profiles].reverse())).toEqual(similarityOrder(profiles));
    const same = ['z', 'm', 'Ä', 'a'].map((id) => ({ id, means: rising }));
    expect(similarityOrder(same)).toEqual(['a', 'm', 'z', 'Ä']);
    expect(similarityOrder([])).toEqual([]);
  });
});
