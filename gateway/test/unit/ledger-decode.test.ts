import { StatusCode } from '@hyperledger/fabric-gateway';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import {
  decodeChainHeight,
  decodeTransactionInBlock,
  preparedTransactionTimestamp,
  preparedTransactionWrites,
} from '../../src/fabric/ledger-decode';
import { envelopeOf } from './support/block-builder';

const TIME = new Date('2026-05-01T08:00:00.123Z');

function identity(mspId: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(
    new TextEncoder().encode(`-----BEGIN CERTIFICATE-----\n${mspId}\n-----END CERTIFICATE-----\n`),
  );
  return id.serializeBinary();
}

/** An endorser transaction envelope as the orderer puts it in a block. */
function envelope(
  txId: string,
  creator: string,
  endorsers: string[],
  fn = 'members:RegisterMember',
): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('traceability');
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(Timestamp.fromDate(TIME));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(identity(creator));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName('agritrace');
  const input = new peer.ChaincodeInput();
  input.setArgsList([new TextEncoder().encode(fn), new TextEncoder().encode('{}')]);
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());

  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setEndorsementsList(
    endorsers.map((mspId) => {
      const endorsement = new peer.Endorsement();
      endorsement.setEndorser(identity(mspId));
      endorsement.setSignature(new Uint8Array([1, 2, 3]));
      return endorsement;
    }),
  );
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const result = new common.Envelope();
  result.setPayload(payload.serializeBinary());
  return result;
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

describe('preparedTransactionTimestamp', () => {
  it('reads the channel header timestamp of an endorsed transaction', () => {
    const prepared = new gateway.PreparedTransaction();
    prepared.setTransactionId(TX_A);
    prepared.setEnvelope(envelope(TX_A, 'CoopMSP', ['CoopMSP']));
    expect(preparedTransactionTimestamp(prepared.serializeBinary())).toEqual(TIME);
  });
});

describe('preparedTransactionWrites', () => {
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
    const serialized = prepared.serializeBinary();
    expect(preparedTransactionWrites(serialized, 'agritrace')).toEqual(writes);
    expect(preparedTransactionWrites(serialized, 'baseline')).toEqual([
      { key: 'foreign-key', value: bytes('not ours') },
    ]);
    expect(preparedTransactionWrites(serialized, 'other')).toEqual([]);
  });
});
