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
