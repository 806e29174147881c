/** Opens the configured query store and brings its schema up to date. */
import { migrate } from './migrate';
import { openPostgresStore } from './postgres-store';
import type { StoreLocation } from './query-config';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Opens the store at `location` (SQLite file or PostgreSQL URL) and applies pending migrations. */
export async function openStore(location: StoreLocation): Promise<Store> {
  const store =
    location.engine === 'sqlite' ? openSqliteStore(location.file) : await openPostgresStore(location.url);
  try {
    await migrate(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
