/** What a projector is given and what it does: turn one record a transaction wrote into rows of the store. */
import type { SqlParam, SqlRunner } from '../store/store';
import { rowValues, upsertSql } from '../store/sql';
import type { UpsertSpec } from '../store/sql';

/** The transaction that wrote a record: every projected row carries it. */
export interface WrittenBy {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  /** The transaction's timestamp (ISO 8601). */
  readonly timestamp: string;
}

/**
 * Projects one kind of record (one object type of composite key) into its table(s). `project` receives the record
 * as the chaincode stored it (parsed JSON) and the key's attributes; `remove` is called when the key is deleted.
 */
export interface RecordProjector {
  /** The composite-key object type of the records it projects (KEYS in the chaincode). */
  readonly objectType: string;
  /**
   * Whether a written value is a record to project; absent, every value is. An object type whose keys hold either
   * records or index markers (eventByLot) projects the records; a marker is mirrored only.
   */
  holds?(value: Uint8Array): boolean;
  project(tx: SqlRunner, record: unknown, attributes: readonly string[], by: WrittenBy): Promise<void>;
  remove(tx: SqlRunner, attributes: readonly string[], by: WrittenBy): Promise<void>;
}

/** The columns every projected row ends with. */
export const WRITTEN_BY_COLUMNS = ['tx_id', 'block_number', 'tx_index'] as const;

/** An upsert statement for a table and its row writer, built once. */
export class TableWriter {
  readonly #spec: UpsertSpec;
  readonly #sql: string;

  constructor(table: string, columns: readonly string[], key: readonly string[]) {
    this.#spec = { table, columns: [...columns, ...WRITTEN_BY_COLUMNS], key };
    this.#sql = upsertSql(this.#spec);
  }

  /** Inserts the row or updates it, unless the table holds a later version of it. */
  async upsert(
    tx: SqlRunner,
    row: Readonly<Record<string, SqlParam | undefined>>,
    by: WrittenBy,
  ): Promise<void> {
    await tx.run(
      this.#sql,
      rowValues(this.#spec, { ...row, tx_id: by.txId, block_number: by.blockNumber, tx_index: by.txIndex }),
    );
  }

  /** Deletes the row with this key. */
  async delete(tx: SqlRunner, key: readonly SqlParam[]): Promise<void> {
    const where = this.#spec.key.map((column) => `${column} = ?`).join(' AND ');
    await tx.run(`DELETE FROM ${this.#spec.table} WHERE ${where}`, key);
  }
}

/** A JSON object field as a string, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A JSON number field, or null. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The record as a plain object (projectors read records defensively: the chaincode is another program). */
export function asObject(record: unknown): Record<string, unknown> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new Error('record is not a JSON object');
  }
  return record as Record<string, unknown>;
}

/** The compact JSON of a record, kept beside the projected columns. */
export function json(record: unknown): string {
  return JSON.stringify(record);
}
