import request from 'supertest';
import { StatusCode } from '@hyperledger/fabric-gateway';
import { silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import {
  attempt,
  endorseRefusal,
  evaluateRefusal,
  FakeFabric,
  fakeLedger,
  json,
} from './support/fake-fabric';
import { producerParticulars, testConfig, TOKEN } from './support/fixtures';

const AUTH = { Authorization: `Bearer ${TOKEN}` };

let fabric: FakeFabric;
let app: ReturnType<typeof createServer>;

beforeEach(() => {
  fabric = new FakeFabric();
  app = createServer(testConfig(), fakeLedger(fabric), { logger: silentLogger });
});

function memberRecord(action = 'registered'): Record<string, unknown> {
  return { ...producerParticulars(), mspId: 'CoopMSP', status: 'pending', history: [{ action }] };
}

describe('POST /api/v1/members', () => {
  it('registers the organisation: 201, the record, its transaction and block, and a Location', async () => {
    const outcome = attempt(memberRecord(), StatusCode.VALID, 9n);
    fabric.onSubmit = () => outcome;
    const res = await request(app).post('/api/v1/members').set(AUTH).send(producerParticulars());
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/members/CoopMSP');
    expect(res.body).toEqual({
      data: memberRecord(),
      tx: {
        txId: outcome.transactionId,
        blockNumber: 9,
        timestamp: '2026-05-01T08:00:00.000Z',
        committedAt: expect.any(String),
      },
    });
    expect(fabric.submissions).toHaveLength(1);
    expect(fabric.submissions[0]).toMatchObject({ contract: 'members', transaction: 'RegisterMember' });
    expect(JSON.parse(fabric.submissions[0]?.args[0] ?? '')).toEqual(producerParticulars());
  });

  it('answers 200 when a pending application was updated', async () => {
    fabric.onSubmit = () => attempt(memberRecord('updated'));
    const res = await request(app).post('/api/v1/members').set(AUTH).send(producerParticulars());
    expect(res.status).toBe(200);
  });

  it.each([
    ['a bad region', { region: '990000' }, 'INVALID_REGION', 'region'],
    [
      'a bad credit code check character',
      { businessLicence: '91330183MA27XY8K1A' },
      'INVALID_BUSINESS_LICENCE',
      'businessLicence',
    ],
    [
      'a producer without a food licence',
      { foodProductionLicence: undefined },
      'INVALID_FOOD_LICENCE',
      'foodProductionLicence',
    ],
    ['an unknown role', { role: 'farmer' }, 'INVALID_ARGUMENT', 'role'],
    ['a missing name', { name: undefined }, 'INVALID_ARGUMENT', 'name'],
    ['an unknown field', { colour: 'green' }, 'INVALID_ARGUMENT', 'colour'],
    ['a bad contact email', { contact: { email: 'not-an-email' } }, 'INVALID_ARGUMENT', 'contact.email'],
  ])('refuses %s with 400 before touching the ledger', async (_name, change, code, field) => {
    const body = { ...producerParticulars(), ...change };
    const res = await request(app).post('/api/v1/members').set(AUTH).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code });
    expect(res.body.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(fabric.submissions).toHaveLength(0);
  });

  it('refuses a body that is not an object', async () => {
    const res = await request(app).post('/api/v1/members').set(AUTH).send([producerParticulars()]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_ARGUMENT',
      detail: 'the request body must be a JSON object',
    });
  });

  it('answers a chaincode refusal with its code and category status', async () => {
    fabric.onSubmit = () => {
      throw endorseRefusal({
        code: 'MEMBER_EXISTS',
        message: 'member CoopMSP is already approved',
        details: {},
      });
    };
    const res = await request(app).post('/api/v1/members').set(AUTH).send(producerParticulars());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:agritrace:problem:MEMBER_EXISTS',
      title: 'Conflict',
      code: 'MEMBER_EXISTS',
      detail: 'member CoopMSP is already approved',
    });
  });
});

