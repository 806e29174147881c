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
}

/** The protobuf block of a decoded block. */
export function toProtoBlock(decoded: DecodedBlock, options: ProtoOptions = {}): common.Block {
  const namespace = options.namespace ?? 'agritrace';
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(decoded.number);
  block.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(decoded.transactions.map((tx) => envelopeOf(tx, namespace, options.foreignNamespace)));
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
export function envelopeOf(tx: DecodedTransaction, namespace: string, foreignNamespace?: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId('traceability');
  channelHeader.setTxId(tx.txId);
  channelHeader.setTimestamp(Timestamp.fromDate(tx.timestamp));
  const creator = new msp.SerializedIdentity();
  creator.setMspid(tx.creatorMspId);
  creator.setIdBytes(new TextEncoder().encode('-----BEGIN CERTIFICATE-----'));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  const payloadHeader = new common.Header();
  payloadHeader.setChannelHeader(channelHeader.serializeBinary());
  payloadHeader.setSignatureHeader(signatureHeader.serializeBinary());

  const nsSets: ledger.rwset.NsReadWriteSet[] = [];
  const kv = new ledger.rwset.kvrwset.KVRWSet();
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
  const endorsedAction = new peer.ChaincodeEndorsedAction();
  endorsedAction.setProposalResponsePayload(responsePayload.serializeBinary());

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(namespace);
  const input = new peer.ChaincodeInput();
  input.setArgsList([new TextEncoder().encode(tx.functionName ?? 'members:ReadMember')]);
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
  return envelope.serializeBinary();
}
