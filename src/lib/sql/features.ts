import { placeholders, type Query } from './sources.ts';

/** Label and type of the given feature ids (for titles and axes of selections restored from a URL). */
export function featuresByNameQuery(features: string, names: string[]): Query {
  if (names.length === 0) return { sql: `SELECT name, label, type FROM ${features} WHERE FALSE`, params: [] };
  return {
    sql: `SELECT name, label, type FROM ${features} WHERE name IN ${placeholders(names.length)}`,
    params: [...names],
  };
}
