/** /api/v1/alliance: alliance-wide acts. Bootstrap registers the first regulator, approved, once only. */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { MemberRecord } from '@agritrace/chaincode/dist/shared/members';
import { MemberParticularsDto } from '../dto/members';
import type { LedgerClient } from '../fabric/contract';
import { parseDto } from '../validation';
import { sendCommitted } from './respond';

/** The alliance router; mount at /api/v1/alliance. */
export function allianceRouter(ledger: LedgerClient, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/bootstrap', async (req, res) => {
    const particulars = await parseDto(MemberParticularsDto, req.body, 'body');
    const committed = await ledger.submit<MemberRecord>('members', 'BootstrapAlliance', [
      JSON.stringify(particulars),
    ]);
    if (committed.result?.mspId)
      res.location(`/api/v1/members/${encodeURIComponent(committed.result.mspId)}`);
    sendCommitted(res, 201, committed);
  });

  return router;
}
