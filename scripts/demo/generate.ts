import { METABOLITES } from './metabolites.ts';
import { Random } from './random.ts';
import { SPECIES } from './species.ts';

/** A column of a demo table. */
export interface DemoColumn {
  name: string;
  pgType: 'text' | 'double precision';
}

/** A demo table: its schema and a deterministic, lazily generated row stream. */
export interface DemoTable {
  name: string;
  columns: DemoColumn[];
  rowCount: number;
  rows(): Generator<(string | number | null)[]>;
}

/**
 * `seed`: 32-bit integer; `scale`: > 0, multiplies the row counts. Above 1 it also multiplies the bacteria, by
 * `bacteriaFactor(scale)` (3 at scale 4), with generated species-like names beyond the real list; at most 1, the rows
 * are those of generator version 1, unchanged.
 */
export interface DemoOptions {
  seed?: number;
  scale?: number;
}

/** Default seed of the demo data. */
export const DEMO_SEED = 42;

/** Version of the generated data: bump it whenever the rows for a given seed and scale change. */
export const DEMO_GENERATOR_VERSION = 1;

type Cell = string | number | null;
type Role = -1 | 0 | 1;

interface Feature {
  name: string;
  mz: number;
  rt: number;
}

interface InVivoFeature {
  feature: Feature;
  type: 'by_negative' | 'by_positive' | 'by_name';
  metabolite: string | null;
}

interface InVitroFeature {
  name: string;
  mz: number;
  rt: number;
  match: string | null;
  annotated: boolean;
}

interface Bacterium {
  name: string;
  density: number;
  activity: number;
}

interface Counts {
  negative: number;
  positive: number;
  annotated: number;
  labeledUnannotated: number;
  sharedLabels: number;
  vitroRows: number;
  vitroAnnotated: number;
  vitroFromVivo: number;
}

interface Labels {
  bases: readonly string[];
  vivoAnnotated: string[];
  /** Labels of non-annotated in vivo features; the first `sharedLabels` repeat annotated labels. */
  vivoUnannotated: string[];
  vitroAnnotated: string[];
}

interface TableSpec<M> {
  name: string;
  metadataColumns: DemoColumn[];
  bacteria: Bacterium[];
  rowCount: number;
  features: () => M[];
  metadata: (feature: M) => Cell[];
  label: (feature: M) => string | null;
}

const FULL_COUNTS = {
  negative: 58_869,
  positive: 22_488,
  annotated: 456,
  labeledUnannotated: 40,
  sharedLabels: 5,
  vitroRows: 20_000,
  vitroAnnotated: 350,
};

const SHARED_SPECIES = 100;
const IN_VIVO_ONLY_SPECIES = 11;
/** The largest scale accepted: 10x the features is already past anything the site is built for. */
export const DEMO_MAX_SCALE = 10;

const MZ_MIN = 60;
const MZ_MAX = 1200;
const RT_MIN = 20;
const RT_MAX = 1200;

const DENSITY_MIN = 0.2;
const DENSITY_MAX = 0.39;
const IN_VITRO_POSITIVE_SHARE = 0.45;
const CANDIDATE_SHARE = 0.05;
const ACTIVE_ROW_SHARE = 0.12;
const PRODUCER_RATE = 0.04;
const CONSUMER_RATE = 0.025;
const NOISE_SD = 0.6;
const TIE_SHARE = 0.1;

const text = (name: string): DemoColumn => ({ name, pgType: 'text' });
const double = (name: string): DemoColumn => ({ name, pgType: 'double precision' });

const IN_VIVO_METADATA = [text('name'), double('mz'), double('rt'), text('Type'), text('metabolite')];
const IN_VITRO_METADATA = [text('name'), double('mz'), double('rt'), text('list_2_match')];

