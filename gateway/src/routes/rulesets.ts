/** /api/v1/rulesets: regulations as data, published and versioned on the ledger by regulators. */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { LedgerClient } from '../fabric/contract';
import { jsonBodyArg, pageArgs, pathParam, queryString } from './args';
import { pagedWithBlocks, type Page } from './lots';
import { withBlocks, type ProvenanceIndex } from './provenance';
import { sendCommitted } from './respond';

/** The rule-set router; mount at /api/v1/rulesets. */
export function ruleSetsRouter(
  ledger: LedgerClient,
  authenticate: RequestHandler,
  provenance: ProvenanceIndex,
): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/', async (req, res) => {
    const committed = await ledger.submit('rules', 'PublishRuleSet', [jsonBodyArg(req)], {
      operator: req.principal?.user,
    });
    sendCommitted(res, 201, committed);
  });

  router.post('/default', async (req, res) => {
    sendCommitted(
      res,
      201,
      await ledger.submit('rules', 'SeedDefaultRuleSet', [], { operator: req.principal?.user }),
    );
  });

  // Once after upgrading the chaincode of a ledger whose rule sets predate the catalog (regulators only).
  router.post('/catalog', async (req, res) => {
    sendCommitted(
      res,
      200,
      await ledger.submit('rules', 'IndexRuleSets', [], { operator: req.principal?.user }),
    );
  });

  router.get('/', async (req, res) => {
    const page = await ledger.evaluate<Page>('rules', 'QueryRuleSets', pageArgs(req));
    res.json(await pagedWithBlocks(page, provenance));
  });

  router.get('/applicable', async (req, res) => {
    res.json({ data: await ledger.evaluate('rules', 'ReadApplicableRuleSets', [queryString(req, 'date')]) });
  });

  router.get('/:id', async (req, res) => {
    const ruleSet = await ledger.evaluate<Record<string, unknown>>('rules', 'ReadRuleSet', [
      pathParam(req, 'id'),
      queryString(req, 'version'),
    ]);
    res.json({ data: (await withBlocks([ruleSet], provenance))[0] });
  });

  router.get('/:id/versions', async (req, res) => {
    const page = await ledger.evaluate<Page>('rules', 'QueryRuleSetVersions', [
      pathParam(req, 'id'),
      ...pageArgs(req),
    ]);
    res.json(await pagedWithBlocks(page, provenance));
  });

  return router;
}
