/**
 * Compares two strings in UTF-8 byte order (the same as code point order), as DuckDB sorts them. UTF-16 code units
 * order the same but for surrogates (code points past U+FFFF), which must sort after U+E000 to U+FFFF: the first
 * pair of units that differ is compared with surrogates moved above the rest.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? inCodePointOrder(x) - inCodePointOrder(y) : x - y;
  }
  return a.length - b.length;
}

/** A code unit from U+D800 up, placed so that surrogates (U+D800 to U+DFFF) come after U+E000 to U+FFFF. */
function inCodePointOrder(unit: number): number {
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
