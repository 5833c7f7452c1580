/** Quotes a PostgreSQL identifier: wraps it in double quotes, doubling any inner ones. */
export function quoteIdent(name: string): string {
  if (name === '') throw new Error('SQL identifier must not be empty');
  rejectNul(name, 'SQL identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a standard SQL string literal (single quotes doubled), as both DuckDB and PostgreSQL read it; the build's
 * PostgreSQL connections force standard_conforming_strings on, so backslashes stay literal there too.
 */
export function quoteLiteral(value: string): string {
  rejectNul(value, 'SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

function rejectNul(value: string, what: string): void {
  if (value.includes('\0')) throw new Error(`${what} must not contain a NUL character`);
}
