/**
 * A recall's reach on every engine: when the follower stores a new recall record it records the recalled lot and
 * every lot downstream of it (from the store's genealogy) in the same transaction, so that the public lookup and
 * lot search warn on lots the ledger has not marked yet; the ledger's mark stays what they report once it is there.
 */
import type { LotRecord } from '@agritrace/chaincode/dist/shared/lots';
import type { RecallRecord } from '@agritrace/chaincode/dist/shared/recalls';
import { applyBlock } from '../../../src/follower/apply-block';
import { readPublicLot } from '../../../src/public/public-lot';
import { searchLots } from '../../../src/search/search-lots';
import { migrate } from '../../../src/store/migrate';
import { MIGRATIONS } from '../../../src/store/schema';
import { sampleStory } from '../../../src/store/sample-ledger';
import type { SampleLedger } from '../../../src/store/sample-ledger';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };
const RESOLVER = 'https://trace.example.cn';

/** One recall batch as the chaincode writes it: the recall record and the lots it marked (the rest later). */
function recallBatch(
  ledger: SampleLedger,
  rootLotId: string,
  marked: string[],
  previous?: RecallRecord,
): RecallRecord {
  let written: RecallRecord | undefined;
  ledger.tx('MofcomMSP', previous ? 'recalls:ContinueRecall' : 'recalls:RecallLot', (tx) => {
    const recallId = previous?.recallId ?? tx.txId;
    const done = (previous?.marked ?? 0) + marked.length;
    written = {
      ...(previous ?? tx.meta()),
      ...(previous ? tx.touched(previous) : {}),
      docType: 'recall',
      recallId,
      lotId: rootLotId,
      reason: 'chlorpyrifos above the GB 2763 limit',
      severity: 'I',
      authority: 'regulator',
      initiatedBy: tx.actor,
      status: done === 3 ? 'complete' : 'in_progress',
      discovered: done,
      marked: done,
      batches: (previous?.batches ?? 0) + 1,
      scope: { lots: done, quantities: [], custodians: [], producers: [], regions: [] },
    };
    for (const lotId of marked) {
      const lot = ledger.lots.get(lotId) as LotRecord;
      const recalled: LotRecord = {
        ...lot,
        ...tx.touched(lot),
        status: 'recalled',
        recall: { recallId, severity: 'I', at: tx.timestamp.toISOString(), txId: tx.txId },
      };
      ledger.lots.set(lotId, recalled);
      tx.put('lot', [lotId], recalled);
    }
    tx.put('recall', [recallId], written);
  });
  return written as RecallRecord;
}

describe.each(testEngines())('recall reach on %s', (engine) => {
  let opened: TestStore;
  const story = sampleStory(false);
  const [spinach, lettuce] = story.farmLots;
  const [boxA, boxB] = story.packagedLots;
  let recall: RecallRecord;

  beforeAll(async () => {
    opened = await openTestStore(engine);
    // The first batch marks only the farm lot; both packaged lots made from it wait for the next batch.
    recall = recallBatch(story.ledger, spinach, [spinach]);
    story.ledger.cut();
    for (const block of story.ledger.blocks) await applyBlock(opened.store, block, FOLLOWED);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  const reach = () =>
    opened.store.all<{ lot_id: string; depth: number; via: string | null }>(
      'SELECT lot_id, depth, via FROM recall_reach WHERE recall_id = ? ORDER BY depth, lot_id',
      [recall.recallId],
    );

  it('records the recalled lot and every lot made from it, with the recall block, and nothing else', async () => {
    expect((await reach()).map((row) => [row.lot_id, Number(row.depth), row.via])).toEqual([
      [spinach, 0, null],
      ...[boxA, boxB].sort().map((lotId) => [lotId, 1, spinach]),
    ]);
    const row = await opened.store.get<{ block_number: number }>(
      'SELECT block_number FROM recall_reach WHERE lot_id = ?',
      [boxB],
    );
    expect(Number(row?.block_number)).toBe(story.ledger.blocks.length - 1);
  });

  it('warns consumers on a downstream lot the ledger has not marked yet, and on no other lot', async () => {
    const unmarked = await opened.store.get<{ status: string }>('SELECT status FROM lots WHERE lot_id = ?', [
      boxB,
    ]);
    expect(unmarked?.status).toBe('active');
    const view = (await opened.store.snapshot((r) => readPublicLot(r, boxB, RESOLVER)))!.view;
    expect(view.warning).toMatchObject({
      type: 'recall',
      severity: 'I',
      recallId: recall.recallId,
      recalledLotId: spinach,
      markedOnLedger: false,
    });
    expect(view.compliance.status).toBe('recalled');
    expect(view.status).toBe('recalled');
    const farm = (await opened.store.snapshot((r) => readPublicLot(r, spinach, RESOLVER)))!.view;
    expect(farm.warning).toMatchObject({ type: 'recall', markedOnLedger: true });
    const other = (await opened.store.snapshot((r) => readPublicLot(r, lettuce, RESOLVER)))!.view;
    expect(other.warning).toBeNull();
  });

  it('counts the reach as recalled in lot search, with the recall, before the ledger marks it', async () => {
    const base = { page: 1, pageSize: 20 };
    const recalled = await searchLots(opened.store, { ...base, status: 'recalled' });
    expect(recalled.hits.map((hit) => [hit.lotId, hit.status, hit.recallId]).sort()).toEqual(
      [spinach, boxA, boxB].sort().map((lotId) => [lotId, 'recalled', recall.recallId]),
    );
    expect((await searchLots(opened.store, { ...base, status: 'active' })).hits.map((h) => h.lotId)).toEqual(
      [],
    );
    const byCode = await searchLots(opened.store, { ...base, q: 'SALAD-02' });
    expect(byCode.hits[0]).toMatchObject({ lotId: boxB, status: 'recalled', recallId: recall.recallId });
  });

  it('keeps the reach when later batches rewrite the recall, and reports the ledger mark once it is there', async () => {
    recall = recallBatch(story.ledger, spinach, [boxA, boxB], recall);
    const block = story.ledger.cut();
    await applyBlock(opened.store, block, FOLLOWED);
    expect(await reach()).toHaveLength(3);
    const status = await opened.store.get<{ status: string }>(
      'SELECT status FROM recalls WHERE recall_id = ?',
      [recall.recallId],
    );
    expect(status?.status).toBe('complete');
    const view = (await opened.store.snapshot((r) => readPublicLot(r, boxB, RESOLVER)))!.view;
    expect(view.warning).toMatchObject({ type: 'recall', recallId: recall.recallId, markedOnLedger: true });
    expect(view.status).toBe('recalled');
  });
});

describe.each(testEngines())('recall reach migration on %s', (engine) => {
  it('adds recall_reach to a store of an older schema version', async () => {
    const opened = await openTestStore(engine, false);
    try {
      expect((await migrate(opened.store, MIGRATIONS.slice(0, 1))).applied).toEqual([1]);
      const report = await migrate(opened.store);
      expect(report.applied).toEqual([2, 3, 4]);
      const rows = await opened.store.all('SELECT * FROM recall_reach');
      expect(rows).toEqual([]);
    } finally {
      await opened.dispose();
    }
  });
});
