import type { Sql } from './client.js';

/** A filter fragment only when the filter was given. */
export function whenGiven<T>(sql: Sql, value: T | undefined, fragment: (v: T) => ReturnType<Sql>) {
  return value === undefined || value === '' ? sql`` : fragment(value);
}

/** `name` / `-name` → a whitelisted column and direction (the query schema already refused anything else). */
export function orderBy(sql: Sql, alias: string, columns: Record<string, string>, sort: string) {
  const desc = sort.startsWith('-');
  const column = columns[desc ? sort.slice(1) : sort] ?? Object.values(columns)[0]!;
  return desc ? sql`${sql(`${alias}.${column}`)} DESC` : sql`${sql(`${alias}.${column}`)} ASC`;
}
