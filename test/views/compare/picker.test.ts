import { describe, expect, it } from 'vitest';
import { pickerValue } from '../../../src/views/compare/state.ts';

// The picker as Controls.astro renders it: one option per pair, by its id in the first dataset, with the second's.
const OPTIONS = [{ x: '' }, { x: 'B_fragilis', y: 'B_fragilis' }, { x: 'C_spor_vitro', y: 'C_spor_vivo' }];

describe('the comparison picker', () => {
  it("shows the pair of a link's id in either dataset, and nothing for an id of neither", () => {
    expect(pickerValue(OPTIONS, 'B_fragilis')).toBe('B_fragilis');
    expect(pickerValue(OPTIONS, 'C_spor_vitro')).toBe('C_spor_vitro');
    expect(pickerValue(OPTIONS, 'C_spor_vivo')).toBe('C_spor_vitro');
    expect(pickerValue(OPTIONS, 'Nobody')).toBe('');
    expect(pickerValue(OPTIONS, null)).toBe('');
  });
});
