/**
 * /api/v1/lots: lots with registered GS1 codes, their life-cycle events, holds, compliance, documents and trace.
 * Writes are signed with this gateway's organisation identity; the chaincode decides who may do what.
 */
import { createHash } from 'crypto';
import { Router } from 'express';
import type { RequestHandler } from 'express';
import {
  TRACE_DEFAULT_PAGE_SIZE,
  TRACE_EVENT_MODES,
  TRACE_MAX_LOTS,
  TRACE_MAX_PAGE_SIZE,
} from '@agritrace/chaincode/dist/shared/trace';
import type { TraceDirection, TraceEventMode, TracePage } from '@agritrace/chaincode/dist/shared/trace';
import type { Evaluation, EvaluationRecord, Violation } from '@agritrace/chaincode/dist/shared/compliance';
import type { LotEventRecord } from '@agritrace/chaincode/dist/shared/epcis';
import { splitStoredEvent } from '@agritrace/chaincode/dist/shared/event-records';
import type { StoredLotEvent } from '@agritrace/chaincode/dist/shared/event-records';
import type { EventRecorded, LotState } from '@agritrace/chaincode/dist/shared/lots';
import { ApiError } from '../errors';
import { decodeStoreCursor, shareTraceEvents, storeTracePage, WalkCache } from '../export/trace-page';
import type { Committed, LedgerClient } from '../fabric/contract';
import { WrittenRecords } from '../fabric/written-records';
import { readCheckpoint } from '../follower/checkpoint';
import type { StoreLag } from '../follower/follower';
import type { Store } from '../store/store';
import { bodyString, jsonBodyArg, pageArgs, pathParam, queryInt, queryString } from './args';
import { sendCommitted } from './respond';
import type { ProvenanceIndex } from './provenance';
import { withBlocks } from './provenance';

/** The answer of POST /lots/:lotId/events. */
export interface RecordedEventAnswer {
  /** The lot's state after the event (GET /lots/:lotId gives the whole record). */
  lot: LotState;
  event: LotEventRecord;
  /** Every rule evaluated on the event. */
  evaluations: Evaluation[];
  /** The violations the event raised (the lot is then on hold). */
  violations: Violation[];
}

/** The answer of a recorded event: RecordEvent's answer with the records it names, from its write set. */
export function recordedEventAnswer(committed: Committed<EventRecorded>): RecordedEventAnswer {
  const { eventId, lot, violationIds } = committed.result;
  const written = new WrittenRecords(committed.writes());
  const recorded = recordedEvent(written, lot.lotId, eventId);
  if (!recorded) throw new Error(`transaction ${committed.txId} wrote no event record ${eventId}`);
  const { event, evaluation } = recorded;
  const violations = violationIds.map((id) => {
    const violation = written.get<Violation>('violation', [id]);
    if (!violation) throw new Error(`transaction ${committed.txId} wrote no violation record ${id}`);
    return violation;
  });
  return { lot, event, evaluations: evaluation?.evaluations ?? [], violations };
}

/**
 * The event a transaction recorded on a lot and the rules evaluated on it, kept either way (shared/event-records):
 * whole under the lot's index entry, or as event [eventId] with its evaluation under complianceEvaluation.
 */
function recordedEvent(
  written: WrittenRecords,
  lotId: string,
  eventId: string,
): { event: LotEventRecord; evaluation: EvaluationRecord | undefined } | undefined {
  const stored = written
    .find<StoredLotEvent>('eventByLot', [lotId])
    .find((record) => record.eventId === eventId);
  if (stored) return splitStoredEvent(stored);
  const event = written.get<LotEventRecord>('event', [eventId]);
  if (!event) return undefined;
  const evaluation = written
    .find<EvaluationRecord>('complianceEvaluation', [lotId])
    .find((record) => record.eventId === eventId);
  return { event, evaluation };
}

