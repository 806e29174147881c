import { randomUUID } from 'crypto';
import type { UserRole } from './users/roles';

/** What the gateway attaches to each request: its ID and, once authenticated, the calling principal. */

/** An X-Request-Id the gateway takes from its caller; any other gets a fresh UUID. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request ID of a request: the caller's X-Request-Id if well-formed, else a fresh UUID. */
export function requestIdOf(offered: string | string[] | undefined): string {
  return typeof offered === 'string' && REQUEST_ID_PATTERN.test(offered) ? offered : randomUUID();
}

/** The authenticated caller: which API key, acting as which organisation. */
export interface Principal {
  /** The API key's ID from the configuration. */
  readonly id: string;
  /** Organisation key of this gateway ('coop'). */
  readonly org: string;
  /** MSP ID the gateway signs with on the caller's behalf. */
  readonly mspId: string;
  /** The organisation's user behind a portal session (named as `operator` in what it records). */
  readonly user?: string;
  /** The user's role (operator, inspector, regulator, call_centre), for a portal session. */
  readonly role?: UserRole;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Correlation ID: the caller's X-Request-Id if well-formed, else a fresh UUID. */
    requestId?: string;
    /** Set by the authentication middleware. */
    principal?: Principal;
  }
}
