/**
 * /api/v1/recalls: a regulator or the lot's producer recalls a lot; the forward trace is the scope, marked in
 * bounded batches. The gateway drives the batches to completion so that no affected lot stays unmarked.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Committed, LedgerClient } from '../fabric/contract';
import { jsonBodyArg, pageArgs, pathParam, queryInt } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';
import { receiptOf } from './respond';

interface RecallAnswer {
  recall: { recallId: string; status: string };
  lots?: unknown[];
}

/** The batch size the gateway continues a recall with. */
export const RECALL_BATCH = 250;

/** The recalls router; mount at /api/v1/recalls. */
export function recallsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const operator = req.principal?.user;
    const first = await ledger.submit<RecallAnswer>('recalls', 'RecallLot', [jsonBodyArg(req)], { operator });
    const batches: Committed<RecallAnswer>[] = [first];
    let last = first;
    while (last.result.recall.status !== 'complete') {
      last = await ledger.submit<RecallAnswer>(
        'recalls',
        'ContinueRecall',
        [last.result.recall.recallId, String(RECALL_BATCH)],
        { operator },
      );
      batches.push(last);
    }
    res.location(`/api/v1/recalls/${first.result.recall.recallId}`);
    res.status(201).json({ data: last.result.recall, tx: receiptOf(first), batches: batches.map(receiptOf) });
  });

  router.get('/:recallId', async (req, res) => {
    const recall = await ledger.evaluate<Record<string, unknown>>('recalls', 'ReadRecall', [
      pathParam(req, 'recallId'),
    ]);
    res.json({ data: (await withBlocks([recall], provenance))[0] });
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
    res.json({ data: committed.result.recall, tx: receiptOf(committed) });
  });

  return router;
}
