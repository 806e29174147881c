/** /api/v1/transfers: two-phase custody transfer (offer by the custodian; accept or reject by the receiver). */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { bodyString, jsonBodyArg, pageArgs, pathParam, queryString } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';
import { sendCommitted } from './respond';

/** The transfers router; mount at /api/v1/transfers. */
export function transfersRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const committed = await ledger.submit<{ transfer: { transferId: string } }>(
      'transfers',
      'OfferTransfer',
      [jsonBodyArg(req)],
      { operator: req.principal?.user },
    );
    res.location(`/api/v1/transfers/${committed.result.transfer.transferId}`);
    sendCommitted(res, 201, committed);
  });

  router.get('/', async (req, res) => {
    const direction = queryString(req, 'direction', ['incoming', 'outgoing']) || 'incoming';
    const page = await ledger.evaluate<Page>('transfers', 'QueryPendingTransfers', [
      direction,
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.get('/:transferId', async (req, res) => {
    const transfer = await ledger.evaluate<Record<string, unknown>>('transfers', 'ReadTransfer', [
      pathParam(req, 'transferId'),
    ]);
    res.json({ data: (await withBlocks([transfer], provenance))[0] });
  });

  router.post('/:transferId/accept', async (req, res) => {
    const args = [pathParam(req, 'transferId')];
    sendCommitted(
      res,
      200,
      await ledger.submit('transfers', 'AcceptTransfer', args, { operator: req.principal?.user }),
    );
  });

  for (const [verb, transaction] of [
    ['reject', 'RejectTransfer'],
    ['cancel', 'CancelTransfer'],
  ] as const) {
    router.post(`/:transferId/${verb}`, async (req, res) => {
      const args = [pathParam(req, 'transferId'), bodyString(req, 'reason')];
      sendCommitted(
        res,
        200,
        await ledger.submit('transfers', transaction, args, { operator: req.principal?.user }),
      );
    });
  }

  return router;
}
