/**
 * /api/v1/recalls: a regulator or the lot's producer recalls a lot; the forward trace is the scope, marked on the
 * ledger in bounded batches. POST answers after the first batch: 201 if it completed the recall, else 202 with the
 * recall's Location, and the gateway drives the remaining batches in the background (retrying transient failures,
 * and resuming its organisation's unfinished recalls when it starts). Consumers are warned before that: the query
 * store derives every recall's reach from the ledger's genealogy as soon as the recall record is committed.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { problemSpecFor } from '../errors';
import type { LedgerClient } from '../fabric/contract';
import { newJsonLogger } from '../logger';
import type { Logger } from '../logger';
import { jsonBodyArg, pageArgs, pathParam, queryInt } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';
import { receiptOf, type TxReceipt } from './respond';

/** What RecallLot and ContinueRecall answer: the recall after the batch and the IDs of the lots it marked. */
interface RecallAnswer {
  recall: { recallId: string; status: string; marked: number } & Record<string, unknown>;
  lots: string[];
}

/** The batch size the gateway continues a recall with (lots per transaction) unless the request asks another. */
export const RECALL_BATCH = 250;

/** Progress of the batches this gateway drives for one recall. */
export interface RecallProgress {
  recallId: string;
  /** 'running' while batches are submitted, 'complete' when the ledger has marked every lot, 'stalled' after
   * repeated failures (POST /api/v1/recalls/{id}/continue or a gateway restart resumes it). */
  state: 'running' | 'complete' | 'stalled';
  /** Batches this gateway committed for it (the first included when it started the recall). */
  batches: number;
  /** Lots those batches marked. */
  lotsMarked: number;
  startedAt: string;
  updatedAt: string;
  lastBatch?: TxReceipt;
  /** The last failure (retried unless the state is 'stalled'). */
  lastError?: { code: string; detail: string; at: string };
}

/** Options of the background driver. */
export interface RecallDriverOptions {
  batchSize?: number;
  /** Consecutive failures of one batch before the driver gives up on the recall (it stays 'in_progress'). */
  maxFailures?: number;
  /** Wait before retrying a failed batch: base × 2^(failures − 1), at most 30 s. */
  retryBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

/** Chaincode refusals after which another attempt cannot succeed. */
const FINAL_CODES = new Set(['RECALL_NOT_FOUND', 'NOT_RECALL_AUTHORITY', 'INVALID_ARGUMENT', 'NOT_APPROVED']);

/**
 * Submits ContinueRecall batches of unfinished recalls, one recall at a time per recall (batches of one recall
 * write the same recall record, so they are sequential), until the ledger reports the recall complete.
 */
export class RecallDriver {
  readonly #ledger: LedgerClient;
  readonly #batchSize: number;
  readonly #maxFailures: number;
  readonly #retryBaseMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #logger: Logger;
  readonly #progress = new Map<string, RecallProgress>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(ledger: LedgerClient, options: RecallDriverOptions = {}) {
    this.#ledger = ledger;
    this.#batchSize = options.batchSize ?? RECALL_BATCH;
    this.#maxFailures = options.maxFailures ?? 8;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#logger = options.logger ?? newJsonLogger({ base: { component: 'recall-driver' } });
  }

  /** What this gateway knows of its batches of a recall, if it drove any. */
  progress(recallId: string): RecallProgress | undefined {
    const progress = this.#progress.get(recallId);
    return progress && { ...progress };
  }

  /** Resolves when the driver is not (or no longer) submitting batches of the recall. */
  async settled(recallId: string): Promise<void> {
    await this.#running.get(recallId);
  }

