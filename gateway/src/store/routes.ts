/**
 * Every HTTP route served from the query store: the public lookup (no login), answered by one middleware that is
 * mounted ahead of the rest of the application (see public-lookup.ts), and in one router the labels (no login),
 * lot search, regulators' analytics and trace exports (with the gateway's credentials). The router is mounted
 * before the ledger routers, so that /api/v1/lots/{id}/label.svg and trace.csv are answered here.
 */
import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import { analyticsRouter } from '../analytics/analytics-router';
import type { GatewayConfig } from '../config';
import { exportRouter } from '../export/export-router';
import { labelsRouter } from '../public/labels-router';
import { ClientRateLimiter } from '../public/client-rate-limiter';
import { LookupCache } from '../public/lookup-cache';
import { publicLookup, RATE_WINDOW_SECONDS } from '../public/public-lookup';
import { searchRouter } from '../search/search-router';
import { resolveQueryConfig } from './resolve-query-config';
import type { Store } from './store';

/** The public lookup and what its fast path shares with it (see lookup-fast-path.ts). */
export interface StoreLookup {
  /** Mount at the root, before the body parser and every router. */
  readonly handler: RequestHandler;
  readonly cache: LookupCache;
  readonly limiter: ClientRateLimiter;
  readonly rateLimitPerMinute: number;
  readonly maxAgeSeconds: number;
}

/** The public lookup over the store. */
export function storeLookup(
  config: Pick<GatewayConfig, 'query' | 'dataDir' | 'listen'>,
  store: Store,
  pageFor?: (req: Request) => boolean,
): StoreLookup {
  const query = resolveQueryConfig(config);
  const { rateLimitPerMinute, maxAgeSeconds } = query.publicLookup;
  const cache = new LookupCache();
  const limiter = new ClientRateLimiter(rateLimitPerMinute, RATE_WINDOW_SECONDS * 1000);
  const handler = publicLookup(store, {
    publicBaseUrl: query.publicBaseUrl,
    rateLimitPerMinute,
    maxAgeSeconds,
    cache,
    limiter,
    ...(pageFor ? { pageFor } : {}),
  });
  return { handler, cache, limiter, rateLimitPerMinute, maxAgeSeconds };
}

/** The store's other routes; mount at the root. */
export function storeRoutes(
  config: Pick<GatewayConfig, 'query' | 'dataDir' | 'listen' | 'role'>,
  store: Store,
  authenticate: RequestHandler,
): Router {
  const query = resolveQueryConfig(config);
  const router = Router();
  router.use(labelsRouter(store, query.publicBaseUrl));
  router.use(exportRouter(store, authenticate));
  router.use('/api/v1/search', searchRouter(store, authenticate));
  router.use('/api/v1/analytics', analyticsRouter(store, authenticate, config.role));
  return router;
}
