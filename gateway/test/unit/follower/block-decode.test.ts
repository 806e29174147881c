/** Decoding real block protobufs: valid transactions of our chaincode only, their writes, deletes and events. */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { decodeBlock, decodeBlockBytes } from '../../../src/follower/block-decode';
import type { DecodedBlock } from '../../../src/follower/block-decode';
import { compositeKey, parseCompositeKey } from '../../../src/follower/composite-key';
import { isoWeek, timeBuckets } from '../../../src/follower/time-buckets';
import { addLoadLots, sampleStory } from '../../../src/store/sample-ledger';
import { configBlock, toProtoBlock } from '../support/block-builder';
import type { ProtoOptions } from '../support/block-builder';
import { referenceDecodeBlock, referenceDecodeBlockBytes } from '../support/reference-decode';

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

describe('wire-format block decoding', () => {
  const story = sampleStory();
  addLoadLots(story.ledger, 12, 9);
  const blocks = story.ledger.blocks;
  const certificate = '-----BEGIN CERTIFICATE-----\nMIICKDCCAc+gAwIBAgIRAK\n-----END CERTIFICATE-----\n';
  const wire: ProtoOptions['wire'] = {
    certificate,
    endorsers: ['CoopMSP', 'InspectionMSP'],
    reads: new Map(
      blocks.flatMap((b) => b.transactions.map((t) => [t.txId, [compositeKey('member', ['X'])]])),
    ),
    args: new Map(blocks.flatMap((b) => b.transactions.map((t) => [t.txId, ['{"lotId":"x"}', 'operator']]))),
    responses: new Map(blocks.flatMap((b) => b.transactions.map((t) => [t.txId, '{"ok":true}']))),
  };
  const variants: [string, ProtoOptions][] = [
    ['plain', {}],
    ['with writes to another namespace', { foreignNamespace: 'othercc' }],
    ['with certificates, endorsements, reads, arguments and responses', { wire }],
  ];

  /** Both decoders' answers for a block, from the object and from its bytes. */
  function both(block: common.Block, namespace: string): [DecodedBlock, DecodedBlock][] {
    const bytes = block.serializeBinary();
    return [
      [decodeBlock(block, namespace), referenceDecodeBlock(block, namespace)],
      [decodeBlockBytes(bytes, namespace), referenceDecodeBlockBytes(bytes, namespace)],
    ];
  }

  it.each(variants)(
    'decodes every block of the sample ledger as the generated classes do (%s)',
    (_, options) => {
      expect(blocks.length).toBeGreaterThan(10);
      for (const decoded of blocks) {
        const block = toProtoBlock(decoded, options);
        for (const namespace of ['agritrace', 'othercc']) {
          for (const [actual, expected] of both(block, namespace)) expect(actual).toEqual(expected);
        }
      }
    },
  );

  it('decodes a config block, writes to other chaincodes and unusual transactions as the generated classes do', () => {
    const sample = toProtoBlock(
      blocks.find((b) => b.transactions.length >= 4)!,
      { wire },
    );
    const envelopes = sample.getData()!.getDataList_asU8();
    const edited = envelopes.map((bytes, i) => {
      const envelope = common.Envelope.deserializeBinary(bytes);
      const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const header = payload.getHeader()!;
      const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
      const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
      if (i === 0) header.setSignatureHeader(new Uint8Array()); // no creator
      if (i === 1) channelHeader.clearTimestamp(); // no time
      if (i === 2) {
        // a second action, of another chaincode, before ours
        const other = peer.ChaincodeActionPayload.deserializeBinary(
          transaction.getActionsList()[0]!.getPayload_asU8(),
        );
        const spec = peer.ChaincodeInvocationSpec.deserializeBinary(
          peer.ChaincodeProposalPayload.deserializeBinary(
            other.getChaincodeProposalPayload_asU8(),
          ).getInput_asU8(),
        );
        spec.getChaincodeSpec()!.getChaincodeId()!.setName('othercc');
        const proposal = new peer.ChaincodeProposalPayload();
        proposal.setInput(spec.serializeBinary());
        other.setChaincodeProposalPayload(proposal.serializeBinary());
        const action = new peer.TransactionAction();
        action.setPayload(other.serializeBinary());
        transaction.setActionsList([action, ...transaction.getActionsList()]);
      }
      if (i === 3) {
        // an action without its endorsed action
        const only = peer.ChaincodeActionPayload.deserializeBinary(
          transaction.getActionsList()[0]!.getPayload_asU8(),
        );
        only.clearAction();
        transaction.getActionsList()[0]!.setPayload(only.serializeBinary());
      }
      header.setChannelHeader(channelHeader.serializeBinary());
      payload.setData(transaction.serializeBinary());
      envelope.setPayload(payload.serializeBinary());
      return envelope.serializeBinary();
    });
    expect(edited.length).toBeGreaterThanOrEqual(4);
    sample.getData()!.setDataList(edited);
    for (const namespace of ['agritrace', 'othercc']) {
      for (const [actual, expected] of both(sample, namespace)) expect(actual).toEqual(expected);
    }
    for (const [actual, expected] of both(configBlock(0), 'agritrace')) expect(actual).toEqual(expected);
    const [first, second, third, fourth] = decodeBlock(sample, 'agritrace').transactions;
    expect(first!.creatorMspId).toBe('');
    expect(second!.timestamp).toEqual(new Date(0));
    expect(third!.ours && third!.writes.length > 0).toBe(true);
    expect(fourth).toMatchObject({ ours: true, writes: [] });
  });

  it('keeps empty values, deletes and key bytes exactly', () => {
    const decoded: DecodedBlock = {
      number: 7,
      transactions: [
        {
          ...blocks[3]!.transactions[0]!,
          index: 0,
          writes: [
            {
              key: compositeKey('lot', ['06901234567892:é-ü']),
              value: new TextEncoder().encode('\ufeff{"a":1}'),
            },
            { key: 'plain', value: new Uint8Array() },
            { key: compositeKey('lotByCustodian', ['CoopMSP', 'x']), value: null },
          ],
        },
      ],
    };
    const block = toProtoBlock(decoded);
    for (const [actual, expected] of both(block, 'agritrace')) expect(actual).toEqual(expected);
    expect(decodeBlock(block, 'agritrace').transactions[0]!.writes).toEqual(decoded.transactions[0]!.writes);
  });

  it('refuses truncated bytes', () => {
    const bytes = toProtoBlock(blocks[3]!).serializeBinary();
    expect(() => decodeBlockBytes(bytes.subarray(0, bytes.length - 40), 'agritrace')).toThrow();
  });
});
