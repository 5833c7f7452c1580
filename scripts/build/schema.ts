import type pg from 'pg';
import type { Log } from './log.ts';
import { quoteIdent } from '../../src/lib/sql/quote.ts';

/** Metadata columns, matched case-insensitively; every other numeric column is a bacterium. */
export const METADATA_COLUMNS = ['name', 'mz', 'rt', 'list_2_match', 'type', 'metabolite'] as const;
type MetadataKey = (typeof METADATA_COLUMNS)[number];

const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

export interface TableSchema {
  schema: string;
  table: string;
  /** The source column behind each metadata field, when the table has it. */
  metadata: Partial<Record<MetadataKey, string>>;
  /** Bacterium columns in table order. */
  bacteria: string[];
}

/** Qualified, quoted name of the source table. */
export function qualifiedName(t: Pick<TableSchema, 'schema' | 'table'>): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** The table's name for messages: `schema.table`. */
export function tableName(t: Pick<TableSchema, 'schema' | 'table'>): string {
  return `${t.schema}.${t.table}`;
}

/** Reads a table's columns from information_schema and sorts them into metadata and bacteria; errors leave the naming
 * of the table to the caller's step. */
export async function discoverSchema(
  client: pg.ClientBase,
  schema: string,
  table: string,
  log: Log,
): Promise<TableSchema> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  const where = tableName({ schema, table });
  if (rows.length === 0) throw new Error('table not found');
  const metadata: TableSchema['metadata'] = {};
  const bacteria: string[] = [];
  for (const { column_name: column, data_type: type } of rows) {
    const key = METADATA_COLUMNS.find((m) => m === column.toLowerCase());
    if (key) {
      if (metadata[key])
        log.warn(`${where}: column "${column}" skipped: "${metadata[key]}" is already the ${key} column`);
      else metadata[key] = column;
    } else if (NUMERIC_TYPES.has(type)) {
      bacteria.push(column);
    } else {
      log.warn(`${where}: column "${column}" skipped: type ${type} is not numeric`);
    }
  }
  if (!metadata.name) throw new Error('no "name" column');
  if (bacteria.length === 0) throw new Error('no numeric bacterium columns');
  return { schema, table, metadata, bacteria };
}

/**
 * The select list every extraction uses, in a fixed order that the precompute stage reads back:
 * name, mz, rt, type, label, then one column per bacterium. Missing metadata comes out as NULL.
 */
export function extractionColumns(t: TableSchema): string[] {
  const text = (key: MetadataKey) => (t.metadata[key] ? `${quoteIdent(t.metadata[key])}::text` : 'NULL::text');
  const number = (key: MetadataKey) => (t.metadata[key] ? `${quoteIdent(t.metadata[key])}::float8` : 'NULL::float8');
  return [
    text('name'),
    number('mz'),
    number('rt'),
    text('type'),
    text('metabolite'),
    ...t.bacteria.map((b) => `${quoteIdent(b)}::float8`),
  ];
}
