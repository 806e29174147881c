/**
 * Portal logins through the real server: the session cookie, CSRF on cookie-authenticated writes, role gates, the
 * user named to the ledger client, and login rate limiting. Only the Fabric-facing port is a fake.
 */
import request from 'supertest';
import type { GatewayConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logger';
import { createServer } from '../../../src/server';
import { Accounts } from '../../../src/users/accounts';
import { hashPassword } from '../../../src/users/password';
import type { UserRole } from '../../../src/users/roles';
import { UserStore } from '../../../src/users/user-store';
import { attempt, FakeFabric, fakeLedger } from '../support/fake-fabric';
import { producerParticulars, testConfig, TOKEN } from '../support/fixtures';

const PASSWORD = 'a long enough passphrase';
let cheapHash: string;

beforeAll(async () => {
  cheapHash = await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
});

function setup(users: Record<string, UserRole>, config: GatewayConfig = testConfig()) {
  const store = UserStore.open(':memory:');
  for (const [username, role] of Object.entries(users)) {
    store.createUser({ username, org: config.org, role, displayName: username }, cheapHash);
  }
  const accounts = new Accounts(store, config);
  const fabric = new FakeFabric();
  fabric.onSubmit = () =>
    attempt({
      ...producerParticulars(),
      mspId: 'CoopMSP',
      status: 'pending',
      history: [{ action: 'registered' }],
    });
  const app = createServer(config, fakeLedger(fabric), {
    logger: silentLogger,
    accounts,
    portalDir: '/nonexistent',
  });
  return { app, fabric, accounts };
}

async function login(app: ReturnType<typeof setup>['app'], username: string) {
  const res = await request(app).post('/api/v1/session').send({ username, password: PASSWORD });
  expect(res.status).toBe(201);
  const cookie = (res.headers['set-cookie'] as unknown as string[])[0] ?? '';
  return { cookie: cookie.split(';')[0] ?? '', csrf: res.body.data.csrfToken as string, setCookie: cookie };
}

describe('login over HTTP', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie named for the organisation, and says who is logged in', async () => {
    const { app } = setup({ li: 'operator' });
    const { cookie, csrf, setCookie } = await login(app, 'li');
    expect(setCookie).toMatch(
      /^agritrace_coop_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/,
    );
    const me = await request(app).get('/api/v1/session').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({
      user: { username: 'li', role: 'operator' },
      organisation: { org: 'coop', mspId: 'CoopMSP' },
      csrfToken: csrf,
    });
  });

  it('answers {data: null} when nobody is logged in, and 401 INVALID_LOGIN for a wrong password', async () => {
    const { app } = setup({ li: 'operator' });
    expect((await request(app).get('/api/v1/session')).body).toEqual({ data: null });
    const wrong = await request(app)
      .post('/api/v1/session')
      .send({ username: 'li', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_LOGIN');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('logs out (with the CSRF token) and the cookie no longer opens anything', async () => {
    const { app } = setup({ li: 'operator' });
    const { cookie, csrf } = await login(app, 'li');
    const out = await request(app).delete('/api/v1/session').set('Cookie', cookie).set('X-CSRF-Token', csrf);
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
    expect((await request(app).get('/api/v1/members').set('Cookie', cookie)).status).toBe(401);
  });

  it('rate-limits login attempts per client address (429 RATE_LIMITED)', async () => {
    const { app } = setup({});
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (
          await request(app)
            .post('/api/v1/session')
            .send({ username: `u${i}`, password: 'x' })
        ).status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Twenty deliberately slow scrypt checks (N = 2^15): seconds on a loaded machine.
  }, 60_000);
});

describe('a session stands for the organisation wherever a token does', () => {
  it('lets a logged-in user read without a bearer token', async () => {
    const { app, fabric } = setup({ li: 'operator' });
    fabric.onEvaluate = () =>
      new TextEncoder().encode(JSON.stringify({ records: [], bookmark: '', fetchedCount: 0 }));
    const { cookie } = await login(app, 'li');
    const res = await request(app).get('/api/v1/members').set('Cookie', cookie);
    expect(res.status).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403 CSRF_FAILED), writing nothing', async () => {
    const { app, fabric } = setup({ li: 'operator' });
    const { cookie } = await login(app, 'li');
    const res = await request(app).post('/api/v1/members').set('Cookie', cookie).send(producerParticulars());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    const wrong = await request(app)
      .post('/api/v1/members')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', 'x'.repeat(43))
      .send(producerParticulars());
    expect(wrong.body.code).toBe('CSRF_FAILED');
    expect(fabric.submissions).toHaveLength(0);
  });

  it('refuses a write whose Origin is another site, even with the token', async () => {
    const { app } = setup({ li: 'operator' });
    const { cookie, csrf } = await login(app, 'li');
    const res = await request(app)
      .post('/api/v1/members')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .set('Origin', 'https://evil.example')
      .send(producerParticulars());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
  });

  it('accepts a write with the token, and names the user to the ledger as the operator', async () => {
    const { app, fabric } = setup({ li: 'operator' });
    const { cookie, csrf } = await login(app, 'li');
    const res = await request(app)
      .post('/api/v1/members')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send(producerParticulars());
    expect(res.status).toBe(201);
    expect(fabric.submissions).toHaveLength(1);
    expect(fabric.submissions[0]?.args.at(-1)).toBe('li');
  });

  it('gates routes by role: a call-centre user reads but cannot write (403 ROLE_FORBIDDEN)', async () => {
    const { app, fabric } = setup({ zhao: 'call_centre' });
    const { cookie, csrf } = await login(app, 'zhao');
    const res = await request(app)
      .post('/api/v1/members')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send(producerParticulars());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ROLE_FORBIDDEN');
    expect(fabric.submissions).toHaveLength(0);
  });

  it('gates member decisions to regulator users of a regulator organisation', async () => {
    const regulatorOrg = testConfig({ org: 'mofcom', mspId: 'MofcomMSP', role: 'regulator' });
    const { app } = setup({ wang: 'regulator', chen: 'operator' }, regulatorOrg);
    const operator = await login(app, 'chen');
    const refused = await request(app)
      .post('/api/v1/members/CoopMSP/approve')
      .set('Cookie', operator.cookie)
      .set('X-CSRF-Token', operator.csrf)
      .send({ reason: 'ok' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ROLE_FORBIDDEN');
  });

  it('keeps bearer tokens working unchanged, without CSRF', async () => {
    const { app, fabric } = setup({});
    const res = await request(app)
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(producerParticulars());
    expect(res.status).toBe(201);
    expect(fabric.submissions[0]?.args.at(-1)).toBe('');
  });

  it('does not accept a session of one organisation at another organisation’s gateway', async () => {
    const { app } = setup({ li: 'operator' });
    const { cookie } = await login(app, 'li');
    const other = setup(
      { li: 'operator' },
      testConfig({ org: 'retailer', mspId: 'RetailerMSP', role: 'retailer' }),
    );
    const res = await request(other.app).get('/api/v1/members').set('Cookie', cookie);
    expect(res.status).toBe(401);
  });
});
