/**
 * The trace of GET /api/v1/lots/{lotId}/trace answered from the query store: the same pages, steps and cursor
 * semantics as the chaincode's TraceForward/TraceBackward (lots in the same breadth-first order, each with its
 * lot record fields, its links as the ledger holds them, its first events), each step with the blocks of its
 * transactions, and the store's checkpoint. One SQL walk replaces a page's thousands of state requests.
 */
import { TRACE_EVENTS_PER_LOT, traceStepOf } from '@agritrace/chaincode/dist/shared/trace';
import type { LotRecord } from '@agritrace/chaincode/dist/shared/lots';
import type { LotEventRecord } from '@agritrace/chaincode/dist/shared/epcis';
import type {
  SharedTracePage,
  SharedTraceStep,
  TraceDirection,
  TraceEventMode,
  TracePage,
} from '@agritrace/chaincode/dist/shared/trace';
import { compositeKey } from '../follower/composite-key';
import { readCheckpoint } from '../follower/checkpoint';
import { allIn, compareIds, walkGenealogy } from '../store/genealogy';
import type { Walk } from '../store/genealogy';
import { decodeValue, encodeKey } from '../store/ledger-kv';
import type { SqlRunner } from '../store/store';

/** Which page of which trace. */
export interface StoreTraceQuery {
  readonly lotId: string;
  readonly direction: TraceDirection;
  readonly maxLots: number;
  readonly pageSize: number;
  /** Steps before this page. */
  readonly offset: number;
  /**
   * 'shared' (default): the page carries each of its steps' first events once, in `events` by ID, and each step
   * their IDs in `eventIds`; 'inline': each step carries its events, as the chaincode's TracePage; 'none': no
   * event records (`eventIds` empty).
   */
  readonly events?: TraceEventMode;
}

/** What a store cursor carries: the trace it belongs to and where the next page starts. */
export type StoreCursor = Omit<StoreTraceQuery, 'pageSize' | 'events'>;

/** A page built from the store: its JSON text (the `data` of the answer) and what it was built from. */
export interface StoreTracePage {
  /** `{lotId, direction, steps, cursor, truncated, totalLots, source: 'store', asOfBlock}` as JSON text. */
  readonly json: string;
  /** The store's checkpoint: the last block whose every transaction the answer reflects. */
  readonly asOfBlock: number | null;
  readonly steps: number;
}

/** Walks of recent traces, so the later pages of one trace do not walk it again (valid for one checkpoint). */
export class WalkCache {
  readonly #walks = new Map<string, Walk>();
  constructor(readonly capacity = 8) {}

  get(key: string): Walk | undefined {
    const walk = this.#walks.get(key);
    if (walk) {
      this.#walks.delete(key);
      this.#walks.set(key, walk);
    }
    return walk;
  }

