/** /api/v1/transformations: split one lot, merge several, process inputs into outputs (mass balance checked). */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { jsonBodyArg } from './args';
import { sendCommitted } from './respond';

const KINDS = { split: 'SplitLot', merge: 'MergeLots', process: 'ProcessLots' } as const;

/** The transformations router; mount at /api/v1/transformations. */
export function transformationsRouter(ledger: LedgerClient, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);
  for (const [kind, transaction] of Object.entries(KINDS)) {
    router.post(`/${kind}`, async (req, res) => {
      const committed = await ledger.submit('transformations', transaction, [jsonBodyArg(req)], {
        operator: req.principal?.user,
      });
      sendCommitted(res, 201, committed);
    });
  }
  return router;
}
