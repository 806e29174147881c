/**
 * Marks a recall's lots in bounded batches. The recall walks forward from the recalled lot: each batch takes lots
 * from the stored queue (then those found during the batch), marks them recalled, records who is responsible for
 * each, and queues the lots made from them. A marked lot cannot be transformed any more, so its downstream is fixed
 * once it is expanded, and the walk ends with every affected lot marked.
 */
import type { Context } from 'fabric-contract-api';
import type { LotEventRecord } from '../shared/epcis';
import type { LotRecord } from '../shared/lots';
import type { RecallRecord, RecallScope, RecallScopeEntry, RecallSeverity } from '../shared/recalls';
import { TRACE_MAX_LOTS } from '../shared/trace';
import { totalsByUnit } from '../shared/units';
import { newMeta, touched } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { findLot, saveLot } from '../lots/lot-store';
import { linksOf } from '../trace/genealogy-store';
import {
  enqueue,
  findScopeEntry,
  queueHead,
  saveRecall,
  saveScopeEntry,
  scopeEntryExists,
} from './recall-store';
import type { QueuedLot } from './recall-store';

/** What one batch wrote. */
export interface RecallBatch {
  recall: RecallRecord;
  lots: LotRecord[];
  event?: LotEventRecord;
}

/** What starts a recall: why, how serious, on whose authority, and how many lots to mark in this transaction. */
export interface RecallOrder {
  reason: string;
  severity: RecallSeverity;
  authority: RecallRecord['authority'];
  batchSize: number;
}

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
    discovered: 1,
    marked: 0,
    batches: 0,
    scope: { lots: 0, quantities: [], custodians: [], producers: [], regions: [] },
  };
  const root = { lotId: lot.lotId, depth: 0, via: '', sequence: 0 };
  return runRecallBatch(ctx, recall, [root], order.batchSize, tx);
}

/** Runs one batch: handles up to `batchSize` lots, queues what remains, and stores the updated recall. */
export async function runRecallBatch(
  ctx: Context,
  previous: RecallRecord,
  fresh: QueuedLot[],
  batchSize: number,
  tx: TxInfo,
): Promise<RecallBatch> {
  const stored = await queueHead(ctx, previous.recallId, batchSize);
  const work = [...stored.lots, ...fresh];
  // Reads see only committed state, so lots found in this transaction are remembered here.
  const found = new Set(work.map((item) => item.lotId));
  let discovered = previous.discovered;
  const marked: LotRecord[] = [];
  const scopeLots: LotRecord[] = [];
  let next = 0;
  while (next < work.length && scopeLots.length < batchSize) {
    const item = work[next++] as QueuedLot;
    if (item.key) await ctx.stub.deleteState(item.key);
    const lot = await findLot(ctx, item.lotId);
    if (!lot) continue;
    // A lot already recalled (by an earlier recall) stays as it is but belongs to this recall's scope too.
    const recalled: LotRecord =
      lot.status === 'recalled'
        ? lot
        : {
            ...touched(lot, tx),
            status: 'recalled',
            recall: {
              recallId: previous.recallId,
              severity: previous.severity,
              at: tx.timestamp,
              txId: tx.txId,
            },
          };
    if (recalled !== lot) {
      await saveLot(ctx, recalled, lot);
      marked.push(recalled);
    }
    scopeLots.push(lot);
    // A lot found by an earlier batch already has an entry: keep when and by whom it was found.
    const earlier = item.key ? await findScopeEntry(ctx, previous.recallId, lot.lotId) : undefined;
    await saveScopeEntry(ctx, scopeEntry(previous.recallId, item, lot, tx, true, earlier));
    const { links } = await linksOf(ctx, lot.lotId, 'forward', TRACE_MAX_LOTS + 1);
    for (const link of links) {
      if (found.has(link.output) || (await scopeEntryExists(ctx, previous.recallId, link.output))) continue;
      found.add(link.output);
      work.push({ lotId: link.output, depth: item.depth + 1, via: lot.lotId, sequence: discovered++ });
    }
  }
  for (const item of work.slice(next)) {
    if (item.key) continue;
    const lot = await findLot(ctx, item.lotId);
    if (!lot) continue;
    await enqueue(ctx, previous.recallId, item, tx);
    await saveScopeEntry(ctx, scopeEntry(previous.recallId, item, lot, tx, false));
  }
  const pending = next < work.length || stored.more;
  const recall: RecallRecord = {
    ...touched(previous, tx),
    status: pending ? 'in_progress' : 'complete',
    discovered,
    marked: previous.marked + scopeLots.length,
    batches: previous.batches + 1,
    scope: widen(previous.scope, scopeLots),
  };
  await saveRecall(ctx, recall);
  if (marked.length === 0) return { recall, lots: marked };
  const event = newEvent(tx, {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    stage: 'recall',
    quantityList: marked.map((lot) => quantityOf(lot, lot.remaining)),
    bizTransactionList: [{ type: 'urn:agritrace:recall', bizTransaction: previous.recallId }],
    note: `recall class ${previous.severity}: ${previous.reason}`,
  });
  await saveEvent(ctx, event);
  return { recall, lots: marked, event };
}

/** The scope entry of a lot: where it sits in the recall and who is responsible for it. */
function scopeEntry(
  recallId: string,
  item: QueuedLot,
  lot: LotRecord,
  tx: TxInfo,
  marked: boolean,
  earlier?: RecallScopeEntry,
): RecallScopeEntry {
  return {
    ...(earlier ? touched(earlier, tx) : newMeta(tx)),
    recallId,
    lotId: lot.lotId,
    depth: item.depth,
    via: item.via,
    product: lot.product,
    quantity: lot.quantity,
    remaining: lot.remaining,
    unit: lot.unit,
    producer: lot.producer,
    custodian: lot.custodian,
    region: lot.origin.region,
    statusBefore: lot.status,
    marked,
    markedTxId: marked ? tx.txId : undefined,
    markedAt: marked ? tx.timestamp : undefined,
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
