/**
 * Bounded reads over composite-key ranges. Read-only queries use Fabric's paginated queries with bookmarks; write
 * transactions may not (Fabric refuses writes after a paginated query), so they use `scanPartialKey` with a limit.
 */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/records';
import type { Page } from '../shared/records';
import { fromBytes } from './serializer';

/** One entry of a composite-key range: its attributes and value bytes. */
export interface KeyEntry {
  key: string;
  attributes: string[];
  value: Uint8Array;
}

/** Parses a page-size argument: '' means the default; anything above the cap is lowered to it. */
export function parsePageSize(raw: string, max = MAX_PAGE_SIZE, fallback = DEFAULT_PAGE_SIZE): number {
  if (raw === undefined || raw === null || raw.trim() === '') return Math.min(fallback, max);
  if (!/^\d{1,9}$/.test(raw.trim())) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'pageSize must be a positive integer', { pageSize: raw });
  }
  const size = Number(raw.trim());
  if (size < 1)
    throw new ChaincodeError('INVALID_ARGUMENT', 'pageSize must be at least 1', { pageSize: raw });
  return Math.min(size, max);
}

/** One page of entries under a partial composite key (read-only transactions only). */
export async function pagePartialKey(
  ctx: Context,
  objectType: string,
  attributes: string[],
  pageSize: number,
  bookmark: string,
): Promise<{ entries: KeyEntry[]; bookmark: string; fetchedCount: number }> {
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    objectType,
    attributes,
    pageSize,
    bookmark,
  );
  const entries: KeyEntry[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { key, value } = next.value;
      entries.push({ key, attributes: ctx.stub.splitCompositeKey(key).attributes, value: value });
    }
  } finally {
    await iterator.close();
  }
  // fabric-shim leaves `metadata` out when the peer's is all defaults (no record found: empty bookmark, count 0).
  return { entries, bookmark: metadata?.bookmark ?? '', fetchedCount: metadata?.fetchedRecordsCount ?? 0 };
}

/** One page of JSON records stored directly under a partial composite key (read-only transactions only). */
export async function pageRecords<T>(
  ctx: Context,
  objectType: string,
  attributes: string[],
  pageSize: number,
  bookmark: string,
): Promise<Page<T>> {
  const page = await pagePartialKey(ctx, objectType, attributes, pageSize, bookmark);
  return {
    records: page.entries.map((entry) => fromBytes<T>(entry.value)),
    bookmark: page.bookmark,
    fetchedCount: page.fetchedCount,
  };
}

/**
 * Up to `limit` entries under a partial composite key, in key order, without pagination so that it is allowed in
 * write transactions. `more` tells whether entries were left unread.
 */
export async function scanPartialKey(
  ctx: Context,
  objectType: string,
  attributes: string[],
  limit: number,
): Promise<{ entries: KeyEntry[]; more: boolean }> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(objectType, attributes);
  const entries: KeyEntry[] = [];
  let more = false;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (entries.length >= limit) {
        more = true;
        break;
      }
      const { key, value } = next.value;
      entries.push({ key, attributes: ctx.stub.splitCompositeKey(key).attributes, value: value });
    }
  } finally {
    await iterator.close();
  }
  return { entries, more };
}
