/** An m/z window: the features whose mz lies within `halfWidth` of `mz`, as `tolerance` `unit` reads it. */
export interface MzWindow {
  mz: number;
  tolerance: number;
  unit: 'ppm' | 'Da';
  /** The window's half-width in Da: mz × ppm / 1e6 (computed in that order, as the SQL check on the source does). */
  halfWidth: number;
}

/** What a search text asks for: free text, an m/z window, or an m/z that cannot be searched (and why). */
export type ParsedSearch =
  { kind: 'text'; text: string } | { kind: 'mz'; window: MzWindow } | { kind: 'invalid'; message: string };

/** The tolerance of a bare m/z (`180.06`): ±10 ppm, about what a high-resolution instrument holds. */
export const DEFAULT_PPM = 10;

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
/** A number, then optionally a ± (or +- or +/-) or a space, a tolerance and its unit; ± without a unit means Da. */
const MZ = new RegExp(String.raw`^(${NUMBER})(?:(?:\s*(±|\+/?-)\s*|\s+)(${NUMBER})\s*(ppm|da)?)?$`, 'i');
/**
 * Text that starts like a number and holds nothing but what an m/z query is made of is read as one, even half
 * typed: `180.06 ±5 p` gets a hint rather than a text search. `2-hydroxybutyrate` or `100% butyrate` stay text.
 */
const MZ_LIKE = new RegExp(String.raw`^${NUMBER}(?:[\s±+/-][\s±+/\-\d.epmda]*)?$`, 'i');

const HINT = `type an m/z and a tolerance, e.g. 180.06 ±5 ppm or 180.06 ±0.01 Da (alone, ±${DEFAULT_PPM} ppm)`;

/**
 * Reads a search text: an m/z query (`180.06 ±5 ppm`, `180.06 +-5ppm`, `180.06 5 ppm`, `180.06 ± 0.01` in Da,
 * or a bare `180.06` at ±{@link DEFAULT_PPM} ppm) or free text. An m/z must be a finite number above 0 and a
 * tolerance a finite number of at least 0 whose window is finite; any such window is searched, however wide.
 */
export function parseSearch(input: string): ParsedSearch {
  const text = input.trim();
  if (!MZ_LIKE.test(text)) return { kind: 'text', text };
  const m = MZ.exec(text);
  if (!m) return { kind: 'invalid', message: `Not an m/z search: ${HINT}` };
  const [, target, sign, tol, unitText] = m;
  if (tol !== undefined && sign === undefined && unitText === undefined) {
    return { kind: 'invalid', message: `Give the tolerance a unit: ${HINT}` };
  }
  const mz = Number(target);
  if (!Number.isFinite(mz) || mz <= 0) return { kind: 'invalid', message: 'An m/z must be a finite number above 0' };
  const unit = tol === undefined || unitText?.toLowerCase() === 'ppm' ? 'ppm' : 'Da';
  const tolerance = tol === undefined ? DEFAULT_PPM : Number(tol);
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    return { kind: 'invalid', message: 'A tolerance must be a finite number of at least 0' };
  }
  const halfWidth = unit === 'ppm' ? (mz * tolerance) / 1e6 : tolerance;
  if (!Number.isFinite(halfWidth)) return { kind: 'invalid', message: 'The m/z window is too wide to compute' };
  return { kind: 'mz', window: { mz, tolerance, unit, halfWidth } };
}

/** The window in words: `m/z 180.06 ± 5 ppm`. */
export function describeWindow({ mz, tolerance, unit }: MzWindow): string {
  return `m/z ${mz} ± ${tolerance} ${unit}`;
}
