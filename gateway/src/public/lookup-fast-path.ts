/**
 * Cached consumer lookups answered on node:http, before Express sees the request. Every scan of every package is a
 * lookup, nearly all of them of a lot already rendered at the store's current checkpoint; for those, Express's own
 * work per request (its request and response objects, the router, the middleware chain) cost more CPU than writing
 * the rendered bytes, and under load a client waits for that CPU (issue 7: p95 under 50 ms at 200 concurrent
 * clients). This path answers exactly what the Express path would (the same security headers, request ID, cache
 * headers, rate-limit count and request log line) and only when it can answer 200 or 304 from the cache; anything
 * else (a page for a browser, a code not yet rendered or malformed, ?code=, a refused rate) goes to the application
 * untouched, where public-lookup.ts answers it and fills the cache.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'http';
import type { RequestHandler } from 'express';
import { readCheckpoint } from '../follower/checkpoint';
import type { Logger } from '../logger';
import { requestIdOf } from '../request-context';
import type { Store } from '../store/store';
import type { ClientRateLimiter } from './client-rate-limiter';
import {
  clientKeyOf,
  LOOKUP_PATH,
  parsedPathCode,
  RATE_WINDOW_SECONDS,
  setRateLimitHeaders,
  writeRendered,
} from './public-lookup';
import type { LookupCache } from './lookup-cache';

/** What the fast path shares with the Express path: the store, the cache, the limiter and the answer's rules. */
export interface LookupFastPathOptions {
  readonly store: Store;
  readonly cache: LookupCache;
  readonly limiter: ClientRateLimiter;
  readonly rateLimitPerMinute: number;
  readonly maxAgeSeconds: number;
  /** The application's first middleware that sets fixed headers on every answer (helmet). */
  readonly securityHeaders: RequestHandler;
  readonly logger: Logger;
}

/** Tries a request on the cache; resolves false (having written nothing) when the application must answer it. */
export type LookupFastPath = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The fast path over a lookup's cache and limiter. */
export function lookupFastPath(options: Readonly<LookupFastPathOptions>): LookupFastPath {
  const fixed = fixedHeadersOf(options.securityHeaders);
  const policy = `"lookup";q=${options.rateLimitPerMinute};w=${RATE_WINDOW_SECONDS}`;
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;
  return async (req, res) => {
    const started = process.hrtime.bigint();
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const match = LOOKUP_PATH.exec(queryAt < 0 ? url : url.slice(0, queryAt));
    if (!match) return false;
    // A browser's Digital Link request may be for the portal's page: the application decides.
    if (match[1] !== undefined && /text/i.test(req.headers.accept ?? '')) return false;
    const parsed = parsedPathCode(match);
    if (!parsed?.ok) return false;
    const answer = options.cache.get(parsed.identity.lotId, await readCheckpoint(options.store))?.answer;
    if (!answer || res.headersSent) return false;
    const decision = options.limiter.take(clientKeyOf(req.socket.remoteAddress ?? ''), Date.now());
    if (!decision.allowed) return false;

    const requestId = requestIdOf(req.headers['x-request-id']);
    for (const [name, value] of fixed) res.setHeader(name, value);
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Vary', 'Accept');
    setRateLimitHeaders(res, policy, decision);
    writeRendered(res, answer, {
      cacheControl,
      head: req.method === 'HEAD',
      notModified: notModified(req, answer.etag),
    });
    options.logger.info('request', {
      requestId,
      method: req.method,
      path: url,
      status: res.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
    });
    return true;
  };
}

/** A request listener that tries the fast path first and hands everything else to the application. */
export function withLookupFastPath(fastPath: LookupFastPath, app: RequestListener): RequestListener {
  return (req, res) => {
    fastPath(req, res).then(
      (answered) => {
        if (!answered) app(req, res);
      },
      () => {
        // The store could not be read: the application answers (and reports) it.
        if (!res.headersSent) app(req, res);
      },
    );
  };
}

/**
 * The headers a middleware sets on every answer whatever the request (helmet's), read once by running it on a
 * recording response. A middleware that looks at the request or calls back later is refused: its headers could
 * differ per request.
 */
export function fixedHeadersOf(middleware: RequestHandler): [string, string | number | string[]][] {
  const headers = new Map<string, [string, string | number | string[]]>();
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      headers.set(name.toLowerCase(), [name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  };
  let done = false;
  middleware(
    { headers: {}, method: 'GET', url: '/' } as never,
    recorder as never,
    ((err?: unknown) => {
      if (err) throw err instanceof Error ? err : new Error(String(err));
      done = true;
    }) as never,
  );
  if (!done) throw new Error('the security headers middleware did not finish at once');
  return [...headers.values()];
}

/** True when the client already holds this version (If-None-Match), as Express's req.fresh decides for a GET. */
function notModified(req: IncomingMessage, etag: string): boolean {
  const condition = req.headers['if-none-match'];
  if (!condition) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(req.headers['cache-control'] ?? '')) return false;
  if (condition.trim() === '*') return true;
  const bare = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return condition.split(',').some((tag) => bare(tag.trim()) === bare(etag));
}
