/**
 * GET /api/v1/lots/{lotId}/trace served from the query store (the default) against the same route on the ledger
 * (?source=ledger): a genealogy built with the real chaincode's split, merge and process transactions on its
 * in-memory ledger, followed into the store block by block, then traced both ways page by page. The two must be
 * the same answer, step for step, with the blocks that let a reader verify each step on the ledger.
 */
// The chaincode's typings of fabric-shim internals, which its quiet-logging helper needs (an ambient file).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../chaincode/test/support/fabric-shim-internals.d.ts" />
import '../../../../chaincode/test/support/quiet-logging';
import request from 'supertest';
import { allianceLedger, gtin13, who } from '../../../../chaincode/test/support/alliance';
import type { FakeLedger } from '../../../../chaincode/test/support/fake-ledger';
import { generateGenealogy } from '../../../../chaincode/test/support/genealogy-generator';
import type { GeneratedGraph } from '../../../../chaincode/test/support/genealogy-generator';
import { LedgerClient } from '../../../src/fabric/contract';
import { applyBlock } from '../../../src/follower/apply-block';
import type { DecodedBlock } from '../../../src/follower/block-decode';
import { silentLogger } from '../../../src/logger';
import { createServer } from '../../../src/server';
import { blocksOf, chaincodePort, provenanceOf } from '../support/chaincode-ledger';
import { testConfig, TOKEN } from '../support/fixtures';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const GTIN = gtin13(77);
const SIZE = 240;
const enc = encodeURIComponent;

interface Step {
  lotId: string;
  depth: number;
  links: Array<{ input: string; output: string }>;
  createdBlockNumber?: number;
  lastBlockNumber?: number;
  createdTxId: string;
}

let ledger: FakeLedger;
let graph: GeneratedGraph;
let blocks: DecodedBlock[];

beforeAll(async () => {
  ledger = await allianceLedger();
  graph = await generateGenealogy(ledger, who.producer, GTIN, SIZE);
  blocks = blocksOf(ledger);
}, 120_000);

