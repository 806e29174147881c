/**
 * The PostgreSQL query store (node-postgres), for members that run a database server. The SQL is the same as for
 * SQLite; only the placeholders are rewritten ($1, $2, ...). 64-bit integers and NUMERIC come back as JavaScript
 * numbers, as in SQLite (block numbers and counts stay far below 2^53).
 */
import { Pool, types } from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import { SerialQueue } from './serial-queue';
import { toPostgresPlaceholders } from './sql';
import { StoreError } from './store';
import type { RunResult, SqlParam, SqlRunner, Store } from './store';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Most connections the pool opens; default 10. */
  readonly maxConnections?: number;
  /** How long to wait for a connection; default 10 s. */
  readonly connectTimeoutMs?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Type parsers of this store's pool: int8 and numeric as numbers, everything else as node-postgres does. */
const typeParsers: NonNullable<PoolConfig['types']> = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return format === 'binary' ? types.getTypeParser(oid, 'binary') : types.getTypeParser(oid, 'text');
  }) as NonNullable<PoolConfig['types']>['getTypeParser'],
};

/** Opens a pool on `url` (postgres://user:password@host:port/database) and checks that it connects. */
export async function openPostgresStore(
  url: string,
  options: Readonly<PostgresStoreOptions> = {},
): Promise<Store> {
  const location = redact(url);
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: typeParsers,
    application_name: 'agritrace-gateway',
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`cannot connect to the PostgreSQL query store ${location}: ${describe(err)}`, {
      cause: err,
    });
  }
  return new PostgresStore(location, pool);
}

/** {@link Store} over a node-postgres pool. */
class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly location: string;
  readonly #pool: Pool;
  readonly #writes = new SerialQueue();
  #closed = false;

  constructor(location: string, pool: Pool) {
    this.location = location;
    this.#pool = pool;
  }

  async all<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const result = await this.#pool.query(toPostgresPlaceholders(sql), [...params]);
    return result.rows as T[];
  }

  async get<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return this.#writes.run(async () => {
      const result = await this.#pool.query(toPostgresPlaceholders(sql), [...params]);
      return { changes: result.rowCount ?? 0 };
    });
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.#writes.run(async () => {
      const client = await this.#pool.connect();
      let open = true;
      let broken = false;
      const query = async (sql: string, params: readonly SqlParam[]) => {
        if (!open) throw new StoreError('a statement was run on a transaction that has already ended');
        return client.query(toPostgresPlaceholders(sql), [...params]);
      };
      const runner: SqlRunner = {
        all: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
          (await query(sql, params)).rows as R[],
        get: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
          (await query(sql, params)).rows[0] as R | undefined,
        run: async (sql: string, params: readonly SqlParam[] = []) => ({
          changes: (await query(sql, params)).rowCount ?? 0,
        }),
      };
      try {
        await client.query('BEGIN');
        const result = await work(runner);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        open = false;
        release(client, broken);
      }
    });
  }

  async snapshot<T>(work: (reader: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work({
        all: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
          (await client.query(toPostgresPlaceholders(sql), [...params])).rows as R[],
        get: async <R extends object>(sql: string, params: readonly SqlParam[] = []) =>
          (await client.query(toPostgresPlaceholders(sql), [...params])).rows[0] as R | undefined,
        run: async () => {
          throw new StoreError('a snapshot is read-only');
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      release(client, broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.run(async () => undefined);
    await this.#pool.end();
  }
}

function release(client: PoolClient, broken: boolean): void {
  client.release(broken ? new Error('connection left in an unknown state') : undefined);
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
