/** A label cut to `max` characters with an ellipsis, for axes. */
export const truncate = (text: string, max = 42) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A left margin wide enough for the longest (truncated) label, within bounds. */
export const labelMargin = (labels: string[]) =>
  Math.min(300, 12 + 6.5 * Math.max(4, ...labels.map((l) => truncate(l).length)));
