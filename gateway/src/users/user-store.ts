/**
 * Where a gateway keeps its organisation's user accounts and their sessions: one SQLite file (users.db in the
 * gateway's data folder), opened by the gateway and by the `users` command at the same time (WAL mode, busy
 * timeout). Session tokens are stored only as their SHA-256, so a copy of the file opens no session.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'fs';
import * as path from 'path';
import type { UserRole } from './roles';

/** File name of the accounts database in the gateway's data folder. */
export const USERS_DB_FILE = 'users.db';

/** Pattern of user names: lower case letters, digits, dots, dashes and underscores, 2 to 64 characters. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** A user account as stored (the password hash stays inside the store). */
export interface UserAccount {
  username: string;
  org: string;
  role: UserRole;
  displayName: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** A session row. */
export interface SessionRecord {
  /** SHA-256 (hex) of the session token. */
  idHash: string;
  username: string;
  csrfToken: string;
  createdAt: number;
  /** Idle expiry (ms since the epoch), pushed forward as the session is used. */
  expiresAt: number;
  /** The session ends then, however active. */
  absoluteExpiresAt: number;
  lastSeenAt: number;
}

interface UserRow {
  username: string;
  org: string;
  role: UserRole;
  display_name: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

interface SessionRow {
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  absolute_expires_at: number;
  last_seen_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  role TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(username);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0
);
`;

/** The accounts database. */
export class UserStore {
  readonly file: string;
  readonly #db: SqliteDatabase;

  private constructor(file: string, db: SqliteDatabase) {
    this.file = file;
    this.#db = db;
  }

  /** Opens (creating if needed) the database file; ':memory:' for tests. */
  static open(file: string): UserStore {
    const absolute = file === ':memory:' ? file : path.resolve(file);
    if (absolute !== ':memory:') mkdirSync(path.dirname(absolute), { recursive: true });
    const db = new Database(absolute, { timeout: 5_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    return new UserStore(absolute, db);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Adds an account; false if the user name is taken. */
  createUser(
    user: Omit<UserAccount, 'disabled' | 'createdAt' | 'lastLoginAt'>,
    passwordHash: string,
  ): boolean {
    const now = new Date().toISOString();
    const result = this.#db
      .prepare(
        `INSERT INTO users (username, org, role, display_name, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO NOTHING`,
      )
      .run(user.username, user.org, user.role, user.displayName, passwordHash, now, now);
    return result.changes === 1;
  }

  /** The account and its password hash, or undefined. */
  findUser(username: string): { account: UserAccount; passwordHash: string } | undefined {
    const row = this.#db.prepare('SELECT * FROM users WHERE username = ?').get(username) as
      UserRow | undefined;
    return row ? { account: toAccount(row), passwordHash: row.password_hash } : undefined;
  }

  /** Every account, by user name. */
  listUsers(): UserAccount[] {
    return (this.#db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toAccount);
  }

  /** Disables or enables an account; disabling ends its sessions. False if there is no such account. */
  setDisabled(username: string, disabled: boolean): boolean {
    return this.#db.transaction(() => {
      const result = this.#db
        .prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?')
        .run(disabled ? 1 : 0, new Date().toISOString(), username);
      if (disabled) this.#db.prepare('DELETE FROM sessions WHERE username = ?').run(username);
      return result.changes === 1;
    })();
  }

  /** Replaces the password hash and ends the account's sessions. False if there is no such account. */
  setPasswordHash(username: string, passwordHash: string): boolean {
    return this.#db.transaction(() => {
      const result = this.#db
        .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?')
        .run(passwordHash, new Date().toISOString(), username);
      this.#db.prepare('DELETE FROM sessions WHERE username = ?').run(username);
      return result.changes === 1;
    })();
  }

  /** Notes a successful login. */
  recordLogin(username: string, at: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE users SET last_login_at = ? WHERE username = ?')
        .run(new Date(at).toISOString(), username);
      this.#db.prepare('DELETE FROM login_failures WHERE username = ?').run(username);
    })();
  }

  /** The failed-login record of a user name (kept whether or not the account exists). */
  loginFailures(
    username: string,
  ): { failures: number; firstFailureAt: number; lockedUntil: number } | undefined {
    const row = this.#db
      .prepare('SELECT failures, first_failure_at, locked_until FROM login_failures WHERE username = ?')
      .get(username) as { failures: number; first_failure_at: number; locked_until: number } | undefined;
    return row
      ? { failures: row.failures, firstFailureAt: row.first_failure_at, lockedUntil: row.locked_until }
      : undefined;
  }

  /** Stores the failed-login record of a user name. */
  saveLoginFailures(username: string, failures: number, firstFailureAt: number, lockedUntil: number): void {
    this.#db
      .prepare(
        `INSERT INTO login_failures (username, failures, first_failure_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
           first_failure_at = excluded.first_failure_at, locked_until = excluded.locked_until`,
      )
      .run(username, failures, firstFailureAt, lockedUntil);
  }

  /** Adds a session. */
  createSession(session: SessionRecord): void {
    this.#db
      .prepare(
        `INSERT INTO sessions (id_hash, username, csrf_token, created_at, expires_at, absolute_expires_at,
           last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        session.idHash,
        session.username,
        session.csrfToken,
        session.createdAt,
        session.expiresAt,
        session.absoluteExpiresAt,
        session.lastSeenAt,
      );
  }

  /** The session with this token hash and its (enabled or not) account, or undefined. */
  findSession(idHash: string): { session: SessionRecord; account: UserAccount } | undefined {
    const row = this.#db
      .prepare(
        `SELECT s.*, u.org, u.role, u.display_name, u.disabled, u.created_at AS user_created_at, u.last_login_at
         FROM sessions s JOIN users u ON u.username = s.username WHERE s.id_hash = ?`,
      )
      .get(idHash) as
      (SessionRow & Omit<UserRow, 'created_at' | 'password_hash'> & { user_created_at: string }) | undefined;
    if (!row) return undefined;
    return {
      session: {
        idHash: row.id_hash,
        username: row.username,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        absoluteExpiresAt: row.absolute_expires_at,
        lastSeenAt: row.last_seen_at,
      },
      account: toAccount({ ...row, created_at: row.user_created_at, password_hash: '' }),
    };
  }

  /** Pushes a session's idle expiry forward. */
  touchSession(idHash: string, lastSeenAt: number, expiresAt: number): void {
    this.#db
      .prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?')
      .run(lastSeenAt, expiresAt, idHash);
  }

  /** Ends one session. */
  deleteSession(idHash: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Deletes sessions past either expiry; returns how many. */
  purgeExpiredSessions(now: number): number {
    return this.#db
      .prepare('DELETE FROM sessions WHERE expires_at <= ? OR absolute_expires_at <= ?')
      .run(now, now).changes;
  }

  /** Sessions open for an account (for the `users list` command). */
  countSessions(username: string, now: number): number {
    const row = this.#db
      .prepare(
        'SELECT COUNT(*) AS n FROM sessions WHERE username = ? AND expires_at > ? AND absolute_expires_at > ?',
      )
      .get(username, now, now) as { n: number };
    return row.n;
  }
}

function toAccount(row: UserRow): UserAccount {
  return {
    username: row.username,
    org: row.org,
    role: row.role,
    displayName: row.display_name,
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}
