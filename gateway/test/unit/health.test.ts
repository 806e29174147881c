import { createServer as createHttpServer } from 'http';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import request from 'supertest';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { silentLogger } from '../../src/logger';
import { createServer } from '../../src/server';
import { FakeFabric, fakeLedger, serviceError } from './support/fake-fabric';
import { testConfig } from './support/fixtures';

/** A stand-in for a peer's operations service on a local port. */
async function operations(
  status: number,
  body: unknown,
  delayMs = 0,
): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function chainInfo(height: number): Uint8Array {
  const info = new common.BlockchainInfo();
  info.setHeight(height);
  return info.serializeBinary();
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function alliance(
  ...peers: { org: string; mspId: string; status: number; body: unknown; delayMs?: number }[]
) {
  const configured = [];
  for (const peer of peers) {
    const ops = await operations(peer.status, peer.body, peer.delayMs);
    servers.push(ops.server);
    configured.push({ org: peer.org, mspId: peer.mspId, endpoint: '127.0.0.1:1', operationsUrl: ops.url });
  }
  return configured;
}

describe('GET /healthz', () => {
  it('reports every peer up with its block height, asked of that organisation', async () => {
    const peers = await alliance(
      { org: 'mofcom', mspId: 'MofcomMSP', status: 200, body: { status: 'OK' } },
      { org: 'coop', mspId: 'CoopMSP', status: 200, body: { status: 'OK' } },
    );
    const fabric = new FakeFabric();
    fabric.onEvaluate = (req) => chainInfo(req.endorsingOrganizations?.[0] === 'MofcomMSP' ? 12 : 11);
    const app = createServer(testConfig({ peers }), fakeLedger(fabric), { logger: silentLogger });
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      org: 'coop',
      channel: 'traceability',
      peers: [
        { org: 'mofcom', mspId: 'MofcomMSP', up: true, blockHeight: 12 },
        { org: 'coop', mspId: 'CoopMSP', up: true, blockHeight: 11 },
      ],
    });
    expect(fabric.evaluations).toEqual(
      expect.arrayContaining([
        {
          chaincode: 'qscc',
          transaction: 'GetChainInfo',
          args: ['traceability'],
          endorsingOrganizations: ['MofcomMSP'],
        },
      ]),
    );
  });

  it('answers 503 degraded when a peer is down, naming why', async () => {
    const peers = await alliance(
      { org: 'mofcom', mspId: 'MofcomMSP', status: 200, body: { status: 'OK' } },
      { org: 'coop', mspId: 'CoopMSP', status: 503, body: { status: 'Service Unavailable' } },
    );
    peers.push({
      org: 'retail',
      mspId: 'RetailMSP',
      endpoint: '127.0.0.1:1',
      operationsUrl: 'http://127.0.0.1:1',
    });
    const fabric = new FakeFabric();
    fabric.onEvaluate = (req) => {
      if (req.endorsingOrganizations?.[0] === 'MofcomMSP') return chainInfo(5);
      throw new GatewayError({
        code: GrpcStatus.UNAVAILABLE,
        details: [],
        cause: serviceError(GrpcStatus.UNAVAILABLE, 'no peers'),
        message: '14 UNAVAILABLE: no peers',
      });
    };
    const app = createServer(testConfig({ peers }), fakeLedger(fabric), { logger: silentLogger });
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('degraded');
    expect(res.body.peers).toEqual([
      { org: 'mofcom', mspId: 'MofcomMSP', endpoint: '127.0.0.1:1', up: true, blockHeight: 5 },
      {
        org: 'coop',
        mspId: 'CoopMSP',
        endpoint: '127.0.0.1:1',
        up: false,
        blockHeight: null,
        problems: ['operations: HTTP 503 "Service Unavailable"', 'block height: PEER_UNAVAILABLE'],
      },
      {
        org: 'retail',
        mspId: 'RetailMSP',
        endpoint: '127.0.0.1:1',
        up: false,
        blockHeight: null,
        problems: ['operations: unreachable', 'block height: PEER_UNAVAILABLE'],
      },
    ]);
  });

  it('gives each probe a short deadline and runs them in parallel', async () => {
    const peers = await alliance(
      { org: 'mofcom', mspId: 'MofcomMSP', status: 200, body: { status: 'OK' }, delayMs: 2_000 },
      { org: 'coop', mspId: 'CoopMSP', status: 200, body: { status: 'OK' }, delayMs: 2_000 },
    );
    const fabric = new FakeFabric();
    const timeouts: (number | undefined)[] = [];
    fabric.onEvaluate = (_req, options) => {
      timeouts.push(options?.timeoutMs);
      return chainInfo(1);
    };
    const app = createServer(testConfig({ peers }), fakeLedger(fabric), {
      logger: silentLogger,
      health: { timeoutMs: 300 },
    });
    const started = Date.now();
    const res = await request(app).get('/healthz');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(res.status).toBe(503);
    expect(res.body.peers[0].problems).toEqual(['operations: no answer within 300 ms']);
    expect(timeouts).toEqual([300, 300]);
  });
});