  set(key: string, walk: Walk): void {
    this.#walks.delete(key);
    this.#walks.set(key, walk);
    while (this.#walks.size > this.capacity) this.#walks.delete(this.#walks.keys().next().value!);
  }
}

interface LotRow {
  lot_id: string;
  record: string;
}

interface EventRow {
  lot_id: string;
  event_id: string;
  record_time: string;
}

interface KvRow {
  key: string;
  value: string | null;
  value_encoding: string;
  deleted: number;
}

/**
 * One page of a trace, read in one snapshot of the store; undefined if the store has no such lot (it may not have
 * reached the block that created it yet).
 */
export async function storeTracePage(
  reader: SqlRunner,
  query: StoreTraceQuery,
  walks: WalkCache = new WalkCache(),
): Promise<StoreTracePage | undefined> {
  const { lotId, direction, maxLots, pageSize, offset } = query;
  const exists = await reader.get<{ lot_id: string }>('SELECT lot_id FROM lots WHERE lot_id = ?', [lotId]);
  if (!exists) return undefined;
  const asOfBlock = await readCheckpoint(reader);
  const walkKey = JSON.stringify([lotId, direction, maxLots, asOfBlock]);
  let walk = walks.get(walkKey);
  if (!walk) {
    walk = await walkGenealogy(reader, lotId, direction, maxLots);
    walks.set(walkKey, walk);
  }
  const pageLots = walk.lots.slice(offset, offset + pageSize);
  const ids = pageLots.map((reached) => reached.lotId);

  const records = new Map<string, LotRecord>();
  for (const row of await allIn<LotRow>(
    reader,
    (list) => `SELECT lot_id, record FROM lots WHERE lot_id IN (${list})`,
    ids,
  )) {
    records.set(row.lot_id, JSON.parse(row.record) as LotRecord);
  }

  // Links as the ledger holds them (the mirror's values of the link keys the walk followed from these lots).
  const pageSet = new Set(ids);
  const linkTargets = new Map<string, string[]>();
  const objectType = direction === 'forward' ? 'linkForward' : 'linkBackward';
  for (const link of walk.links) {
    const [fromLot, toLot] =
      direction === 'forward'
        ? [link.input_lot_id, link.output_lot_id]
        : [link.output_lot_id, link.input_lot_id];
    if (!pageSet.has(fromLot)) continue;
    const targets = linkTargets.get(fromLot) ?? [];
    targets.push(toLot);
    linkTargets.set(fromLot, targets);
  }
  // The walk stopped expanding at maxLots: lots beyond it were not walked, so their links are read here.
  const unwalked = ids.filter((id) => !linkTargets.has(id));
  if (unwalked.length > 0) {
    const from = direction === 'forward' ? 'input_lot_id' : 'output_lot_id';
    const to = direction === 'forward' ? 'output_lot_id' : 'input_lot_id';
    for (const row of await allIn<{ from_lot: string; to_lot: string }>(
      reader,
      (list) => `SELECT ${from} AS from_lot, ${to} AS to_lot FROM genealogy WHERE ${from} IN (${list})`,
      unwalked,
    )) {
      const targets = linkTargets.get(row.from_lot) ?? [];
      targets.push(row.to_lot);
      linkTargets.set(row.from_lot, targets);
    }
  }
  const linkKey = (fromLot: string, toLot: string) => encodeKey(compositeKey(objectType, [fromLot, toLot]));
  const linkValues = new Map<string, unknown>();
  for (const row of await allIn<KvRow>(
    reader,
    (list) => `SELECT key, value, value_encoding, deleted FROM ledger_kv WHERE key IN (${list})`,
    [...linkTargets.entries()].flatMap(([fromLot, targets]) =>
      targets.map((toLot) => linkKey(fromLot, toLot)),
    ),
  )) {
    if (row.deleted || row.value === null) continue;
    linkValues.set(
      row.key,
      JSON.parse(Buffer.from(decodeValue(row.value, row.value_encoding)).toString('utf8')),
    );
  }

  // Each lot's first events by record time, as the chaincode's per-lot event index orders them. A split's event
  // names all its outputs and recurs in each of their steps: each record is read once and passed on as the text
  // the store holds.
  const eventsByLot = new Map<string, EventRow[]>();
  for (const row of await allIn<EventRow>(
    reader,
    (list) => `SELECT l.lot_id, e.event_id, e.record_time
      FROM lot_event_lots l JOIN lot_events e ON e.event_id = l.event_id
      WHERE l.lot_id IN (${list})`,
    ids,
  )) {
    const list = eventsByLot.get(row.lot_id) ?? [];
    if (!list.some((event) => event.event_id === row.event_id)) list.push(row);
    eventsByLot.set(row.lot_id, list);
  }
  for (const [id, list] of eventsByLot) {
    eventsByLot.set(
      id,
      list.sort((a, b) => compareIds(a.record_time, b.record_time) || compareIds(a.event_id, b.event_id)),
    );
  }
  const eventTexts = new Map<string, string>();
  const mode = query.events ?? 'shared';
  if (mode !== 'none') {
    const shown = new Set([...eventsByLot.values()].flatMap((list) => list.slice(0, TRACE_EVENTS_PER_LOT)));
    for (const row of await allIn<{ event_id: string; record: string }>(
      reader,
      (list) => `SELECT event_id, record FROM lot_events WHERE event_id IN (${list})`,
      [...new Set([...shown].map((event) => event.event_id))],
    )) {
      eventTexts.set(row.event_id, row.record);
    }
  }

  const txIds = new Set<string>();
  for (const record of records.values()) {
    if (typeof record.createdTxId === 'string') txIds.add(record.createdTxId);
    if (typeof record.lastTxId === 'string') txIds.add(record.lastTxId);
  }
  const blocks = new Map(
    (
      await allIn<{ tx_id: string; block_number: number }>(
        reader,
        (list) => `SELECT tx_id, block_number FROM ledger_transactions WHERE tx_id IN (${list})`,
        [...txIds],
      )
    ).map((row) => [row.tx_id, Number(row.block_number)]),
  );

  const steps: string[] = [];
  const sharedIds = new Set<string>();
  for (const reached of pageLots) {
    const lot = records.get(reached.lotId);
    if (!lot) continue;
    const links = (linkTargets.get(reached.lotId) ?? [])
      .sort(compareIds)
      .map((toLot) => linkValues.get(linkKey(reached.lotId, toLot)))
      .filter((link) => link !== undefined);
    const events = eventsByLot.get(reached.lotId) ?? [];
    const carried = mode === 'none' ? [] : events.slice(0, TRACE_EVENTS_PER_LOT);
    const head = JSON.stringify({
      ...traceStepOf(lot, reached.depth),
      links,
    });
    const tail = JSON.stringify({
      eventsTruncated: events.length > carried.length,
      createdBlockNumber: blocks.get(lot.createdTxId),
      lastBlockNumber: blocks.get(lot.lastTxId),
    });
    const shown = carried.filter((event) => eventTexts.has(event.event_id));
    const carriedJson =
      mode === 'inline'
        ? `"events":[${shown.map((event) => eventTexts.get(event.event_id)).join(',')}]`
        : `"eventIds":${JSON.stringify(shown.map((event) => event.event_id))}`;
    for (const event of shown) sharedIds.add(event.event_id);
    steps.push(`${head.slice(0, -1)},${carriedJson},${tail.slice(1)}`);
  }
  const sharedEvents =
    mode === 'inline'
      ? ''
      : `,"events":{${[...sharedIds]
          .sort(compareIds)
          .map((id) => `${JSON.stringify(id)}:${eventTexts.get(id)}`)
          .join(',')}}`;

  const end = offset + pageLots.length;
  const more = end < walk.lots.length;
  const tail = JSON.stringify({
    cursor: more ? encodeStoreCursor({ lotId, direction, maxLots, offset: end }) : '',
    truncated: walk.truncated,
    totalLots: more ? null : walk.lots.length,
    source: 'store',
    asOfBlock,
  });
  const json =
    `${JSON.stringify({ lotId, direction }).slice(0, -1)},"steps":[${steps.join(',')}]${sharedEvents},` +
    tail.slice(1);
  return { json, asOfBlock, steps: steps.length };
}

/**
 * A chaincode trace page in the gateway's shape: 'shared' names each step's events and carries every record once
 * in `events`; 'none' carries none (`eventsTruncated` when the lot had any).
 */
export function shareTraceEvents(page: TracePage, mode: Exclude<TraceEventMode, 'inline'>): SharedTracePage {
  const events: Record<string, LotEventRecord> = {};
  const steps = page.steps.map(({ events: carried, ...step }): SharedTraceStep => {
    if (mode === 'none') {
      return { ...step, eventIds: [], eventsTruncated: step.eventsTruncated || carried.length > 0 };
    }
    for (const event of carried) events[event.eventId] = event;
    return { ...step, eventIds: carried.map((event) => event.eventId) };
  });
  return { ...page, steps, events };
}

const CURSOR_TAG = 'store';

/** A store trace's cursor: base64url of its page state, opaque to callers (distinct from the chaincode's). */
export function encodeStoreCursor(cursor: StoreCursor): string {
  const state = [CURSOR_TAG, cursor.lotId, cursor.direction, cursor.maxLots, cursor.offset];
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The page state of a store cursor; undefined if the cursor is not a store cursor (e.g. the chaincode's). */
export function decodeStoreCursor(cursor: string): StoreCursor | undefined {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(state) || state.length !== 5 || state[0] !== CURSOR_TAG) return undefined;
  const [, lotId, direction, maxLots, offset] = state as unknown[];
  if (
    typeof lotId !== 'string' ||
    (direction !== 'forward' && direction !== 'backward') ||
    !isPositiveInteger(maxLots) ||
    !isPositiveInteger(offset)
  ) {
    return undefined;
  }
  return { lotId, direction, maxLots, offset };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
