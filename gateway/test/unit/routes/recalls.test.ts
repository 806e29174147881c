/**
 * POST /api/v1/recalls answers after the first batch (201 when it completed the recall, else 202 with the recall's
 * Location) and the gateway drives the remaining ContinueRecall batches in the background: retrying transient
 * failures, stopping on refusals that cannot pass, and resuming its organisation's unfinished recalls.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../../src/errors';
import { silentLogger } from '../../../src/logger';
import { RecallDriver, recallsRouter } from '../../../src/routes/recalls';
import type { ProvenanceIndex } from '../../../src/routes/provenance';
import type { ProposalRequest } from '../../../src/fabric/contract';
import { attempt, endorseRefusal, FakeFabric, fakeLedger, json, serviceError } from '../support/fake-fabric';

const LOT = '06901234567892:GV-2026-A';
const RECALL_ID = 'a'.repeat(64);
const noBlocks: ProvenanceIndex = { blocksOf: async () => new Map() };

/** The recall record after `marked` of `total` lots. */
function recallAfter(marked: number, total: number, batches: number): Record<string, unknown> {
  return {
    docType: 'recall',
    recallId: RECALL_ID,
    lotId: LOT,
    status: marked >= total ? 'complete' : 'in_progress',
    discovered: marked,
    marked,
    batches,
    scope: { lots: marked, quantities: [], custodians: [], producers: [], regions: [] },
  };
}

function answer(marked: number, total: number, batches: number, lots: string[]) {
  return attempt({ recall: recallAfter(marked, total, batches), lots });
}

function appWith(fabric: FakeFabric, driver: RecallDriver) {
  const app = express();
  app.use(express.json());
  const authenticate: express.RequestHandler = (req, _res, next) => {
    req.principal = { id: 'token:regulator', user: 'wang.inspector' } as never;
    next();
  };
  app.use(
    '/api/v1/recalls',
    recallsRouter(fakeLedger(fabric), authenticate, noBlocks, { driver, resumeAfterMs: null }),
  );
  app.use(errorHandler(silentLogger));
  return app;
}

function newDriver(fabric: FakeFabric, sleeps: number[] = []): RecallDriver {
  return new RecallDriver(fakeLedger(fabric), {
    batchSize: 250,
    retryBaseMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger: silentLogger,
  });
}

const transactions = (fabric: FakeFabric) => fabric.submissions.map((s: ProposalRequest) => s.transaction);

