/**
 * Bearer-token authentication. The configuration holds only SHA-256 hashes of the tokens; a presented token is
 * hashed and compared with every hash in constant time, so neither the tokens nor timing leak.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { RequestHandler } from 'express';
import type { ApiKeyConfig, GatewayConfig } from './config';
import { ApiError } from './errors';
import './request-context';
import type { Principal } from './request-context';
import type { SessionAuthenticator } from './users/session-auth';

const REALM = 'agritrace';
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/;

/** The hex SHA-256 of a token, as stored in apiKeys[].sha256. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The API key whose hash matches the token, comparing with every key in constant time. */
export function findApiKey(keys: readonly ApiKeyConfig[], token: string): ApiKeyConfig | undefined {
  const presented = Buffer.from(hashToken(token), 'hex');
  let found: ApiKeyConfig | undefined;
  for (const key of keys) {
    const expected = Buffer.from(key.sha256, 'hex');
    if (expected.length === presented.length && timingSafeEqual(expected, presented) && !found) found = key;
  }
  return found;
}

/**
 * Middleware that requires `Authorization: Bearer <token>` or, when `sessions` is given, a portal user's session:
 * 401 UNAUTHENTICATED without either, 401 INVALID_CREDENTIAL for an unknown token; on success sets
 * `req.principal`.
 */
export function requireAuth(
  config: Pick<GatewayConfig, 'apiKeys' | 'org' | 'mspId'>,
  sessions?: SessionAuthenticator,
): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      // A portal user's session (cookie) stands for the organisation too; the session side checks CSRF and role.
      const fromSession = sessions?.principalOf(req);
      if (fromSession) {
        req.principal = fromSession;
        next();
        return;
      }
      throw new ApiError({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: sessions
          ? 'this route needs a credential: log in, or send Authorization: Bearer <token>'
          : 'this route needs a credential: send Authorization: Bearer <token>',
        headers: { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
      });
    }
    const match = BEARER.exec(header);
    const key = match?.[1] === undefined ? undefined : findApiKey(config.apiKeys, match[1]);
    if (!key) {
      throw new ApiError({
        status: 401,
        code: 'INVALID_CREDENTIAL',
        message: match
          ? 'the bearer token is not valid for this gateway'
          : 'the Authorization header is not "Bearer <token>"',
        headers: { 'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token"` },
      });
    }
    const principal: Principal = { id: key.id, org: config.org, mspId: config.mspId };
    req.principal = principal;
    next();
  };
}
