/**
 * The store engines the store tests run against: SQLite always (a fresh file per store), and PostgreSQL at
 * $AGRITRACE_TEST_PG_URL (a fresh schema per store, dropped at close). In CI (CI=true) an unset
 * AGRITRACE_TEST_PG_URL fails the PostgreSQL tests with the way to fix it; outside CI they are left out, with a
 * note on stderr.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { applyBlock } from '../../../src/follower/apply-block';
import type { DecodedBlock } from '../../../src/follower/block-decode';
import { migrate } from '../../../src/store/migrate';
import { openPostgresStore } from '../../../src/store/postgres-store';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store, StoreEngine } from '../../../src/store/store';

/** Environment variable with the test server's URL. */
export const PG_URL_ENV = 'AGRITRACE_TEST_PG_URL';

const HOW_TO =
  `${PG_URL_ENV} is not set, so the PostgreSQL store tests cannot run. Start a server and set it:\n` +
  `  export ${PG_URL_ENV}="$(bash gateway/test/support/postgres.sh)"`;

/** The engines to test here. */
export function testEngines(): StoreEngine[] {
  if (process.env[PG_URL_ENV] || process.env.CI === 'true') return ['sqlite', 'postgres'];
  process.stderr.write(`note: PostgreSQL store tests left out locally. ${HOW_TO}\n`);
  return ['sqlite'];
}

/** A store opened for a test, and how to throw it away. */
export interface TestStore {
  readonly store: Store;
  /** Closes the store and deletes its data. */
  dispose(): Promise<void>;
}

/** Applies blocks (a sample ledger's) to a store in order, as the follower of the traceability channel does. */
export async function applyBlocks(store: Store, blocks: readonly DecodedBlock[]): Promise<void> {
  for (const block of blocks) {
    await applyBlock(store, block, { channel: 'traceability', chaincode: 'agritrace' });
  }
}

/**
 * A store of `engine` holding `blocks`, opened before the tests of the enclosing file or describe block and thrown
 * away after them (it registers the hooks); read `.store` inside tests.
 */
export function storeWithBlocks(
  engine: StoreEngine,
  blocks: readonly DecodedBlock[],
): { readonly store: Store } {
  let opened: TestStore | undefined;
  beforeAll(async () => {
    opened = await openTestStore(engine);
    await applyBlocks(opened.store, blocks);
  });
  afterAll(async () => {
    await opened?.dispose();
  });
  return {
    get store(): Store {
      if (!opened) throw new Error('the test store is opened in beforeAll');
      return opened.store;
    },
  };
}

/** Opens an empty store of an engine (migrated unless `migrated` is false). */
export async function openTestStore(engine: StoreEngine, migrated = true): Promise<TestStore> {
  const opened = engine === 'sqlite' ? openSqlite() : await openPostgres();
  if (migrated) await migrate(opened.store);
  return opened;
}

function openSqlite(): TestStore {
  const dir = mkdtempSync(path.join(tmpdir(), 'agritrace-store-'));
  const store = openSqliteStore(path.join(dir, 'store.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestStore> {
  const url = process.env[PG_URL_ENV];
  if (!url) throw new Error(HOW_TO);
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const store = await openPostgresStore(scoped.toString(), { maxConnections: 4 });
  return {
    store,
    dispose: async () => {
      await store.close();
      const cleaner = new Client({ connectionString: url });
      await cleaner.connect();
      try {
        await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await cleaner.end();
      }
    },
  };
}
