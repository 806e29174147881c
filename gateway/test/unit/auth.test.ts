import request from 'supertest';
import { findApiKey, hashToken } from '../../src/auth';
import { silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { attempt, FakeFabric, fakeLedger, json } from './support/fake-fabric';
import { OTHER_TOKEN, testConfig, TOKEN } from './support/fixtures';

function app(fabric = new FakeFabric()): ReturnType<typeof createServer> {
  return createServer(testConfig(), fakeLedger(fabric), { logger: silentLogger });
}

describe('bearer authentication', () => {
  it('refuses a write without a credential: 401 UNAUTHENTICATED with WWW-Authenticate, ledger untouched', async () => {
    const fabric = new FakeFabric();
    const res = await request(app(fabric)).post('/api/v1/members/OtherMSP/approve').send({ reason: 'ok' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="agritrace"');
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', title: 'Unauthorized' });
    expect(fabric.submissions).toHaveLength(0);
  });

  it('refuses a wrong token: 401 INVALID_CREDENTIAL', async () => {
    const res = await request(app()).get('/api/v1/members').set('Authorization', 'Bearer not-the-token');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIAL' });
  });

  it('refuses another scheme: 401 INVALID_CREDENTIAL', async () => {
    const res = await request(app())
      .get('/api/v1/members')
      .set('Authorization', `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIAL' });
  });

  it('requires a credential for member-registry reads too', async () => {
    expect((await request(app()).get('/api/v1/members')).status).toBe(401);
    expect((await request(app()).get('/api/v1/members/CoopMSP')).status).toBe(401);
    expect((await request(app()).post('/api/v1/lots').send({})).status).toBe(401);
  });

  it('lets a valid token through, acting as the organisation of the gateway', async () => {
    const fabric = new FakeFabric();
    fabric.onEvaluate = () => json({ mspId: 'CoopMSP' });
    fabric.onSubmit = () => attempt({ mspId: 'CoopMSP', history: [{ action: 'approved' }] });
    const res = await request(app(fabric))
      .get('/api/v1/members/CoopMSP')
      .set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const second = await request(app(fabric))
      .post('/api/v1/members/OtherMSP/approve')
      .set('Authorization', `Bearer ${OTHER_TOKEN}`)
      .send({ reason: 'licences checked' });
    expect(second.status).toBe(200);
  });

  it('leaves health and transaction lookups open', async () => {
    const res = await request(app()).get('/livez');
    expect(res.status).toBe(200);
  });
});

describe('findApiKey', () => {
  const keys = [
    { id: 'a', sha256: hashToken('alpha') },
    { id: 'b', sha256: hashToken('beta') },
  ];

  it('finds the key whose hash matches', () => {
    expect(findApiKey(keys, 'beta')?.id).toBe('b');
    expect(findApiKey(keys, 'gamma')).toBeUndefined();
  });

  it('hashes tokens as hex SHA-256', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
