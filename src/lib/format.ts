import { TYPE_LABELS } from './feature-types.ts';

const MINUS = '\u2212';
const counts = new Intl.NumberFormat('en-US');

/** A value with 4 decimals and a true minus sign (as Plot's axes print it); NULL reads "no value". */
export function formatValue(v: number | null): string {
  if (v === null) return 'no value';
  const text = Math.abs(v).toFixed(4);
  // A tiny negative value rounds to zero: print 0.0000, not −0.0000.
  return v < 0 && Number(text) !== 0 ? `${MINUS}${text}` : text;
}

/** A count with en-US thousands separators: 81,813. */
export function formatCount(n: number | bigint): string {
  return counts.format(n);
}

/** A bacterium's display name from its id: underscores become spaces. */
export function bacteriumLabel(id: string): string {
  return id.replaceAll('_', ' ');
}

/** A feature type in words (an unknown type is shown as it is). */
export function typeWords(type: string): string {
  return (TYPE_LABELS as Record<string, { one: string }>)[type]?.one ?? type;
}

/** A feature named by its label and id, the id once when the label is the id: "butyrate (M1)", "M2". */
export function featureTitle(label: string, id: string): string {
  return label === id ? id : `${label} (${id})`;
}

/** A count and its noun, singular for exactly one: `1 feature`, `2,048 features`. */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** An m/z with 4 decimals, as instruments report it: `180.0634`. */
export function formatMz(mz: number): string {
  return mz.toFixed(4);
}

const seconds = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A retention time in seconds, to a tenth: `rt 95 s`, `rt 95.4 s`. */
export function formatRt(rt: number): string {
  return `rt ${seconds.format(rt)} s`;
}

const sizes = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A file size in binary units, to a tenth: `812 B`, `4.2 KiB`, `14.1 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let unit = 0;
  while (bytes >= 1024 && unit < units.length - 1) {
    bytes /= 1024;
    unit++;
  }
  return `${sizes.format(bytes)} ${units[unit]}`;
}
