/** Health routes: /livez (the process answers) and /healthz (every alliance peer up, with its block height). */
import { Router } from 'express';
import type { GatewayConfig } from '../config';
import type { LedgerClient } from '../fabric/contract';
import { checkHealth } from '../health';
import type { HealthOptions } from '../health';

/** The health router; mount at the root. Open to all. */
export function healthRouter(
  config: GatewayConfig,
  ledger: LedgerClient,
  options: Readonly<HealthOptions> = {},
): Router {
  const router = Router();

  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok', org: config.org, mspId: config.mspId });
  });

  router.get('/healthz', async (_req, res) => {
    const report = await checkHealth(config, ledger, options);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  return router;
}
