/**
 * /api/v1/session: POST logs a user in (a session cookie and the CSRF token in the answer), GET tells who is logged
 * in (and the CSRF token again, for a reloaded page), DELETE logs out. Logins are rate-limited per client address on
 * top of the per-user-name lock.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ApiError } from '../errors';
import type { Accounts, ActiveSession } from './accounts';
import { clearSessionCookie, readCookie, sessionCookieName, setSessionCookie } from './cookies';
import { activeSession, assertCsrf } from './session-auth';

/** Options of {@link sessionRouter}. */
export interface SessionRouterOptions {
  /** Login attempts per client address per minute; default 20. */
  readonly loginsPerMinute?: number;
}

/** The session router; mount at /api/v1/session. */
export function sessionRouter(accounts: Accounts, options: Readonly<SessionRouterOptions> = {}): Router {
  const router = Router();
  const cookie = sessionCookieName(accounts.identity.org);
  const perMinute = options.loginsPerMinute ?? 20;
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, limits) => {
      next(
        new ApiError({
          status: 429,
          code: 'RATE_LIMITED',
          message: `too many login attempts from this address: at most ${perMinute} a minute`,
          headers: { 'Retry-After': String(Math.ceil(limits.windowMs / 1000)) },
        }),
      );
    },
  });

  router.post('/', limiter, async (req, res) => {
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const previous = readCookie(req, cookie);
    if (previous) accounts.logout(previous);
    const session = await accounts.login(body.username, body.password);
    setSessionCookie(res, req, cookie, session.token, (session.absoluteExpiresAt - Date.now()) / 1000);
    res.status(201).json({ data: describe(accounts, session) });
  });

  // Not logged in is an ordinary state for the portal, not an error: {data: null}.
  router.get('/', (req, res) => {
    const session = activeSession(accounts, req, cookie);
    res.json({ data: session ? describe(accounts, session) : null });
  });

  router.delete('/', (req: Request, res: Response) => {
    const token = readCookie(req, cookie);
    const session = token ? accounts.resolve(token) : undefined;
    if (session && token) {
      assertCsrf(req, session);
      accounts.logout(token);
    }
    clearSessionCookie(res, req, cookie);
    res.status(204).end();
  });

  return router;
}

/** What the portal learns about its session. */
function describe(accounts: Accounts, session: ActiveSession) {
  const { account } = session;
  return {
    user: { username: account.username, displayName: account.displayName, role: account.role },
    organisation: {
      org: accounts.identity.org,
      mspId: accounts.identity.mspId,
      displayName: accounts.identity.displayName,
      role: accounts.identity.role,
    },
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}
