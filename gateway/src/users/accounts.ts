/**
 * Logins of a member organisation's users: a password check that costs the same for unknown users, a lock after
 * repeated failures on a user name (kept whether or not the account exists, so a lock tells nothing), and
 * server-side sessions with an idle and an absolute expiry. A session token is random, given to the browser once
 * and stored only as its SHA-256.
 */
import { createHash, randomBytes } from 'crypto';
import type { MemberRole } from '@agritrace/chaincode/dist/shared/members';
import { ApiError } from '../errors';
import { dummyHash, MAX_PASSWORD_LENGTH, verifyPassword } from './password';
import type { UserAccount, UserStore } from './user-store';
import { USERNAME_PATTERN } from './user-store';

/** How long sessions last and how failed logins are limited. */
export interface SessionPolicy {
  /** A session not used for this long ends. */
  readonly idleMs: number;
  /** A session ends this long after login, however active. */
  readonly absoluteMs: number;
  /** Failed logins on one user name within `failureWindowMs` that lock it. */
  readonly maxFailures: number;
  readonly failureWindowMs: number;
  /** How long a locked user name stays locked. */
  readonly lockMs: number;
}

/** 30 minutes idle, 12 hours at most; 5 failures in 15 minutes lock a user name for 15 minutes. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  maxFailures: 5,
  failureWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

/** The organisation whose gateway this is. */
export interface OrgIdentity {
  readonly org: string;
  readonly mspId: string;
  readonly displayName: string;
  readonly role: MemberRole;
}

/** A session that is open now. */
export interface ActiveSession {
  account: UserAccount;
  csrfToken: string;
  expiresAt: number;
  absoluteExpiresAt: number;
}

/** A session just opened: the token goes to the browser in a cookie, and nowhere else. */
export interface OpenedSession extends ActiveSession {
  token: string;
}

/** The SHA-256 (hex) a session token is stored under. */
export function sessionIdHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The user accounts and sessions of one gateway. */
export class Accounts {
  readonly store: UserStore;
  readonly identity: OrgIdentity;
  readonly policy: SessionPolicy;
  readonly #now: () => number;
  #lastPurge = 0;

  constructor(
    store: UserStore,
    identity: OrgIdentity,
    policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    now: () => number = Date.now,
  ) {
    this.store = store;
    this.identity = identity;
    this.policy = policy;
    this.#now = now;
  }

  /**
   * Checks the password and opens a session. 401 INVALID_LOGIN for an unknown user or a wrong password (the same
   * answer and about the same time), 429 LOGIN_LOCKED while the user name is locked, 403 ACCOUNT_DISABLED.
   */
  async login(usernameInput: unknown, password: unknown): Promise<OpenedSession> {
    if (typeof usernameInput !== 'string' || typeof password !== 'string' || password === '') {
      throw new ApiError({
        status: 400,
        code: 'INVALID_ARGUMENT',
        message: 'send {"username": "...", "password": "..."}',
      });
    }
    const username = usernameInput.trim().toLowerCase();
    const now = this.#now();
    const failures = USERNAME_PATTERN.test(username) ? this.store.loginFailures(username) : undefined;
    if (failures && failures.lockedUntil > now) {
      const seconds = Math.ceil((failures.lockedUntil - now) / 1000);
      throw new ApiError({
        status: 429,
        code: 'LOGIN_LOCKED',
        message: `too many failed logins for this user name; try again in ${Math.ceil(seconds / 60)} minute(s)`,
        headers: { 'Retry-After': String(seconds) },
      });
    }
    const found =
      USERNAME_PATTERN.test(username) && password.length <= MAX_PASSWORD_LENGTH
        ? this.store.findUser(username)
        : undefined;
    const ok = await verifyPassword(
      password.slice(0, MAX_PASSWORD_LENGTH),
      found?.passwordHash ?? (await dummyHash()),
    );
    if (!found || !ok) {
      if (USERNAME_PATTERN.test(username)) this.#recordFailure(username, now);
      throw new ApiError({
        status: 401,
        code: 'INVALID_LOGIN',
        message: 'the user name or the password is wrong',
      });
    }
    if (found.account.disabled) {
      throw new ApiError({
        status: 403,
        code: 'ACCOUNT_DISABLED',
        message: 'this account is disabled; ask your organisation’s administrator',
      });
    }
    this.store.recordLogin(username, now);
    this.#purge(now);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = now + this.policy.idleMs;
    const absoluteExpiresAt = now + this.policy.absoluteMs;
    this.store.createSession({
      idHash: sessionIdHash(token),
      username,
      csrfToken,
      createdAt: now,
      expiresAt,
      absoluteExpiresAt,
      lastSeenAt: now,
    });
    return {
      token,
      csrfToken,
      expiresAt: Math.min(expiresAt, absoluteExpiresAt),
      absoluteExpiresAt,
      account: { ...found.account, lastLoginAt: new Date(now).toISOString() },
    };
  }

  /** The open session of a token, its idle expiry pushed forward; undefined if expired, ended or disabled. */
  resolve(token: string): ActiveSession | undefined {
    if (token === '' || token.length > 200) return undefined;
    const idHash = sessionIdHash(token);
    const found = this.store.findSession(idHash);
    if (!found) return undefined;
    const now = this.#now();
    const { session, account } = found;
    if (session.expiresAt <= now || session.absoluteExpiresAt <= now || account.disabled) {
      this.store.deleteSession(idHash);
      return undefined;
    }
    if (account.org !== this.identity.org) return undefined;
    let expiresAt = session.expiresAt;
    // Sliding expiry, written at most once every 30 s per session.
    if (now - session.lastSeenAt >= 30_000 || now + this.policy.idleMs - expiresAt >= 30_000) {
      expiresAt = now + this.policy.idleMs;
      this.store.touchSession(idHash, now, expiresAt);
    }
    return {
      account,
      csrfToken: session.csrfToken,
      expiresAt: Math.min(expiresAt, session.absoluteExpiresAt),
      absoluteExpiresAt: session.absoluteExpiresAt,
    };
  }

  /** Ends the session of a token (no-op if there is none). */
  logout(token: string): void {
    this.store.deleteSession(sessionIdHash(token));
  }

  #recordFailure(username: string, now: number): void {
    const previous = this.store.loginFailures(username);
    const inWindow = previous !== undefined && now - previous.firstFailureAt < this.policy.failureWindowMs;
    const failures = inWindow ? previous.failures + 1 : 1;
    const firstFailureAt = inWindow ? previous.firstFailureAt : now;
    const lockedUntil = failures >= this.policy.maxFailures ? now + this.policy.lockMs : 0;
    this.store.saveLoginFailures(username, lockedUntil > 0 ? 0 : failures, firstFailureAt, lockedUntil);
  }

  #purge(now: number): void {
    if (now - this.#lastPurge < 60_000) return;
    this.#lastPurge = now;
    this.store.purgeExpiredSessions(now);
  }
}
