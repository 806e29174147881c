/**
 * Serves the built portal (portal/dist) from every gateway: its assets, and its one HTML page for the portal's own
 * paths. A GS1 Digital Link path (/01/{gtin}/10/{lot}...) is answered with the page when the client prefers HTML
 * (a phone's browser after scanning the QR code) and by the JSON lookup otherwise (Vary: Accept): the lookup, mounted
 * ahead of everything, asks {@link servesDigitalLinkPage} and leaves the page's requests to this router. The page
 * loads only this gateway's own files: no CDN, no external font, tile or script (its Content-Security-Policy says
 * so). Scripts and styles are sent gzip-compressed when the build has a .gz beside them and the browser accepts it.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import express, { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { REPO_ROOT } from '../config';
import { ApiError } from '../errors';

/** Environment variable that points the gateway at another build of the portal. */
export const PORTAL_DIR_ENV = 'AGRITRACE_PORTAL_DIR';

/** The default location of the built portal. */
export function defaultPortalDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(env[PORTAL_DIR_ENV] || path.join(REPO_ROOT, 'portal', 'dist'));
}

/** The portal page's policy: only this origin, inline styles (React style attributes), data: images (QR codes). */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths of the portal's own pages (beside the Digital Link paths). */
const PAGE_PATHS = /^\/(?:|lookup|login|call-centre|regulator|enterprise)(?:\/.*)?$/;
const DIGITAL_LINK = /^\/01\/[^/]+\/10\/[^/]+(?:\/21\/[^/]+)?\/?$/;

/**
 * Whether the portal answers a request for a Digital Link path with its page: the client prefers HTML and the
 * portal is built (else the JSON lookup answers the browser too).
 */
export function servesDigitalLinkPage(dir: string = defaultPortalDir()): (req: Request) => boolean {
  const indexFile = path.join(dir, 'index.html');
  // No Accept that names neither text/html nor text/* can prefer HTML: API clients skip the negotiation.
  return (req) => /text/i.test(req.headers.accept ?? '') && prefersHtml(req) && existsSync(indexFile);
}

/** The portal router; mount at the root, after the public lookup (which leaves the page's requests to it). */
export function portalRouter(dir: string = defaultPortalDir()): Router {
  const router = Router();
  const indexFile = path.join(dir, 'index.html');
  let cached: { mtimeMs: number; html: Buffer } | undefined;
  const page = (): Buffer | undefined => {
    if (!existsSync(indexFile)) return undefined;
    const mtimeMs = statSync(indexFile).mtimeMs;
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexFile) };
    return cached.html;
  };

  const sendPage = (res: Response, html: Buffer): void => {
    res.setHeader('Content-Security-Policy', PORTAL_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };

  const digitalLink: RequestHandler = (req, res, next) => {
    res.vary('Accept');
    if (!prefersHtml(req)) return next();
    const html = page();
    if (!html) return next();
    sendPage(res, html);
  };
  router.get(DIGITAL_LINK, digitalLink);

  router.get(PAGE_PATHS, (req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    const html = page();
    if (!html) {
      throw new ApiError({
        status: 503,
        code: 'PORTAL_NOT_BUILT',
        message: 'the portal is not built on this gateway: run `npm run build` at the repository root',
      });
    }
    res.vary('Accept');
    sendPage(res, html);
  });

  router.get(/^\/assets\/([A-Za-z0-9._-]+\.(js|css|svg))$/, (req, res, next) => {
    res.vary('Accept-Encoding');
    const name = req.params[0];
    const compressed = typeof name === 'string' ? path.join(dir, 'assets', `${name}.gz`) : '';
    if (!name || !req.acceptsEncodings('gzip') || !existsSync(compressed)) return next();
    res.setHeader('Content-Security-Policy', PORTAL_CSP);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Content-Encoding', 'gzip');
    res.type(path.extname(name));
    res.sendFile(compressed);
  });
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      index: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('Content-Security-Policy', PORTAL_CSP),
    }),
  );
  router.get(
    /^\/(favicon\.svg|robots\.txt|manifest\.webmanifest)$/,
    express.static(dir, { index: false, maxAge: '1d' }),
  );
  return router;
}

/** True if the client asks for HTML before JSON (a browser navigating), false for API clients and `*\/*`. */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}
