import request from 'supertest';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { newJsonLogger, silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { FakeFabric, fakeLedger, serviceError } from './support/fake-fabric';
import { testConfig, TOKEN } from './support/fixtures';

const AUTH = { Authorization: `Bearer ${TOKEN}` };

function app(
  fabric = new FakeFabric(),
  options: Parameters<typeof createServer>[2] = { logger: silentLogger },
) {
  return createServer(testConfig(), fakeLedger(fabric), options);
}

describe('bad input never answers 500', () => {
  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await request(app())
      .post('/api/v1/members')
      .set(AUTH)
      .set('Content-Type', 'application/json')
      .send('{"name": "Green Valley",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:agritrace:problem:MALFORMED_JSON',
      status: 400,
      title: 'Bad Request',
    });
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await request(app())
      .post('/api/v1/members')
      .set(AUTH)
      .set('Content-Type', 'text/plain')
      .send('name=x');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(app(new FakeFabric(), { logger: silentLogger, bodyLimit: '1kb' }))
      .post('/api/v1/members')
      .set(AUTH)
      .send({ name: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await request(app()).get('/api/v1/no-such-resource');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      detail: 'no route for GET /api/v1/no-such-resource',
    });
  });
});

describe('every answer', () => {
  it('carries a request ID (the caller’s if well-formed), security headers and no caching', async () => {
    const res = await request(app()).get('/livez').set('X-Request-Id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const fresh = await request(app()).get('/livez').set('X-Request-Id', 'bad id with spaces');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request ID and path in problem documents', async () => {
    const res = await request(app()).get('/nowhere').set('X-Request-Id', 'r-1');
    expect(res.body).toMatchObject({ requestId: 'r-1', instance: '/nowhere' });
  });

  it('logs one JSON line per request, and server failures with their error', async () => {
    const lines: string[] = [];
    const logger = newJsonLogger({ write: (line) => void lines.push(line) });
    const fabric = new FakeFabric();
    fabric.onEvaluate = () => {
      throw new Error('boom');
    };
    const res = await request(app(fabric, { logger })).get('/api/v1/members/CoopMSP').set(AUTH);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL' });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ level: 'error', msg: 'request failed', code: 'INTERNAL' }),
      expect.objectContaining({ level: 'info', msg: 'request', status: 500, principal: 'coop-operator' }),
    ]);
  });
});

describe('GET /api/v1', () => {
  it('says which organisation this gateway serves', async () => {
    const res = await request(app()).get('/api/v1');
    expect(res.body.data).toEqual({
      org: 'coop',
      mspId: 'CoopMSP',
      displayName: 'Green Valley Farm Cooperative',
      role: 'producer',
      channel: 'traceability',
      chaincode: 'agritrace',
    });
  });
});

describe('GET /api/v1/transactions/:txId', () => {
  it('refuses an ID that is not 64 hex characters', async () => {
    const res = await request(app()).get('/api/v1/transactions/xyz');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_ARGUMENT');
  });

  it('asks qscc for the block of the transaction on the gateway channel', async () => {
    const fabric = new FakeFabric();
    fabric.onEvaluate = () => {
      throw new GatewayError({
        code: GrpcStatus.UNKNOWN,
        details: [],
        cause: serviceError(GrpcStatus.UNKNOWN, 'chaincode response 500, not found'),
        message: '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, not found',
      });
    };
    const txId = 'd'.repeat(64);
    const res = await request(app(fabric)).get(`/api/v1/transactions/${txId}`);
    expect(fabric.evaluations[0]).toEqual({
      chaincode: 'qscc',
      transaction: 'GetBlockByTxID',
      args: ['traceability', txId],
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
  });

  it('answers 503 when the peer is unreachable', async () => {
    const fabric = new FakeFabric();
    fabric.onEvaluate = () => {
      throw new GatewayError({
        code: GrpcStatus.UNAVAILABLE,
        details: [],
        cause: serviceError(GrpcStatus.UNAVAILABLE, 'No connection established'),
        message: '14 UNAVAILABLE: No connection established',
      });
    };
    const res = await request(app(fabric)).get(`/api/v1/transactions/${'e'.repeat(64)}`);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('PEER_UNAVAILABLE');
  });
});
