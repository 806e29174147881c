/**
 * Marks a recall's lots in bounded batches. The recall walks forward from the recalled lot: each batch marks lots
 * recalled, records who is responsible for each (one scope entry per lot, written once, when it is marked), and
 * expands each marked lot to the lots made from it. A marked lot cannot be transformed any more, so the lots made
 * from it are fixed: the stored queue holds only marked lots whose outputs are not all marked yet, each with a
 * cursor (the last output handled), never the outputs themselves. So a transaction writes at most one queue entry
 * per lot it marks, whatever the fan-out, and the walk ends with every affected lot marked exactly once.
 *
 * Every batch is bounded twice: by the number of lots it marks and by the bytes it writes (RECALL_MAX_BATCH_BYTES),
 * and its answer and event name lots by ID only, so a transaction stays well inside Fabric's message limits.
 */
import type { Context } from 'fabric-contract-api';
import type { LotRecord } from '../shared/lots';
import { RECALL_MAX_BATCH_BYTES } from '../shared/recalls';
import type { RecallRecord, RecallScope, RecallScopeEntry, RecallSeverity } from '../shared/recalls';
import { TRACE_MAX_LOTS } from '../shared/trace';
import { totalsByUnit } from '../shared/units';
import { newMeta, touched } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { findLot, saveLot } from '../lots/lot-store';
import { linksOf } from '../trace/genealogy-store';
import { dequeue, enqueue, queueHead, saveRecall, saveScopeEntry, scopeEntryExists } from './recall-store';
import type { QueuedLot } from './recall-store';

/** What one batch did: the recall after it and the IDs of the lots it marked (never their records). */
export interface RecallBatch {
  recall: RecallRecord;
  /** IDs of the lots this transaction added to the recall, in the order it marked them. */
  lots: string[];
  /** ID of the recall event recorded on the lots it marked (absent when it marked none). */
  eventId?: string;
}

/** What starts a recall: why, how serious, on whose authority, and how many lots to mark in this transaction. */
export interface RecallOrder {
  reason: string;
  severity: RecallSeverity;
  authority: RecallRecord['authority'];
  batchSize: number;
}

/** Bytes reserved for the recall record, the answer and the event's fixed part. */
const FIXED_BYTES = 64 * 1024;

/**
 * Starts a recall of a lot in this transaction (RecallLot, or a regulator's escalation of violations): the recall
 * takes the transaction ID as its ID and the caller as initiator, and its first batch marks the lot and the first
 * of its downstream lots. The caller has checked the authority and that the lot is not recalled already.
 */
export async function startRecall(
  ctx: Context,
  lot: LotRecord,
  order: RecallOrder,
  tx: TxInfo,
): Promise<RecallBatch> {
  const recall: RecallRecord = {
    ...newMeta(tx),
    docType: 'recall',
    recallId: tx.txId,
    lotId: lot.lotId,
    reason: order.reason,
    severity: order.severity,
    authority: order.authority,
    initiatedBy: tx.actor,
    status: 'in_progress',
    discovered: 0,
    marked: 0,
    batches: 0,
    scope: { lots: 0, quantities: [], custodians: [], producers: [], regions: [] },
  };
  return runRecallBatch(ctx, recall, order.batchSize, tx, lot);
}

/** A marked lot whose outputs this batch is walking. */
interface Expansion extends QueuedLot {
  /** Its outputs after `after`, in lot ID order (read when the walk reaches it). */
  outputs?: string[];
}

/**
 * Queue entries a batch reads at most, as a multiple of its lot budget: an entry whose outputs were all reached
 * through another lot (merges) marks nothing, so a batch reads ahead to fill its budget.
 */
const QUEUE_READ_AHEAD = 4;

/**
 * Runs one batch: marks up to `batchSize` lots (fewer if their records would pass RECALL_MAX_BATCH_BYTES), queues
 * the marked lots whose outputs remain, and stores the updated recall. `root` is the recalled lot (first batch).
 */
