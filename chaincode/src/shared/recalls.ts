/** Recalls: a regulator or a lot's producer recalls it; every lot downstream of it is marked, in bounded batches. */
import type { Actor, RecordMeta } from './records';
import type { Measure, Unit } from './units';

/** Recall classes (as in food recall rules): I most severe (serious health risk) to III least. */
export const RECALL_SEVERITIES = ['I', 'II', 'III'] as const;
/** One recall class. */
export type RecallSeverity = (typeof RECALL_SEVERITIES)[number];

/** Lots marked per transaction when the caller gives no batch size. */
export const RECALL_DEFAULT_BATCH = 100;
/** The most lots one recall transaction marks, so that it stays well inside Fabric's limits. */
export const RECALL_MAX_BATCH = 500;
/**
 * The most bytes of records one recall transaction writes (lot records, scope entries, queue entries, its event):
 * a tenth of the orderer's 10 MB AbsoluteMaxBytes. Every endorsement signature covers the whole write set and is
 * checked again for each key with its own endorsement policy (lot keys), so small transactions also validate fast.
 */
export const RECALL_MAX_BATCH_BYTES = 1024 * 1024;

/** The input of RecallLot. */
export interface RecallLotInput {
  lotId: string;
  reason: string;
  severity: RecallSeverity;
  /** Lots to mark in this transaction (default RECALL_DEFAULT_BATCH). */
  batchSize?: number;
}

/** Harm scope of a recall so far: how many lots, how much, who holds them, where they come from. */
export interface RecallScope {
  lots: number;
  /** Remaining quantities of affected lots, totalled per base unit (kg, L, each count unit). */
  quantities: Measure[];
  custodians: string[];
  producers: string[];
  regions: string[];
}

/** A recall as stored. Its ID is the transaction ID of RecallLot. */
export interface RecallRecord extends RecordMeta {
  docType: 'recall';
  recallId: string;
  lotId: string;
  reason: string;
  severity: RecallSeverity;
  /** Why the initiator may recall: as a regulator, or as the lot's producer. */
  authority: 'regulator' | 'producer';
  initiatedBy: Actor;
  status: 'in_progress' | 'complete';
  /** Lots added to the recall so far (each is marked in the transaction that finds it). */
  discovered: number;
  /** Lots marked so far (added to the scope; a lot recalled earlier by another recall keeps that mark). */
  marked: number;
  batches: number;
  scope: RecallScope;
}

/** One affected lot of a recall, with the party responsible at that step. */
export interface RecallScopeEntry extends RecordMeta {
  recallId: string;
  lotId: string;
  /** Hops downstream from the recalled lot. */
  depth: number;
  /** The lot it was reached from ('' for the recalled lot). */
  via: string;
  product: string;
  quantity: number;
  remaining: number;
  unit: Unit;
  producer: string;
  custodian: string;
  region?: string;
  statusBefore: string;
  /** Always true: an entry is written once, by the transaction that marked the lot. */
  marked: boolean;
  markedTxId?: string;
  markedAt?: string;
}
