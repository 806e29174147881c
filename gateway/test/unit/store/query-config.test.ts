/** The query side's configuration keys: defaults, PostgreSQL by key or environment, and every wrong value named. */
import * as path from 'path';
import { parseQueryConfig, redactUrl } from '../../../src/store/query-config';

const context = {
  dataDir: '/var/agritrace/coop',
  listen: { host: '127.0.0.1', port: 3003 },
  baseDir: '/etc/agritrace',
  env: {},
};

describe('query configuration', () => {
  it('defaults to SQLite under dataDir, the gateway’s own URL as resolver, and following the ledger', () => {
    expect(parseQueryConfig({}, context)).toEqual({
      config: {
        store: { engine: 'sqlite', file: path.join('/var/agritrace/coop', 'query-store.sqlite') },
        publicBaseUrl: 'http://127.0.0.1:3003',
        publicLookup: { rateLimitPerMinute: 300, maxAgeSeconds: 60 },
        followLedger: true,
      },
      problems: [],
    });
  });

  it('reads PostgreSQL from the store key, and AGRITRACE_STORE_URL over it', () => {
    const fromKey = parseQueryConfig({ store: { url: 'postgres://u:p@db:5432/trace' } }, context);
    expect(fromKey.config.store).toEqual({ engine: 'postgres', url: 'postgres://u:p@db:5432/trace' });
    const fromEnv = parseQueryConfig(
      { store: { sqliteFile: 'x.sqlite' } },
      { ...context, env: { AGRITRACE_STORE_URL: 'postgresql://u:p@other/db2' } },
    );
    expect(fromEnv.config.store).toEqual({ engine: 'postgres', url: 'postgresql://u:p@other/db2' });
    const sqlite = parseQueryConfig({ store: { url: 'sqlite:data/q.sqlite' } }, context);
    expect(sqlite.config.store).toEqual({ engine: 'sqlite', file: '/etc/agritrace/data/q.sqlite' });
  });

  it('names every wrong value', () => {
    const { problems } = parseQueryConfig(
      {
        store: { url: 'mysql://x', sqliteFile: 'y' },
        publicBaseUrl: 'ftp://resolver',
        publicLookup: { rateLimitPerMinute: 0, maxAgeSeconds: 'long' },
        follower: { enabled: 'yes' },
      },
      { ...context, env: { AGRITRACE_STORE_URL: 'mongodb://a:secret@b/c' } },
    );
    expect(problems).toEqual([
      'store: give either url or sqliteFile, not both',
      'AGRITRACE_STORE_URL: "mongodb://a:***@b/c" is neither postgres://... nor sqlite:<file>',
      'publicBaseUrl: "ftp://resolver" is not an http(s) URL without query or fragment',
      'publicLookup.rateLimitPerMinute: 0 is not an integer from 1 to 1000000',
      'publicLookup.maxAgeSeconds: "long" is not an integer from 0 to 86400',
      'follower: must be {"enabled": true|false}',
    ]);
  });

  it('hides passwords in URLs it prints', () => {
    expect(redactUrl('postgres://agritrace:s3cret@127.0.0.1:5432/db')).toBe(
      'postgres://agritrace:***@127.0.0.1:5432/db',
    );
  });
});
