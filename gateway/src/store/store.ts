/**
 * The query store: an off-chain SQL database that follows the ledger. One async interface, two engines (SQLite
 * for the embedded default, PostgreSQL for members that run one) with the same schema and the same SQL text:
 * statements are written once with `?` placeholders and only the placeholder syntax is adapted per engine.
 */

/** A value bound to a `?` placeholder. Booleans are stored as 0/1 and times as ISO 8601 text, in both engines. */
export type SqlParam = string | number | null;

/** What a write statement changed. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
}

/** Runs SQL: the store itself (reads on committed data) or an open transaction. */
export interface SqlRunner {
  /** Every row of a query. */
  all<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** A statement that returns no rows (INSERT, UPDATE, DELETE, DDL). */
  run(sql: string, params?: readonly SqlParam[]): Promise<RunResult>;
}

/** The two engines. */
export type StoreEngine = 'sqlite' | 'postgres';

/** An open query store. Reads outside a transaction never see a transaction that has not committed. */
export interface Store extends SqlRunner {
  readonly engine: StoreEngine;
  /** Where the data lives, without credentials (for logs and /healthz). */
  readonly location: string;
  /**
   * Runs `work` in one database transaction: committed if it resolves, rolled back if it throws. Transactions are
   * serialised: a second one waits until the first has finished.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` on one consistent snapshot of committed data: every statement sees the same state, even
   * while the follower commits blocks.
   */
  snapshot<T>(work: (reader: SqlRunner) => Promise<T>): Promise<T>;
  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** A store that cannot be opened or used: the message says what to fix. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = StoreError.name;
  }
}
