/** Forward and backward trace results: the lots reached from a lot, hop by hop, with who is responsible. */
import type { LotEventRecord } from './epcis';
import type { LotOrigin, LotRecord, LotStatus } from './lots';
import type { Actor, RecordMeta } from './records';
import type { Unit } from './units';

/** Largest number of lots one trace visits; past it the trace says truncated. */
export const TRACE_MAX_LOTS = 10000;
/** Lots per trace page when the caller gives no page size. */
export const TRACE_DEFAULT_PAGE_SIZE = 100;
/** The most lots one trace page holds. */
export const TRACE_MAX_PAGE_SIZE = 500;
/** Events returned per lot in a trace step; the rest are read with QueryLotEvents. */
export const TRACE_EVENTS_PER_LOT = 50;

/** Which way a trace goes: forward to downstream lots, backward to the inputs and farms. */
export type TraceDirection = 'forward' | 'backward';

/** A genealogy link as stored (in both directions) when lots are split, merged or processed. */
export interface GenealogyLink extends RecordMeta {
  /** The lot consumed. */
  input: string;
  /** The lot produced. */
  output: string;
  kind: Exclude<LotOrigin, 'created'>;
  transformationId: string;
  /** Quantity of the input used, in the input's unit. */
  quantity: number;
  unit: Unit;
  at: string;
}

/** One lot reached by a trace. */
export interface TraceStep {
  lotId: string;
  /** Hops from the traced lot (0 = the lot itself). */
  depth: number;
  product: string;
  status: LotStatus;
  quantity: number;
  remaining: number;
  unit: Unit;
  /** Responsible parties: who produced the lot, who holds it now, who created its record. */
  producer: string;
  custodian: string;
  createdBy: Actor;
  createdTxId: string;
  createdAt: string;
  lastTxId: string;
  region?: string;
  gln?: string;
  /** Links from this lot in the trace direction (forward: to outputs; backward: to inputs). */
  links: GenealogyLink[];
  events: LotEventRecord[];
  /** True if the lot has more events than the step carries. */
  eventsTruncated: boolean;
}

/** A step's own fields, from its lot record: the chaincode's trace and the gateway's store trace both build on it. */
export function traceStepOf(
  lot: LotRecord,
  depth: number,
): Omit<TraceStep, 'links' | 'events' | 'eventsTruncated'> {
  return {
    lotId: lot.lotId,
    depth,
    product: lot.product,
    status: lot.status,
    quantity: lot.quantity,
    remaining: lot.remaining,
    unit: lot.unit,
    producer: lot.producer,
    custodian: lot.custodian,
    createdBy: lot.createdBy,
    createdTxId: lot.createdTxId,
    createdAt: lot.createdAt,
    lastTxId: lot.lastTxId,
    region: lot.origin.region,
    gln: lot.origin.gln,
  };
}

/** One page of a trace. */
export interface TracePage {
  lotId: string;
  direction: TraceDirection;
  steps: TraceStep[];
  /** Pass back to get the next page; '' when the trace is complete. */
  cursor: string;
  /** True if the trace reached maxLots and lots beyond it exist (they are not returned). */
  truncated: boolean;
  /** Lots in the whole trace (up to maxLots), known once the last page is reached; otherwise null. */
  totalLots: number | null;
}

/** How the gateway gives a trace's event records: once per page (default), inside each step, or not at all. */
export const TRACE_EVENT_MODES = ['shared', 'inline', 'none'] as const;
/** One of TRACE_EVENT_MODES. */
export type TraceEventMode = (typeof TRACE_EVENT_MODES)[number];

/** A step of a trace page as the gateway answers it by default: its events named, not repeated. */
export interface SharedTraceStep extends Omit<TraceStep, 'events'> {
  /** The lot's first events (up to TRACE_EVENTS_PER_LOT), oldest first: keys of the page's `events`. */
  eventIds: string[];
}

/**
 * A trace page as the gateway answers it by default: every event record once, in `events` by ID, and each step
 * naming its events in `eventIds`. A transformation's event lists all its outputs, so carried inside each step (as
 * the chaincode's TracePage does) it would recur in every output's step: 98 times for a 98-way split.
 */
export interface SharedTracePage extends Omit<TracePage, 'steps'> {
  steps: SharedTraceStep[];
  events: Record<string, LotEventRecord>;
}