/** The lots router; mount at /api/v1/lots. */
export function lotsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
  traceStore?: TraceStore,
): Router {
  const store = traceStore?.store;
  const router = Router();
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const committed = await ledger.submit<{ lot: { lotId: string } }>(
      'lots',
      'CreateLot',
      [jsonBodyArg(req)],
      {
        operator: req.principal?.user,
      },
    );
    res.location(`/api/v1/lots/${encodeURIComponent(committed.result.lot.lotId)}`);
    sendCommitted(res, 201, committed);
  });

  router.get('/', async (req, res) => {
    const page = await ledger.evaluate<Page>('lots', 'QueryLotsByCustodian', [
      queryString(req, 'custodian'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.get('/:lotId', async (req, res) => {
    const lot = await ledger.evaluate<Record<string, unknown>>('lots', 'ReadLot', [pathParam(req, 'lotId')]);
    res.json({ data: (await withBlocks([lot], provenance))[0] });
  });

  router.get('/:lotId/events', async (req, res) => {
    const page = await ledger.evaluate<Page>('lots', 'QueryLotEvents', [
      pathParam(req, 'lotId'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  // RecordEvent answers with IDs; the records it names are read from the transaction's write set.
  router.post('/:lotId/events', async (req, res) => {
    const arg = jsonBodyArg(req, { lotId: pathParam(req, 'lotId') });
    const committed = await ledger.submit<EventRecorded>('lots', 'RecordEvent', [arg], {
      operator: req.principal?.user,
    });
    sendCommitted(res, 201, { ...committed, result: recordedEventAnswer(committed) });
  });

  for (const [verb, transaction] of [
    ['hold', 'HoldLot'],
    ['release', 'ReleaseLot'],
  ] as const) {
    router.post(`/:lotId/${verb}`, async (req, res) => {
      const args = [pathParam(req, 'lotId'), bodyString(req, 'reason')];
      sendCommitted(
        res,
        200,
        await ledger.submit('lots', transaction, args, { operator: req.principal?.user }),
      );
    });
  }

  // The trace: from the query store by default (one SQL walk, the store's checkpoint in `asOfBlock`), from the
  // chaincode with ?source=ledger. A lot the store has not reached yet is traced on the ledger.
  const walks = new WalkCache();
  router.get('/:lotId/trace', async (req, res) => {
    const lotId = pathParam(req, 'lotId');
    const direction = queryString(req, 'direction', ['forward', 'backward']) || 'backward';
    const source = queryString(req, 'source', ['store', 'ledger']);
    const maxLots = queryInt(req, 'maxLots', TRACE_MAX_LOTS);
    const pageSize = queryInt(req, 'pageSize', TRACE_MAX_PAGE_SIZE);
    const cursor = queryString(req, 'cursor');
    const events = (queryString(req, 'events', [...TRACE_EVENT_MODES]) || 'shared') as TraceEventMode;
    const storeCursor = cursor === '' ? undefined : decodeStoreCursor(cursor);
    // Without a store (a gateway configured without one) the default is the ledger; a store cursor still needs it.
    const fromStore =
      source === 'store' ||
      (source === '' && storeCursor !== undefined) ||
      (source === '' && cursor === '' && store !== undefined);
    if (fromStore) {
      if (!store) {
        throw new ApiError({
          status: 503,
          code: 'STORE_UNAVAILABLE',
          message: 'this gateway has no query store: trace with ?source=ledger',
        });
      }
      const query = {
        lotId,
        direction: direction as TraceDirection,
        maxLots: maxLots === '' ? TRACE_MAX_LOTS : Number(maxLots),
        pageSize: pageSize === '' ? TRACE_DEFAULT_PAGE_SIZE : Number(pageSize),
        offset: storeCursor?.offset ?? 0,
        events,
      };
      if (
        cursor !== '' &&
        (storeCursor === undefined ||
          storeCursor.lotId !== query.lotId ||
          storeCursor.direction !== query.direction ||
          storeCursor.maxLots !== query.maxLots)
      ) {
        throw new ApiError({
          status: 400,
          code: 'INVALID_ARGUMENT',
          message: 'cursor does not belong to this trace',
          details: { fields: [{ field: 'cursor', messages: ['does not belong to this trace'] }] },
        });
      }
      // A new trace waits (briefly) for the store to reach the ledger's height, so that a trace right after a write
      // shows it; a store that stays behind leaves the trace to the ledger.
      const caughtUp =
        source === 'store' ||
        cursor !== '' ||
        (await storeReachesLedger(store, traceStore?.lag, traceStore?.maxWaitMs));
      const page = caughtUp
        ? await store.snapshot((reader) => storeTracePage(reader, query, walks))
        : undefined;
      if (page) {
        // The answer follows from the page asked for and the block the store is at: an ETag without hashing
        // megabytes of JSON.
        const tag = createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
        res.setHeader('ETag', `W/"trace-${page.asOfBlock ?? 'none'}-${tag}"`);
        res.type('application/json').send(`{"data":${page.json}}`);
        return;
      }
      if (source === 'store' || storeCursor) {
        const asOfBlock = await readCheckpoint(store);
        throw new ApiError({
          status: 409,
          code: 'STORE_BEHIND',
          message:
            `the query store (at block ${asOfBlock ?? 'none'}) has no lot ${lotId} yet: ` +
            'trace it with ?source=ledger, or again in a few seconds',
          details: { lotId, asOfBlock },
        });
      }
    }
    if (storeCursor) {
      throw new ApiError({
        status: 400,
        code: 'INVALID_ARGUMENT',
        message: 'cursor belongs to a trace from the query store: leave out source=ledger',
        details: { fields: [{ field: 'cursor', messages: ['belongs to a trace from the query store'] }] },
      });
    }
    const page = await ledger.evaluate<TracePage>(
      'trace',
      direction === 'forward' ? 'TraceForward' : 'TraceBackward',
      [lotId, maxLots, pageSize, cursor],
      { timeoutMs: 120_000 },
    );
    const shaped = events === 'inline' ? page : shareTraceEvents(page, events);
    const steps = await withBlocks(shaped.steps as unknown as Record<string, unknown>[], provenance);
    res.json({ data: { ...shaped, steps, source: 'ledger' } });
  });

  // Compliance: every rule evaluated on the lot, its violations, and a regulator's decisions on its hold.
  router.get('/:lotId/compliance', async (req, res) => {
    res.json({ data: await ledger.evaluate('compliance', 'ReadLotCompliance', [pathParam(req, 'lotId')]) });
  });

  router.get('/:lotId/evaluations', async (req, res) => {
    const page = await ledger.evaluate<Page>('compliance', 'QueryLotEvaluations', [
      pathParam(req, 'lotId'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.post('/:lotId/documents', async (req, res) => {
    const args = [pathParam(req, 'lotId'), jsonBodyArg(req)];
    sendCommitted(
      res,
      201,
      await ledger.submit('compliance', 'RecordDocument', args, { operator: req.principal?.user }),
    );
  });

  router.post('/:lotId/compliance/release', async (req, res) => {
    const args = [pathParam(req, 'lotId'), bodyString(req, 'reason')];
    sendCommitted(
      res,
      200,
      await ledger.submit('compliance', 'ReleaseHold', args, { operator: req.principal?.user }),
    );
  });

  router.post('/:lotId/compliance/escalate', async (req, res) => {
    const args = [pathParam(req, 'lotId'), bodyString(req, 'reason'), bodyString(req, 'severity', 16)];
    sendCommitted(
      res,
      200,
      await ledger.submit('compliance', 'EscalateToRecall', args, { operator: req.principal?.user }),
    );
  });

  return router;
}

/** The query store the trace route reads, and how to learn how far it is behind the ledger. */
export interface TraceStore {
  readonly store: Store;
  /** The store's checkpoint and the ledger's height (the /healthz store section); none: never waits. */
  readonly lag?: () => Promise<Pick<StoreLag, 'ledgerHeight'>>;
  /** Longest wait for the store to reach the ledger's height; default 3 s. */
  readonly maxWaitMs?: number;
}

/** True once the store has applied every block the ledger had when asked (false after `maxWaitMs`). */
async function storeReachesLedger(store: Store, lag: TraceStore['lag'], maxWaitMs = 3_000): Promise<boolean> {
  if (!lag) return true;
  const height = (await lag().catch(() => undefined))?.ledgerHeight;
  if (height === null || height === undefined) return true;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const checkpoint = await readCheckpoint(store);
    if (checkpoint !== null && checkpoint >= height - 1) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A chaincode page of records. */
export interface Page {
  records: Record<string, unknown>[];
  bookmark: string;
  fetchedCount: number;
}

/** A page as the API answers it: `{data, page}`, each record with the block of its last write. */
export async function pagedWithBlocks(page: Page, provenance: ProvenanceIndex) {
  return {
    data: await withBlocks(page.records, provenance),
    page: { bookmark: page.bookmark, fetchedCount: page.fetchedCount },
  };
}