/** Builds the demo tables `in_vivo` and `gmm_test_1`; rows are generated lazily, identically for equal options. */
export function generateDemo(options: DemoOptions = {}): DemoTable[] {
  const { seed, scale } = resolveOptions(options);
  const counts = countsFor(scale);
  const labels = planLabels(seed, counts);
  const species = splitSpecies(seed, bacteriaFactor(scale));
  const annotated = annotatedInVivo(seed, labels);

  const inVivo = makeTable<InVivoFeature>(seed, {
    name: 'in_vivo',
    metadataColumns: IN_VIVO_METADATA,
    bacteria: bacteriaFor(seed, 'in_vivo', species.inVivo),
    rowCount: counts.negative + counts.positive + counts.annotated,
    features: lazy(() => inVivoFeatures(seed, counts, labels, annotated.features)),
    metadata: ({ feature, type, metabolite }) => [feature.name, feature.mz, feature.rt, type, metabolite],
    label: (row) => row.metabolite,
  });
  const inVitro = makeTable<InVitroFeature>(seed, {
    name: 'gmm_test_1',
    metadataColumns: IN_VITRO_METADATA,
    bacteria: bacteriaFor(seed, 'gmm_test_1', species.inVitro),
    rowCount: counts.vitroRows,
    features: lazy(() => inVitroFeatures(seed, counts, labels, annotated.mzByLabel)),
    metadata: ({ name, mz, rt, match }) => [name, mz, rt, match],
    label: (row) => (row.annotated ? row.name : null),
  });
  return [inVivo, inVitro];
}

