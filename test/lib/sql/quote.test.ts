import { describe, expect, it } from 'vitest';
import { openDuck } from '../../../scripts/build/duck.ts';
import { quoteIdent, quoteLiteral } from '../../../src/lib/sql/quote.ts';

describe('quoteIdent', () => {
  it('wraps identifiers in double quotes, keeping case and punctuation', () => {
    expect(quoteIdent('in_vivo')).toBe('"in_vivo"');
    expect(quoteIdent('Type')).toBe('"Type"');
    expect(quoteIdent('Clostridium_sp._ASF356')).toBe('"Clostridium_sp._ASF356"');
    expect(quoteIdent('Lachnospiraceae_bacterium_3-1-46FAA')).toBe('"Lachnospiraceae_bacterium_3-1-46FAA"');
    expect(quoteIdent("it's a table; DROP")).toBe('"it\'s a table; DROP"');
    expect(quoteIdent('Bactérie')).toBe('"Bactérie"');
  });

  it('doubles inner double quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('"')).toBe('""""');
    expect(quoteIdent('x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
  });

  it('rejects the empty string and NUL characters', () => {
    expect(() => quoteIdent('')).toThrow(/empty/);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
  });
});

describe('quoteLiteral', () => {
  it('wraps values in single quotes, doubling inner ones', () => {
    expect(quoteLiteral('butyrate')).toBe("'butyrate'");
    expect(quoteLiteral('')).toBe("''");
    expect(quoteLiteral("5-(3',4'-dihydroxyphenyl)-gamma-valerolactone")).toBe(
      "'5-(3'',4''-dihydroxyphenyl)-gamma-valerolactone'",
    );
    expect(quoteLiteral("'; DROP TABLE t; --")).toBe("'''; DROP TABLE t; --'");
    expect(quoteLiteral('say "hi"')).toBe(`'say "hi"'`);
  });

  it('round-trips hostile strings through a real DuckDB, backslashes kept literal', async () => {
    const { duck, close } = await openDuck(1);
    try {
      for (const value of ['a\\b', "\\'", "'); DROP TABLE t; --", '<script>alert(1)</script>', 'ünïcødé 🦠', '\n']) {
        const reader = await duck.runAndReadAll(`SELECT ${quoteLiteral(value)} AS v`);
        expect(reader.getRowObjectsJS()[0]!.v).toBe(value);
      }
    } finally {
      await close();
    }
  });

  it('rejects NUL characters', () => {
    expect(() => quoteLiteral('a\0')).toThrow(/NUL/);
  });
});
