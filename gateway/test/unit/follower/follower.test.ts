/**
 * The follower against a scripted peer: it catches up from block 0, follows new blocks, survives a stream that
 * dies mid-way (a peer restart) and a crash in the middle of applying a block, and always ends with the store
 * matching the ledger, with nothing duplicated. The consistency check proves it and finds tampering.
 */
import { applyBlock } from '../../../src/follower/apply-block';
import { checkConsistency } from '../../../src/follower/consistency-check';
import { FollowerConfigError, LedgerFollower } from '../../../src/follower/follower';
import { addLoadLots, sampleStory } from '../../../src/store/sample-ledger';
import type { Store } from '../../../src/store/store';
import { configBlock, toProtoBlock } from '../support/block-builder';
import { FakeBlockSource } from '../support/fake-block-source';
import { openTestStore } from '../support/stores';
import type { TestStore } from '../support/stores';

const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };

function protoBlocks(story = sampleStory()) {
  return story.ledger.blocks.map((block) => (block.number === 0 ? configBlock(0) : toProtoBlock(block)));
}

async function counts(store: Store): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of [
    'ledger_kv',
    'ledger_transactions',
    'lots',
    'lot_events',
    'lot_event_lots',
    'transfers',
  ]) {
    result[table] = Number((await store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
  }
  return result;
}

describe('ledger follower', () => {
  let opened: TestStore;
  let follower: LedgerFollower | undefined;
  beforeEach(async () => {
    opened = await openTestStore('sqlite');
  });
  afterEach(async () => {
    await follower?.stop();
    follower = undefined;
    await opened.dispose();
  });

  function follow(source: FakeBlockSource): LedgerFollower {
    follower = new LedgerFollower({
      store: opened.store,
      source,
      followed: FOLLOWED,
      minBackoffMs: 5,
      maxBackoffMs: 20,
    });
    return follower;
  }

  it('catches up from block 0, then follows blocks as they are committed', async () => {
    const blocks = protoBlocks();
    const source = new FakeBlockSource(blocks.slice(0, 5));
    const f = follow(source);
    await f.start();
    expect(await f.waitForBlock(4, 5000)).toBe(true);
    source.append(...blocks.slice(5));
    expect(await f.waitForBlock(blocks.length - 1, 5000)).toBe(true);
    expect(await f.lag()).toEqual({
      checkpointBlock: blocks.length - 1,
      ledgerHeight: blocks.length,
      behindBlocks: 0,
    });
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report.differences).toEqual([]);
    expect(report.keys).toBeGreaterThan(50);
  });

  it('resumes from its checkpoint after the stream dies mid-way, without losing or repeating anything', async () => {
    const blocks = protoBlocks();
    const source = new FakeBlockSource(blocks);
    source.failAfter = 4;
    source.failOpens = 2;
    const f = follow(source);
    await f.start();
    expect(await f.waitForBlock(blocks.length - 1, 5000)).toBe(true);
    expect(source.opened[0]).toBe(0);
    expect(source.opened[1]).toBe(4);
    expect(f.status().reconnects).toBeGreaterThanOrEqual(1);
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report.differences).toEqual([]);

    // The same history applied to a second store in one uninterrupted run gives the same rows.
    const reference = await openTestStore('sqlite');
    try {
      for (const block of sampleStory().ledger.blocks) await applyBlock(reference.store, block, FOLLOWED);
      expect(await counts(opened.store)).toEqual(await counts(reference.store));
    } finally {
      await reference.dispose();
    }
  });

  it('survives a crash in the middle of a block: the block is applied whole on restart', async () => {
    const blocks = protoBlocks();
    const source = new FakeBlockSource(blocks.slice(0, 6));
    const f = follow(source);
    await f.start();
    await f.waitForBlock(5, 5000);
    await f.stop();
    follower = undefined;
    // A crash after some rows of block 6 were written: the transaction never commits.
    const story = sampleStory();
    await expect(
      opened.store.transaction(async (tx) => {
        await tx.run("INSERT INTO lots (lot_id) VALUES ('half-written')");
      }),
    ).rejects.toThrow();
    await expect(
      applyBlock(
        opened.store,
        {
          ...story.ledger.blocks[6]!,
          transactions: [...story.ledger.blocks[6]!.transactions, null as never],
        },
        FOLLOWED,
      ),
    ).rejects.toThrow();
    source.append(...blocks.slice(6));
    const restarted = follow(source);
    await restarted.start();
    expect(await restarted.waitForBlock(blocks.length - 1, 5000)).toBe(true);
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report.differences).toEqual([]);
  });

  it('refuses a store that follows another channel or chaincode', async () => {
    await applyBlock(
      opened.store,
      { number: 0, transactions: [] },
      { channel: 'other', chaincode: 'agritrace' },
    );
    await expect(follow(new FakeBlockSource()).start()).rejects.toThrow(FollowerConfigError);
  });
});

