/**
 * The consumer's lookup, no login: GET /01/{gtin}/10/{lot}[/21/{serial}] (a GS1 Digital Link path, the target of
 * the QR code on the package; query qualifiers such as ?linkType= or ?17= are ignored) and
 * GET /api/v1/public/lots/{traceCode} (or ?code=) for an element string, Digital Link URI or lot ID. Answers are
 * JSON for now (the portal will serve HTML to browsers on the same URLs: hence Vary: Accept), cacheable for a short
 * time with an ETag from the newest block behind the answer, and rate-limited per client address. Rendered answers
 * are kept per lot until the store's checkpoint moves (see LookupCache).
 */
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ApiError } from '../errors';
import { readCheckpoint } from '../follower/checkpoint';
import type { Store } from '../store/store';
import { LookupCache } from './lookup-cache';
import { readPublicLot } from './public-lot';
import { identityFromParts, parseTraceCode } from './trace-code';
import type { LotIdentity, ParsedCode } from './trace-code';

/** Options of {@link publicRouter}. */
export interface PublicRouterOptions {
  /** Base of Digital Link URIs (https://<resolver>). */
  readonly publicBaseUrl: string;
  readonly rateLimitPerMinute: number;
  readonly maxAgeSeconds: number;
  /** Rendered answers by lot; default a cache of its own. */
  readonly cache?: LookupCache;
}

/** The public lookup router; mount at the root. */
export function publicRouter(store: Store, options: Readonly<PublicRouterOptions>): Router {
  const router = Router();
  const limiter = rateLimiter(options.rateLimitPerMinute);
  const answer = answerLookup(store, options, options.cache ?? new LookupCache());

  router.get('/01/:gtin/10/:lot', limiter, (req, res) =>
    answer(req, res, identityFromParts(param(req, 'gtin'), param(req, 'lot'))),
  );
  router.get('/01/:gtin/10/:lot/21/:serial', limiter, (req, res) =>
    answer(req, res, identityFromParts(param(req, 'gtin'), param(req, 'lot'), param(req, 'serial'))),
  );
  router.get('/api/v1/public/lots', limiter, (req, res) => {
    const code = req.query.code;
    if (typeof code !== 'string') {
      throw new ApiError({
        status: 400,
        code: 'MALFORMED_TRACE_CODE',
        message: 'pass the trace code as ?code=<element string, Digital Link URI or lot ID>',
      });
    }
    return answer(req, res, parseTraceCode(code));
  });
  router.get('/api/v1/public/lots/:traceCode', limiter, (req, res) =>
    answer(req, res, parseTraceCode(param(req, 'traceCode'))),
  );
  return router;
}

/** Answers a parsed code: 400 with the reason, 404 with advice, 304 when unchanged, else the public view. */
function answerLookup(
  store: Store,
  options: Readonly<PublicRouterOptions>,
  cache: LookupCache,
): (req: Request, res: Response, parsed: ParsedCode) => Promise<void> {
  return async (req, res, parsed) => {
    res.vary('Accept');
    if (!parsed.ok) {
      throw new ApiError({
        status: 400,
        code: parsed.problem.code,
        message: parsed.problem.reason,
      });
    }
    const identity = parsed.identity;
    // The checkpoint decides whether a rendered answer is still the store's: one indexed read per request.
    let entry = cache.get(identity.lotId, await readCheckpoint(store));
    if (!entry) {
      entry = await store.snapshot(async (reader) => {
        const checkpoint = await readCheckpoint(reader);
        const found = await readPublicLot(reader, identity.lotId, options.publicBaseUrl);
        if (!found) return { checkpoint };
        return {
          checkpoint,
          answer: {
            etag: `"lot-${found.lastBlock}"`,
            link:
              `<${found.view.traceCode.digitalLink}>; rel="canonical", ` +
              `</api/v1/public/lots/${encodeURIComponent(identity.lotId)}>; rel="alternate"; type="application/json"`,
            body: Buffer.from(JSON.stringify({ data: found.view })),
          },
        };
      });
      cache.set(identity.lotId, entry);
    }
    const answer = entry.answer;
    if (!answer) throw notFound(identity);
    res.setHeader('Cache-Control', `public, max-age=${options.maxAgeSeconds}`);
    res.setHeader('ETag', answer.etag);
    res.setHeader('Link', answer.link);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(answer.body);
  };
}

function notFound(identity: LotIdentity): ApiError {
  return new ApiError({
    status: 404,
    code: 'LOT_NOT_FOUND',
    message:
      `no lot with GTIN ${identity.gtin} and batch/lot "${identity.lot}" is recorded on the ledger. Check the code ` +
      'printed on the package (GTIN and batch/lot); a lot recorded in the last few seconds may not be shown yet.',
    details: { gtin: identity.gtin, lot: identity.lot },
  });
}

/** Per client address: `perMinute` requests a minute, then 429 with Retry-After. */
function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(
        new ApiError({
          status: 429,
          code: 'RATE_LIMITED',
          message: `too many lookups from this address: at most ${perMinute} a minute`,
          headers: { 'Retry-After': String(Math.ceil(options.windowMs / 1000)) },
        }),
      );
    },
  });
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}
