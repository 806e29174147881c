/**
 * /api/v1/lots: lots with registered GS1 codes, their life-cycle events, holds, compliance, documents and trace.
 * Writes are signed with this gateway's organisation identity; the chaincode decides who may do what.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { bodyString, jsonBodyArg, pageArgs, pathParam, queryInt, queryString } from './args';
import { sendCommitted } from './respond';
import type { ProvenanceIndex } from './provenance';
import { withBlocks } from './provenance';

/** The lots router; mount at /api/v1/lots. */
export function lotsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
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

  router.post('/:lotId/events', async (req, res) => {
    const arg = jsonBodyArg(req, { lotId: pathParam(req, 'lotId') });
    sendCommitted(
      res,
      201,
      await ledger.submit('lots', 'RecordEvent', [arg], { operator: req.principal?.user }),
    );
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

  router.get('/:lotId/trace', async (req, res) => {
    const direction = queryString(req, 'direction', ['forward', 'backward']) || 'backward';
    const page = await ledger.evaluate<{ steps: Record<string, unknown>[] }>(
      'trace',
      direction === 'forward' ? 'TraceForward' : 'TraceBackward',
      [
        pathParam(req, 'lotId'),
        queryInt(req, 'maxLots', 10000),
        queryInt(req, 'pageSize', 500),
        queryString(req, 'cursor'),
      ],
      { timeoutMs: 120_000 },
    );
    res.json({ data: { ...page, steps: await withBlocks(page.steps, provenance) } });
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
