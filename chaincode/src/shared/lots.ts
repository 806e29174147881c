/** Lots: a quantity of one product identified by GTIN + batch/lot, held by one custodian at a time. */
import type { TraceCode } from './gs1';
import type { LotEventRecord, Place } from './epcis';
import type { Actor, RecordMeta } from './records';
import type { Measure, Unit } from './units';

/** Where a lot stands: active; on hold (by an inspector or regulator); recalled; consumed (nothing remains). */
export const LOT_STATUSES = ['active', 'on_hold', 'recalled', 'consumed'] as const;
/** One lot status. */
export type LotStatus = (typeof LOT_STATUSES)[number];

/**
 * Cold-chain categories a lot may be kept in. Temperature readings recorded on a lot are checked against the
 * temperature rules of its category (chilled 0 to 4 °C, frozen at or below -18 °C in the default rule set).
 */
export const STORAGE_CATEGORIES = ['chilled', 'frozen', 'ambient'] as const;
/** One storage category. */
export type StorageCategory = (typeof STORAGE_CATEGORIES)[number];

/** How a lot came to exist. */
export type LotOrigin = 'created' | 'split' | 'merge' | 'process';

/** A lot's link to the lots it was made from. */
export interface LotInput {
  lotId: string;
  quantity: number;
  unit: Unit;
}

/** Why a lot is on hold. */
export interface LotHold {
  reason: string;
  by: Actor;
  at: string;
  txId: string;
}

/** The recall a lot is part of. */
export interface LotRecallMark {
  recallId: string;
  severity: string;
  at: string;
  txId: string;
}

/** The input of CreateLot. */
export interface CreateLotInput {
  gtin: string;
  lot: string;
  serial?: string;
  product: string;
  category: string;
  quantity: number;
  unit: Unit;
  /** Net content of one item, for count units (a box of 0.5 kg), so that mass balance can be checked. */
  netContent?: Measure;
  origin: Place;
  productionDate?: string;
  harvestDate?: string;
  expiryDate?: string;
  /** How the lot is kept, so that temperature readings in its events are checked; none = not checked. */
  storageCategory?: StorageCategory;
  /** When the lot came into being (ISO 8601); default: the transaction time. */
  eventTime?: string;
  /** Life-cycle stage of the creation event (planting, breeding, harvest...); default harvest. */
  stage?: string;
  note?: string;
}

/** A lot as stored. */
export interface LotRecord extends RecordMeta {
  docType: 'lot';
  /** `${gtin14}:${lot}` */
  lotId: string;
  gtin: string;
  lot: string;
  serial?: string;
  product: string;
  category: string;
  /** Quantity when the lot was created. */
  quantity: number;
  /** What is left after sales, splits and processing. */
  remaining: number;
  unit: Unit;
  netContent?: Measure;
  origin: Place;
  productionDate?: string;
  harvestDate?: string;
  expiryDate?: string;
  /** Cold-chain category the lot is kept in; temperature rules check the readings of its events against it. */
  storageCategory?: StorageCategory;
  status: LotStatus;
  /** The member (MSP ID) that produced the lot: its creator, or the transformer of its inputs. */
  producer: string;
  /** The member (MSP ID) that holds the lot now. */
  custodian: string;
  derivation: { kind: LotOrigin; transformationId?: string; inputs: LotInput[] };
  /** The open transfer offer, if any. */
  pendingTransferId?: string;
  hold?: LotHold;
  recall?: LotRecallMark;
  traceCode: TraceCode;
}

/** A lot's state after a transaction, as RecordEvent answers it (ReadLot gives the whole record). */
export interface LotState {
  lotId: string;
  status: LotStatus;
  remaining: number;
  unit: Unit;
  custodian: string;
}

/**
 * RecordEvent's answer. The event record, its evaluation record, the violations it raised and the lot (when the
 * event changed it) are in the transaction's write set, which the block stores anyway; the answer, stored in the
 * block too, names them by ID and gives the lot's state instead of repeating them (~2.5 KB less per event). A
 * client that wants the records reads them from the write set of the transaction it submitted (the gateway does).
 */
export interface EventRecorded {
  eventId: string;
  lot: LotState;
  /** Violations the event raised (each a record under `violation [id]` in the write set). */
  violationIds: string[];
}

/** The state of a lot as RecordEvent answers it. */
export function lotState(lot: LotRecord): LotState {
  return {
    lotId: lot.lotId,
    status: lot.status,
    remaining: lot.remaining,
    unit: lot.unit,
    custodian: lot.custodian,
  };
}

/** A lot with the event that a transaction recorded on it. */
export interface LotWithEvent {
  lot: LotRecord;
  event: LotEventRecord;
}
