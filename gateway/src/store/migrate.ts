/** Brings a store's schema to the newest version: each missing migration in its own transaction, in order. */
import { reprojectRecords } from '../follower/projectors/reproject';
import { MIGRATIONS } from './schema';
import type { Migration } from './schema';
import { StoreError } from './store';
import type { Store } from './store';

/** Versions applied, oldest first. */
export interface MigrationReport {
  readonly applied: number[];
  readonly current: number;
}

/**
 * Applies every migration newer than the store's version. Refuses a store whose version is newer than this code
 * knows (a downgrade would silently misread it).
 */
export async function migrate(
  store: Store,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  await store.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const rows = await store.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  const done = new Set(rows.map((row) => Number(row.version)));
  const newest = Math.max(0, ...migrations.map((migration) => migration.version));
  const stored = Math.max(0, ...done);
  if (stored > newest) {
    throw new StoreError(
      `the query store ${store.location} has schema version ${stored}, newer than this gateway knows (${newest}); ` +
        'run a newer gateway or point it at another database',
    );
  }
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    await store.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      for (const objectType of migration.reproject ?? []) await reprojectRecords(tx, objectType);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    });
    applied.push(migration.version);
  }
  return { applied, current: newest };
}
