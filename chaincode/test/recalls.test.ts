/** Recall: scope from the forward trace, marking in bounded batches, blocking recalled lots, accountability. */
import './support/quiet-logging';
import type { LotEventRecord } from '../src/shared/epcis';
import type { LotRecord } from '../src/shared/lots';
import type { Page } from '../src/shared/records';
import { RECALL_MAX_BATCH_BYTES } from '../src/shared/recalls';
import type { RecallRecord, RecallScopeEntry } from '../src/shared/recalls';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, readLot, who } from './support/alliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';
import { expectedTrace, generateGenealogy } from './support/genealogy-generator';

type Batch = { recall: RecallRecord; lots: string[]; eventId?: string };

const RICE = gtin13(1);
const BAGS = gtin13(2);
const FARM_A = lotIdOf(RICE, 'FARM-A');
const FARM_B = lotIdOf(RICE, 'FARM-B');
const MIX = lotIdOf(RICE, 'MIX');
const BAG_1 = lotIdOf(BAGS, 'BAG-1');
const BAG_2 = lotIdOf(BAGS, 'BAG-2');
const OTHER = lotIdOf(RICE, 'OTHER');

/** Farm A and B merged and bagged by the processor; BAG-1 went to the retailer. Farm A also split off OTHER. */
async function chain(): Promise<FakeLedger> {
  const ledger = await allianceLedger();
  await createLot(ledger, who.producer, 'FARM-A', { quantity: 600 });
  await createLot(ledger, who.producer2, 'FARM-B', { quantity: 400, origin: { region: '330183' } });
  await ledger.submit(who.producer, 'transformations:SplitLot', [
    JSON.stringify({ lotId: FARM_A, outputs: [{ lot: 'OTHER', quantity: 100 }] }),
  ]);
  await handOver(ledger, who.producer, who.processor, FARM_A);
  await handOver(ledger, who.producer2, who.processor, FARM_B);
  await ledger.submit(who.processor, 'transformations:MergeLots', [
    JSON.stringify({ inputs: [{ lotId: FARM_A }, { lotId: FARM_B }], output: { lot: 'MIX' } }),
  ]);
  await ledger.submit(who.processor, 'transformations:ProcessLots', [
    JSON.stringify({
      inputs: [{ lotId: MIX }],
      outputs: [
        { gtin: BAGS, lot: 'BAG-1', quantity: 100, unit: 'bag', netContent: { quantity: 4, unit: 'kg' } },
        { gtin: BAGS, lot: 'BAG-2', quantity: 80, unit: 'bag', netContent: { quantity: 4, unit: 'kg' } },
      ],
    }),
  ]);
  await handOver(ledger, who.processor, who.retailer, BAG_1);
  return ledger;
}

/** Starts a recall. */
function recall(ledger: FakeLedger, caller: Identity, input: object): Promise<Batch> {
  return ledger.submitJson<Batch>(caller, 'recalls:RecallLot', [
    JSON.stringify({ reason: 'aflatoxin B1 over limit', severity: 'I', ...input }),
  ]);
}

/** Expects a refusal that changed nothing. */
async function refusedUnchanged(ledger: FakeLedger, attempt: Promise<unknown>, code: string): Promise<void> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
}

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await chain();
});

