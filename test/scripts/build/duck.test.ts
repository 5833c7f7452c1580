import { describe, expect, test } from 'vitest';
import { duckMemoryLimit } from '../../../scripts/build/duck.ts';

const GiB = 2 ** 30;

describe('duckMemoryLimit', () => {
  test('1.5 GiB on a machine with memory to spare', () => {
    expect(duckMemoryLimit({}, 24 * GiB)).toBe('1536MiB');
  });

  test('40 % of a small machine', () => {
    expect(duckMemoryLimit({}, 2 * GiB)).toBe('819MiB');
  });

  test('METANEXUS_DUCKDB_MEMORY_LIMIT wins, so tests can force spilling', () => {
    expect(duckMemoryLimit({ METANEXUS_DUCKDB_MEMORY_LIMIT: '100MB' }, 24 * GiB)).toBe('100MB');
  });
});
