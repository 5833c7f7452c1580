import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bacteriaFactor, DEMO_SEED, generateDemo, speciesPool, toCsvLine } from '../../../scripts/demo/generate.ts';
import type { DemoTable } from '../../../scripts/demo/generate.ts';
import { METABOLITES } from '../../../scripts/demo/metabolites.ts';
import { SPECIES } from '../../../scripts/demo/species.ts';

type Cell = string | number | null;

const FULL_SCALE_TIMEOUT = 60_000;
const IN_VIVO_METADATA = ['name', 'mz', 'rt', 'Type', 'metabolite'];
const IN_VITRO_METADATA = ['name', 'mz', 'rt', 'list_2_match'];
const XCMS_NAME = /^M(\d+)T(\d+)(_POS|_NEG)?$/;

function table(tables: DemoTable[], name: string): DemoTable {
  const found = tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

function bacteria(t: DemoTable): string[] {
  const metadata = t.name === 'in_vivo' ? IN_VIVO_METADATA : IN_VITRO_METADATA;
  return t.columns.slice(metadata.length).map((c) => c.name);
}

function countBy<T>(items: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Parses one record of PostgreSQL CSV (unquoted empty field = NULL), the way COPY ... (FORMAT csv) reads it. */
function parsePgCsvRecord(line: string): (string | null)[] {
  if (!line.endsWith('\n')) throw new Error('record must end with a newline');
  const end = line.length - 1;
  const fields: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        value += line.slice(i, quote);
        if (line[quote + 1] !== '"') {
          i = quote + 1;
          break;
        }
        value += '"';
        i = quote + 2;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const next = comma < 0 ? end : comma;
      const raw = line.slice(i, next);
      if (/["\n\r]/.test(raw)) throw new Error(`unquoted field with special characters: ${raw}`);
      fields.push(raw === '' ? null : raw);
      i = next;
    }
    if (i === end) return fields;
    if (line[i] !== ',') throw new Error(`expected a comma at ${i}`);
    i++;
  }
}

/** Cells of `row` that do not survive toCsvLine and a PostgreSQL CSV reader unchanged. */
function csvRoundTripErrors(row: Cell[]): string[] {
  const parsed = parsePgCsvRecord(toCsvLine(row));
  if (parsed.length !== row.length) return [`${row.length} cells became ${parsed.length}`];
  return row.flatMap((value, j) => {
    const back = parsed[j];
    const same = typeof value === 'number' ? back !== null && Object.is(Number(back), value) : back === value;
    return same ? [] : [`${JSON.stringify(value)} became ${JSON.stringify(back)}`];
  });
}

describe('species and metabolite lists', () => {
  it('has 125 species, unique even case-insensitively, usable as PostgreSQL identifiers', () => {
    expect(SPECIES).toHaveLength(125);
    expect(new Set(SPECIES.map((s) => s.toLowerCase())).size).toBe(SPECIES.length);
    for (const name of SPECIES) {
      expect(name).toMatch(/^[A-Z][A-Za-z0-9_.-]*$/);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    }
    expect(SPECIES).toEqual(
      expect.arrayContaining([
        'Akkermansia_muciniphila',
        'Bacteroides_thetaiotaomicron',
        'Faecalibacterium_prausnitzii',
        'Clostridium_scindens',
        'Clostridium_sp._ASF356',
        'Lachnospiraceae_bacterium_3-1-46FAA',
        'Escherichia_coli_Nissle-1917',
      ]),
    );
  });

  it('has about 160 unique metabolites, some with commas, primes and parentheses', () => {
    expect(METABOLITES.length).toBeGreaterThanOrEqual(150);
    expect(METABOLITES.length).toBeLessThanOrEqual(170);
    expect(new Set(METABOLITES.map((m) => m.toLowerCase())).size).toBe(METABOLITES.length);
    expect(METABOLITES.some((m) => m.includes(','))).toBe(true);
    expect(METABOLITES.some((m) => m.includes("'"))).toBe(true);
    expect(METABOLITES.some((m) => m.includes('('))).toBe(true);
    expect(METABOLITES).toEqual(expect.arrayContaining(['indole-3-propionic acid', 'butyrate', 'deoxycholic acid']));
  });
});

describe('generateDemo schema', () => {
  const [inVivo, inVitro] = [table(generateDemo(), 'in_vivo'), table(generateDemo(), 'gmm_test_1')];

  it('lays out metadata columns first, then the bacteria', () => {
    expect(inVivo.columns.slice(0, 5).map((c) => c.name)).toEqual(IN_VIVO_METADATA);
    expect(inVitro.columns.slice(0, 4).map((c) => c.name)).toEqual(IN_VITRO_METADATA);
    expect(inVivo.columns.slice(0, 5).map((c) => c.pgType)).toEqual([
      'text',
      'double precision',
      'double precision',
      'text',
      'text',
    ]);
    for (const t of [inVivo, inVitro]) {
      expect(t.columns.slice(t.columns.length - bacteria(t).length).every((c) => c.pgType === 'double precision')).toBe(
        true,
      );
    }
  });

  it('uses 111 in vivo and 114 in vitro species, 100 of them in both, in a shuffled order', () => {
    const vivo = bacteria(inVivo);
    const vitro = bacteria(inVitro);
    expect(vivo).toHaveLength(111);
    expect(vitro).toHaveLength(114);
    expect(vivo.filter((name) => vitro.includes(name))).toHaveLength(100);
    for (const names of [vivo, vitro]) {
      expect(names.every((name) => SPECIES.includes(name))).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toEqual([...names].sort());
    }
  });

  it('reports the scaled row counts without generating rows', () => {
    expect(inVivo.rowCount).toBe(81_813);
    expect(inVitro.rowCount).toBe(20_000);
    const small = generateDemo({ scale: 0.1 });
    expect(table(small, 'in_vivo').rowCount).toBe(5887 + 2249 + 46);
    expect(table(small, 'gmm_test_1').rowCount).toBe(2000);
  });

  it('keeps the columns whatever the scale', () => {
    expect(generateDemo({ scale: 0.01 }).map((t) => t.columns)).toEqual([inVivo.columns, inVitro.columns]);
  });

  it('rejects invalid options', () => {
    for (const scale of [0, -0.5, 10.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => generateDemo({ scale })).toThrow(RangeError);
    }
    for (const seed of [1.5, 2 ** 31, -(2 ** 31) - 1, Number.NaN]) {
      expect(() => generateDemo({ seed })).toThrow(RangeError);
    }
  });
});

describe('generateDemo determinism', () => {
  const rowsOf = (tables: DemoTable[]) => tables.map((t) => Array.from(t.rows()));

  it('gives the same rows for the same seed and scale, and on every re-iteration', () => {
    const tables = generateDemo({ seed: 7, scale: 0.02 });
    const first = rowsOf(tables);
    expect(rowsOf(tables)).toEqual(first);
    expect(rowsOf(generateDemo({ seed: 7, scale: 0.02 }))).toEqual(first);
  });

  it('defaults to DEMO_SEED', () => {
    expect(DEMO_SEED).toBe(42);
    expect(rowsOf(generateDemo({ scale: 0.01 }))).toEqual(rowsOf(generateDemo({ seed: DEMO_SEED, scale: 0.01 })));
  });

  it('gives different rows and column orders for different seeds', () => {
    const a = generateDemo({ seed: 1, scale: 0.01 });
    const b = generateDemo({ seed: 2, scale: 0.01 });
    expect(rowsOf(a)).not.toEqual(rowsOf(b));
    expect(bacteria(table(a, 'in_vivo'))).not.toEqual(bacteria(table(b, 'in_vivo')));
  });

  it('matches the recorded fingerprint (on purpose changes: bump DEMO_GENERATOR_VERSION, update the hash)', () => {
    const hash = createHash('sha256');
    for (const t of generateDemo({ scale: 0.01 })) {
      for (const row of t.rows()) hash.update(toCsvLine(row));
    }
    expect(hash.digest('hex')).toBe('a71ac14a65dc483bc34d7133b8c9a03fe06ba1ee21350e898a8326b1a434f53c');
  });
});

describe('generateDemo above scale 1', () => {
  it('multiplies the bacteria by 1 up to scale 1, then by 2/3 per unit of scale (3 at scale 4)', () => {
    expect([0.25, 1, 2.5, 4].map(bacteriaFactor)).toEqual([1, 1, 2, 3]);
    expect(speciesPool(1)).toEqual(SPECIES);
  });

  it('adds generated species after the real ones: unique even case-insensitively, usable as identifiers', () => {
    const pool = speciesPool(3);
    expect(pool).toHaveLength(3 * SPECIES.length);
    expect(pool.slice(0, SPECIES.length)).toEqual(SPECIES);
    expect(new Set(pool.map((s) => s.toLowerCase())).size).toBe(pool.length);
    for (const name of pool.slice(SPECIES.length)) {
      expect(name).toMatch(/^[A-Z][a-z]+_sp\._MNX\d{4}$/);
      expect(SPECIES.some((real) => real.startsWith(`${name.split('_')[0]}_`))).toBe(true);
    }
  });

  it('has 4x the features and 3x the bacteria at scale 4, 300 of them shared, every real species among them', () => {
    const [vivo, vitro] = generateDemo({ scale: 4 });
    const [vivoNames, vitroNames] = [bacteria(vivo!), bacteria(vitro!)];
    expect(vivo!.rowCount).toBe(4 * 58_869 + 4 * 22_488 + 4 * 456);
    expect(vitro!.rowCount).toBe(80_000);
    expect([vivoNames.length, vitroNames.length]).toEqual([333, 342]);
    expect(vivoNames.filter((name) => vitroNames.includes(name))).toHaveLength(300);
    expect(new Set([...vivoNames, ...vitroNames])).toEqual(new Set(speciesPool(3)));
  });

  it(
    'fills the rows of a scale-4 table: one cell per column, unique feature names',
    () => {
      const [vivo] = generateDemo({ scale: 4 });
      const names = new Set<string>();
      let cells = 0;
      for (const row of vivo!.rows()) {
        expect(row).toHaveLength(vivo!.columns.length);
        names.add(row[0] as string);
        cells += row.length;
        if (names.size === 2000) break;
      }
      expect(names.size).toBe(2000);
      expect(cells).toBe(2000 * (5 + 333));
    },
    FULL_SCALE_TIMEOUT,
  );
});

describe('generateDemo at small scales', () => {
  it('scales every type count, keeping at least one row per type and a handful of annotations', () => {
    const [vivo, vitro] = generateDemo({ scale: 0.0001 });
    const vivoRows = Array.from(vivo!.rows());
    const types = countBy(vivoRows.map((row) => row[3]));
    expect(types.get('by_negative')).toBe(6);
    expect(types.get('by_positive')).toBe(2);
    expect(types.get('by_name')).toBe(5);
    expect(vivoRows).toHaveLength(vivo!.rowCount);
    const vitroRows = Array.from(vitro!.rows());
    expect(vitroRows).toHaveLength(vitro!.rowCount);
    expect(vitroRows.filter((row) => !XCMS_NAME.test(String(row[0]))).length).toBe(5);
  });
});

interface TableStats {
  rows: Cell[][];
  filledPerBacterium: number[];
  values: number;
  cells: number;
  min: number;
  max: number;
  ties: number;
  nearZero: number;
  invalid: number;
}

/** One pass over a full-scale table: keeps the metadata cells and summarises the bacterium values. */
function scan(t: DemoTable, metadataColumns: number): TableStats {
  const stats: TableStats = {
    rows: [],
    filledPerBacterium: new Array<number>(t.columns.length - metadataColumns).fill(0),
    values: 0,
    cells: 0,
    min: Infinity,
    max: -Infinity,
    ties: 0,
    nearZero: 0,
    invalid: 0,
  };
  for (const row of t.rows()) {
    stats.rows.push(row.slice(0, metadataColumns));
    for (let j = metadataColumns; j < row.length; j++) {
      stats.cells++;
      const value = row[j];
      if (value === null || value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || Object.is(value, -0)) stats.invalid++;
      const v = Number(value);
      stats.filledPerBacterium[j - metadataColumns]!++;
      stats.values++;
      stats.min = Math.min(stats.min, v);
      stats.max = Math.max(stats.max, v);
      if (Math.round(v * 100) / 100 === v) stats.ties++;
      if (Math.abs(v) < 1.5) stats.nearZero++;
    }
  }
  return stats;
}

/** Why an XCMS-style name disagrees with its row's m/z, retention time or type, or null when it agrees. */
function nameProblem(name: Cell, mz: Cell, rt: Cell, suffix: string): string | null {
  const match = XCMS_NAME.exec(String(name));
  const [mzValue, rtValue] = [Number(mz), Number(rt)];
  const ok =
    match !== null &&
    (match[3] ?? '') === suffix &&
    Math.round(mzValue) === Number(match[1]) &&
    Math.round(rtValue) === Number(match[2]) &&
    mzValue >= 59.5 &&
    mzValue < 1200.5 &&
    rtValue >= 19.5 &&
    rtValue < 1200.5;
  return ok ? null : `${String(name)} (mz ${mzValue}, rt ${rtValue}, expected suffix "${suffix}")`;
}

describe('generateDemo at full scale', () => {
  let vivo: TableStats;
  let vitro: TableStats;

  beforeAll(() => {
    const tables = generateDemo();
    vivo = scan(table(tables, 'in_vivo'), IN_VIVO_METADATA.length);
    vitro = scan(table(tables, 'gmm_test_1'), IN_VITRO_METADATA.length);
  }, FULL_SCALE_TIMEOUT);

  it('has the exact in vivo type counts and in vitro row count', () => {
    expect(vivo.rows).toHaveLength(81_813);
    expect(Object.fromEntries(countBy(vivo.rows.map((row) => row[3])))).toEqual({
      by_negative: 58_869,
      by_positive: 22_488,
      by_name: 456,
    });
    expect(vitro.rows).toHaveLength(20_000);
  });

  it('gives unique names consistent with mz, rt and type', () => {
    for (const { rows } of [vivo, vitro]) expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
    const suffixes: Record<string, string> = { by_negative: '_NEG', by_positive: '_POS', by_name: '' };
    const vivoProblems = vivo.rows.map(([name, mz, rt, type]) =>
      nameProblem(name ?? null, mz ?? null, rt ?? null, suffixes[String(type)] ?? '?'),
    );
    expect(vivoProblems.filter((p) => p !== null)).toEqual([]);

    const featureNames = vitro.rows.filter(([name]) => XCMS_NAME.test(String(name)));
    const vitroProblems = featureNames.map(([name, mz, rt]) =>
      nameProblem(name ?? null, mz ?? null, rt ?? null, String(name).slice(-4)),
    );
    expect(vitroProblems.filter((p) => p !== null)).toEqual([]);
    const polarities = countBy(featureNames.map(([name]) => String(name).slice(-4)));
    expect(polarities.get('_POS')).toBeGreaterThan(7000);
    expect(polarities.get('_NEG')).toBeGreaterThan(7000);
  });

  it('labels every annotated in vivo row with a distinct real metabolite name or isomer of one', () => {
    const annotated = vivo.rows.filter((row) => row[3] === 'by_name').map((row) => String(row[4]));
    expect(new Set(annotated).size).toBe(456);
    const bases = annotated.map((label) => label.replace(/ \(isomer \d+\)$/, ''));
    expect(bases.every((base) => METABOLITES.includes(base))).toBe(true);
    expect(annotated.filter((label) => label.endsWith('(isomer 2)')).length).toBeGreaterThan(100);
  });

  it('labels about 40 non-annotated in vivo rows, 5 of them sharing an annotated label', () => {
    const labeled = vivo.rows.filter((row) => row[3] !== 'by_name' && row[4] !== null);
    expect(labeled).toHaveLength(40);
    const shared = [...countBy(vivo.rows.map((row) => row[4]))].filter(([label, n]) => label !== null && n > 1);
    expect(shared).toHaveLength(5);
    expect(shared.every(([, n]) => n === 2)).toBe(true);
  });

  it('names about 350 in vitro rows after their annotation, half of them also labelled in vivo', () => {
    const annotated = vitro.rows.filter(([name]) => !XCMS_NAME.test(String(name)));
    expect(annotated).toHaveLength(350);
    expect(annotated.every(([name, , , match]) => name === match)).toBe(true);
    const vivoLabels = new Set(vivo.rows.map((row) => row[4]));
    const alsoInVivo = annotated.filter(([name]) => vivoLabels.has(name!)).length;
    expect(alsoInVivo).toBe(175);
    const candidates = vitro.rows.filter(([name, , , match]) => XCMS_NAME.test(String(name)) && match !== null);
    expect(candidates.length / (20_000 - 350)).toBeGreaterThan(0.04);
    expect(candidates.length / (20_000 - 350)).toBeLessThan(0.06);
  });

  it('keeps the m/z of compounds annotated in both tables within a few ppm', () => {
    const vivoMz = new Map(vivo.rows.filter((row) => row[3] === 'by_name').map((row) => [row[4], Number(row[1])]));
    const shared = vitro.rows.filter(([name]) => vivoMz.has(name!));
    expect(shared.length).toBeGreaterThan(100);
    for (const [name, mz] of shared) {
      expect(Math.abs(Number(mz) / vivoMz.get(name!)! - 1)).toBeLessThan(3e-5);
    }
  });

  it('fills about 35 % of cells with finite log2 fold changes, 20-39 % per bacterium', () => {
    for (const stats of [vivo, vitro]) {
      expect(stats.invalid).toBe(0);
      expect(stats.values / stats.cells).toBeGreaterThan(0.33);
      expect(stats.values / stats.cells).toBeLessThan(0.37);
      for (const filled of stats.filledPerBacterium) {
        expect(filled / stats.rows.length).toBeGreaterThan(0.19);
        expect(filled / stats.rows.length).toBeLessThan(0.4);
      }
    }
    const densest = Math.max(...vivo.filledPerBacterium);
    expect(densest).toBeGreaterThan(31_000);
    expect(densest).toBeLessThan(33_000);
  });

  it('has values mostly near zero, strong producers up to about +12, consumers down to about -8, and ties', () => {
    for (const stats of [vivo, vitro]) {
      expect(stats.max).toBeGreaterThan(10);
      expect(stats.max).toBeLessThanOrEqual(12);
      expect(stats.min).toBeLessThan(-6);
      expect(stats.min).toBeGreaterThanOrEqual(-8);
      expect(stats.nearZero / stats.values).toBeGreaterThan(0.9);
      expect(stats.ties / stats.values).toBeGreaterThan(0.08);
      expect(stats.ties / stats.values).toBeLessThan(0.15);
    }
  });
});

describe('toCsvLine', () => {
  it('writes NULL as an empty unquoted field and numbers in shortest round-trip form', () => {
    expect(toCsvLine(['M634T150_NEG', 634.2871, 150.4, null, -0.1234567890123, 12, null])).toBe(
      'M634T150_NEG,634.2871,150.4,,-0.1234567890123,12,\n',
    );
    expect(toCsvLine([null])).toBe('\n');
    expect(toCsvLine([0.1 + 0.2, 1e-7, -1.5e300])).toBe('0.30000000000000004,1e-7,-1.5e+300\n');
  });

  it('quotes strings with separators, quotes, line breaks, and the empty string', () => {
    expect(toCsvLine(['', 'a,b', 'say "hi"', 'a\nb', 'a\rb', 'plain'])).toBe(
      '"","a,b","say ""hi""","a\nb","a\rb",plain\n',
    );
    expect(toCsvLine(["4'-O-methylequol", 'skatole (3-methylindole)'])).toBe(
      "4'-O-methylequol,skatole (3-methylindole)\n",
    );
    expect(toCsvLine(['\\.'])).toBe('"\\."\n');
  });

  it('round-trips tricky values through a PostgreSQL CSV reader', () => {
    const tricky: Cell[][] = [
      ['', null, '""', '"', ',', ',,', '\n', '\r\n', ' padded ', 'tab\there', '\\N', 'NULL', 'ünïcödé'],
      ['conjugated linoleic acid (cis-9,trans-11)', "5-(3',4'-dihydroxyphenyl)-gamma-valerolactone", 0, -1e-300],
      [Number.MAX_VALUE, Number.MIN_VALUE, -0.000001, 1 / 3, 11.999999999999998],
    ];
    expect(tricky.flatMap(csvRoundTripErrors)).toEqual([]);
  });

  it('round-trips every generated row at a small scale', () => {
    for (const t of generateDemo({ scale: 0.02 })) {
      const errors = Array.from(t.rows()).flatMap((row) =>
        row.length === t.columns.length ? csvRoundTripErrors(row) : [`row of ${row.length} cells`],
      );
      expect(errors).toEqual([]);
    }
  });
});
