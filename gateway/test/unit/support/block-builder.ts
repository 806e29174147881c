/**
 * Real Fabric block protobufs for the follower's tests: turns a decoded block (the sample ledger's) back into a
 * common.Block with envelopes, endorser transactions, read-write sets, chaincode events and the transactions
 * filter, exactly the structures a peer delivers, so that decoding is tested on the real wire format.
 */
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { DecodedBlock, DecodedTransaction } from '../../../src/follower/block-decode';

/** Options of {@link toProtoBlock}. */
export interface ProtoOptions {
  /** Chaincode name (namespace). */
  readonly namespace?: string;
  /** Extra writes to another namespace in each transaction (must be ignored by the follower). */
  readonly foreignNamespace?: string;
  /**
   * The parts a peer's blocks carry that the follower does not use (left out when unset): the creator's
   * certificate, each endorser's identity and signature, the envelope's signature and, by transaction ID, the keys
   * each transaction read, its arguments and its response, so that decoding is measured on blocks of a real size.
   */
  readonly wire?: WireExtras;
}

/** Certificates, signatures and read sets of a realistic block (see {@link ProtoOptions.wire}). */
export interface WireExtras {
  /** The PEM certificate of every identity (creator and endorsers). */
  readonly certificate: string;
  /** The MSP IDs of the endorsing peers. */
  readonly endorsers: readonly string[];
  /** The keys each transaction read, by transaction ID. */
  readonly reads?: ReadonlyMap<string, readonly string[]>;
  /** The arguments after the function name, by transaction ID. */
  readonly args?: ReadonlyMap<string, readonly string[]>;
  /** The chaincode's response payload, by transaction ID. */
  readonly responses?: ReadonlyMap<string, string>;
}

/** A DER ECDSA signature's typical length. */
const SIGNATURE_BYTES = 71;

/** The protobuf block of a decoded block. */
export function toProtoBlock(decoded: DecodedBlock, options: ProtoOptions = {}): common.Block {
  const namespace = options.namespace ?? 'agritrace';
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(decoded.number);
  block.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(
    decoded.transactions.map((tx) => envelopeOf(tx, namespace, options.foreignNamespace, options.wire)),
  );
  block.setData(data);
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
  ];
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(
    decoded.transactions.map((tx) => tx.validationCode),
  );
  metadata.setMetadataList(entries);
  block.setMetadata(metadata);
  return block;
}

/** A config block (no endorser transactions), as block 0 of a channel is. */
export function configBlock(number: number): common.Block {
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  block.setHeader(header);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setChannelId('traceability');
  const payloadHeader = new common.Header();
  payloadHeader.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(payloadHeader);
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  const data = new common.BlockData();
  data.setDataList([envelope.serializeBinary()]);
  block.setData(data);
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([
    new Uint8Array(),
    new Uint8Array(),
    Uint8Array.from([0]),
    new Uint8Array(),
    new Uint8Array(),
  ]);
  block.setMetadata(metadata);
  return block;
}

/** The serialized envelope of a decoded transaction: its writes in `namespace` (and `foreignNamespace`, if given). */
export function envelopeOf(
  tx: DecodedTransaction,
  namespace: string,
  foreignNamespace?: string,
  wire?: WireExtras,
): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('traceability');
  channelHeader.setTxId(tx.txId);
  channelHeader.setTimestamp(Timestamp.fromDate(tx.timestamp));
  const creator = new msp.SerializedIdentity();
  creator.setMspid(tx.creatorMspId);
  creator.setIdBytes(new TextEncoder().encode(wire?.certificate ?? '-----BEGIN CERTIFICATE-----'));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  if (wire) signatureHeader.setNonce(new Uint8Array(24).fill(7));
  const payloadHeader = new common.Header();
  payloadHeader.setChannelHeader(channelHeader.serializeBinary());
  payloadHeader.setSignatureHeader(signatureHeader.serializeBinary());

  const nsSets: ledger.rwset.NsReadWriteSet[] = [];
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  kv.setReadsList(
    (wire?.reads?.get(tx.txId) ?? []).map((key) => {
      const read = new ledger.rwset.kvrwset.KVRead();
      read.setKey(key);
      const version = new ledger.rwset.kvrwset.Version();
      version.setBlockNum(1);
      version.setTxNum(0);
      read.setVersion(version);
      return read;
    }),
  );
  kv.setWritesList(
    tx.writes.map((write) => {
      const w = new ledger.rwset.kvrwset.KVWrite();
      w.setKey(write.key);
      if (write.value === null) w.setIsDelete(true);
      else w.setValue(write.value);
      return w;
    }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace(namespace);
  ns.setRwset(kv.serializeBinary());
  nsSets.push(ns);
  if (foreignNamespace) {
    const foreign = new ledger.rwset.kvrwset.KVRWSet();
    const w = new ledger.rwset.kvrwset.KVWrite();
    w.setKey('foreign-key');
    w.setValue(new TextEncoder().encode('not ours'));
    foreign.setWritesList([w]);
    const other = new ledger.rwset.NsReadWriteSet();
    other.setNamespace(foreignNamespace);
    other.setRwset(foreign.serializeBinary());
    nsSets.push(other);
  }
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  rwset.setNsRwsetList(nsSets);

  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResults(rwset.serializeBinary());
  const responseText = wire?.responses?.get(tx.txId);
  if (responseText !== undefined) {
    const response = new peer.Response();
    response.setStatus(200);
    response.setPayload(new TextEncoder().encode(responseText));
    chaincodeAction.setResponse(response);
  }
  if (tx.event) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId(namespace);
    event.setTxId(tx.txId);
    event.setEventName(tx.event.name);
    event.setPayload(tx.event.payload);
    chaincodeAction.setEvents(event.serializeBinary());
  }
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  if (wire) responsePayload.setProposalHash(new Uint8Array(32).fill(9));
  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setProposalResponsePayload(responsePayload.serializeBinary());
  if (wire) {
    endorsedAction.setEndorsementsList(
      wire.endorsers.map((mspId) => {
        const endorser = new msp.SerializedIdentity();
        endorser.setMspid(mspId);
        endorser.setIdBytes(new TextEncoder().encode(wire.certificate));
        const endorsement = new peer.Endorsement();
        endorsement.setEndorser(endorser.serializeBinary());
        endorsement.setSignature(new Uint8Array(SIGNATURE_BYTES).fill(3));
        return endorsement;
      }),
    );
  }

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(namespace);
  const input = new peer.ChaincodeInput();
  input.setArgsList(
    [tx.functionName ?? 'members:ReadMember', ...(wire?.args?.get(tx.txId) ?? [])].map((arg) =>
      new TextEncoder().encode(arg),
    ),
  );
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());

  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  actionPayload.setAction(endorsedAction);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const payload = new common.Payload();
  payload.setHeader(payloadHeader);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  if (wire) envelope.setSignature(new Uint8Array(SIGNATURE_BYTES).fill(5));
  return envelope.serializeBinary();
}
