/** Decoding real block protobufs: valid transactions of our chaincode only, their writes, deletes and events. */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { decodeBlock, decodeBlockBytes } from '../../../src/follower/block-decode';
import { compositeKey, parseCompositeKey } from '../../../src/follower/composite-key';
import { isoWeek, timeBuckets } from '../../../src/follower/time-buckets';
import { sampleStory } from '../../../src/store/sample-ledger';
import { configBlock, toProtoBlock } from '../support/block-builder';

describe('block decoding', () => {
  const story = sampleStory();
  const withTransfer = story.ledger.blocks.find((b) => b.transactions.some((t) => !t.valid))!;

  it('decodes each transaction: ID, position, time, creator, function, writes and event', () => {
    const decoded = decodeBlock(toProtoBlock(withTransfer), 'agritrace');
    expect(decoded.number).toBe(withTransfer.number);
    expect(decoded.transactions).toHaveLength(withTransfer.transactions.length);
    const [first] = decoded.transactions;
    const original = withTransfer.transactions[0]!;
    expect(first).toMatchObject({
      txId: original.txId,
      index: 0,
      valid: true,
      ours: true,
      creatorMspId: original.creatorMspId,
      functionName: original.functionName,
      timestamp: original.timestamp,
    });
    expect(first!.event?.name).toBe(original.event?.name);
    expect(first!.writes.map((w) => w.key)).toEqual(original.writes.map((w) => w.key));
    const deletes = (txs: typeof decoded.transactions) =>
      txs.flatMap((t) =>
        t.writes.filter((w) => w.value === null).map((w) => parseCompositeKey(w.key)?.objectType),
      );
    expect(deletes(decoded.transactions)).toEqual(['lotByCustodian']);
    expect(deletes(decoded.transactions)).toEqual(deletes(withTransfer.transactions.filter((t) => t.valid)));
  });

  it('gives an invalid transaction no writes and no event', () => {
    const decoded = decodeBlock(toProtoBlock(withTransfer), 'agritrace');
    const invalid = decoded.transactions.find((t) => !t.valid)!;
    expect(invalid.validationCode).toBe(StatusCode.MVCC_READ_CONFLICT);
    expect(invalid.writes).toEqual([]);
    expect(invalid.event).toBeUndefined();
  });

  it('keeps only writes to its own namespace', () => {
    const decoded = decodeBlock(toProtoBlock(withTransfer, { foreignNamespace: 'othercc' }), 'agritrace');
    expect(decoded.transactions[0]!.writes.some((w) => w.key === 'foreign-key')).toBe(false);
    const notOurs = decodeBlock(toProtoBlock(withTransfer), 'anothercc');
    expect(notOurs.transactions.every((t) => !t.ours && t.writes.length === 0)).toBe(true);
  });

  it('reads a config block as having no transactions of ours', () => {
    const decoded = decodeBlockBytes(configBlock(0).serializeBinary(), 'agritrace');
    expect(decoded.number).toBe(0);
    expect(decoded.transactions).toEqual([
      expect.objectContaining({ ours: false, valid: false, writes: [] }),
    ]);
  });
});

describe('composite keys', () => {
  it('round-trips object type and attributes', () => {
    const key = compositeKey('eventByLot', ['06901234567892:A1', '2026-05-01T00:00:00Z', 'abc']);
    expect(key).toBe('\u0000eventByLot\u000006901234567892:A1\u00002026-05-01T00:00:00Z\u0000abc\u0000');
    expect(parseCompositeKey(key)).toEqual({
      objectType: 'eventByLot',
      attributes: ['06901234567892:A1', '2026-05-01T00:00:00Z', 'abc'],
    });
    expect(parseCompositeKey('plainKey')).toBeUndefined();
  });
});

describe('time buckets', () => {
  it('uses the day written in the timestamp, its ISO week and month', () => {
    expect(timeBuckets('2026-05-01T23:30:00+08:00')).toEqual({
      day: '2026-05-01',
      week: '2026-W18',
      month: '2026-05',
    });
    expect(isoWeek(2027, 1, 1)).toBe('2026-W53');
    expect(isoWeek(2024, 12, 30)).toBe('2025-W01');
  });
});
