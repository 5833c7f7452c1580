const TWO_POW_32 = 4_294_967_296;

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32: spreads a single 32-bit seed over the four words of sfc32 state. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/**
 * Seeded PRNG (sfc32). Uses only 32-bit integer arithmetic, so a seed yields the same sequence everywhere;
 * `normal` additionally relies on Math.log/sqrt/cos/sin, which V8 computes identically on every platform.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /** Creates a generator from a 32-bit integer seed (other numbers are truncated to 32 bits). */
  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream for `key`, so each concern draws from its own sequence. */
  static derive(seed: number, key: string): Random {
    return new Random(hashString(`${seed}:${key}`));
  }

  /** Next raw output, an integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * (this.nextUint32() / TWO_POW_32);
  }

  /** Normal deviate (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * spare;
    }
    const u = (this.nextUint32() + 1) / TWO_POW_32; // (0, 1]: keeps log(u) finite
    const theta = 2 * Math.PI * (this.nextUint32() / TWO_POW_32);
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(theta);
    return mean + sd * radius * Math.cos(theta);
  }

  /** Uniform integer in [min, max], both inclusive. */
  integer(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`invalid integer range [${min}, ${max}]`);
    }
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.integer(0, items.length - 1)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.integer(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