describe('POST /api/v1/recalls', () => {
  it('answers 201 with the recall when the first batch completed it, and submits nothing more', async () => {
    const fabric = new FakeFabric();
    fabric.onSubmit = () => answer(3, 3, 1, [LOT, 'b', 'c']);
    const res = await request(appWith(fabric, newDriver(fabric)))
      .post('/api/v1/recalls')
      .send({ lotId: LOT, reason: 'aflatoxin', severity: 'I' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/recalls/${RECALL_ID}`);
    expect(res.body.data).toEqual(recallAfter(3, 3, 1));
    expect(transactions(fabric)).toEqual(['RecallLot']);
    expect(JSON.parse(fabric.submissions[0]!.args[0]!)).toEqual({
      lotId: LOT,
      reason: 'aflatoxin',
      severity: 'I',
    });
    expect(fabric.submissions[0]!.args.at(-1)).toBe('wang.inspector');
  });

  it('answers 202 after the first batch of a larger recall and marks the rest in the background, retrying', async () => {
    const fabric = new FakeFabric();
    const sleeps: number[] = [];
    const driver = newDriver(fabric, sleeps);
    let continued = 0;
    let marked = 500;
    fabric.onSubmit = (req) => {
      if (req.transaction === 'RecallLot') return answer(500, 1200, 1, ['lots of the first batch']);
      continued += 1;
      // The orderer is briefly unavailable on the first try of the second batch.
      if (continued === 2) throw new GatewayError({ code: GrpcStatus.UNAVAILABLE, details: [], cause: serviceError(GrpcStatus.UNAVAILABLE, 'orderer busy'), message: '14 UNAVAILABLE: orderer busy' }); // prettier-ignore
      marked = Math.min(1200, marked + 250);
      return answer(marked, 1200, continued, ['some lots']);
    };
    const app = appWith(fabric, driver);
    const res = await request(app)
      .post('/api/v1/recalls')
      .send({ lotId: LOT, reason: 'aflatoxin', severity: 'I' });
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/recalls/${RECALL_ID}`);
    expect(res.body.data).toEqual(recallAfter(500, 1200, 1));
    expect(res.body.progress).toMatchObject({ recallId: RECALL_ID, state: 'running', batches: 1 });
    await driver.settled(RECALL_ID);
    // 750, (unavailable), 1,000, 1,200: three batches committed after a retry.
    expect(transactions(fabric).filter((t) => t === 'ContinueRecall').length).toBe(4);
    for (const s of fabric.submissions.slice(1)) expect(s.args.slice(0, 2)).toEqual([RECALL_ID, '250']);
    expect(sleeps).toEqual([100]);

    fabric.onEvaluate = (req) => {
      expect(req.transaction).toBe('ReadRecall');
      return json(recallAfter(1200, 1200, 5));
    };
    const progress = await request(app).get(`/api/v1/recalls/${RECALL_ID}`);
    expect(progress.status).toBe(200);
    expect(progress.body.data).toMatchObject({ status: 'complete', marked: 1200 });
    expect(progress.body.progress).toMatchObject({
      state: 'complete',
      batches: 4,
      lotsMarked: 4,
      lastError: { code: expect.any(String) },
    });
  });

  it('stops driving a recall the chaincode refuses to continue, leaving it in progress', async () => {
    const fabric = new FakeFabric();
    const driver = newDriver(fabric);
    fabric.onSubmit = (req) => {
      if (req.transaction === 'RecallLot') return answer(250, 1000, 1, ['x']);
      throw endorseRefusal({
        code: 'NOT_RECALL_AUTHORITY',
        message: 'only a regulator or the initiator continues a recall',
      });
    };
    const res = await request(appWith(fabric, driver))
      .post('/api/v1/recalls')
      .send({ lotId: LOT, reason: 'r', severity: 'II', batchSize: 40 });
    expect(res.status).toBe(202);
    await driver.settled(RECALL_ID);
    expect(transactions(fabric)).toEqual(['RecallLot', 'ContinueRecall']);
    // The background batches have the size the request asked for.
    expect(fabric.submissions[1]!.args.slice(0, 2)).toEqual([RECALL_ID, '40']);
    expect(driver.progress(RECALL_ID)).toMatchObject({
      state: 'stalled',
      lastError: { code: 'NOT_RECALL_AUTHORITY' },
    });
  });

  it('passes a refused first batch on as the chaincode error, with no background work', async () => {
    const fabric = new FakeFabric();
    fabric.onSubmit = () => {
      throw endorseRefusal({ code: 'LOT_RECALLED', message: `lot ${LOT} is already recalled` });
    };
    const res = await request(appWith(fabric, newDriver(fabric)))
      .post('/api/v1/recalls')
      .send({ lotId: LOT, reason: 'r', severity: 'I' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LOT_RECALLED');
    expect(transactions(fabric)).toEqual(['RecallLot']);
  });
});

describe('RecallDriver.resumeOpen', () => {
  it("resumes every in-progress recall of the gateway's organisation, across pages, to completion", async () => {
    const fabric = new FakeFabric();
    const driver = newDriver(fabric);
    const other = 'b'.repeat(64);
    fabric.onEvaluate = (req) => {
      expect(req.transaction).toBe('QueryOpenRecalls');
      return req.args[1] === ''
        ? json({ records: [{ recallId: RECALL_ID }], bookmark: 'page-2', fetchedCount: 100 })
        : json({ records: [{ recallId: other }], bookmark: '', fetchedCount: 3 });
    };
    fabric.onSubmit = (req) =>
      attempt({ recall: { ...recallAfter(10, 10, 2), recallId: req.args[0] }, lots: ['l'] });
    expect(await driver.resumeOpen()).toEqual([RECALL_ID, other]);
    await Promise.all([driver.settled(RECALL_ID), driver.settled(other)]);
    expect(fabric.submissions.map((s) => s.args[0]).sort()).toEqual([RECALL_ID, other].sort());
    expect(driver.progress(other)).toMatchObject({ state: 'complete', batches: 1 });
  });

  it('ends the listing when the ledger repeats a full page under the same bookmark', async () => {
    const fabric = new FakeFabric();
    const driver = newDriver(fabric);
    let pages = 0;
    fabric.onEvaluate = () => {
      pages++;
      return json({ records: [{ recallId: RECALL_ID }], bookmark: 'stuck', fetchedCount: 100 });
    };
    fabric.onSubmit = (req) =>
      attempt({ recall: { ...recallAfter(10, 10, 2), recallId: req.args[0] }, lots: ['l'] });
    expect(await driver.resumeOpen()).toEqual([RECALL_ID]);
    await driver.settled(RECALL_ID);
    expect(pages).toBe(2);
  });

  it('treats a recall completed meanwhile as complete', async () => {
    const fabric = new FakeFabric();
    const driver = newDriver(fabric);
    fabric.onSubmit = () => {
      throw endorseRefusal({ code: 'RECALL_COMPLETE', message: 'recall has marked every affected lot' });
    };
    await driver.drive(RECALL_ID);
    expect(driver.progress(RECALL_ID)).toMatchObject({ state: 'complete' });
    expect(fabric.submissions).toHaveLength(1);
  });
});
