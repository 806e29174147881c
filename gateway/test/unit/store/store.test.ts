/**
 * The store contract, run against every engine (SQLite; PostgreSQL when AGRITRACE_TEST_PG_URL is set, always in
 * CI): versioned migrations, transactions that commit or roll back whole, reads that never see an uncommitted
 * transaction, and an exact world-state mirror that never goes back in ledger order.
 */
import { migrate } from '../../../src/store/migrate';
import { MIGRATIONS } from '../../../src/store/schema';
import { putKv, readAllKv } from '../../../src/store/ledger-kv';
import { StoreError } from '../../../src/store/store';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

describe.each(testEngines())('store on %s', (engine) => {
  let opened: TestStore;
  beforeEach(async () => {
    opened = await openTestStore(engine, false);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('applies every migration once, and a second run applies none', async () => {
    const first = await migrate(opened.store);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    const second = await migrate(opened.store);
    expect(second.applied).toEqual([]);
    const tables = await opened.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM lots');
    expect(Number(tables?.n)).toBe(0);
  });

  it('refuses a store written by a newer schema version', async () => {
    await migrate(opened.store);
    await opened.store.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      999,
      'from the future',
      new Date().toISOString(),
    ]);
    await expect(migrate(opened.store)).rejects.toThrow(StoreError);
    await expect(migrate(opened.store)).rejects.toThrow(/schema version 999/);
  });

  describe('with the schema', () => {
    beforeEach(async () => {
      await migrate(opened.store);
    });

    it('commits a transaction whole, and rolls a failed one back whole', async () => {
      await opened.store.transaction(async (tx) => {
        await putKv(tx, { key: 'a', value: bytes('1'), blockNumber: 1, txIndex: 0, txId: 't1' });
        await putKv(tx, { key: 'b', value: bytes('2'), blockNumber: 1, txIndex: 0, txId: 't1' });
      });
      await expect(
        opened.store.transaction(async (tx) => {
          await putKv(tx, { key: 'c', value: bytes('3'), blockNumber: 2, txIndex: 0, txId: 't2' });
          throw new Error('crash in the middle of a block');
        }),
      ).rejects.toThrow('crash in the middle of a block');
      const keys = (await readAllKv(opened.store)).map((entry) => entry.key).sort();
      expect(keys).toEqual(['a', 'b']);
    });

    it('never shows a transaction to readers before it commits', async () => {
      let seenInside: unknown;
      await opened.store.transaction(async (tx) => {
        await putKv(tx, { key: 'x', value: bytes('1'), blockNumber: 1, txIndex: 0, txId: 't1' });
        seenInside = await opened.store.get('SELECT key FROM ledger_kv');
      });
      expect(seenInside).toBeUndefined();
      expect(await opened.store.get('SELECT key FROM ledger_kv')).toEqual({ key: 'x' });
    });

    it('gives a snapshot one consistent view while a transaction commits', async () => {
      await opened.store.run("INSERT INTO follower_checkpoint VALUES (1, 5, 'ch', 'cc', 'now')");
      const seen = await opened.store.snapshot(async (reader) => {
        const before = await reader.get<{ block_number: number }>(
          'SELECT block_number FROM follower_checkpoint',
        );
        await opened.store.run('UPDATE follower_checkpoint SET block_number = 6');
        const after = await reader.get<{ block_number: number }>(
          'SELECT block_number FROM follower_checkpoint',
        );
        return [Number(before?.block_number), Number(after?.block_number)];
      });
      expect(seen).toEqual([5, 5]);
      const now = await opened.store.get<{ block_number: number }>(
        'SELECT block_number FROM follower_checkpoint',
      );
      expect(Number(now?.block_number)).toBe(6);
    });

    it('mirrors composite keys and binary values exactly', async () => {
      const key = '\u0000lot\u000006901234567892:A1\u0000';
      const index = '\u0000lotByCustodian\u0000CoopMSP\u000006901234567892:A1\u0000';
      const json = bytes('{"product":"菠菜 spinach","quantity":500}');
      await opened.store.transaction(async (tx) => {
        await putKv(tx, { key, value: json, blockNumber: 3, txIndex: 1, txId: 't3' });
        await putKv(tx, { key: index, value: Uint8Array.from([0]), blockNumber: 3, txIndex: 1, txId: 't3' });
        await putKv(tx, {
          key: 'bin',
          value: Uint8Array.from([0xff, 0xfe, 0x00, 0x41]),
          blockNumber: 3,
          txIndex: 2,
          txId: 't4',
        });
      });
      const entries = new Map((await readAllKv(opened.store)).map((entry) => [entry.key, entry]));
      expect(Buffer.from(entries.get(key)?.value ?? []).equals(Buffer.from(json))).toBe(true);
      expect([...(entries.get(index)?.value ?? [])]).toEqual([0]);
      expect([...(entries.get('bin')?.value ?? [])]).toEqual([0xff, 0xfe, 0x00, 0x41]);
      expect(entries.get(key)).toMatchObject({ blockNumber: 3, txIndex: 1, txId: 't3' });
    });

    it('keeps the latest version of a key: a replayed older write never overwrites a newer one', async () => {
      await opened.store.transaction(async (tx) => {
        await putKv(tx, { key: 'k', value: bytes('new'), blockNumber: 9, txIndex: 2, txId: 'new' });
        await putKv(tx, { key: 'k', value: bytes('old'), blockNumber: 9, txIndex: 1, txId: 'old' });
        await putKv(tx, { key: 'k', value: bytes('older'), blockNumber: 4, txIndex: 7, txId: 'older' });
      });
      const [entry] = await readAllKv(opened.store);
      expect(entry).toMatchObject({ key: 'k', txId: 'new', blockNumber: 9, txIndex: 2 });
    });

    it('records a delete as a deleted row at its version', async () => {
      await opened.store.transaction(async (tx) => {
        await putKv(tx, { key: 'k', value: bytes('v'), blockNumber: 1, txIndex: 0, txId: 'a' });
        await putKv(tx, { key: 'k', value: null, blockNumber: 2, txIndex: 0, txId: 'b' });
      });
      const [entry] = await readAllKv(opened.store);
      expect(entry).toMatchObject({ key: 'k', value: null, blockNumber: 2, txId: 'b' });
    });

    it('serialises concurrent transactions instead of interleaving them', async () => {
      const order: string[] = [];
      await Promise.all(
        ['first', 'second'].map((name) =>
          opened.store.transaction(async (tx) => {
            order.push(`${name} begins`);
            await putKv(tx, { key: name, value: bytes(name), blockNumber: 1, txIndex: 0, txId: name });
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push(`${name} ends`);
          }),
        ),
      );
      expect(order).toEqual(['first begins', 'first ends', 'second begins', 'second ends']);
    });
  });
});

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
