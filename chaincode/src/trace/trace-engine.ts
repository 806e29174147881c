/**
 * Multi-hop trace: a breadth-first walk over genealogy links from one lot, bounded by maxLots. Pages are cut
 * from the walk's deterministic order; each page re-walks only as far as it needs (links, not records), then
 * loads records and events for its own lots, so that no page reads more than the bound.
 */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { LotRecord } from '../shared/lots';
import type { TraceDirection, TracePage, TraceStep } from '../shared/trace';
import { TRACE_EVENTS_PER_LOT, TRACE_MAX_LOTS, traceStepOf } from '../shared/trace';
import { firstLotEvents } from '../lots/event-store';
import { findLot, getLot } from '../lots/lot-store';
import { linksOf, neighbour } from './genealogy-store';

/** Where a page of a trace starts: encoded into the cursor the caller passes back. */
interface CursorState {
  lotId: string;
  direction: TraceDirection;
  maxLots: number;
  offset: number;
}

/** The walk so far: lots in breadth-first order with their depths. */
interface Walk {
  order: string[];
  depth: Map<string, number>;
  /** Every discovered lot has been expanded: nothing more is reachable. */
  exhausted: boolean;
  /** A lot beyond maxLots exists. */
  truncated: boolean;
}

/** One page of the trace of `lotId` in `direction`. */
export async function tracePage(
  ctx: Context,
  lotId: string,
  direction: TraceDirection,
  maxLots: number,
  pageSize: number,
  cursor: string,
): Promise<TracePage> {
  await getLot(ctx, lotId);
  const offset = cursor === '' ? 0 : decodeCursor(cursor, { lotId, direction, maxLots });
  const walk = await walkUntil(ctx, lotId, direction, maxLots, offset + pageSize + 1);
  const pageIds = walk.order.slice(offset, offset + pageSize);
  const steps: TraceStep[] = [];
  for (const id of pageIds) steps.push(await stepOf(ctx, id, walk.depth.get(id) ?? 0, direction, maxLots));
  const end = offset + pageIds.length;
  const more = end < walk.order.length;
  return {
    lotId,
    direction,
    steps,
    cursor: more ? encodeCursor({ lotId, direction, maxLots, offset: end }) : '',
    truncated: walk.truncated,
    totalLots: more ? null : walk.order.length,
  };
}

/** Walks breadth-first until `need` lots are known, the walk is exhausted, or maxLots is exceeded. */
async function walkUntil(
  ctx: Context,
  root: string,
  direction: TraceDirection,
  maxLots: number,
  need: number,
): Promise<Walk> {
  const order = [root];
  const depth = new Map([[root, 0]]);
  let expanded = 0;
  let truncated = false;
  while (expanded < order.length && order.length < need && !truncated) {
    const current = order[expanded++] as string;
    const { links } = await linksOf(ctx, current, direction, maxLots + 1);
    for (const link of links) {
      const next = neighbour(link, direction);
      if (depth.has(next)) continue;
      if (order.length >= maxLots) {
        truncated = true;
        break;
      }
      depth.set(next, (depth.get(current) ?? 0) + 1);
      order.push(next);
    }
  }
  return { order, depth, exhausted: expanded >= order.length, truncated };
}

/** A trace step: the lot's responsible parties and provenance, its links onward and its first events. */
async function stepOf(
  ctx: Context,
  lotId: string,
  depth: number,
  direction: TraceDirection,
  maxLots: number,
): Promise<TraceStep> {
  const lot = (await findLot(ctx, lotId)) as LotRecord;
  const { links } = await linksOf(ctx, lotId, direction, maxLots + 1);
  const { events, more } = await firstLotEvents(ctx, lotId, TRACE_EVENTS_PER_LOT);
  return {
    ...traceStepOf(lot, depth),
    links,
    events,
    eventsTruncated: more,
  };
}

/** Parses the maxLots argument: '' means TRACE_MAX_LOTS, the most allowed. */
export function parseMaxLots(raw: string): number {
  if (raw === undefined || raw === null || raw.trim() === '') return TRACE_MAX_LOTS;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'maxLots must be a positive integer', { maxLots: raw });
  }
  return Math.min(Number(raw), TRACE_MAX_LOTS);
}

/** A cursor: base64url of the page state, opaque to callers. */
function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.lotId, state.direction, state.maxLots, state.offset])).toString(
    'base64url',
  );
}

/** The offset a cursor points at; INVALID_ARGUMENT if it is garbled or belongs to another trace. */
function decodeCursor(cursor: string, expected: Omit<CursorState, 'offset'>): number {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    state = undefined;
  }
  if (
    !Array.isArray(state) ||
    state[0] !== expected.lotId ||
    state[1] !== expected.direction ||
    state[2] !== expected.maxLots ||
    !Number.isInteger(state[3]) ||
    (state[3] as number) < 1
  ) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'cursor does not belong to this trace', { cursor });
  }
  return state[3] as number;
}
