/** Stores life-cycle events: one record per transaction, indexed under each lot it involves in recording order. */
import type { Context } from 'fabric-contract-api';
import { DEFAULT_STAGE_OF_STEP } from '../shared/epcis';
import type { LifeCycleStage, LotEventRecord, QuantityElement } from '../shared/epcis';
import { lotEpcClass } from '../shared/gs1';
import type { LotRecord } from '../shared/lots';
import type { Page, RecordMeta } from '../shared/records';
import { UNITS } from '../shared/units';
import type { Unit } from '../shared/units';
import { KEYS } from '../lib/keys';
import { pagePartialKey, scanPartialKey } from '../lib/pagination';
import { readState, writeIndex, writeState } from '../lib/state';
import { newMeta } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';

/** The parts of an event the caller of newEvent decides; provenance, IDs and times are filled in. */
export type EventDraft = Omit<
  LotEventRecord,
  | keyof RecordMeta
  | 'docType'
  | 'eventId'
  | 'recordTime'
  | 'responsible'
  | 'lotIds'
  | 'stage'
  | 'eventTime'
  | 'eventTimeZoneOffset'
> & { stage?: LifeCycleStage; eventTime?: string; eventTimeZoneOffset?: string };

/** A complete event record for this transaction; it is indexed under every lot of its quantity lists. */
export function newEvent(tx: TxInfo, draft: EventDraft): LotEventRecord {
  const lists = [draft.quantityList, draft.inputQuantityList, draft.outputQuantityList];
  const lotIds = [...new Set(lists.flatMap((list) => (list ?? []).map((element) => element.lotId)))].sort();
  return {
    ...newMeta(tx),
    ...draft,
    docType: 'lotEvent',
    eventId: tx.txId,
    stage: draft.stage ?? DEFAULT_STAGE_OF_STEP[draft.bizStep] ?? 'other',
    eventTime: draft.eventTime ?? tx.timestamp,
    eventTimeZoneOffset: draft.eventTimeZoneOffset ?? '+00:00',
    recordTime: tx.timestamp,
    responsible: tx.actor,
    lotIds,
  };
}

/** The quantity element of a lot for an event's quantity lists. */
export function quantityOf(lot: LotRecord, quantity: number, unit: Unit = lot.unit): QuantityElement {
  return {
    lotId: lot.lotId,
    epcClass: lotEpcClass(lot.gtin, lot.lot),
    quantity,
    unit,
    uom: UNITS[unit].rec20,
  };
}

/** Stores an event and its per-lot index entries. */
export async function saveEvent(ctx: Context, event: LotEventRecord): Promise<void> {
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.event, [event.eventId]), event);
  for (const lotId of event.lotIds) {
    await writeIndex(ctx, KEYS.eventByLot, [lotId, event.recordTime, event.eventId]);
  }
}

/** One page of a lot's events, oldest first (read-only transactions only). */
export async function pageLotEvents(
  ctx: Context,
  lotId: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<LotEventRecord>> {
  const page = await pagePartialKey(ctx, KEYS.eventByLot, [lotId], pageSize, bookmark);
  return {
    records: await resolveEvents(ctx, page.entries),
    bookmark: page.bookmark,
    fetchedCount: page.fetchedCount,
  };
}

/** Up to `limit` of a lot's first events, and whether it has more (usable in any transaction). */
export async function firstLotEvents(
  ctx: Context,
  lotId: string,
  limit: number,
): Promise<{ events: LotEventRecord[]; more: boolean }> {
  const { entries, more } = await scanPartialKey(ctx, KEYS.eventByLot, [lotId], limit);
  return { events: await resolveEvents(ctx, entries), more };
}

/** The event records behind index entries [lotId, recordTime, eventId]. */
async function resolveEvents(ctx: Context, entries: { attributes: string[] }[]): Promise<LotEventRecord[]> {
  const events: LotEventRecord[] = [];
  for (const entry of entries) {
    const eventId = entry.attributes[2] ?? '';
    const event = await readState<LotEventRecord>(ctx, ctx.stub.createCompositeKey(KEYS.event, [eventId]));
    if (event) events.push(event);
  }
  return events;
}
