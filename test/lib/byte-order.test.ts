import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../src/lib/byte-order.ts';

const utf8 = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareBytes', () => {
  it('orders as UTF-8 bytes do, across ASCII, the BMP past the surrogates and code points past U+FFFF', () => {
    const units = ['a', 'B', '_', 'é', 'Ü', '\u0800', '\ud7ff', '\ue000', '\uffee', '\uffff', '😀', '𝄞', '\u{10ffff}'];
    // Every string of up to two of them, each against every other.
    const strings = ['', ...units, ...units.flatMap((x) => units.map((y) => x + y))];
    for (const a of strings) {
      for (const b of strings) expect(Math.sign(compareBytes(a, b)), `${a} ${b}`).toBe(utf8(a, b));
    }
  });
});
