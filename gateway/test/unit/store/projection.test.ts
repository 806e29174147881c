/**
 * The traceability story applied block by block to the store, on every engine: the world-state mirror, the
 * projected entity tables, the checkpoint, idempotent re-application, refusal of gaps, and invalid transactions
 * leaving no trace.
 */
import { applyBlock, BlockOrderError } from '../../../src/follower/apply-block';
import { readCheckpoint } from '../../../src/follower/checkpoint';
import { compositeKey } from '../../../src/follower/composite-key';
import { readAllKv } from '../../../src/store/ledger-kv';
import { sampleStory } from '../../../src/store/sample-ledger';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };

describe.each(testEngines())('projection on %s', (engine) => {
  let opened: TestStore;
  const story = sampleStory();

  beforeAll(async () => {
    opened = await openTestStore(engine);
    for (const block of story.ledger.blocks) await applyBlock(opened.store, block, FOLLOWED);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('checkpoints the last block applied', async () => {
    expect(await readCheckpoint(opened.store)).toBe(story.ledger.blocks.length - 1);
  });

  it('mirrors the latest write of every key, as a replay of the blocks computes it', async () => {
    const expected = new Map<string, { txId: string; value: string | null }>();
    for (const block of story.ledger.blocks) {
      for (const tx of block.transactions) {
        if (!tx.valid) continue;
        for (const write of tx.writes) {
          expected.set(write.key, {
            txId: tx.txId,
            value: write.value && Buffer.from(write.value).toString('hex'),
          });
        }
      }
    }
    const actual = await readAllKv(opened.store);
    expect(actual).toHaveLength(expected.size);
    for (const entry of actual) {
      expect({ txId: entry.txId, value: entry.value && Buffer.from(entry.value).toString('hex') }).toEqual(
        expected.get(entry.key),
      );
    }
  });

  it('projects members, lots, events, transfers, genealogy, recalls, violations and documents', async () => {
    const count = async (table: string) =>
      Number((await opened.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    expect(await count('members')).toBe(6);
    expect(await count('lots')).toBe(4);
    expect(await count('transfers')).toBe(4);
    expect(await count('genealogy')).toBe(4);
    expect(await count('recalls')).toBe(1);
    expect(await count('recall_scope')).toBe(3);
    expect(await count('violations')).toBe(1);
    expect(await count('lot_documents')).toBe(1);
    const approved = await opened.store.all<{ status: string }>('SELECT DISTINCT status FROM members');
    expect(approved).toEqual([{ status: 'approved' }]);
    const lot = await opened.store.get<Record<string, unknown>>('SELECT * FROM lots WHERE lot_id = ?', [
      story.packagedLots[0],
    ]);
    expect(lot).toMatchObject({
      status: 'recalled',
      custodian: 'RetailerMSP',
      producer: 'ProcessorMSP',
      remaining: 390,
      derivation_kind: 'process',
      recall_id: story.recallId,
      tx_id: story.recallId,
    });
  });

  it('links each event to its lots, in their roles', async () => {
    const roles = await opened.store.all<{ role: string; n: number }>(
      'SELECT role, COUNT(*) AS n FROM lot_event_lots GROUP BY role ORDER BY role',
    );
    expect(roles.map((r) => [r.role, Number(r.n)])).toEqual([
      ['input', 2],
      ['object', expect.any(Number)],
      ['output', 2],
    ]);
  });

  it('records every valid transaction once and no invalid one', async () => {
    const valid = story.ledger.blocks.flatMap((b) =>
      b.transactions.filter((t) => t.valid).map((t) => t.txId),
    );
    const invalid = story.ledger.blocks.flatMap((b) =>
      b.transactions.filter((t) => !t.valid).map((t) => t.txId),
    );
    expect(invalid.length).toBeGreaterThan(0);
    const rows = await opened.store.all<{ tx_id: string }>('SELECT tx_id FROM ledger_transactions');
    expect(rows.map((r) => r.tx_id).sort()).toEqual([...valid].sort());
  });

  it('applies a block again as a no-op, and refuses a block out of order', async () => {
    const last = story.ledger.blocks[story.ledger.blocks.length - 1]!;
    const again = await applyBlock(opened.store, last, FOLLOWED);
    expect(again.applied).toBe(false);
    await expect(
      applyBlock(opened.store, { number: last.number + 2, transactions: [] }, FOLLOWED),
    ).rejects.toThrow(BlockOrderError);
    expect(await readCheckpoint(opened.store)).toBe(last.number);
  });

  it('projects records from their bytes as written: views into a block, non-ASCII text; not one behind a BOM', async () => {
    const fresh = await openTestStore(engine);
    try {
      const member = (mspId: string, name: string) =>
        JSON.stringify({ mspId, name, role: 'producer', status: 'approved', region: '330183' });
      // The values are views into one buffer, at offsets, as the decoder hands them over.
      const text = [
        member('TeaMSP', '龙井茶 Longjing tea co-op'),
        `\ufeff${member('BomMSP', 'Byte-order mark')}`,
      ];
      const whole = new TextEncoder().encode(`xx${text[0]}${text[1]}`);
      const first = new TextEncoder().encode(text[0]).length;
      const values = [whole.subarray(2, 2 + first), whole.subarray(2 + first)];
      const [tea, bom] = [compositeKey('member', ['TeaMSP']), compositeKey('member', ['BomMSP'])];
      const base = story.ledger.blocks[1]!.transactions[0]!;
      await applyBlock(
        fresh.store,
        {
          number: 0,
          transactions: [
            {
              ...base,
              index: 0,
              writes: [
                { key: tea, value: values[0]! },
                { key: bom, value: values[1]! },
              ],
            },
          ],
        },
        FOLLOWED,
      );
      const members = await fresh.store.all<{ msp_id: string; name: string; record: string }>(
        'SELECT msp_id, name, record FROM members',
      );
      expect(members).toEqual([{ msp_id: 'TeaMSP', name: '龙井茶 Longjing tea co-op', record: text[0] }]);
      const mirrored = new Map((await readAllKv(fresh.store)).map((entry) => [entry.key, entry.value]));
      expect(Buffer.from(mirrored.get(tea)!).toString('utf8')).toBe(text[0]);
      expect(mirrored.has(bom)).toBe(true);
    } finally {
      await fresh.dispose();
    }
  });
});
