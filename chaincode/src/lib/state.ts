/** Typed reads and writes of JSON records in world state, all through the deterministic serializer. */
import type { Context } from 'fabric-contract-api';
import { getStates } from './peer-batch';
import { fromBytes, toBytes } from './serializer';

/**
 * Committed values read in this transaction, by key. A transaction never sees its own writes (Fabric reads the
 * committed state), so a second read of a key returns what the first did: caching it is exact, and it saves a
 * round trip to the peer for each repeated read (rule sets, member records, lots read once per output lot).
 */
const readCache = new WeakMap<object, Map<string, Promise<Uint8Array>>>();

function cacheOf(ctx: Context): Map<string, Promise<Uint8Array>> {
  let cache = readCache.get(ctx.stub);
  if (!cache) {
    cache = new Map();
    readCache.set(ctx.stub, cache);
  }
  return cache;
}

/** The committed bytes under a key (empty when absent), read from the peer at most once per transaction. */
export function getStateOnce(ctx: Context, key: string): Promise<Uint8Array> {
  const cache = cacheOf(ctx);
  let bytes = cache.get(key);
  if (!bytes) {
    bytes = ctx.stub.getState(key);
    cache.set(key, bytes);
  }
  return bytes;
}

/**
 * Reads the keys a transaction is about to need in one request to the peer (see peer-batch.ts) into its read
 * cache, so that the reads that follow cost no round trip. Keys already read are skipped.
 */
export async function prefetchStates(ctx: Context, keys: readonly string[]): Promise<void> {
  const cache = cacheOf(ctx);
  const missing = [...new Set(keys)].filter((key) => !cache.has(key));
  if (missing.length < 2) return;
  const values = getStates(ctx.stub, missing);
  missing.forEach((key, i) => {
    const value = values.then((all) => all[i] ?? new Uint8Array());
    // The transaction awaits `values` below; a failure is its error, not an unhandled rejection of each key.
    value.catch(() => undefined);
    cache.set(key, value);
  });
  await values;
}

/** The record stored under a key, or undefined if the key is absent. */
export async function readState<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await getStateOnce(ctx, key);
  return bytes && bytes.length > 0 ? fromBytes<T>(bytes) : undefined;
}

/**
 * The last bytes read under a key and the record parsed from them, kept across transactions for the records nearly
 * every transaction reads and few change: the rule-set catalog (~4.5 KB, with each rule set's latest version) and
 * member records. Parsed again only when the bytes differ, so a changed record is never missed.
 */
const sharedRecords = new Map<string, { bytes: Buffer; record: unknown }>();

/** At most this many keys are kept (members and the catalog: an alliance has far fewer). */
const SHARED_RECORDS_LIMIT = 1000;

/**
 * readState for a record many transactions share: the same bytes give the same record object, frozen (deeply) so
 * that no transaction can change what the next one reads.
 */
export async function readSharedState<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await getStateOnce(ctx, key);
  if (!bytes || bytes.length === 0) return undefined;
  const known = sharedRecords.get(key);
  if (known && known.bytes.equals(bytes)) return known.record as T;
  const record = deepFreeze(fromBytes<T>(bytes));
  if (!known && sharedRecords.size >= SHARED_RECORDS_LIMIT) sharedRecords.clear();
  sharedRecords.set(key, { bytes: Buffer.from(bytes), record });
  return record;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Stores a record under a key. */
export async function writeState(ctx: Context, key: string, value: unknown): Promise<void> {
  await ctx.stub.putState(key, toBytes(value));
}

/** True if something is stored under the key. */
export async function stateExists(ctx: Context, key: string): Promise<boolean> {
  const bytes = await getStateOnce(ctx, key);
  return !!bytes && bytes.length > 0;
}

/** Marker value stored under index keys, whose information is all in the key. LevelDB refuses empty values. */
export const INDEX_VALUE = Uint8Array.from([0]);

/** Writes an index entry (a composite key whose value carries nothing). */
export async function writeIndex(ctx: Context, objectType: string, attributes: string[]): Promise<void> {
  await ctx.stub.putState(ctx.stub.createCompositeKey(objectType, attributes), INDEX_VALUE);
}

/** Removes an index entry. */
export async function deleteIndex(ctx: Context, objectType: string, attributes: string[]): Promise<void> {
  await ctx.stub.deleteState(ctx.stub.createCompositeKey(objectType, attributes));
}
