/**
 * A principal from the session cookie, for the routes that accept the organisation's API token: the user acts on
 * the ledger under the organisation's identity and is named in `principal.user`. A write needs the session's CSRF
 * token in the X-CSRF-Token header (a synchronizer token: another site can neither read it nor set the header),
 * and a matching Origin when the browser sends one; the user's role must allow the route.
 */
import { timingSafeEqual } from 'crypto';
import type { Request } from 'express';
import { ApiError } from '../errors';
import type { Principal } from '../request-context';
import type { Accounts, ActiveSession } from './accounts';
import { readCookie, sessionCookieName } from './cookies';
import { isWriteMethod, roleRefusal } from './role-policy';

/** The header that carries the CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** What auth.ts asks of the session side. */
export interface SessionAuthenticator {
  /** The principal of the request's session, undefined without one; throws 403 for a missing CSRF token or role. */
  principalOf(req: Request): Principal | undefined;
}

/** The session authenticator of a gateway's accounts. */
export function sessionAuthenticator(accounts: Accounts): SessionAuthenticator {
  const cookie = sessionCookieName(accounts.identity.org);
  return {
    principalOf(req) {
      const session = activeSession(accounts, req, cookie);
      if (!session) return undefined;
      const path = req.originalUrl.split('?')[0] ?? '/';
      if (isWriteMethod(req.method)) assertCsrf(req, session);
      const refusal = roleRefusal(session.account.role, accounts.identity.role, req.method, path);
      if (refusal) throw new ApiError({ status: 403, code: 'ROLE_FORBIDDEN', message: refusal });
      return principalOfSession(accounts, session);
    },
  };
}

/** The open session named by the request's cookie, if any. */
export function activeSession(
  accounts: Accounts,
  req: Request,
  cookie = sessionCookieName(accounts.identity.org),
) {
  const token = readCookie(req, cookie);
  return token ? accounts.resolve(token) : undefined;
}

/** The principal a session acts as. */
export function principalOfSession(accounts: Accounts, session: ActiveSession): Principal {
  return {
    id: `user:${session.account.username}`,
    org: accounts.identity.org,
    mspId: accounts.identity.mspId,
    user: session.account.username,
    role: session.account.role,
  };
}

/** 403 CSRF_FAILED unless the header carries the session's token and the Origin, if sent, is this host. */
export function assertCsrf(req: Request, session: ActiveSession): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== req.headers.host) {
      throw new ApiError({
        status: 403,
        code: 'CSRF_FAILED',
        message: 'a logged-in change must come from this gateway’s own pages (the Origin does not match)',
      });
    }
  }
  const presented = req.get(CSRF_HEADER);
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented ?? '');
  if (presented === undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError({
      status: 403,
      code: 'CSRF_FAILED',
      message: 'a logged-in change needs the session’s token in the X-CSRF-Token header; reload the page',
    });
  }
}
