import { describe, expect, it } from 'vitest';
import { DEFAULT_PPM, describeWindow, parseSearch, type ParsedSearch } from '../../src/lib/mz-query.ts';

const mz = (mz: number, tolerance: number, unit: 'ppm' | 'Da', halfWidth: number): ParsedSearch => ({
  kind: 'mz',
  window: { mz, tolerance, unit, halfWidth },
});
const invalid = expect.objectContaining({ kind: 'invalid' });

describe('parseSearch', () => {
  it('reads a tolerance in ppm, however the ± is typed', () => {
    // 180.06 × 5 / 1e6 = 0.0009003
    const five = mz(180.06, 5, 'ppm', (180.06 * 5) / 1e6);
    expect(five.kind === 'mz' && five.window.halfWidth).toBeCloseTo(0.0009003, 12);
    for (const text of [
      '180.06 ±5 ppm',
      '180.06 +-5ppm',
      '180.06 +/- 5 PPM',
      '180.06±5ppm',
      '180.06 5 ppm',
      '  180.06 ± 5 ppm ',
    ])
      expect(parseSearch(text), text).toEqual(five);
  });

  it('reads a tolerance after ± without a unit, or with Da, in Da', () => {
    expect(parseSearch('180.06 ± 0.01')).toEqual(mz(180.06, 0.01, 'Da', 0.01));
    expect(parseSearch('180.06 +-0.01 da')).toEqual(mz(180.06, 0.01, 'Da', 0.01));
    expect(parseSearch('180.06 0.01 Da')).toEqual(mz(180.06, 0.01, 'Da', 0.01));
  });

  it('gives a bare m/z the default tolerance of 10 ppm', () => {
    expect(DEFAULT_PPM).toBe(10);
    // 180.06 × 10 / 1e6 = 0.0018006
    expect(parseSearch('180.06')).toEqual(mz(180.06, 10, 'ppm', (180.06 * 10) / 1e6));
    expect(parseSearch('88')).toEqual(mz(88, 10, 'ppm', 0.00088));
    expect(parseSearch('.5')).toEqual(mz(0.5, 10, 'ppm', 0.000005));
  });

  it('accepts a zero tolerance (the exact m/z) and any wide but finite window', () => {
    expect(parseSearch('180.06 ±0 ppm')).toEqual(mz(180.06, 0, 'ppm', 0));
    // 1e6 ppm is a window as wide as the m/z itself: [0, 360].
    expect(parseSearch('180 ±1000000 ppm')).toEqual(mz(180, 1e6, 'ppm', 180));
    expect(parseSearch('1 ± 1e300')).toEqual(mz(1, 1e300, 'Da', 1e300));
  });

  it('keeps free text, feature ids and names that start with a digit as text', () => {
    for (const text of ['butyrate', 'M180T95_POS', '2-hydroxybutyrate', '100% butyrate', '3,4-dihydroxy', 'NaN'])
      expect(parseSearch(text), text).toEqual({ kind: 'text', text });
    expect(parseSearch('  Butyrate ')).toEqual({ kind: 'text', text: 'Butyrate' });
    expect(parseSearch('Infinity')).toEqual({ kind: 'text', text: 'Infinity' });
  });

  it('refuses an m/z that is not finite and above 0', () => {
    // 1e309 overflows to Infinity.
    for (const text of ['1e309', '-5', '0', '-180.06 ±5 ppm', '0 ± 1'])
      expect(parseSearch(text), text).toEqual({ kind: 'invalid', message: 'An m/z must be a finite number above 0' });
  });

  it('refuses a negative or infinite tolerance, and a window too wide to compute', () => {
    const message = 'A tolerance must be a finite number of at least 0';
    expect(parseSearch('180.06 ±-5 ppm')).toEqual({ kind: 'invalid', message });
    expect(parseSearch('180.06 +--5')).toEqual({ kind: 'invalid', message });
    expect(parseSearch('180.06 ±1e309 ppm')).toEqual({ kind: 'invalid', message });
    // 180 × 1e308 overflows before the division by 1e6.
    expect(parseSearch('180 ±1e308 ppm')).toEqual({
      kind: 'invalid',
      message: 'The m/z window is too wide to compute',
    });
  });

  it('hints at the syntax for an m/z query half typed or mistyped', () => {
    for (const text of ['180.06 ±', '180.06 ±5 p', '180.06 5', '180.06 ±5 ppm ±2', '1805 ppm', '180.06 - 5 ppm']) {
      const parsed = parseSearch(text);
      expect(parsed, text).toEqual(invalid);
      expect(parsed.kind === 'invalid' && parsed.message, text).toContain('e.g. 180.06 ±5 ppm');
    }
  });
});

describe('describeWindow', () => {
  it('says the window as typed', () => {
    const parsed = parseSearch('180.06 +-5ppm');
    expect(parsed.kind === 'mz' && describeWindow(parsed.window)).toBe('m/z 180.06 ± 5 ppm');
    const da = parseSearch('180.06 ± 0.01');
    expect(da.kind === 'mz' && describeWindow(da.window)).toBe('m/z 180.06 ± 0.01 Da');
  });
});