describe('consistency check', () => {
  let opened: TestStore;
  const blocks = protoBlocks();
  const source = new FakeBlockSource(blocks);
  beforeEach(async () => {
    opened = await openTestStore('sqlite');
    for (const block of sampleStory().ledger.blocks) await applyBlock(opened.store, block, FOLLOWED);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('reports no difference for a faithful store', async () => {
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report).toMatchObject({
      checkedBlock: blocks.length - 1,
      ledgerHeight: blocks.length,
      behindBlocks: 0,
    });
    expect(report.differences).toEqual([]);
  });

  it('reports a missing key, an extra key, a stale value, a forged row and a lost transaction', async () => {
    const [victim, other] = await opened.store.all<{ key: string }>(
      "SELECT key FROM ledger_kv WHERE key LIKE '%lot\\u0000%' ORDER BY key LIMIT 2",
    );
    await opened.store.run('DELETE FROM ledger_kv WHERE key = ?', [victim!.key]);
    await opened.store.run("UPDATE ledger_kv SET value = '{}' WHERE key = ?", [other!.key]);
    await opened.store.run("INSERT INTO ledger_kv VALUES ('forged', 'x', 'utf8', 0, 'tx', 1, 0)");
    await opened.store.run(
      "UPDATE lots SET tx_id = 'someone-else' WHERE lot_id = (SELECT MIN(lot_id) FROM lots)",
    );
    await opened.store.run(
      'DELETE FROM ledger_transactions WHERE tx_id = (SELECT MIN(tx_id) FROM ledger_transactions)',
    );
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    const kinds = report.differences.map((d) => `${d.kind} ${d.subject}`).sort();
    expect(kinds).toEqual(['extra kv', 'missing kv', 'missing transaction', 'stale kv', 'stale lots']);
  });

  it('counts single-lot events kept under their lot as events: reports the one the store lost', async () => {
    const sale = await opened.store.get<{ event_id: string }>(
      "SELECT event_id FROM lot_events WHERE biz_step = 'retail_selling'",
    );
    await opened.store.run('DELETE FROM lot_events WHERE event_id = ?', [sale!.event_id]);
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report.differences).toEqual([
      { kind: 'missing', subject: 'lot_events', id: sale!.event_id, ledger: `written by ${sale!.event_id}` },
    ]);
  });

  it('reports a store that claims blocks the ledger does not have', async () => {
    await opened.store.run('UPDATE follower_checkpoint SET block_number = 999');
    const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
    expect(report.differences).toContainEqual(
      expect.objectContaining({ kind: 'ahead', subject: 'checkpoint' }),
    );
  });
});

describe('load', () => {
  it('follows 1,000 more lots (3,000 transactions) and stays consistent', async () => {
    const story = sampleStory();
    addLoadLots(story.ledger, 1000);
    const opened = await openTestStore('sqlite');
    const source = new FakeBlockSource(protoBlocks(story));
    const follower = new LedgerFollower({ store: opened.store, source, followed: FOLLOWED });
    try {
      await follower.start();
      expect(await follower.waitForBlock(source.blocks.length - 1, 60_000)).toBe(true);
      const report = await checkConsistency(opened.store, source, { chaincode: 'agritrace' });
      expect(report.differences).toEqual([]);
      expect(Number((await opened.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM lots'))?.n)).toBe(1004);
    } finally {
      await follower.stop();
      await opened.dispose();
    }
  });
});
