/**
 * Stores life-cycle events: one record per transaction, indexed under each lot it involves in recording order. An
 * event on one lot is kept whole in its lot's index entry with the rules evaluated on it (shared/event-records.ts):
 * one key for the peers to validate and commit instead of three.
 */
import type { Context } from 'fabric-contract-api';
import { DEFAULT_STAGE_OF_STEP } from '../shared/epcis';
import { holdsEventRecord, keptUnderLot } from '../shared/event-records';
import type { EventCompliance, StoredLotEvent } from '../shared/event-records';
import type { LifeCycleStage, LotEventRecord, QuantityElement } from '../shared/epcis';
import { lotEpcClass } from '../shared/gs1';
import type { LotRecord } from '../shared/lots';
import type { Page, RecordMeta } from '../shared/records';
import { UNITS } from '../shared/units';
import type { Unit } from '../shared/units';
import { KEYS } from '../lib/keys';
import { pagePartialKey, scanPartialKey } from '../lib/pagination';
import { fromBytes } from '../lib/serializer';
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

/**
 * Stores an event: an event on one lot as its lot's index entry, with `compliance` (what enforceCompliance returned
 * for it), else as its record and an index entry per lot (its evaluations were stored apart by the compliance run).
 */
export async function saveEvent(
  ctx: Context,
  event: LotEventRecord,
  compliance?: EventCompliance,
): Promise<void> {
  if (keptUnderLot(event)) {
    const stored: StoredLotEvent = compliance
      ? { ...event, compliance: keptCompliance(event, compliance) }
      : event;
    await writeState(ctx, eventIndexKey(ctx, event.lotIds[0] ?? '', event), stored);
    return;
  }
  // A programming error: the compliance run stores a multi-lot event's evaluations itself.
  if (compliance)
    throw new Error(`event ${event.eventId} is on several lots: its evaluations are stored apart`);
  await writeState(ctx, ctx.stub.createCompositeKey(KEYS.event, [event.eventId]), event);
  for (const lotId of event.lotIds) {
    await writeIndex(ctx, KEYS.eventByLot, [lotId, event.recordTime, event.eventId]);
  }
}

/** The key of a lot's index entry for an event. */
function eventIndexKey(ctx: Context, lotId: string, event: LotEventRecord): string {
  return ctx.stub.createCompositeKey(KEYS.eventByLot, [lotId, event.recordTime, event.eventId]);
}

/** The compliance an event keeps: the step it was checked as only when that is not its own. */
function keptCompliance(event: LotEventRecord, compliance: EventCompliance): EventCompliance {
  const { checkedAs, ...rest } = compliance;
  return checkedAs === undefined || checkedAs === event.bizStep ? rest : { checkedAs, ...rest };
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

/**
 * The event records behind index entries [lotId, recordTime, eventId]: kept in the entry itself (without its
 * evaluation, which the compliance view reads), or under event [eventId] for a marker entry.
 */
async function resolveEvents(
  ctx: Context,
  entries: { attributes: string[]; value: Uint8Array }[],
): Promise<LotEventRecord[]> {
  const events: LotEventRecord[] = [];
  for (const entry of entries) {
    if (holdsEventRecord(entry.value)) {
      const { compliance: _evaluated, ...event } = fromBytes<StoredLotEvent>(entry.value);
      events.push(event);
      continue;
    }
    const eventId = entry.attributes[2] ?? '';
    const event = await readState<LotEventRecord>(ctx, ctx.stub.createCompositeKey(KEYS.event, [eventId]));
    if (event) events.push(event);
  }
  return events;
}
