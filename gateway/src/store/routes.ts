/**
 * Every HTTP route served from the query store, in one router: the public lookup and labels (no login), and lot
 * search, regulators' analytics and trace exports (with the gateway's credentials). Mounted before the ledger
 * routers, so that /api/v1/lots/{id}/label.svg and trace.csv are answered here.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { analyticsRouter } from '../analytics/analytics-router';
import type { GatewayConfig } from '../config';
import { exportRouter } from '../export/export-router';
import { labelsRouter } from '../public/labels-router';
import { publicRouter } from '../public/public-router';
import { searchRouter } from '../search/search-router';
import { resolveQueryConfig } from './resolve-query-config';
import type { Store } from './store';

/** The store's routes; mount at the root. */
export function storeRoutes(
  config: Pick<GatewayConfig, 'query' | 'dataDir' | 'listen' | 'role'>,
  store: Store,
  authenticate: RequestHandler,
): Router {
  const query = resolveQueryConfig(config);
  const router = Router();
  router.use(
    publicRouter(store, {
      publicBaseUrl: query.publicBaseUrl,
      rateLimitPerMinute: query.publicLookup.rateLimitPerMinute,
      maxAgeSeconds: query.publicLookup.maxAgeSeconds,
    }),
  );
  router.use(labelsRouter(store, query.publicBaseUrl));
  router.use(exportRouter(store, authenticate));
  router.use('/api/v1/search', searchRouter(store, authenticate));
  router.use('/api/v1/analytics', analyticsRouter(store, authenticate, config.role));
  return router;
}
