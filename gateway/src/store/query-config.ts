/**
 * The gateway configuration keys of the query side: where the query store lives, the public resolver base URL of
 * Digital Links, the public lookup's caching and rate limit, and whether the ledger follower runs. All optional;
 * every wrong value gets its own message, like the rest of the configuration.
 */
import * as path from 'path';

/** Environment variable that overrides the configured store: postgres://... or sqlite:<file>. */
export const STORE_URL_ENV = 'AGRITRACE_STORE_URL';

/** Default SQLite file name, inside the gateway's dataDir. */
export const DEFAULT_SQLITE_FILE = 'query-store.sqlite';

/** Where the query store lives. */
export type StoreLocation =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string };

/** Caching and rate limit of the public (no-login) lookup. */
export interface PublicLookupConfig {
  /** Requests per minute one client address may make; default 300. */
  readonly rateLimitPerMinute: number;
  /** max-age of public answers, in seconds; default 60. */
  readonly maxAgeSeconds: number;
}

/** The query side's configuration. */
export interface QueryConfig {
  readonly store: StoreLocation;
  /** Base of Digital Link URIs printed on labels (https://<resolver>); default the gateway's own URL. */
  readonly publicBaseUrl: string;
  readonly publicLookup: PublicLookupConfig;
  /** Whether this gateway follows the ledger into its store (default true). */
  readonly followLedger: boolean;
}

/** What {@link parseQueryConfig} needs besides the raw keys. */
export interface QueryConfigContext {
  readonly dataDir: string;
  readonly listen: Readonly<{ host: string; port: number }>;
  /** Directory relative paths are resolved against (the configuration file's). */
  readonly baseDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Defaults for a configuration without query keys. */
export function defaultQueryConfig(context: Omit<QueryConfigContext, 'baseDir'>): QueryConfig {
  return parseQueryConfig({}, { ...context, baseDir: context.dataDir }).config;
}

/**
 * Reads `store`, `publicBaseUrl`, `publicLookup` and `follower` from the top level of a gateway configuration.
 * Returns the configuration with defaults filled in, and one message per wrong value.
 */
export function parseQueryConfig(
  root: Readonly<Record<string, unknown>>,
  context: QueryConfigContext,
): { config: QueryConfig; problems: string[] } {
  const problems: string[] = [];
  const env = context.env ?? process.env;

  let store: StoreLocation = { engine: 'sqlite', file: path.join(context.dataDir, DEFAULT_SQLITE_FILE) };
  const storeRaw = root.store;
  if (storeRaw !== undefined) {
    if (!isObject(storeRaw)) problems.push('store: must be an object such as {"url": "postgres://..."}');
    else {
      const parsed = storeFromObject(storeRaw, context, problems);
      if (parsed) store = parsed;
    }
  }
  const fromEnv = env[STORE_URL_ENV];
  if (fromEnv) {
    const parsed = storeFromUrl(fromEnv, context.baseDir);
    if (parsed) store = parsed;
    else
      problems.push(`${STORE_URL_ENV}: "${redactUrl(fromEnv)}" is neither postgres://... nor sqlite:<file>`);
  }

  const host = context.listen.host.includes(':') ? `[${context.listen.host}]` : context.listen.host;
  let publicBaseUrl = `http://${host}:${context.listen.port}`;
  if (root.publicBaseUrl !== undefined) {
    const value = root.publicBaseUrl;
    if (typeof value === 'string' && isHttpUrl(value) && !/[?#]/.test(value)) {
      publicBaseUrl = value.replace(/\/+$/, '');
    } else {
      problems.push(
        `publicBaseUrl: ${JSON.stringify(value)} is not an http(s) URL without query or fragment`,
      );
    }
  }

  const publicLookup = { rateLimitPerMinute: 300, maxAgeSeconds: 60 };
  if (root.publicLookup !== undefined) {
    if (!isObject(root.publicLookup)) problems.push('publicLookup: must be an object');
    else {
      const raw = root.publicLookup;
      publicLookup.rateLimitPerMinute = integer(raw, 'rateLimitPerMinute', 1, 1_000_000, 300, problems);
      publicLookup.maxAgeSeconds = integer(raw, 'maxAgeSeconds', 0, 86_400, 60, problems);
    }
  }

  let followLedger = true;
  if (root.follower !== undefined) {
    const enabled = isObject(root.follower) ? root.follower.enabled : undefined;
    if (typeof enabled === 'boolean') followLedger = enabled;
    else problems.push('follower: must be {"enabled": true|false}');
  }

  return { config: { store, publicBaseUrl, publicLookup, followLedger }, problems };
}

function storeFromObject(
  raw: Readonly<Record<string, unknown>>,
  context: QueryConfigContext,
  problems: string[],
): StoreLocation | undefined {
  const { url, sqliteFile } = raw;
  if (url !== undefined && sqliteFile !== undefined) {
    problems.push('store: give either url or sqliteFile, not both');
    return undefined;
  }
  if (url !== undefined) {
    const parsed = typeof url === 'string' ? storeFromUrl(url, context.baseDir) : undefined;
    if (!parsed)
      problems.push(`store.url: must be postgres://user:password@host:port/database or sqlite:<file>`);
    return parsed;
  }
  if (sqliteFile !== undefined) {
    if (typeof sqliteFile !== 'string' || sqliteFile === '') {
      problems.push('store.sqliteFile: must be a file path');
      return undefined;
    }
    return { engine: 'sqlite', file: path.resolve(context.dataDir, sqliteFile) };
  }
  problems.push('store: needs url (postgres://...) or sqliteFile');
  return undefined;
}

/** A store location from a URL: postgres:// or postgresql://, or sqlite:<file> (relative to `baseDir`). */
export function storeFromUrl(url: string, baseDir: string): StoreLocation | undefined {
  if (/^postgres(ql)?:\/\/[^/]+\/[^/?#]+/.test(url)) return { engine: 'postgres', url };
  const sqlite = /^sqlite:(.+)$/.exec(url);
  if (sqlite?.[1]) return { engine: 'sqlite', file: path.resolve(baseDir, sqlite[1]) };
  return undefined;
}

/** A URL with its password hidden. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function integer(
  raw: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  const value = raw[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`publicLookup.${name}: ${JSON.stringify(value)} is not an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
