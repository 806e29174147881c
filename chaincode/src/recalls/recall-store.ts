/** Recall records, their scope entries (one per affected lot) and the queue of lots still to mark. */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { RecallRecord, RecallScopeEntry } from '../shared/recalls';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
import { readState, stateExists, writeState } from '../lib/state';
import { newMeta } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';

/** Digits of a queue sequence number, so that key order is discovery order. */
const SEQUENCE_DIGITS = 10;

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

/** Stores a scope entry (written when a lot is found, rewritten when it is marked). */
export async function saveScopeEntry(ctx: Context, entry: RecallScopeEntry): Promise<void> {
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.recallScope, [entry.recallId, entry.lotId]), entry);
}

/** The scope entry an earlier transaction wrote for a lot, if any. */
export async function findScopeEntry(
  ctx: Context,
  recallId: string,
  lotId: string,
): Promise<RecallScopeEntry | undefined> {
  return readState<RecallScopeEntry>(ctx, ctx.stub.createCompositeKey(KEYS.recallScope, [recallId, lotId]));
}

/** True if an earlier transaction already found this lot for the recall. */
export async function scopeEntryExists(ctx: Context, recallId: string, lotId: string): Promise<boolean> {
  return stateExists(ctx, ctx.stub.createCompositeKey(KEYS.recallScope, [recallId, lotId]));
}

/** A lot waiting in a recall's queue. */
export interface QueuedLot {
  lotId: string;
  depth: number;
  via: string;
  /** Discovery order within the recall (0 = the recalled lot). */
  sequence: number;
  /** Its queue key, if the queue entry is stored (and so must be deleted once the lot is marked). */
  key?: string;
}

/** Appends a lot to the stored queue under a sequence number. */
export async function enqueue(ctx: Context, recallId: string, lot: QueuedLot, tx: TxInfo): Promise<void> {
  const sequence = String(lot.sequence).padStart(SEQUENCE_DIGITS, '0');
  const key = ctx.stub.createCompositeKey(KEYS.recallQueue, [recallId, sequence, lot.lotId]);
  await writeState(ctx, key, {
    ...newMeta(tx),
    lotId: lot.lotId,
    depth: lot.depth,
    via: lot.via,
    sequence: lot.sequence,
  });
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
    return {
      lotId: value.lotId,
      depth: value.depth,
      via: value.via,
      sequence: value.sequence,
      key: entry.key,
    };
  });
  return { lots, more };
}