  /** Records the first batch (committed by the request) of a recall. */
  started(recallId: string, first: { lots: number; receipt: TxReceipt; complete: boolean }): void {
    const now = new Date().toISOString();
    this.#progress.set(recallId, {
      recallId,
      state: first.complete ? 'complete' : 'running',
      batches: 1,
      lotsMarked: first.lots,
      startedAt: now,
      updatedAt: now,
      lastBatch: first.receipt,
    });
  }

  /**
   * Drives a recall to completion in the background (no-op if already driving it), `batchSize` lots per
   * transaction (default: the driver's); resolves when it stops.
   */
  drive(recallId: string, operator = '', batchSize?: number): Promise<void> {
    const running = this.#running.get(recallId);
    if (running) return running;
    const now = new Date().toISOString();
    const progress = this.#progress.get(recallId) ?? {
      recallId,
      state: 'running' as const,
      batches: 0,
      lotsMarked: 0,
      startedAt: now,
      updatedAt: now,
    };
    progress.state = 'running';
    this.#progress.set(recallId, progress);
    const run = this.#run(progress, operator, batchSize ?? this.#batchSize).finally(() =>
      this.#running.delete(recallId),
    );
    this.#running.set(recallId, run);
    return run;
  }

  /** Resumes every in-progress recall the ledger says this organisation initiated; returns their IDs. */
  async resumeOpen(): Promise<string[]> {
    const found = new Set<string>();
    let bookmark = '';
    // A short page, an empty or unchanged bookmark ends the listing; the page cap guards against a ledger (or a
    // test double) that keeps answering full pages.
    for (let pages = 0; pages < OPEN_RECALL_PAGES_MAX; pages++) {
      const page = await this.#ledger.evaluate<{
        records: { recallId: string }[];
        bookmark: string;
        fetchedCount?: number;
      }>('recalls', 'QueryOpenRecalls', [String(OPEN_RECALL_PAGE_SIZE), bookmark]);
      for (const recall of page.records ?? []) found.add(recall.recallId);
      // The ledger filters what it fetched: a page is short when it fetched fewer keys than asked.
      const fetched = page.fetchedCount ?? page.records?.length ?? 0;
      if (fetched < OPEN_RECALL_PAGE_SIZE || !page.bookmark || page.bookmark === bookmark) break;
      bookmark = page.bookmark;
    }
    const ids = [...found];
    for (const id of ids) {
      this.#logger.info('resuming an unfinished recall', { recallId: id });
      void this.drive(id);
    }
    return ids;
  }

  async #run(progress: RecallProgress, operator: string, batchSize: number): Promise<void> {
    let failures = 0;
    for (;;) {
      try {
        const committed = await this.#ledger.submit<RecallAnswer>(
          'recalls',
          'ContinueRecall',
          [progress.recallId, String(batchSize)],
          { operator },
        );
        failures = 0;
        progress.batches += 1;
        progress.lotsMarked += committed.result.lots.length;
        progress.lastBatch = receiptOf(committed);
        progress.updatedAt = new Date().toISOString();
        if (committed.result.recall.status === 'complete') {
          progress.state = 'complete';
          this.#logger.info('recall complete', {
            recallId: progress.recallId,
            batches: progress.batches,
            marked: committed.result.recall.marked,
          });
          return;
        }
      } catch (err) {
        const spec = problemSpecFor(err);
        const at = new Date().toISOString();
        progress.lastError = { code: spec.code, detail: spec.detail, at };
        progress.updatedAt = at;
        if (spec.code === 'RECALL_COMPLETE') {
          progress.state = 'complete';
          return;
        }
        failures += 1;
        if (FINAL_CODES.has(spec.code) || failures >= this.#maxFailures) {
          progress.state = 'stalled';
          this.#logger.error('recall batches stopped; the recall stays in progress on the ledger', {
            recallId: progress.recallId,
            code: spec.code,
            detail: spec.detail,
            failures,
          });
          return;
        }
        this.#logger.warn('recall batch failed, retrying', {
          recallId: progress.recallId,
          code: spec.code,
          failures,
        });
        await this.#sleep(Math.min(30_000, this.#retryBaseMs * 2 ** (failures - 1)));
      }
    }
  }
}

/** Options of the recalls router. */
export interface RecallsRouterOptions {
  /** The background driver (default: a new one over `ledger`). */
  driver?: RecallDriver;
  /** Resume this organisation's unfinished recalls after this many milliseconds; null or absent: do not. */
  resumeAfterMs?: number | null;
}

/** The recalls router; mount at /api/v1/recalls. */
export function recallsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
  options: RecallsRouterOptions = {},
): Router {
  const router = Router();
  const driver = options.driver ?? new RecallDriver(ledger);
  if (options.resumeAfterMs != null) scheduleResume(driver, options.resumeAfterMs);
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const operator = req.principal?.user;
    const first = await ledger.submit<RecallAnswer>('recalls', 'RecallLot', [jsonBodyArg(req)], { operator });
    const recall = first.result.recall;
    const complete = recall.status === 'complete';
    const receipt = receiptOf(first);
    driver.started(recall.recallId, { lots: first.result.lots.length, receipt, complete });
    res.location(`/api/v1/recalls/${recall.recallId}`);
    if (complete) {
      res.status(201).json({ data: recall, tx: receipt, batches: [receipt] });
      return;
    }
    // The rest goes in batches of the size asked for (the chaincode has checked it), else RECALL_BATCH.
    const asked = (req.body as { batchSize?: unknown }).batchSize;
    void driver.drive(recall.recallId, operator ?? '', typeof asked === 'number' ? asked : undefined);
    res.status(202).json({ data: recall, tx: receipt, progress: driver.progress(recall.recallId) });
  });

  router.get('/:recallId', async (req, res) => {
    const recallId = pathParam(req, 'recallId');
    const recall = await ledger.evaluate<Record<string, unknown>>('recalls', 'ReadRecall', [recallId]);
    const progress = driver.progress(recallId);
    res.json({
      data: (await withBlocks([recall], provenance))[0],
      ...(progress ? { progress } : {}),
    });
  });

  router.get('/:recallId/scope', async (req, res) => {
    const page = await ledger.evaluate<Page>('recalls', 'QueryRecallScope', [
      pathParam(req, 'recallId'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.post('/:recallId/continue', async (req, res) => {
    const args = [pathParam(req, 'recallId'), queryInt(req, 'batchSize', 500) || String(RECALL_BATCH)];
    const committed = await ledger.submit<RecallAnswer>('recalls', 'ContinueRecall', args, {
      operator: req.principal?.user,
    });
    if (committed.result.recall.status !== 'complete') {
      void driver.drive(committed.result.recall.recallId, req.principal?.user ?? '');
    }
    res.json({ data: committed.result.recall, tx: receiptOf(committed), lots: committed.result.lots });
  });

  return router;
}

/** Open recalls read per page, and pages at most, when a gateway resumes its organisation's recalls. */
const OPEN_RECALL_PAGE_SIZE = 100;
const OPEN_RECALL_PAGES_MAX = 100;

/** Resumes unfinished recalls once, after `delayMs`; retries a few times while the peer does not answer. */
function scheduleResume(driver: RecallDriver, delayMs: number, attempt = 1): void {
  const timer = setTimeout(() => {
    driver.resumeOpen().catch(() => {
      if (attempt < 5) scheduleResume(driver, delayMs * 4, attempt + 1);
    });
  }, delayMs);
  timer.unref();
}