describe('POST /api/v1/members/:mspId/{approve,suspend,revoke}', () => {
  it.each([
    ['approve', 'ApproveMember'],
    ['suspend', 'SuspendMember'],
    ['revoke', 'RevokeMember'],
  ])('%s submits %s with the MSP ID and reason', async (verb, transaction) => {
    fabric.onSubmit = () => attempt({ mspId: 'ProcessorMSP', status: 'approved' });
    const res = await request(app)
      .post(`/api/v1/members/ProcessorMSP/${verb}`)
      .set(AUTH)
      .send({ reason: 'licences checked' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ mspId: 'ProcessorMSP', status: 'approved' });
    expect(res.body.tx.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(fabric.submissions[0]).toMatchObject({
      transaction,
      args: ['ProcessorMSP', 'licences checked', ''],
    });
  });

  it('answers 403 NOT_REGULATOR when a non-regulator approves', async () => {
    fabric.onSubmit = () => {
      throw endorseRefusal({
        code: 'NOT_REGULATOR',
        message: 'organisation CoopMSP is not an approved regulator',
      });
    };
    const res = await request(app)
      .post('/api/v1/members/ProcessorMSP/approve')
      .set(AUTH)
      .send({ reason: 'ok' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'NOT_REGULATOR', title: 'Forbidden' });
  });

  it('refuses a blank or missing reason', async () => {
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 5 }]) {
      const res = await request(app).post('/api/v1/members/ProcessorMSP/suspend').set(AUTH).send(body);
      expect(res.status).toBe(400);
      expect(res.body.details.fields[0].field).toBe('reason');
    }
    expect(fabric.submissions).toHaveLength(0);
  });

  it('refuses a malformed MSP ID', async () => {
    const res = await request(app).post('/api/v1/members/bad%20msp/revoke').set(AUTH).send({ reason: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { fields: [{ field: 'mspId' }] } });
  });

  it('answers a write conflict that outlived the retries as 409 WRITE_CONFLICT', async () => {
    fabric.onSubmit = () => attempt(null, StatusCode.MVCC_READ_CONFLICT);
    const res = await request(app)
      .post('/api/v1/members/ProcessorMSP/approve')
      .set(AUTH)
      .send({ reason: 'ok' });
    expect(res.status).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ code: 'WRITE_CONFLICT' });
    expect(fabric.submissions).toHaveLength(5);
  });

  it('answers an endorsement policy failure as 403', async () => {
    fabric.onSubmit = () => attempt(null, StatusCode.ENDORSEMENT_POLICY_FAILURE);
    const res = await request(app)
      .post('/api/v1/members/ProcessorMSP/approve')
      .set(AUTH)
      .send({ reason: 'ok' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'ENDORSEMENT_POLICY_FAILURE' });
    expect(fabric.submissions).toHaveLength(1);
  });
});

describe('GET /api/v1/members', () => {
  it('passes the status filter and page to QueryMembers and answers the page', async () => {
    fabric.onEvaluate = () => json({ records: [{ mspId: 'CoopMSP' }], bookmark: 'next', fetchedCount: 1 });
    const res = await request(app).get('/api/v1/members?status=pending&pageSize=10&bookmark=abc').set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [{ mspId: 'CoopMSP' }],
      page: { bookmark: 'next', fetchedCount: 1, pageSize: 10 },
    });
    expect(fabric.evaluations[0]).toMatchObject({
      transaction: 'QueryMembers',
      args: ['pending', '10', 'abc'],
    });
  });

  it('defaults to all statuses and the default page size', async () => {
    fabric.onEvaluate = () => json({ records: [], bookmark: '', fetchedCount: 0 });
    await request(app).get('/api/v1/members').set(AUTH).expect(200);
    expect(fabric.evaluations[0]?.args).toEqual(['', '20', '']);
  });

  it.each([
    ['status=lost', 'status'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=ten', 'pageSize'],
    ['pageSize=1&pageSize=2', 'pageSize'],
    ['colour=green', 'colour'],
  ])('refuses the query %s with 400', async (query, field) => {
    const res = await request(app).get(`/api/v1/members?${query}`).set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(fabric.evaluations).toHaveLength(0);
  });
});

describe('GET /api/v1/members/:mspId', () => {
  it('reads one member', async () => {
    fabric.onEvaluate = () => json({ mspId: 'MofcomMSP', status: 'approved' });
    const res = await request(app).get('/api/v1/members/MofcomMSP').set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mspId: 'MofcomMSP', status: 'approved' } });
    expect(fabric.evaluations[0]).toMatchObject({ transaction: 'ReadMember', args: ['MofcomMSP'] });
  });

  it('answers 404 MEMBER_NOT_FOUND from the chaincode', async () => {
    fabric.onEvaluate = () => {
      throw evaluateRefusal({
        code: 'MEMBER_NOT_FOUND',
        message: 'no member NobodyMSP',
        details: { mspId: 'NobodyMSP' },
      });
    };
    const res = await request(app).get('/api/v1/members/NobodyMSP').set(AUTH);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'MEMBER_NOT_FOUND', details: { mspId: 'NobodyMSP' } });
  });
});
