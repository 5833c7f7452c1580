import { describe, expect, it } from 'vitest';
import {
  bacteriumLabel,
  featureTitle,
  formatBytes,
  formatCount,
  formatMz,
  formatRt,
  formatValue,
  plural,
} from '../../src/lib/format.ts';

describe('formatValue', () => {
  it('prints 4 decimals with a true minus sign', () => {
    expect(formatValue(2.5)).toBe('2.5000');
    expect(formatValue(-3)).toBe('\u22123.0000');
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(-0.00005)).toBe('\u22120.0001');
    expect(formatValue(1234.5)).toBe('1234.5000');
  });

  it('prints zero without a sign, however it was reached', () => {
    expect(formatValue(0)).toBe('0.0000');
    expect(formatValue(-0)).toBe('0.0000');
    expect(formatValue(-0.00004)).toBe('0.0000');
  });

  it('says "no value" for NULL, which is not zero', () => {
    expect(formatValue(null)).toBe('no value');
  });
});

describe('formatCount', () => {
  it('groups thousands the en-US way', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(81813)).toBe('81,813');
    expect(formatCount(1234567n)).toBe('1,234,567');
  });
});

describe('bacteriumLabel', () => {
  it('turns underscores into spaces and keeps everything else', () => {
    expect(bacteriumLabel('Akkermansia_muciniphila')).toBe('Akkermansia muciniphila');
    expect(bacteriumLabel('Clostridium_sp._ASF356')).toBe('Clostridium sp. ASF356');
    expect(bacteriumLabel('Lachnospiraceae_bacterium_3-1-46FAA')).toBe('Lachnospiraceae bacterium 3-1-46FAA');
    expect(bacteriumLabel('a__b')).toBe('a  b');
  });
});

describe('plural', () => {
  it('is singular for exactly one, plural otherwise, with the count grouped', () => {
    expect(plural(1, 'feature', 'features')).toBe('1 feature');
    expect(plural(0, 'feature', 'features')).toBe('0 features');
    expect(plural(2, 'bacterium', 'bacteria')).toBe('2 bacteria');
    expect(plural(81813, 'match', 'matches')).toBe('81,813 matches');
  });
});

describe('featureTitle', () => {
  it('names the feature by label and id, and the id once when it is the label', () => {
    expect(featureTitle('Butyrate', 'M88T30_POS')).toBe('Butyrate (M88T30_POS)');
    expect(featureTitle('M402T221_NEG', 'M402T221_NEG')).toBe('M402T221_NEG');
  });
});

describe('formatMz and formatRt', () => {
  it('prints m/z to 4 decimals and retention time in seconds to a tenth', () => {
    expect(formatMz(180.0634)).toBe('180.0634');
    expect(formatMz(88)).toBe('88.0000');
    expect(formatRt(95)).toBe('rt 95 s');
    expect(formatRt(95.44)).toBe('rt 95.4 s');
    expect(formatRt(1200)).toBe('rt 1,200 s');
  });
});

describe('formatBytes', () => {
  it('prints sizes in binary units to a tenth', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(14_788_443)).toBe('14.1 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GiB');
  });
});