describe.each(testEngines())('trace route on %s', (engine) => {
  let opened: TestStore;
  let port: ReturnType<typeof chaincodePort>;
  let app: ReturnType<typeof createServer>;

  beforeAll(async () => {
    opened = await openTestStore(engine);
    for (const block of blocks) {
      await applyBlock(opened.store, block, { channel: 'traceability', chaincode: 'agritrace' });
    }
    port = chaincodePort(ledger, who.regulator);
    const client = new LedgerClient({
      port,
      channel: 'traceability',
      chaincode: 'agritrace',
      sleep: async () => undefined,
    });
    app = createServer(testConfig(), client, {
      logger: silentLogger,
      store: opened.store,
      provenance: provenanceOf(blocks),
    });
  }, 120_000);
  afterAll(async () => {
    await opened.dispose();
  });

  /** Every page of a trace through the route; the steps, the pages' answers and how many chaincode calls it took. */
  async function trace(lotId: string, query: string) {
    const steps: Step[] = [];
    const pages: Array<Record<string, unknown>> = [];
    const evaluationsBefore = port.evaluations;
    let cursor = '';
    do {
      const res = await request(app)
        .get(`/api/v1/lots/${enc(lotId)}/trace?${query}${cursor ? `&cursor=${enc(cursor)}` : ''}`)
        .set(AUTH);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json');
      const { steps: pageSteps, ...page } = res.body.data;
      steps.push(...pageSteps);
      pages.push(page);
      cursor = res.body.data.cursor;
    } while (cursor);
    return { steps, pages, evaluations: port.evaluations - evaluationsBefore };
  }

  it('answers a forward trace from the store, the same steps as the chaincode, page by page', async () => {
    const store = await trace(graph.root, 'direction=forward&pageSize=60');
    const chain = await trace(graph.root, 'direction=forward&pageSize=60&source=ledger');
    expect(store.evaluations).toBe(0);
    expect(chain.evaluations).toBe(chain.pages.length);
    expect(store.steps).toHaveLength(SIZE);
    expect(store.steps).toEqual(chain.steps);
    const lastBlock = blocks[blocks.length - 1]!.number;
    expect(store.pages.map((p) => p.source)).toEqual(store.pages.map(() => 'store'));
    expect(store.pages.map((p) => p.asOfBlock)).toEqual(store.pages.map(() => lastBlock));
    expect(chain.pages.map((p) => p.source)).toEqual(chain.pages.map(() => 'ledger'));
    expect(store.pages.at(-1)).toMatchObject({ cursor: '', truncated: false, totalLots: SIZE });
    expect(store.pages[0]).toMatchObject({ lotId: graph.root, direction: 'forward', totalLots: null });
  });

  it('gives every step the blocks of the transactions that created and last changed its lot', async () => {
    const { steps } = await trace(graph.root, 'direction=forward&pageSize=500');
    const blockOf = new Map(blocks.map((block) => [block.transactions[0]!.txId, block.number]));
    const changed = steps.filter((step) => step.lastBlockNumber !== step.createdBlockNumber);
    expect(changed.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.createdBlockNumber).toBe(blockOf.get(step.createdTxId));
      expect(typeof step.lastBlockNumber).toBe('number');
    }
  });

  it('traces backward from a merge lot to its farms as the chaincode does', async () => {
    const merge = graph.lots.find((lotId) => (graph.parents.get(lotId) ?? []).length > 1)!;
    const store = await trace(merge, 'direction=backward');
    const chain = await trace(merge, 'direction=backward&source=ledger');
    expect(store.steps.map((step) => step.lotId)).toContain(graph.root);
    expect(store.steps).toEqual(chain.steps);
  });

  it('cuts a trace at maxLots and says it was truncated, like the chaincode', async () => {
    const store = await trace(graph.root, 'direction=forward&maxLots=50&pageSize=20');
    const chain = await trace(graph.root, 'direction=forward&maxLots=50&pageSize=20&source=ledger');
    expect(store.steps).toHaveLength(50);
    expect(store.pages.at(-1)).toMatchObject({ truncated: true, totalLots: 50 });
    expect(store.steps).toEqual(chain.steps);
  });

  it('carries each event record once per page, named by the steps, on both sources alike', async () => {
    const store = await trace(graph.root, 'direction=forward&pageSize=500');
    const chain = await trace(graph.root, 'direction=forward&pageSize=500&source=ledger');
    const inline = await trace(graph.root, 'direction=forward&pageSize=500&events=inline&source=ledger');
    expect(store.steps).toEqual(chain.steps);
    expect(store.pages.map((page) => page.events)).toEqual(chain.pages.map((page) => page.events));
    // The chaincode's own shape, each step with its records, says the same events in the same order.
    const shared = store.steps as unknown as Array<{ lotId: string; eventIds: string[] }>;
    const records = store.pages[0]!.events as Record<string, { eventId: string; eventType: string }>;
    const inlined = inline.steps as unknown as Array<{ events: Array<{ eventId: string }> }>;
    expect(shared.map((step) => step.eventIds)).toEqual(
      inlined.map((step) => step.events.map((event) => event.eventId)),
    );
    expect(inlined.flatMap((step) => step.events)).toEqual(
      shared.flatMap((step) => step.eventIds.map((id) => records[id])),
    );
    // A split's event names every output: one record in the page, however many steps name it.
    const counts = new Map<string, number>();
    for (const id of shared.flatMap((step) => step.eventIds)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const [splitId, named] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]!;
    expect(named).toBeGreaterThan(1);
    expect(records[splitId]!.eventType).toBe('TransformationEvent');
    expect(Object.keys(records).sort()).toEqual([...counts.keys()].sort());
  });

  it('leaves the event records out with events=none, on both sources alike', async () => {
    const full = await trace(graph.root, 'direction=forward&pageSize=500');
    const store = await trace(graph.root, 'direction=forward&pageSize=500&events=none');
    const chain = await trace(graph.root, 'direction=forward&pageSize=500&events=none&source=ledger');
    expect(store.steps).toEqual(chain.steps);
    expect(store.steps.map((step) => step.lotId)).toEqual(full.steps.map((step) => step.lotId));
    const fullEvents = full.steps as unknown as Array<{ eventIds: unknown[] }>;
    expect(fullEvents.every((step) => step.eventIds.length > 0)).toBe(true);
    for (const step of store.steps as unknown as Array<{ eventIds: unknown[]; eventsTruncated: boolean }>) {
      expect(step.eventIds).toEqual([]);
      expect(step.eventsTruncated).toBe(true);
    }
    expect(store.pages.every((page) => Object.keys(page.events as object).length === 0)).toBe(true);
  });

  it('traces on the ledger a lot the store has not reached yet, and says so when asked for the store', async () => {
    await ledger.submit(who.producer, 'lots:CreateLot', [
      JSON.stringify({
        gtin: GTIN,
        lot: `NEW${engine}`,
        product: 'Wheat',
        category: 'grain',
        quantity: 100,
        unit: 'kg',
        origin: { region: '410102' },
      }),
    ]);
    const lotId = `${GTIN.padStart(14, '0')}:NEW${engine}`;
    const fallback = await request(app)
      .get(`/api/v1/lots/${enc(lotId)}/trace`)
      .set(AUTH);
    expect(fallback.status).toBe(200);
    expect(fallback.body.data).toMatchObject({ source: 'ledger', totalLots: 1 });
    expect(fallback.body.data.steps[0].lotId).toBe(lotId);

    const strict = await request(app)
      .get(`/api/v1/lots/${enc(lotId)}/trace?source=store`)
      .set(AUTH);
    expect(strict.status).toBe(409);
    expect(strict.body).toMatchObject({
      code: 'STORE_BEHIND',
      details: { lotId, asOfBlock: blocks[blocks.length - 1]!.number },
    });

    const unknown = await request(app)
      .get(`/api/v1/lots/${enc(`${lotId}X`)}/trace`)
      .set(AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('LOT_NOT_FOUND');
  });

  it('waits for the store to reach the ledger height before a new trace, else traces on the ledger', async () => {
    const height = blocks[blocks.length - 1]!.number + 1;
    const withHeight = (ledgerHeight: number) =>
      createServer(
        testConfig(),
        new LedgerClient({ port, channel: 'traceability', chaincode: 'agritrace' }),
        {
          logger: silentLogger,
          store: opened.store,
          provenance: provenanceOf(blocks),
          health: {
            store: async () => ({
              engine,
              location: opened.store.location,
              following: true,
              checkpointBlock: height - 1,
              ledgerHeight,
              behindBlocks: ledgerHeight - height,
            }),
          },
        },
      );
    const path = `/api/v1/lots/${enc(graph.root)}/trace?direction=forward&pageSize=5`;
    const current = await request(withHeight(height)).get(path).set(AUTH);
    expect(current.body.data).toMatchObject({ source: 'store', asOfBlock: height - 1 });
    const started = Date.now();
    const behind = await request(withHeight(height + 1))
      .get(path)
      .set(AUTH);
    expect(behind.status).toBe(200);
    expect(behind.body.data.source).toBe('ledger');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    const strict = await request(withHeight(height + 1))
      .get(`${path}&source=store`)
      .set(AUTH);
    expect(strict.body.data).toMatchObject({ source: 'store', asOfBlock: height - 1 });
  });

  it('traces on the ledger on a gateway without a query store, and refuses ?source=store there', async () => {
    const client = new LedgerClient({ port, channel: 'traceability', chaincode: 'agritrace' });
    const noStore = createServer(testConfig(), client, {
      logger: silentLogger,
      provenance: provenanceOf(blocks),
    });
    const res = await request(noStore)
      .get(`/api/v1/lots/${enc(graph.root)}/trace?direction=forward`)
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.data.source).toBe('ledger');
    const strict = await request(noStore)
      .get(`/api/v1/lots/${enc(graph.root)}/trace?source=store`)
      .set(AUTH);
    expect(strict.status).toBe(503);
    expect(strict.body.code).toBe('STORE_UNAVAILABLE');
  });

  it('refuses a cursor of another trace, and a store cursor on the ledger', async () => {
    const first = await request(app)
      .get(`/api/v1/lots/${enc(graph.root)}/trace?direction=forward&pageSize=10`)
      .set(AUTH);
    const cursor = first.body.data.cursor as string;
    expect(cursor).not.toBe('');
    const otherDirection = await request(app)
      .get(`/api/v1/lots/${enc(graph.root)}/trace?direction=backward&cursor=${enc(cursor)}`)
      .set(AUTH);
    expect(otherDirection.status).toBe(400);
    expect(otherDirection.body.code).toBe('INVALID_ARGUMENT');
    const onLedger = await request(app)
      .get(`/api/v1/lots/${enc(graph.root)}/trace?direction=forward&source=ledger&cursor=${enc(cursor)}`)
      .set(AUTH);
    expect(onLedger.status).toBe(400);
    expect(onLedger.body.detail).toMatch(/query store/);
    const noAuth = await request(app).get(`/api/v1/lots/${enc(graph.root)}/trace`);
    expect(noAuth.status).toBe(401);
  });
});
