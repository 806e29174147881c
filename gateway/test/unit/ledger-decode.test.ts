import { StatusCode } from '@hyperledger/fabric-gateway';
import { common, gateway } from '@hyperledger/fabric-protos';
import {
  decodeChainHeight,
  decodeTransactionInBlock,
  decodePreparedTransaction,
} from '../../src/fabric/ledger-decode';
import { envelopeOf } from './support/block-builder';

const TIME = new Date('2026-05-01T08:00:00.123Z');

/** An endorser transaction envelope as the orderer puts it in a block. */
function envelope(
  txId: string,
  creator: string,
  endorsers: string[],
  fn = 'members:RegisterMember',
): common.Envelope {
  const transaction = {
    txId,
    index: 0,
    validationCode: 0,
    valid: true,
    ours: true,
    timestamp: TIME,
    creatorMspId: creator,
    functionName: fn,
    writes: [],
  };
  const wire = { certificate: '-----BEGIN CERTIFICATE-----', endorsers, args: new Map([[txId, ['{}']]]) };
  return common.Envelope.deserializeBinary(envelopeOf(transaction, 'agritrace', undefined, wire));
}

function block(number: number, envelopes: common.Envelope[], codes: number[]): Uint8Array {
  const blockHeader = new common.BlockHeader();
  blockHeader.setNumber(number);
  const data = new common.BlockData();
  data.setDataList(envelopes.map((e) => e.serializeBinary()));
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
  ];
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = new Uint8Array(codes);
  metadata.setMetadataList(entries);
  const result = new common.Block();
  result.setHeader(blockHeader);
  result.setData(data);
  result.setMetadata(metadata);
  return result.serializeBinary();
}

const TX_A = 'a'.repeat(64);
const TX_B = 'b'.repeat(64);

describe('decodeTransactionInBlock', () => {
  it('finds the transaction and reads its block, validity, time, creator and endorsing organisations', () => {
    const bytes = block(
      12,
      [
        envelope(TX_A, 'CoopMSP', ['CoopMSP']),
        envelope(TX_B, 'CoopMSP', ['CoopMSP', 'MofcomMSP', 'CoopMSP']),
      ],
      [StatusCode.VALID, StatusCode.VALID],
    );
    expect(decodeTransactionInBlock(bytes, TX_B)).toEqual({
      txId: TX_B,
      channel: 'traceability',
      blockNumber: 12n,
      transactionIndex: 1,
      validationCode: 'VALID',
      valid: true,
      timestamp: TIME,
      type: 'ENDORSER_TRANSACTION',
      creatorMspId: 'CoopMSP',
      endorsingOrganizations: ['CoopMSP', 'MofcomMSP'],
      chaincode: { name: 'agritrace', function: 'members:RegisterMember' },
    });
  });

  it('reports an invalidated transaction with its validation code', () => {
    const bytes = block(3, [envelope(TX_A, 'CoopMSP', ['CoopMSP'])], [StatusCode.ENDORSEMENT_POLICY_FAILURE]);
    expect(decodeTransactionInBlock(bytes, TX_A)).toMatchObject({
      validationCode: 'ENDORSEMENT_POLICY_FAILURE',
      valid: false,
      endorsingOrganizations: ['CoopMSP'],
    });
  });

  it('answers undefined for a block that does not hold the transaction', () => {
    expect(decodeTransactionInBlock(block(3, [envelope(TX_A, 'CoopMSP', [])], [0]), TX_B)).toBeUndefined();
  });
});

describe('decodeChainHeight', () => {
  it('reads the height of a BlockchainInfo', () => {
    const info = new common.BlockchainInfo();
    info.setHeight(27);
    expect(decodeChainHeight(info.serializeBinary())).toBe(27n);
  });
});

describe('decodePreparedTransaction: timestamp', () => {
  it('reads the channel header timestamp of an endorsed transaction', () => {
    const prepared = new gateway.PreparedTransaction();
    prepared.setTransactionId(TX_A);
    prepared.setEnvelope(envelope(TX_A, 'CoopMSP', ['CoopMSP']));
    expect(decodePreparedTransaction(prepared.serializeBinary()).timestamp).toEqual(TIME);
  });
});

describe('decodePreparedTransaction: writes', () => {
  it('reads the writes to the chaincode’s namespace of an endorsed transaction, deletes as null', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const writes = [
      { key: '\u0000event\u0000e1\u0000', value: bytes('{"eventId":"e1"}') },
      { key: '\u0000eventByLot\u0000L\u0000e1\u0000', value: Uint8Array.from([0]) },
      { key: '\u0000lotByCustodian\u0000CoopMSP\u0000L\u0000', value: null },
    ];
    const prepared = new gateway.PreparedTransaction();
    prepared.setTransactionId(TX_A);
    prepared.setEnvelope(
      common.Envelope.deserializeBinary(
        envelopeOf(
          {
            txId: TX_A,
            index: 0,
            validationCode: 0,
            valid: true,
            ours: true,
            timestamp: TIME,
            creatorMspId: 'CoopMSP',
            writes,
          },
          'agritrace',
          'baseline',
        ),
      ),
    );
    const decoded = decodePreparedTransaction(prepared.serializeBinary());
    expect(decoded.writes('agritrace')).toEqual(writes);
    expect(decoded.writes('baseline')).toEqual([{ key: 'foreign-key', value: bytes('not ours') }]);
    expect(decoded.writes('other')).toEqual([]);
  });
});
