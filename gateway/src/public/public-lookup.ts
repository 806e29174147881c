/**
 * The consumer's lookup, no login: GET /01/{gtin}/10/{lot}[/21/{serial}] (a GS1 Digital Link path, the target of
 * the QR code on the package; query qualifiers such as ?linkType= or ?17= are ignored) and
 * GET /api/v1/public/lots/{traceCode} (or ?code=) for an element string, Digital Link URI or lot ID. Answers are
 * JSON (the portal serves its page to browsers on the Digital Link paths: hence Vary: Accept), cacheable for a
 * short time with an ETag from the newest block behind the answer, and rate-limited per client address. Rendered
 * answers are kept per lot until the store's checkpoint moves (see LookupCache).
 *
 * Every scan of every package lands here, so the lookup is one middleware mounted ahead of the rest of the
 * application rather than routes behind it: it tests the path itself and passes every other request on untouched.
 * Body parsing, the other routers' path matching and a general-purpose rate limiter cost more CPU than writing a
 * rendered answer does, and a client waits for that CPU (issue 7: p95 under 50 ms at 200 concurrent clients).
 */
import type { ServerResponse } from 'http';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { ApiError } from '../errors';
import { readCheckpoint } from '../follower/checkpoint';
import type { Store } from '../store/store';
import { ClientRateLimiter } from './client-rate-limiter';
import type { RateDecision } from './client-rate-limiter';
import { LookupCache } from './lookup-cache';
import type { RenderedAnswer } from './lookup-cache';
import { readPublicLot } from './public-lot';
import { identityFromPath, parseTraceCode, parseTraceCodeSegment } from './trace-code';
import type { LotIdentity, ParsedCode } from './trace-code';

/** Options of {@link publicLookup}. */
export interface PublicLookupOptions {
  /** Base of Digital Link URIs (https://<resolver>). */
  readonly publicBaseUrl: string;
  readonly rateLimitPerMinute: number;
  readonly maxAgeSeconds: number;
  /** Rendered answers by lot; default a cache of its own. */
  readonly cache?: LookupCache;
  /** True for a Digital Link request that a later handler answers with a page (the portal, for a browser). */
  readonly pageFor?: (req: Request) => boolean;
  /** The per-client limiter; default one of its own (lookup-fast-path.ts shares it). */
  readonly limiter?: ClientRateLimiter;
}

/**
 * The lookup's paths, matched as Express matched its routes before (case-insensitive, an optional trailing slash,
 * segments still percent-encoded): 1-3 the GTIN, lot and serial of a Digital Link, 4 a trace code; neither for
 * /api/v1/public/lots?code=.
 */
export const LOOKUP_PATH =
  /^\/(?:01\/([^/]+)\/10\/([^/]+)(?:\/21\/([^/]+))?|api\/v1\/public\/lots(?:\/([^/]+))?)\/?$/i;

export const RATE_WINDOW_SECONDS = 60;

/** The code a matched lookup path names (undefined for /api/v1/public/lots?code=, whose code is in the query). */
export function parsedPathCode(match: RegExpExecArray): ParsedCode | undefined {
  const [, gtin, lot, serial, traceCode] = match;
  if (gtin !== undefined && lot !== undefined) return identityFromPath(gtin, lot, serial);
  return traceCode !== undefined ? parseTraceCodeSegment(traceCode) : undefined;
}

/** The limiter's headers on a lookup's answer, whoever answers it. */
export function setRateLimitHeaders(res: ServerResponse, policy: string, decision: RateDecision): void {
  res.setHeader('RateLimit-Policy', policy);
  res.setHeader('RateLimit', `"lookup";r=${decision.remaining};t=${decision.resetSeconds}`);
}

/** A rendered answer written as is: its cache headers, then 304 when the client holds it, else its bytes. */
export function writeRendered(
  res: ServerResponse,
  answer: RenderedAnswer,
  how: Readonly<{ cacheControl: string; head: boolean; notModified: boolean }>,
): void {
  res.setHeader('Cache-Control', how.cacheControl);
  res.setHeader('ETag', answer.etag);
  res.setHeader('Link', answer.link);
  if (how.notModified) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', answer.body.length);
  if (how.head) res.end();
  else res.end(answer.body);
}

/** The public lookup; mount at the root, before the body parser and every router. */
export function publicLookup(store: Store, options: Readonly<PublicLookupOptions>): RequestHandler {
  const limiter =
    options.limiter ?? new ClientRateLimiter(options.rateLimitPerMinute, RATE_WINDOW_SECONDS * 1000);
  const policy = `"lookup";q=${options.rateLimitPerMinute};w=${RATE_WINDOW_SECONDS}`;
  const answer = answerLookup(store, options, options.cache ?? new LookupCache());

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const match = LOOKUP_PATH.exec(req.path);
    if (!match) return next();
    if (match[1] !== undefined && options.pageFor?.(req)) return next();

    const decision = limiter.take(clientKey(req), Date.now());
    setRateLimitHeaders(res, policy, decision);
    if (!decision.allowed) {
      return next(
        new ApiError({
          status: 429,
          code: 'RATE_LIMITED',
          message: `too many lookups from this address: at most ${options.rateLimitPerMinute} a minute`,
          headers: { 'Retry-After': String(decision.resetSeconds) },
        }),
      );
    }

    let parsed = parsedPathCode(match);
    if (!parsed) {
      const code = req.query.code;
      if (typeof code !== 'string') {
        return next(
          new ApiError({
            status: 400,
            code: 'MALFORMED_TRACE_CODE',
            message: 'pass the trace code as ?code=<element string, Digital Link URI or lot ID>',
          }),
        );
      }
      parsed = parseTraceCode(code);
    }
    answer(req, res, parsed).catch(next);
  };
}

/**
 * The client a request is counted against: its address as Express reads it (req.ip, which honours 'trust proxy'),
 * an IPv6 address by its /56 network as express-rate-limit counted it, since one subscriber holds a whole prefix.
 */
function clientKey(req: Request): string {
  return clientKeyOf(req.ip ?? req.socket.remoteAddress ?? '');
}

/** The limiter's key of a client address: an IPv4 address itself, an IPv6 address its /56 network. */
export function clientKeyOf(ip: string): string {
  // An IPv4 address is its own key: no need to parse it as IPv6 first.
  return ip.includes(':') ? ipKeyGenerator(ip) : ip;
}

/** Answers a parsed code: 400 with the reason, 404 with advice, 304 when unchanged, else the public view. */
function answerLookup(
  store: Store,
  options: Readonly<PublicLookupOptions>,
  cache: LookupCache,
): (req: Request, res: Response, parsed: ParsedCode) => Promise<void> {
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;
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
    // req.fresh compares with the answer's ETag header, so that goes first. The bytes are written as rendered:
    // res.send would test freshness again and look at the body to pick a type.
    res.setHeader('ETag', answer.etag);
    writeRendered(res, answer, { cacheControl, head: req.method === 'HEAD', notModified: req.fresh });
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
