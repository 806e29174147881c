/**
 * The embedded query store: one SQLite file (better-sqlite3) in WAL mode. Writes go through one connection, one
 * transaction at a time; reads go through a second, read-only connection, which in WAL mode sees only committed
 * transactions, so an HTTP request never observes half of a block being applied.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { mkdirSync } from 'fs';
import * as path from 'path';
import { SerialQueue } from './serial-queue';
import { StoreError } from './store';
import type { RunResult, SqlParam, SqlRunner, Store } from './store';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** How long a statement waits for a lock held by another connection; default 5 s. */
  readonly busyTimeoutMs?: number;
  /** Refuse to create the file (tools that inspect a gateway's store); default false. */
  readonly mustExist?: boolean;
}

/** WAL pages after which a commit checkpoints them into the database file (SQLite's default is 1,000). */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Opens (creating if needed) the SQLite store in `file`. Migrations are applied by the caller. */
export function openSqliteStore(file: string, options: Readonly<SqliteStoreOptions> = {}): Store {
  const absolute = path.resolve(file);
  const timeout = options.busyTimeoutMs ?? 5_000;
  let writer: SqliteDatabase;
  try {
    if (!options.mustExist) mkdirSync(path.dirname(absolute), { recursive: true });
    writer = new Database(absolute, { timeout, fileMustExist: options.mustExist ?? false });
    writer.pragma('journal_mode = WAL');
    // NORMAL: in WAL mode a commit is atomic and survives a crash of the process; a power cut may lose the last
    // commits, and with them the checkpoint that names their blocks, so the follower applies those blocks again.
    // Everything here derives from the ledger (accounts live in their own file), so no fsync per block is needed.
    writer.pragma('synchronous = NORMAL');
    // Applying a block dirties some 13 pages a transaction (mostly leaves of the randomly keyed indexes: ledger_kv
    // keys, tx and event IDs), a few hundred a block. At SQLite's default checkpoint of every 1,000 WAL pages, nearly
    // every other block copied them into the database file; every 10,000 pages (a WAL of up to 40 MiB), a page that
    // many blocks change is copied once per checkpoint: a fifth to a quarter less CPU per block applied.
    writer.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    writer.pragma('foreign_keys = ON');
  } catch (err) {
    const missing = options.mustExist && (err as { code?: unknown }).code === 'SQLITE_CANTOPEN';
    const reason = missing ? 'no such file (has the gateway run with this configuration?)' : describe(err);
    throw new StoreError(`cannot open the SQLite query store ${absolute}: ${reason}`, { cause: err });
  }
  let reader: SqliteDatabase;
  try {
    reader = new Database(absolute, { timeout, readonly: true, fileMustExist: true });
  } catch (err) {
    writer.close();
    throw new StoreError(`cannot open the SQLite query store ${absolute} for reading: ${describe(err)}`, {
      cause: err,
    });
  }
  return new SqliteStore(absolute, writer, reader);
}

/** {@link Store} over two better-sqlite3 connections to one file. */
class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly location: string;
  readonly #writer: StatementCache;
  readonly #reader: StatementCache;
  readonly #writes = new SerialQueue();
  readonly #snapshots = new SerialQueue();
  #closed = false;

  constructor(location: string, writer: SqliteDatabase, reader: SqliteDatabase) {
    this.location = location;
    this.#writer = new StatementCache(writer);
    this.#reader = new StatementCache(reader);
  }

  async all<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.#reader.statement(sql).all(...params) as T[];
  }

  async get<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return this.#reader.statement(sql).get(...params) as T | undefined;
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.#writes.run(async () => runOn(this.#writer, sql, params));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#writes.run(async () => {
      const db = this.#writer.db;
      db.exec('BEGIN IMMEDIATE');
      let open = true;
      const runner: SqlRunner = {
        all: async <R extends object>(sql: string, params: readonly SqlParam[] = []) => {
          assertOpen(open);
          return this.#writer.statement(sql).all(...params) as R[];
        },
        get: async <R extends object>(sql: string, params: readonly SqlParam[] = []) => {
          assertOpen(open);
          return this.#writer.statement(sql).get(...params) as R | undefined;
        },
        run: async (sql: string, params: readonly SqlParam[] = []) => {
          assertOpen(open);
          return runOn(this.#writer, sql, params);
        },
      };
      try {
        const result = await work(runner);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      } finally {
        open = false;
      }
    });
  }

  snapshot<T>(work: (reader: SqlRunner) => Promise<T>): Promise<T> {
    return this.#snapshots.run(async () => {
      const db = this.#reader.db;
      // A deferred transaction on the WAL reader: its first SELECT fixes the snapshot until COMMIT.
      db.exec('BEGIN');
      try {
        return await work({
          all: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
            this.#reader.statement(sql).all(...params) as R[],
          get: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
            this.#reader.statement(sql).get(...params) as R | undefined,
          run: async () => {
            throw new StoreError('a snapshot is read-only');
          },
        });
      } finally {
        if (db.inTransaction) db.exec('COMMIT');
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.run(async () => undefined);
    await this.#snapshots.run(async () => undefined);
    this.#reader.db.close();
    this.#writer.db.close();
  }
}

/** Prepared statements of one connection, prepared once per SQL text. */
class StatementCache {
  readonly db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();

  constructor(db: SqliteDatabase) {
    this.db = db;
  }

  statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function runOn(cache: StatementCache, sql: string, params: readonly SqlParam[]): RunResult {
  const statement = cache.statement(sql);
  if (!statement.reader) return { changes: statement.run(...params).changes };
  statement.all(...params);
  return { changes: 0 };
}

function assertOpen(open: boolean): void {
  if (!open) throw new StoreError('a statement was run on a transaction that has already ended');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
