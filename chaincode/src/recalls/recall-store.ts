/** Recall records, their scope entries (one per affected lot) and the queue of marked lots still to walk. */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { RecallRecord, RecallScopeEntry } from '../shared/recalls';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
import { readState, stateExists, writeState } from '../lib/state';
import { newMeta } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';

/** World-state key of a recall. */
export function recallKey(ctx: Context, recallId: string): string {
  return ctx.stub.createCompositeKey(KEYS.recall, [recallId]);
}

/** The recall; RECALL_NOT_FOUND if there is none. */
export async function getRecall(ctx: Context, recallId: string): Promise<RecallRecord> {
  if (typeof recallId !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(recallId)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'recallId is malformed', { recallId });
  }
  const recall = await readState<RecallRecord>(ctx, recallKey(ctx, recallId));
  if (!recall)
    throw new ChaincodeError('RECALL_NOT_FOUND', `recall ${recallId} does not exist`, { recallId });
  return recall;
}

/** Stores a recall. */
export async function saveRecall(ctx: Context, recall: RecallRecord): Promise<void> {
  await writeState(ctx, recallKey(ctx, recall.recallId), recall);
}

/** Stores a scope entry (written once, when the lot is added to the recall). */
export async function saveScopeEntry(ctx: Context, entry: RecallScopeEntry): Promise<void> {
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.recallScope, [entry.recallId, entry.lotId]), entry);
}

/** True if an earlier transaction already added this lot to the recall. */
export async function scopeEntryExists(ctx: Context, recallId: string, lotId: string): Promise<boolean> {
  return stateExists(ctx, ctx.stub.createCompositeKey(KEYS.recallScope, [recallId, lotId]));
}

/**
 * A marked lot of a recall whose outputs are not all walked yet, queued under [recallId, lotId]: the walk resumes
 * after output `after` (lot ID order; '' = from the first).
 */
export interface QueuedLot {
  lotId: string;
  /** Hops downstream from the recalled lot. */
  depth: number;
  /** The last output handled. */
  after: string;
  /** Its queue key, if stored (deleted once every output is walked). */
  key?: string;
  /** `after` as stored, so that an unchanged entry is not rewritten. */
  storedAfter?: string;
}

/** Stores (or moves the cursor of) a queued lot. */
export async function enqueue(ctx: Context, recallId: string, lot: QueuedLot, tx: TxInfo): Promise<void> {
  const key = lot.key ?? ctx.stub.createCompositeKey(KEYS.recallQueue, [recallId, lot.lotId]);
  await writeState(ctx, key, { ...newMeta(tx), lotId: lot.lotId, depth: lot.depth, after: lot.after });
}

/** Removes a lot from the queue. */
export async function dequeue(ctx: Context, key: string): Promise<void> {
  await ctx.stub.deleteState(key);
}

/** Up to `limit` lots from the head of the stored queue, and whether more wait. */
export async function queueHead(
  ctx: Context,
  recallId: string,
  limit: number,
): Promise<{ lots: QueuedLot[]; more: boolean }> {
  const { entries, more } = await scanPartialKey(ctx, KEYS.recallQueue, [recallId], limit);
  const lots = entries.map((entry) => {
    const value = fromBytes<QueuedLot>(entry.value);
    const after = typeof value.after === 'string' ? value.after : '';
    return { lotId: value.lotId, depth: value.depth, after, key: entry.key, storedAfter: after };
  });
  return { lots, more };
}
