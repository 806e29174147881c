/**
 * Builds the gateway's Express application without listening, so tests start the real server on any port:
 * security headers, request IDs, one JSON log line per request, the consumer lookup, JSON bodies, the routers, and
 * the central error handler that answers every failure as a problem document.
 */
import type { RequestListener } from 'http';
import express from 'express';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import { requireAuth } from './auth';
import type { GatewayConfig } from './config';
import { ApiError, errorHandler, notFoundHandler } from './errors';
import type { LedgerClient } from './fabric/contract';
import type { HealthOptions } from './health';
import { newJsonLogger } from './logger';
import { defaultPortalDir, portalRouter, servesDigitalLinkPage } from './portal/portal-router';
import { lookupFastPath, withLookupFastPath } from './public/lookup-fast-path';
import type { LookupFastPath } from './public/lookup-fast-path';
import type { Logger } from './logger';
import { requestIdOf } from './request-context';
import { healthRouter } from './routes/health';
import { ledgerRouter } from './routes/ledger';
import { devicesRouter } from './routes/devices';
import { lotsRouter } from './routes/lots';
import { membersRouter } from './routes/members';
import { LedgerProvenance, type ProvenanceIndex } from './routes/provenance';
import { recallsRouter } from './routes/recalls';
import { ruleSetsRouter } from './routes/rulesets';
import { transfersRouter } from './routes/transfers';
import { transformationsRouter } from './routes/transformations';
import { violationsRouter } from './routes/violations';
import { storeLookup, storeRoutes } from './store/routes';
import type { Store } from './store/store';
import type { Accounts } from './users/accounts';
import { sessionAuthenticator } from './users/session-auth';
import { sessionRouter } from './users/session-router';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Where request and error lines go; default JSON lines on stdout. */
  readonly logger?: Logger;
  /** Largest accepted JSON body; default '256kb'. */
  readonly bodyLimit?: string;
  /** Options of the /healthz probes. */
  readonly health?: HealthOptions;
  /** Finds the blocks of transactions for read answers; default: the ledger itself (qscc), cached. */
  readonly provenance?: ProvenanceIndex;
  /** The query store: serves public lookup, labels, search, analytics and trace exports when given. */
  readonly store?: Store;
  /**
   * Resume the organisation's unfinished recalls this many milliseconds after start (the gateway process passes
   * 3,000); absent: never (servers built for tests).
   */
  readonly resumeRecallsAfterMs?: number;
  /** The organisation's user accounts: portal logins (/api/v1/session), accepted wherever API tokens are. */
  readonly accounts?: Accounts;
  /** The built portal served to browsers; default portal/dist of the repository ($AGRITRACE_PORTAL_DIR). */
  readonly portalDir?: string;
}

/** The gateway application for one organisation's configuration and ledger client. */
export function createServer(
  config: GatewayConfig,
  ledger: LedgerClient,
  options: Readonly<ServerOptions> = {},
): Express {
  const logger = options.logger ?? newJsonLogger({ base: { org: config.org } });
  const authenticate = requireAuth(config, options.accounts && sessionAuthenticator(options.accounts));
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const securityHeaders = helmet();
  app.use(securityHeaders);
  app.use(requestContext(logger));
  const portalDir = options.portalDir ?? defaultPortalDir();
  if (options.store) {
    // The consumer lookup, the busiest route, before everything a lookup does not need (see public-lookup.ts);
    // its cached answers before Express itself, where the gateway listens through requestListener.
    const lookup = storeLookup(config, options.store, servesDigitalLinkPage(portalDir));
    app.use(lookup.handler);
    app.locals[FAST_PATH] = lookupFastPath({ ...lookup, store: options.store, securityHeaders, logger });
  }
  app.use(requireJsonBody);
  app.use(express.json({ limit: options.bodyLimit ?? '256kb', strict: true }));

  app.use(healthRouter(config, ledger, options.health));
  app.get('/api/v1', (_req, res) => {
    res.json({
      data: {
        org: config.org,
        mspId: config.mspId,
        displayName: config.displayName,
        role: config.role,
        channel: config.channel,
        chaincode: config.chaincode,
      },
    });
  });
  app.use(portalRouter(portalDir));
  if (options.accounts) app.use('/api/v1/session', sessionRouter(options.accounts));
  if (options.store) app.use(storeRoutes(config, options.store, authenticate));
  const provenance = options.provenance ?? new LedgerProvenance(ledger);
  app.use('/api/v1/members', membersRouter(ledger, authenticate));
  app.use(
    '/api/v1/lots',
    lotsRouter(
      ledger,
      authenticate,
      provenance,
      options.store && { store: options.store, lag: options.health?.store },
    ),
  );
  app.use('/api/v1/transfers', transfersRouter(ledger, authenticate, provenance));
  app.use('/api/v1/transformations', transformationsRouter(ledger, authenticate));
  app.use(
    '/api/v1/recalls',
    recallsRouter(ledger, authenticate, provenance, {
      resumeAfterMs: options.resumeRecallsAfterMs ?? null,
    }),
  );
  app.use('/api/v1/rulesets', ruleSetsRouter(ledger, authenticate, provenance));
  app.use('/api/v1/violations', violationsRouter(ledger, authenticate, provenance));
  app.use('/api/v1/devices', devicesRouter(ledger, authenticate, provenance));
  app.use('/api/v1/transactions', ledgerRouter(ledger));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/**
 * What a server built by createServer listens with: the application, behind the public lookup's fast path for
 * cached answers when it serves a store (see lookup-fast-path.ts).
 */
export function requestListener(app: Express): RequestListener {
  const fastPath = app.locals[FAST_PATH] as LookupFastPath | undefined;
  return fastPath ? withLookupFastPath(fastPath, app) : app;
}

/** Where createServer leaves the lookup's fast path for requestListener. */
const FAST_PATH = 'agritraceLookupFastPath';

/** Assigns the request ID, forbids caching of API answers, and logs one line per finished request. */
function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    req.requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', req.requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.on('finish', () => {
      logger.info('request', {
        requestId: req.requestId,
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
        ...(req.principal ? { principal: req.principal.id } : {}),
      });
    });
    next();
  };
}

/** Refuses a request body that is not JSON (415) instead of silently ignoring it. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new ApiError({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'request bodies must be JSON (Content-Type: application/json)',
    });
  }
  next();
};