/** One PostgreSQL CSV line: NULL is an empty unquoted field, numbers print as their shortest round-trip form. */
export function toCsvLine(row: readonly Cell[]): string {
  return `${row.map(csvField).join(',')}\n`;
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return needsQuotes(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function needsQuotes(value: string): boolean {
  // An empty quoted field is the empty string (unquoted means NULL); a lone \. would end the COPY data.
  return value === '' || value === '\\.' || /[",\n\r]/.test(value);
}

function resolveOptions(options: DemoOptions): { seed: number; scale: number } {
  const seed = options.seed ?? DEMO_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) {
    throw new RangeError(`demo seed must be a 32-bit integer, got ${seed}`);
  }
  if (!(scale > 0 && scale <= DEMO_MAX_SCALE)) {
    throw new RangeError(`demo scale must be in (0, ${DEMO_MAX_SCALE}], got ${scale}`);
  }
  return { seed, scale };
}

function countsFor(scale: number): Counts {
  const scaled = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  const negative = scaled(FULL_COUNTS.negative, 1);
  const positive = scaled(FULL_COUNTS.positive, 1);
  const annotated = scaled(FULL_COUNTS.annotated, 5);
  const labeledUnannotated = Math.min(scaled(FULL_COUNTS.labeledUnannotated, 2), negative + positive);
  const vitroAnnotated = scaled(FULL_COUNTS.vitroAnnotated, 5);
  return {
    negative,
    positive,
    annotated,
    labeledUnannotated,
    sharedLabels: Math.min(scaled(FULL_COUNTS.sharedLabels, 1), labeledUnannotated),
    vitroRows: Math.max(scaled(FULL_COUNTS.vitroRows, 1), 2 * vitroAnnotated),
    vitroAnnotated,
    vitroFromVivo: Math.min(Math.round(vitroAnnotated / 2), annotated),
  };
}

/** Hands out distinct labels: every base name once, then "(isomer 2)", "(isomer 3)", ... variants. */
function planLabels(seed: number, counts: Counts): Labels {
  const rng = Random.derive(seed, 'labels');
  const bases = rng.shuffle(METABOLITES);
  let next = 0;
  const fresh = (n: number) => times(n, () => isomerLabel(bases, next++));
  const vivoAnnotated = fresh(counts.annotated);
  const vivoUnannotated = [
    ...rng.shuffle(vivoAnnotated).slice(0, counts.sharedLabels),
    ...fresh(counts.labeledUnannotated - counts.sharedLabels),
  ];
  const vitroAnnotated = [
    ...rng.shuffle(vivoAnnotated).slice(0, counts.vitroFromVivo),
    ...fresh(counts.vitroAnnotated - counts.vitroFromVivo),
  ];
  return { bases, vivoAnnotated, vivoUnannotated, vitroAnnotated };
}

function isomerLabel(bases: readonly string[], index: number): string {
  const base = bases[index % bases.length]!;
  const round = Math.floor(index / bases.length) + 1;
  return round === 1 ? base : `${base} (isomer ${round})`;
}

/**
 * How many times the real bacteria a scale has: 1 up to scale 1, then growing by 2/3 per unit of scale, so that a
 * scale-4 demo (4x the features) has 3x the bacteria, about 327k x 333 in vivo.
 */
export function bacteriaFactor(scale: number): number {
  return scale <= 1 ? 1 : 1 + ((scale - 1) * 2) / 3;
}

/**
 * The species names of a demo with `factor` times the real bacteria: the real list, then generated strains of its
 * genera (`Bacteroides_sp._MNX0126`), unique and valid identifiers like the real ones.
 */
export function speciesPool(factor: number): string[] {
  const wanted = Math.round(SPECIES.length * factor);
  const genera = [...new Set(SPECIES.map((s) => s.split('_')[0]!))];
  const extra = times(Math.max(0, wanted - SPECIES.length), () => '').map(
    (_, i) => `${genera[i % genera.length]}_sp._MNX${String(SPECIES.length + i + 1).padStart(4, '0')}`,
  );
  return [...SPECIES, ...extra];
}

/**
 * Splits the shuffled species into shared, in-vivo-only and in-vitro-only sets; each set grows with `factor` (1: the
 * real list's 100 shared, 11 in vivo only and 14 in vitro only).
 */
function splitSpecies(seed: number, factor: number): { inVivo: string[]; inVitro: string[] } {
  const shuffled = Random.derive(seed, 'species').shuffle(speciesPool(factor));
  const sharedEnd = Math.round(SHARED_SPECIES * factor);
  const inVivoEnd = sharedEnd + Math.round(IN_VIVO_ONLY_SPECIES * factor);
  const shared = shuffled.slice(0, sharedEnd);
  return {
    inVivo: [...shared, ...shuffled.slice(sharedEnd, inVivoEnd)],
    inVitro: [...shared, ...shuffled.slice(inVivoEnd)],
  };
}

function bacteriaFor(seed: number, table: string, names: readonly string[]): Bacterium[] {
  const rng = Random.derive(seed, `${table}:bacteria`);
  const byDensityRank = rng.shuffle(names).map((name, rank) => ({
    name,
    density: densityQuantile(rank, names.length),
    activity: speciesActivity(seed, name),
  }));
  return rng.shuffle(byDensityRank);
}

function densityQuantile(rank: number, n: number): number {
  // Skewed to the dense end: mean ~35 % while the sparsest columns stay near 20 %.
  return DENSITY_MAX - (DENSITY_MAX - DENSITY_MIN) * ((rank + 0.5) / n) ** 4;
}

/** How readily a species produces or consumes anything; per species, so it agrees across tables. */
function speciesActivity(seed: number, name: string): number {
  return Math.exp(Random.derive(seed, `activity:${name}`).normal(0, 0.6));
}

/** Draws features with unique (round(mz), round(rt)) pairs, named the XCMS way: M{mz}T{rt}{suffix}. */
function featureSampler(rng: Random, suffix: string): () => Feature {
  const used = new Set<number>();
  return () => {
    for (;;) {
      const mz = Math.round(drawMz(rng));
      const rt = rng.integer(RT_MIN, RT_MAX);
      const key = mz * 10_000 + rt;
      if (used.has(key)) continue;
      used.add(key);
      return {
        name: `M${mz}T${rt}${suffix}`,
        mz: roundTo(mz + rng.uniform(-0.4999, 0.4999), 4),
        rt: roundTo(rt + rng.uniform(-0.4, 0.4), 1),
      };
    }
  };
}

function drawMz(rng: Random): number {
  // Log-normal around 350: small molecules dominate untargeted LC-MS features.
  for (;;) {
    const mz = Math.exp(rng.normal(Math.log(350), 0.55));
    if (mz >= MZ_MIN && mz <= MZ_MAX) return mz;
  }
}

/** The annotated in vivo features, made eagerly because the in vitro table reuses their m/z. */
function annotatedInVivo(seed: number, labels: Labels): { features: InVivoFeature[]; mzByLabel: Map<string, number> } {
  const place = featureSampler(Random.derive(seed, 'in_vivo:annotated'), '');
  const mzByLabel = new Map<string, number>();
  const features = labels.vivoAnnotated.map((label): InVivoFeature => {
    const feature = place();
    mzByLabel.set(label, feature.mz);
    return { feature, type: 'by_name', metabolite: label };
  });
  return { features, mzByLabel };
}

function inVivoFeatures(seed: number, counts: Counts, labels: Labels, annotated: InVivoFeature[]): InVivoFeature[] {
  const rng = Random.derive(seed, 'in_vivo:features');
  const negative = featureSampler(rng, '_NEG');
  const positive = featureSampler(rng, '_POS');
  const unannotated = rng.shuffle([
    ...times(counts.negative, (): InVivoFeature => ({ feature: negative(), type: 'by_negative', metabolite: null })),
    ...times(counts.positive, (): InVivoFeature => ({ feature: positive(), type: 'by_positive', metabolite: null })),
  ]);
  labels.vivoUnannotated.forEach((label, i) => {
    const row = unannotated[i];
    if (row) row.metabolite = label;
  });
  return rng.shuffle([...annotated, ...unannotated]);
}

function inVitroFeatures(
  seed: number,
  counts: Counts,
  labels: Labels,
  annotatedMz: ReadonlyMap<string, number>,
): InVitroFeature[] {
  const rng = Random.derive(seed, 'gmm_test_1:features');
  const positive = featureSampler(rng, '_POS');
  const negative = featureSampler(rng, '_NEG');
  const place = featureSampler(rng, '');
  const annotated = labels.vitroAnnotated.map((label): InVitroFeature => {
    const { mz, rt } = place();
    const knownMz = annotatedMz.get(label);
    // A compound seen in vivo keeps its m/z in vitro, up to a few ppm of instrument error.
    const sameMz = knownMz === undefined ? mz : roundTo(knownMz * (1 + rng.normal(0, 3e-6)), 4);
    return { name: label, mz: sameMz, rt, match: label, annotated: true };
  });
  const others = times(counts.vitroRows - annotated.length, (): InVitroFeature => {
    const { name, mz, rt } = rng.chance(IN_VITRO_POSITIVE_SHARE) ? positive() : negative();
    const match = rng.chance(CANDIDATE_SHARE) ? rng.pick(labels.bases) : null;
    return { name, mz, rt, match, annotated: false };
  });
  return rng.shuffle([...annotated, ...others]);
}

function makeTable<M>(seed: number, spec: TableSpec<M>): DemoTable {
  return {
    name: spec.name,
    columns: [...spec.metadataColumns, ...spec.bacteria.map((b) => double(b.name))],
    rowCount: spec.rowCount,
    rows: () => tableRows(seed, spec),
  };
}

function* tableRows<M>(seed: number, spec: TableSpec<M>): Generator<Cell[]> {
  const rng = Random.derive(seed, `${spec.name}:values`);
  for (const feature of spec.features()) {
    const label = spec.label(feature);
    const active = label !== null || rng.chance(ACTIVE_ROW_SHARE);
    const row = spec.metadata(feature);
    for (const bacterium of spec.bacteria) {
      const role = active
        ? roleOf(label === null ? rng.uniform() : labelUniform(seed, label, bacterium), bacterium)
        : 0;
      row.push(rng.chance(bacterium.density) ? cellValue(rng, role) : null);
    }
    yield row;
  }
}

/** A uniform draw fixed by (label, species), so a named compound has the same producers in both tables. */
function labelUniform(seed: number, label: string, bacterium: Bacterium): number {
  return Random.derive(seed, `role:${label}:${bacterium.name}`).uniform();
}

function roleOf(u: number, bacterium: Bacterium): Role {
  if (u < PRODUCER_RATE * bacterium.activity) return 1;
  if (u < (PRODUCER_RATE + CONSUMER_RATE) * bacterium.activity) return -1;
  return 0;
}

/** A log2 fold change: noise around 0, producers up to +12, consumers down to -8. */
function cellValue(rng: Random, role: Role): number {
  const value =
    role === 1 ? 1.5 + 10.5 * rng.uniform() ** 3 : role === -1 ? -1 - 7 * rng.uniform() ** 3 : rng.normal(0, NOISE_SD);
  // Some values rounded to 2 decimals make exact ties recur; `+ 0` turns -0 into 0.
  return rng.chance(TIE_SHARE) ? Math.round(value * 100) / 100 + 0 : value;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function times<T>(n: number, make: () => T): T[] {
  return Array.from({ length: n }, make);
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
