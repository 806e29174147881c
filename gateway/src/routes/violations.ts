/** /api/v1/violations: open violations and holds, for regulators (filter by member, region or rule). */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { pageArgs, pathParam, queryString } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';

/** The violations router; mount at /api/v1/violations. */
export function violationsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/', async (req, res) => {
    const by = queryString(req, 'by', ['member', 'region', 'rule']);
    const page = await ledger.evaluate<Page>('compliance', 'QueryOpenViolations', [
      by,
      queryString(req, 'value'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.get('/:id', async (req, res) => {
    const violation = await ledger.evaluate<Record<string, unknown>>('compliance', 'ReadViolation', [
      pathParam(req, 'id', 256),
    ]);
    res.json({ data: (await withBlocks([violation], provenance))[0] });
  });

  return router;
}