describe('RecallLot', () => {
  it('marks exactly the recalled lot and everything made from it, with the harm scope', async () => {
    const { recall: record, lots, eventId } = await recall(ledger, who.regulator, { lotId: FARM_B });
    const event = ledger.read<LotEventRecord>(
      ledger.contextFor(who.regulator).stub.createCompositeKey('event', [eventId ?? '']),
    );
    expect([...lots].sort()).toEqual([BAG_1, BAG_2, FARM_B, MIX].sort());
    for (const lotId of lots) {
      expect(await readLot(ledger, lotId)).toMatchObject({
        status: 'recalled',
        recall: { recallId: record.recallId, severity: 'I' },
      });
    }
    expect(record).toMatchObject({
      docType: 'recall',
      recallId: record.createdTxId,
      lotId: FARM_B,
      severity: 'I',
      authority: 'regulator',
      initiatedBy: { mspId: 'RegulatorMSP' },
      status: 'complete',
      discovered: 4,
      marked: 4,
      batches: 1,
      scope: {
        lots: 4,
        // MIX and both farm lots were fully consumed; what remains out there is the bags.
        quantities: [{ unit: 'bag', quantity: 180 }],
        custodians: ['ProcessorMSP', 'RetailerMSP'],
        producers: ['ProcessorMSP', 'Producer2MSP'],
        regions: ['330183', '370102'],
      },
    });
    expect(event).toMatchObject({
      eventType: 'ObjectEvent',
      bizStep: 'holding',
      disposition: 'recalled',
      stage: 'recall',
    });
    expect(event?.lotIds.sort()).toEqual([BAG_1, BAG_2, FARM_B, MIX].sort());
    expect(ledger.lastEvent()).toMatchObject({ name: 'LotRecalled', payload: { recall: record, lots } });
    expect((await readLot(ledger, FARM_A)).status).toBe('consumed');
    expect((await readLot(ledger, OTHER)).status).toBe('active');
    const scope = await ledger.evaluateJson<Page<RecallScopeEntry>>(
      who.retailer,
      'recalls:QueryRecallScope',
      [record.recallId, '', ''],
    );
    expect(
      scope.records.map((entry) => [
        entry.lotId,
        entry.depth,
        entry.via,
        entry.custodian,
        entry.producer,
        entry.marked,
      ]),
    ).toEqual(
      [
        [BAG_1, 2, MIX, 'RetailerMSP', 'ProcessorMSP', true],
        [BAG_2, 2, MIX, 'ProcessorMSP', 'ProcessorMSP', true],
        [MIX, 1, FARM_B, 'ProcessorMSP', 'ProcessorMSP', true],
        [FARM_B, 0, '', 'ProcessorMSP', 'Producer2MSP', true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(await ledger.evaluateJson(who.retailer, 'recalls:ReadRecall', [record.recallId])).toEqual(record);
  });

  it('blocks every sale, transfer and transformation of recalled lots, and their custodian sees the recall', async () => {
    await recall(ledger, who.regulator, { lotId: FARM_B });
    const sale = JSON.stringify({ lotId: BAG_1, bizStep: 'retail_selling', quantity: 1, unit: 'bag' });
    await refusedUnchanged(ledger, ledger.submit(who.retailer, 'lots:RecordEvent', [sale]), 'LOT_RECALLED');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transfers:OfferTransfer', [
        JSON.stringify({ lotId: BAG_2, to: 'RetailerMSP' }),
      ]),
      'LOT_RECALLED',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.processor, 'transformations:SplitLot', [
        JSON.stringify({
          lotId: BAG_2,
          outputs: [{ lot: 'X', quantity: 1, unit: 'bag', netContent: { quantity: 4, unit: 'kg' } }],
        }),
      ]),
      'LOT_RECALLED',
    );
    const held = await ledger.evaluateJson<Page<LotRecord>>(who.retailer, 'lots:QueryLotsByCustodian', [
      '',
      '',
      '',
    ]);
    expect(held.records.find((lot) => lot.lotId === BAG_1)).toMatchObject({
      status: 'recalled',
      recall: { severity: 'I' },
    });
    const events = await ledger.evaluateJson<Page<LotEventRecord>>(who.retailer, 'lots:QueryLotEvents', [
      BAG_1,
      '',
      '',
    ]);
    expect(events.records.at(-1)).toMatchObject({
      disposition: 'recalled',
      bizTransactionList: [{ type: 'urn:agritrace:recall' }],
    });
    // Destroying recalled stock is what the recall asks for, so it is allowed, and the lot stays recalled.
    const destroyed = await ledger.submitJson<{ lot: LotRecord }>(who.retailer, 'lots:RecordEvent', [
      JSON.stringify({
        lotId: BAG_1,
        bizStep: 'destroying',
        disposition: 'destroyed',
        quantity: 100,
        unit: 'bag',
      }),
    ]);
    expect(destroyed.lot).toMatchObject({ remaining: 0, status: 'recalled' });
  });

  it('refuses to accept an offer of a lot recalled meanwhile; the offerer can still cancel', async () => {
    const offer = await ledger.submitJson<{ transfer: { transferId: string } }>(
      who.processor,
      'transfers:OfferTransfer',
      [JSON.stringify({ lotId: BAG_2, to: 'RetailerMSP' })],
    );
    await recall(ledger, who.regulator, { lotId: FARM_B });
    await refusedUnchanged(
      ledger,
      ledger.submit(who.retailer, 'transfers:AcceptTransfer', [offer.transfer.transferId]),
      'LOT_RECALLED',
    );
    await ledger.submit(who.processor, 'transfers:CancelTransfer', [offer.transfer.transferId, 'recalled']);
  });

  it("lets a lot's producer recall it, but nobody else who is not a regulator", async () => {
    await refusedUnchanged(ledger, recall(ledger, who.retailer, { lotId: BAG_1 }), 'NOT_RECALL_AUTHORITY');
    await refusedUnchanged(ledger, recall(ledger, who.producer, { lotId: FARM_B }), 'NOT_RECALL_AUTHORITY');
    await refusedUnchanged(ledger, recall(ledger, who.inspector, { lotId: FARM_B }), 'NOT_RECALL_AUTHORITY');
    await refusedUnchanged(ledger, recall(ledger, who.outsider, { lotId: FARM_B }), 'NOT_APPROVED');
    const { recall: record } = await recall(ledger, who.producer2, { lotId: FARM_B, severity: 'III' });
    expect(record).toMatchObject({
      authority: 'producer',
      severity: 'III',
      initiatedBy: { mspId: 'Producer2MSP' },
    });
  });

  it('refuses a lot already recalled, unknown lots and bad input', async () => {
    await recall(ledger, who.regulator, { lotId: FARM_B });
    await refusedUnchanged(ledger, recall(ledger, who.regulator, { lotId: MIX }), 'LOT_RECALLED');
    await refusedUnchanged(
      ledger,
      recall(ledger, who.regulator, { lotId: lotIdOf(RICE, 'NOPE') }),
      'LOT_NOT_FOUND',
    );
    await refusedUnchanged(
      ledger,
      recall(ledger, who.regulator, { lotId: OTHER, severity: 'IV' }),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(
      ledger,
      recall(ledger, who.regulator, { lotId: OTHER, reason: '' }),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(
      ledger,
      recall(ledger, who.regulator, { lotId: OTHER, batchSize: 0 }),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(
      ledger,
      recall(ledger, who.regulator, { lotId: OTHER, batchSize: 501 }),
      'INVALID_ARGUMENT',
    );
  });
});

describe('ContinueRecall', () => {
  it('marks the rest in bounded batches until the recall is complete', async () => {
    const first = await recall(ledger, who.regulator, { lotId: FARM_A, batchSize: 2 });
    expect(first.lots).toEqual([FARM_A, MIX]);
    expect(first.recall).toMatchObject({ status: 'in_progress', marked: 2, batches: 1 });
    // The queued lots are known but not yet marked.
    expect((await readLot(ledger, OTHER)).status).toBe('active');
    const id = first.recall.recallId;
    await refusedUnchanged(
      ledger,
      ledger.submit(who.retailer, 'recalls:ContinueRecall', [id, '2']),
      'NOT_RECALL_AUTHORITY',
    );
    const second = await ledger.submitJson<Batch>(who.regulator, 'recalls:ContinueRecall', [id, '2']);
    expect(second.lots).toEqual([OTHER, BAG_1]);
    expect(ledger.lastEvent()).toMatchObject({ name: 'RecallContinued' });
    const third = await ledger.submitJson<Batch>(who.regulator, 'recalls:ContinueRecall', [id, '']);
    expect(third.lots).toEqual([BAG_2]);
    expect(third.recall).toMatchObject({ status: 'complete', marked: 5, discovered: 5, batches: 3 });
    expect(third.recall.scope.lots).toBe(5);
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'recalls:ContinueRecall', [id, '']),
      'RECALL_COMPLETE',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'recalls:ContinueRecall', ['f'.repeat(64), '']),
      'RECALL_NOT_FOUND',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'recalls:ContinueRecall', [id, '0']),
      'INVALID_ARGUMENT',
    );
  });

  it('also recalls lots made from a queued lot before it was marked', async () => {
    const first = await recall(ledger, who.producer, { lotId: FARM_A, batchSize: 1 });
    expect(first.lots).toEqual([FARM_A]);
    // OTHER waits in the queue; its producer splits it meanwhile.
    await ledger.submit(who.producer, 'transformations:SplitLot', [
      JSON.stringify({ lotId: OTHER, outputs: [{ lot: 'LATE', quantity: 10 }] }),
    ]);
    let status = first.recall.status;
    while (status !== 'complete') {
      status = (
        await ledger.submitJson<Batch>(who.producer, 'recalls:ContinueRecall', [first.recall.recallId, '1'])
      ).recall.status;
    }
    expect((await readLot(ledger, lotIdOf(RICE, 'LATE'))).status).toBe('recalled');
  });

  it('recalls a genealogy of 1,200 lots in batches of at most 500 lots and RECALL_MAX_BATCH_BYTES, exactly', async () => {
    const big = await allianceLedger();
    const graph = await generateGenealogy(big, who.producer, gtin13(77), 1200, 7);
    const sizes: { bytes: number; answer: number; lots: number }[] = [];
    const step = async (fn: () => Promise<string>): Promise<Batch> => {
      const { result, bytes } = await writesOf(big, fn);
      const parsed = JSON.parse(result) as Batch;
      sizes.push({ bytes, answer: result.length, lots: parsed.lots.length });
      return parsed;
    };
    let batch = await step(() =>
      big.submit(who.regulator, 'recalls:RecallLot', [
        JSON.stringify({
          lotId: graph.root,
          reason: 'aflatoxin B1 over limit',
          severity: 'I',
          batchSize: 500,
        }),
      ]),
    );
    const marked = new Set(batch.lots);
    while (batch.recall.status !== 'complete') {
      batch = await step(() =>
        big.submit(who.regulator, 'recalls:ContinueRecall', [batch.recall.recallId, '500']),
      );
      batch.lots.forEach((lotId) => marked.add(lotId));
    }
    expect(batch.recall).toMatchObject({ marked: 1200, discovered: 1200 });
    expect([...marked].sort()).toEqual([...expectedTrace(graph, graph.root, 'forward').keys()].sort());
    for (const size of sizes) {
      expect(size.lots).toBeLessThanOrEqual(500);
      expect(size.bytes).toBeLessThanOrEqual(RECALL_MAX_BATCH_BYTES);
      // The answer names the lots; 500 lot records would be about a megabyte.
      expect(size.answer).toBeLessThan(64 * 1024);
    }
  }, 120_000);
});

