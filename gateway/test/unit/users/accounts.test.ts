import { ApiError } from '../../../src/errors';
import { Accounts, DEFAULT_SESSION_POLICY, sessionIdHash } from '../../../src/users/accounts';
import { hashPassword } from '../../../src/users/password';
import { UserStore } from '../../../src/users/user-store';

const IDENTITY = {
  org: 'mofcom',
  mspId: 'MofcomMSP',
  displayName: 'Ministry of Commerce',
  role: 'regulator' as const,
};
const PASSWORD = 'regulator passphrase 1';

/** Accounts over an in-memory store and a clock the test moves. */
async function setup() {
  const store = UserStore.open(':memory:');
  let now = Date.parse('2026-05-01T08:00:00Z');
  const clock = { advance: (ms: number) => (now += ms) };
  const accounts = new Accounts(store, IDENTITY, DEFAULT_SESSION_POLICY, () => now);
  const hash = await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
  store.createUser({ username: 'wang', org: 'mofcom', role: 'regulator', displayName: 'Wang Fang' }, hash);
  return { store, accounts, clock, hash };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('login', () => {
  it('opens a session with a random token stored only as its hash, and a CSRF token', async () => {
    const { accounts, store } = await setup();
    const session = await accounts.login('wang', PASSWORD);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.account).toMatchObject({ username: 'wang', role: 'regulator', org: 'mofcom' });
    expect(store.findSession(session.token)).toBeUndefined();
    expect(store.findSession(sessionIdHash(session.token))?.session.username).toBe('wang');
  });

  it('accepts the user name in any case and with spaces around it', async () => {
    const { accounts } = await setup();
    await expect(accounts.login('  WANG ', PASSWORD)).resolves.toMatchObject({
      account: { username: 'wang' },
    });
  });

  it('answers a wrong password and an unknown user alike: 401 INVALID_LOGIN', async () => {
    const { accounts } = await setup();
    const wrong = await refusal(accounts.login('wang', 'not the password'));
    const unknown = await refusal(accounts.login('nobody', PASSWORD));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([
      unknown.status,
      unknown.code,
      unknown.message,
    ]);
    expect(wrong.code).toBe('INVALID_LOGIN');
    expect(wrong.status).toBe(401);
  });

  it('refuses a malformed request with 400', async () => {
    const { accounts } = await setup();
    expect((await refusal(accounts.login(undefined, PASSWORD))).status).toBe(400);
    expect((await refusal(accounts.login('wang', ''))).status).toBe(400);
  });

  it('locks a user name after 5 failures in 15 minutes, even with the right password, then unlocks', async () => {
    const { accounts, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      expect((await refusal(accounts.login('wang', `wrong password ${i}`))).code).toBe('INVALID_LOGIN');
    }
    const locked = await refusal(accounts.login('wang', PASSWORD));
    expect(locked.status).toBe(429);
    expect(locked.code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers?.['Retry-After'])).toBeGreaterThan(0);
    clock.advance(DEFAULT_SESSION_POLICY.lockMs + 1);
    await expect(accounts.login('wang', PASSWORD)).resolves.toBeDefined();
  });

  it('locks unknown user names the same way, so a lock does not reveal that an account exists', async () => {
    const { accounts } = await setup();
    for (let i = 0; i < 5; i++) await refusal(accounts.login('ghost', `guess ${i} password`));
    expect((await refusal(accounts.login('ghost', 'another guess'))).code).toBe('LOGIN_LOCKED');
  });

  it('forgets failures older than the window', async () => {
    const { accounts, clock } = await setup();
    for (let i = 0; i < 4; i++) await refusal(accounts.login('wang', `wrong password ${i}`));
    clock.advance(DEFAULT_SESSION_POLICY.failureWindowMs + 1);
    await refusal(accounts.login('wang', 'wrong again!!'));
    await expect(accounts.login('wang', PASSWORD)).resolves.toBeDefined();
  });

  it('refuses a disabled account with 403 ACCOUNT_DISABLED', async () => {
    const { accounts, store } = await setup();
    store.setDisabled('wang', true);
    const refused = await refusal(accounts.login('wang', PASSWORD));
    expect(refused.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('sessions', () => {
  it('resolve while in use, and slide the idle expiry forward', async () => {
    const { accounts, clock } = await setup();
    const { token } = await accounts.login('wang', PASSWORD);
    for (let i = 0; i < 4; i++) {
      clock.advance(DEFAULT_SESSION_POLICY.idleMs - 60_000);
      expect(accounts.resolve(token)?.account.username).toBe('wang');
    }
  });

  it('expire after the idle time without use', async () => {
    const { accounts, clock, store } = await setup();
    const { token } = await accounts.login('wang', PASSWORD);
    clock.advance(DEFAULT_SESSION_POLICY.idleMs + 1);
    expect(accounts.resolve(token)).toBeUndefined();
    expect(store.findSession(sessionIdHash(token))).toBeUndefined();
  });

  it('expire at the absolute limit however active', async () => {
    const { accounts, clock } = await setup();
    const { token } = await accounts.login('wang', PASSWORD);
    const steps = Math.ceil(DEFAULT_SESSION_POLICY.absoluteMs / (DEFAULT_SESSION_POLICY.idleMs / 2));
    let alive = true;
    for (let i = 0; i < steps && alive; i++) {
      clock.advance(DEFAULT_SESSION_POLICY.idleMs / 2);
      alive = accounts.resolve(token) !== undefined;
    }
    expect(alive).toBe(false);
  });

  it('end on logout, on disabling the account and on a password change', async () => {
    const { accounts, store, hash } = await setup();
    const a = await accounts.login('wang', PASSWORD);
    accounts.logout(a.token);
    expect(accounts.resolve(a.token)).toBeUndefined();
    const b = await accounts.login('wang', PASSWORD);
    store.setDisabled('wang', true);
    expect(accounts.resolve(b.token)).toBeUndefined();
    store.setDisabled('wang', false);
    const c = await accounts.login('wang', PASSWORD);
    store.setPasswordHash('wang', hash);
    expect(accounts.resolve(c.token)).toBeUndefined();
  });

  it('do not resolve unknown or absurd tokens', async () => {
    const { accounts } = await setup();
    expect(accounts.resolve('')).toBeUndefined();
    expect(accounts.resolve('x'.repeat(1000))).toBeUndefined();
    expect(accounts.resolve('not-a-session')).toBeUndefined();
  });

  it('are purged from the table once expired', async () => {
    const { accounts, store, clock } = await setup();
    await accounts.login('wang', PASSWORD);
    clock.advance(DEFAULT_SESSION_POLICY.idleMs + 1);
    expect(store.purgeExpiredSessions(clock.advance(0))).toBe(1);
  });
});
