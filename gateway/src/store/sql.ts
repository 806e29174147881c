/** Small helpers that build SQL text valid in both engines. */
import type { SqlParam } from './store';

/** `?, ?, ?` for an IN list of `count` values (at least one). */
export function placeholders(count: number): string {
  if (count < 1) throw new RangeError('an IN list needs at least one value');
  return new Array<string>(count).fill('?').join(', ');
}

/** Rewrites `?` placeholders as PostgreSQL's `$1, $2, ...`. The SQL of this package never has `?` in literals. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (use with `ESCAPE '\'`). */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern matching values that start with `text` (use with `ESCAPE '\'`). */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Definition of an upsert: table, its columns in order, and the primary-key columns. */
export interface UpsertSpec {
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: readonly string[];
}

/**
 * An upsert that never moves a row back in ledger order: the row is replaced only by a write from the same or a
 * later (block_number, tx_index). Every projected table has those two columns.
 */
export function upsertSql(spec: UpsertSpec): string {
  const updates = spec.columns
    .filter((column) => !spec.key.includes(column))
    .map((column) => `${column} = excluded.${column}`);
  const t = spec.table;
  return (
    `INSERT INTO ${t} (${spec.columns.join(', ')}) VALUES (${placeholders(spec.columns.length)}) ` +
    `ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${updates.join(', ')} ` +
    `WHERE excluded.block_number > ${t}.block_number ` +
    `OR (excluded.block_number = ${t}.block_number AND excluded.tx_index >= ${t}.tx_index)`
  );
}

/** The values of a row in the order of `spec.columns`; a missing value is NULL. */
export function rowValues(spec: UpsertSpec, row: Readonly<Record<string, SqlParam | undefined>>): SqlParam[] {
  return spec.columns.map((column) => row[column] ?? null);
}