/** Keys a transaction changed (written or deleted) and the bytes it wrote, from committed state before and after. */
async function writesOf<T>(
  big: FakeLedger,
  run: () => Promise<T>,
): Promise<{ result: T; keys: string[]; bytes: number }> {
  const before = new Map(big.state.keys().map((key) => [key, big.state.get(key)]));
  const result = await run();
  const keys = new Set(big.state.keys().filter((key) => big.state.get(key) !== before.get(key)));
  for (const key of before.keys()) if (big.state.get(key) === undefined) keys.add(key);
  const bytes = [...keys].reduce((sum, key) => sum + (big.state.get(key)?.length ?? 0), 0);
  return { result, keys: [...keys], bytes };
}

describe('bounded recall transactions', () => {
  /** One farm lot split into 3 × 40 lots, each of 40 split into 2 more, and 2 of those merged: 242 lots. */
  async function fanOut(): Promise<{ big: FakeLedger; root: string; all: string[]; merged: string }> {
    const big = await allianceLedger();
    await createLot(big, who.producer, 'ROOT', { quantity: 1_000_000 });
    const root = lotIdOf(RICE, 'ROOT');
    const all = [root];
    for (let part = 0; part < 3; part++) {
      const outputs = Array.from({ length: 40 }, (_, i) => ({ lot: `S${part}-${i}`, quantity: 5_000 }));
      await big.submit(who.producer, 'transformations:SplitLot', [JSON.stringify({ lotId: root, outputs })]);
      all.push(...outputs.map((o) => lotIdOf(RICE, o.lot)));
    }
    for (const lotId of all.slice(1, 41)) {
      const outputs = [1, 2].map((n) => ({ lot: `${lotId.slice(15)}-${n}`, quantity: 1_000 }));
      await big.submit(who.producer, 'transformations:SplitLot', [JSON.stringify({ lotId, outputs })]);
      all.push(...outputs.map((o) => lotIdOf(RICE, o.lot)));
    }
    // A lot made from two lots of the recall is reached twice.
    await big.submit(who.producer, 'transformations:MergeLots', [
      JSON.stringify({
        inputs: [{ lotId: lotIdOf(RICE, 'S2-39') }, { lotId: lotIdOf(RICE, 'S0-0-1') }],
        output: { lot: 'MERGED' },
      }),
    ]);
    const merged = lotIdOf(RICE, 'MERGED');
    all.push(merged);
    return { big, root, all, merged };
  }

  it('answers and emits lot IDs only, writes each lot and its scope entry once, and completes across batches', async () => {
    const { big, root, all, merged } = await fanOut();
    const transactions: { keys: string[]; bytes: number; answer: number; lots: number }[] = [];
    const run = async (fn: () => Promise<string>): Promise<Batch> => {
      const { result, keys, bytes } = await writesOf(big, fn);
      const batch = JSON.parse(result) as Batch;
      transactions.push({ keys, bytes, answer: result.length, lots: batch.lots.length });
      // IDs only: the answer and the event name lots, they do not carry their records.
      expect(batch.lots.every((lotId) => typeof lotId === 'string')).toBe(true);
      expect(big.lastEvent()?.payload).toEqual({ recall: batch.recall, lots: batch.lots });
      return batch;
    };
    let batch = await run(() =>
      big.submit(who.regulator, 'recalls:RecallLot', [
        JSON.stringify({ lotId: root, reason: 'aflatoxin', severity: 'I', batchSize: 30 }),
      ]),
    );
    expect(big.lastEvent()?.name).toBe('LotRecalled');
    const marked = [...batch.lots];
    while (batch.recall.status !== 'complete') {
      batch = await run(() =>
        big.submit(who.regulator, 'recalls:ContinueRecall', [batch.recall.recallId, '30']),
      );
      expect(big.lastEvent()?.name).toBe('RecallContinued');
      marked.push(...batch.lots);
    }
    // Every lot of the genealogy marked, exactly once, the merged lot included.
    expect([...marked].sort()).toEqual([...all].sort());
    expect(marked.filter((lotId) => lotId === merged)).toHaveLength(1);
    expect(batch.recall).toMatchObject({
      marked: all.length,
      discovered: all.length,
      scope: { lots: all.length },
    });
    expect(transactions.length).toBe(Math.ceil(all.length / 30));
    for (const lotId of all) {
      expect((await readLot(big, lotId)).status).toBe('recalled');
      const scopeKey = big
        .contextFor(who.regulator)
        .stub.createCompositeKey('recallScope', [batch.recall.recallId, lotId]);
      expect(big.state.history(scopeKey)).toHaveLength(1);
    }
    for (const tx of transactions) {
      expect(tx.lots).toBeLessThanOrEqual(30);
      // Per marked lot: its record, its scope entry, its event index entry and at most one queue entry; plus the
      // recall and the event.
      expect(tx.keys.length).toBeLessThanOrEqual(4 * tx.lots + 2);
      expect(tx.answer).toBeLessThan(4_000 + 60 * tx.lots);
    }
    // No queue entry is left behind.
    const queue = big.state.keys().filter((key) => key.startsWith('\u0000recallQueue\u0000'));
    expect(queue).toEqual([]);
  });
});

describe('QueryOpenRecalls', () => {
  it("lists the in-progress recalls the caller's organisation initiated, and no others", async () => {
    const open = await recall(ledger, who.producer, { lotId: FARM_A, batchSize: 1 });
    const done = await recall(ledger, who.producer2, { lotId: FARM_B });
    expect(done.recall.status).toBe('complete');
    const mine = await ledger.evaluateJson<Page<RecallRecord>>(who.producer, 'recalls:QueryOpenRecalls', [
      '',
      '',
    ]);
    expect(mine.records.map((r) => r.recallId)).toEqual([open.recall.recallId]);
    const others = await ledger.evaluateJson<Page<RecallRecord>>(who.producer2, 'recalls:QueryOpenRecalls', [
      '',
      '',
    ]);
    expect(others.records).toEqual([]);
    let status = open.recall.status;
    while (status !== 'complete') {
      status = (
        await ledger.submitJson<Batch>(who.producer, 'recalls:ContinueRecall', [open.recall.recallId, '2'])
      ).recall.status;
    }
    const after = await ledger.evaluateJson<Page<RecallRecord>>(who.producer, 'recalls:QueryOpenRecalls', [
      '',
      '',
    ]);
    expect(after.records).toEqual([]);
  });
});