export async function runRecallBatch(
  ctx: Context,
  previous: RecallRecord,
  batchSize: number,
  tx: TxInfo,
  root?: LotRecord,
): Promise<RecallBatch> {
  const recallId = previous.recallId;
  const marker: LotRecord['recall'] = {
    recallId,
    severity: previous.severity,
    at: tx.timestamp,
    txId: tx.txId,
  };
  // Reads see only committed state, so lots marked in this transaction are remembered here.
  const seen = new Set<string>();
  const added: LotRecord[] = [];
  const marked: LotRecord[] = [];
  const work: Expansion[] = [];
  let bytes = FIXED_BYTES;

  /** Marks a lot for this recall (once) and, if lots were made from it, schedules their walk. */
  const mark = async (lot: LotRecord, depth: number, via: string): Promise<void> => {
    seen.add(lot.lotId);
    // A lot already recalled (by an earlier recall) stays as it is but belongs to this recall's scope too.
    if (lot.status !== 'recalled') {
      const recalled: LotRecord = { ...touched(lot, tx), status: 'recalled', recall: marker };
      await saveLot(ctx, recalled, lot);
      marked.push(recalled);
      bytes += JSON.stringify(recalled).length + 160;
    }
    const entry = scopeEntry(recallId, lot, depth, via, tx);
    await saveScopeEntry(ctx, entry);
    bytes += JSON.stringify(entry).length;
    added.push(lot);
    const { links } = await linksOf(ctx, lot.lotId, 'forward', TRACE_MAX_LOTS + 1);
    if (links.length > 0)
      work.push({ lotId: lot.lotId, depth, after: '', outputs: links.map((l) => l.output) });
  };
  /** Room for one more lot: the count, and the bytes of a lot as large as the largest marked so far. */
  const room = (): boolean =>
    added.length < batchSize && bytes + largest(added) * 2 + 400 <= RECALL_MAX_BATCH_BYTES;

  if (root) await mark(root, 0, '');
  const stored = root
    ? { lots: [], more: false }
    : await queueHead(ctx, recallId, batchSize * QUEUE_READ_AHEAD);
  work.push(...stored.lots);

  let next = 0;
  while (next < work.length && room()) {
    const parent = work[next] as Expansion;
    if (!parent.outputs) {
      const { links } = await linksOf(ctx, parent.lotId, 'forward', TRACE_MAX_LOTS + 1);
      parent.outputs = links.map((l) => l.output).filter((id) => id > parent.after);
    }
    while (parent.outputs.length > 0 && room()) {
      const lotId = parent.outputs.shift() as string;
      parent.after = lotId;
      if (seen.has(lotId)) continue;
      const lot = await findLot(ctx, lotId);
      if (!lot || (await alreadyInRecall(ctx, recallId, lot))) continue;
      await mark(lot, parent.depth + 1, parent.lotId);
    }
    if (parent.outputs.length > 0) break;
    if (parent.key) await dequeue(ctx, parent.key);
    next++;
  }
  // What remains: the stored entry of a partly walked lot moves its cursor; newly marked lots join the queue.
  for (const rest of work.slice(next)) {
    if (rest.key === undefined || rest.after !== rest.storedAfter) await enqueue(ctx, recallId, rest, tx);
  }
  const pending = next < work.length || stored.more;
  const recall: RecallRecord = {
    ...touched(previous, tx),
    status: pending ? 'in_progress' : 'complete',
    discovered: previous.discovered + added.length,
    marked: previous.marked + added.length,
    batches: previous.batches + 1,
    scope: widen(previous.scope, added),
  };
  await saveRecall(ctx, recall);
  const lots = added.map((lot) => lot.lotId);
  if (marked.length === 0) return { recall, lots };
  const event = newEvent(tx, {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    stage: 'recall',
    quantityList: marked.map((lot) => quantityOf(lot, lot.remaining)),
    bizTransactionList: [{ type: 'urn:agritrace:recall', bizTransaction: recallId }],
    note: `recall class ${previous.severity}: ${previous.reason}`,
  });
  await saveEvent(ctx, event);
  return { recall, lots, eventId: event.eventId };
}

/** True if the lot was already added to this recall by an earlier transaction (reached again through a merge). */
async function alreadyInRecall(ctx: Context, recallId: string, lot: LotRecord): Promise<boolean> {
  if (lot.status !== 'recalled') return false;
  if (lot.recall?.recallId === recallId) return true;
  return scopeEntryExists(ctx, recallId, lot.lotId);
}

/** Serialised size of the largest lot record (a bound for the next one's). */
function largest(lots: LotRecord[]): number {
  let max = 2048;
  for (const lot of lots.slice(-8)) max = Math.max(max, JSON.stringify(lot).length);
  return max;
}

/** The scope entry of a lot: where it sits in the recall and who is responsible for it when it is marked. */
function scopeEntry(
  recallId: string,
  lot: LotRecord,
  depth: number,
  via: string,
  tx: TxInfo,
): RecallScopeEntry {
  return {
    ...newMeta(tx),
    recallId,
    lotId: lot.lotId,
    depth,
    via,
    product: lot.product,
    quantity: lot.quantity,
    remaining: lot.remaining,
    unit: lot.unit,
    producer: lot.producer,
    custodian: lot.custodian,
    region: lot.origin.region,
    statusBefore: lot.status,
    marked: true,
    markedTxId: tx.txId,
    markedAt: tx.timestamp,
  };
}

/** The scope with more affected lots added: counts, remaining quantities, custodians, producers, regions. */
function widen(scope: RecallScope, lots: LotRecord[]): RecallScope {
  const sortedUnique = (values: (string | undefined)[]): string[] =>
    [...new Set(values.filter((value): value is string => !!value))].sort();
  return {
    lots: scope.lots + lots.length,
    quantities: totalsByUnit([
      ...scope.quantities,
      ...lots.filter((lot) => lot.remaining > 0).map((lot) => ({ quantity: lot.remaining, unit: lot.unit })),
    ]),
    custodians: sortedUnique([...scope.custodians, ...lots.map((lot) => lot.custodian)]),
    producers: sortedUnique([...scope.producers, ...lots.map((lot) => lot.producer)]),
    regions: sortedUnique([...scope.regions, ...lots.map((lot) => lot.origin.region)]),
  };
}
