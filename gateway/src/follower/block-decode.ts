/**
 * Decodes a channel block into what the follower applies: for each valid endorser transaction that touched our
 * chaincode, its position, ID, time, creator, the writes to the chaincode's namespace (key, value or delete) and
 * its chaincode event. Invalid transactions changed nothing on the ledger and are reported without writes.
 *
 * Envelopes are read straight from their protobuf wire format, field by field, along the one path to what the
 * follower uses: endorsements, signatures, certificates, read sets and responses, most of a transaction's bytes,
 * are skipped without being decoded, and values and event payloads are views of the block's bytes, not copies.
 * The field numbers are those of Fabric's protos (fabric-protos: common, peer, ledger/rwset, msp).
 */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { KvWrite } from '../fabric/ledger-decode';
import { WireReader } from './wire-reader';

export type { KvWrite } from '../fabric/ledger-decode';

/** A chaincode event as set by the transaction. */
export interface DecodedEvent {
  readonly name: string;
  readonly payload: Uint8Array;
}

/** One transaction of the block. */
export interface DecodedTransaction {
  readonly txId: string;
  /** Position in the block. */
  readonly index: number;
  /** Validation code as committed by the peer (StatusCode). */
  readonly validationCode: number;
  /** True for a valid endorser transaction: only these changed world state. */
  readonly valid: boolean;
  /** True if the transaction invoked our chaincode (and so may carry writes and an event of ours). */
  readonly ours: boolean;
  readonly timestamp: Date;
  readonly creatorMspId: string;
  /** The chaincode function invoked ('members:RegisterMember'). */
  readonly functionName?: string;
  /** Writes to our namespace in write-set order; empty unless valid and ours. */
  readonly writes: readonly KvWrite[];
  readonly event?: DecodedEvent;
}

/** A decoded block. */
export interface DecodedBlock {
  readonly number: number;
  readonly transactions: readonly DecodedTransaction[];
}

/** Decodes a block for the chaincode `namespace` (the chaincode name). */
export function decodeBlock(block: common.Block, namespace: string): DecodedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('block has no header');
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  return decodeEnvelopes(header.getNumber(), envelopes, filter, namespace);
}

/** Decodes serialized block bytes (as answered by qscc GetBlockByNumber). */
export function decodeBlockBytes(bytes: Uint8Array, namespace: string): DecodedBlock {
  // common.Block: header = 1 (BlockHeader: number = 1), data = 2 (BlockData: data = 1, repeated),
  // metadata = 3 (BlockMetadata: metadata = 1, repeated, indexed by BlockMetadataIndex).
  const reader = new WireReader(bytes);
  let number: number | undefined;
  const envelopes: Uint8Array[] = [];
  const metadata: Uint8Array[] = [];
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === field(1, LEN)) {
      const header = reader.message();
      number = 0;
      while (header.more()) {
        const headerTag = header.tag();
        if (headerTag === field(1, VARINT)) number = header.varint();
        else header.skip(headerTag);
      }
    } else if (tag === field(2, LEN)) repeatedBytes(reader.message(), 1, envelopes);
    else if (tag === field(3, LEN)) repeatedBytes(reader.message(), 1, metadata);
    else reader.skip(tag);
  }
  if (number === undefined) throw new Error('block has no header');
  return decodeEnvelopes(
    number,
    envelopes,
    metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER],
    namespace,
  );
}

function decodeEnvelopes(
  number: number,
  envelopes: readonly Uint8Array[],
  filter: Uint8Array | undefined,
  namespace: string,
): DecodedBlock {
  const transactions = envelopes.map((envelopeBytes, index) =>
    decodeTransaction(envelopeBytes, index, filter?.[index] ?? StatusCode.NOT_VALIDATED, namespace),
  );
  return { number, transactions };
}

/** Wire types. */
const VARINT = 0;
const LEN = 2;

/** The tag of field `number` with wire type `type`. */
function field(number: number, type: number): number {
  return number * 8 + type;
}

/** Appends every occurrence of repeated bytes field `number` of a message to `into`. */
function repeatedBytes(reader: WireReader, number: number, into: Uint8Array[]): void {
  const wanted = field(number, LEN);
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === wanted) into.push(reader.bytes());
    else reader.skip(tag);
  }
}

/** The last occurrence of bytes (or embedded message) field `number` of a message, or undefined. */
function bytesField(reader: WireReader, number: number): WireReader | undefined {
  const wanted = field(number, LEN);
  let found: WireReader | undefined;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === wanted) found = reader.message();
    else reader.skip(tag);
  }
  return found;
}

function decodeTransaction(
  envelopeBytes: Uint8Array,
  index: number,
  validationCode: number,
  namespace: string,
): DecodedTransaction {
  // common.Envelope: payload = 1. common.Payload: header = 1, data = 2.
  const payload = bytesField(new WireReader(envelopeBytes), 1) ?? WireReader.EMPTY;
  let payloadHeader: WireReader | undefined;
  let data = WireReader.EMPTY;
  while (payload.more()) {
    const tag = payload.tag();
    if (tag === field(1, LEN)) payloadHeader = payload.message();
    else if (tag === field(2, LEN)) data = payload.message();
    else payload.skip(tag);
  }
  if (!payloadHeader) throw new Error(`transaction ${index} has no channel header`);
  // common.Header: channel_header = 1, signature_header = 2.
  let channelHeader = WireReader.EMPTY;
  let signatureHeader = WireReader.EMPTY;
  while (payloadHeader.more()) {
    const tag = payloadHeader.tag();
    if (tag === field(1, LEN)) channelHeader = payloadHeader.message();
    else if (tag === field(2, LEN)) signatureHeader = payloadHeader.message();
    else payloadHeader.skip(tag);
  }
  // common.ChannelHeader: type = 1, timestamp = 3 (google.protobuf.Timestamp: seconds = 1, nanos = 2), tx_id = 5.
  let type = 0;
  let txId = '';
  let timestamp = new Date(0);
  while (channelHeader.more()) {
    const tag = channelHeader.tag();
    if (tag === field(1, VARINT)) type = channelHeader.varint();
    else if (tag === field(5, LEN)) txId = channelHeader.string();
    else if (tag === field(3, LEN)) {
      const time = channelHeader.message();
      let seconds = 0;
      let nanos = 0;
      while (time.more()) {
        const timeTag = time.tag();
        if (timeTag === field(1, VARINT)) seconds = time.varint();
        else if (timeTag === field(2, VARINT)) nanos = time.varint();
        else time.skip(timeTag);
      }
      timestamp = new Date(seconds * 1000 + nanos / 1000000);
    } else channelHeader.skip(tag);
  }
  const base = { txId, index, validationCode, timestamp, creatorMspId: creatorOf(signatureHeader) };
  const valid = validationCode === StatusCode.VALID;
  if (type !== common.HeaderType.ENDORSER_TRANSACTION) {
    return { ...base, valid: false, ours: false, writes: [] };
  }
  const writes: KvWrite[] = [];
  let event: DecodedEvent | undefined;
  let functionName: string | undefined;
  let ours = false;
  // peer.Transaction: actions = 1 (peer.TransactionAction: payload = 2, a peer.ChaincodeActionPayload).
  while (data.more()) {
    const tag = data.tag();
    if (tag !== field(1, LEN)) {
      data.skip(tag);
      continue;
    }
    const actionPayload = bytesField(data.message(), 2) ?? WireReader.EMPTY;
    // peer.ChaincodeActionPayload: chaincode_proposal_payload = 1, action = 2 (peer.ChaincodeEndorsedAction).
    let proposalPayload = WireReader.EMPTY;
    let endorsedAction: WireReader | undefined;
    while (actionPayload.more()) {
      const payloadTag = actionPayload.tag();
      if (payloadTag === field(1, LEN)) proposalPayload = actionPayload.message();
      else if (payloadTag === field(2, LEN)) endorsedAction = actionPayload.message();
      else actionPayload.skip(payloadTag);
    }
    const invoked = invokedChaincode(proposalPayload);
    if (invoked.name !== namespace) continue;
    ours = true;
    functionName ??= invoked.functionName;
    if (!endorsedAction) continue;
    // peer.ChaincodeEndorsedAction: proposal_response_payload = 1 (peer.ProposalResponsePayload: extension = 2, a
    // peer.ChaincodeAction: results = 1, events = 2).
    const responsePayload = bytesField(endorsedAction, 1) ?? WireReader.EMPTY;
    const chaincodeAction = bytesField(responsePayload, 2) ?? WireReader.EMPTY;
    let results = WireReader.EMPTY;
    let events = WireReader.EMPTY;
    while (chaincodeAction.more()) {
      const actionTag = chaincodeAction.tag();
      if (actionTag === field(1, LEN)) results = chaincodeAction.message();
      else if (actionTag === field(2, LEN)) events = chaincodeAction.message();
      else chaincodeAction.skip(actionTag);
    }
    if (valid) namespaceWrites(results, namespace, writes);
    const chaincodeEvent = chaincodeEventOf(events);
    if (chaincodeEvent) event = chaincodeEvent;
  }
  return {
    ...base,
    valid,
    ours,
    ...(functionName ? { functionName } : {}),
    writes,
    ...(event && valid ? { event } : {}),
  };
}

/** Appends the writes of a serialized TxReadWriteSet to one namespace to `into`. */
function namespaceWrites(rwset: WireReader, namespace: string, into: KvWrite[]): void {
  // ledger.rwset.TxReadWriteSet: ns_rwset = 2 (NsReadWriteSet: namespace = 1, rwset = 2, a kvrwset.KVRWSet).
  while (rwset.more()) {
    const tag = rwset.tag();
    if (tag !== field(2, LEN)) {
      rwset.skip(tag);
      continue;
    }
    const nsRwset = rwset.message();
    let ns = '';
    let kvRwset = WireReader.EMPTY;
    while (nsRwset.more()) {
      const nsTag = nsRwset.tag();
      if (nsTag === field(1, LEN)) ns = nsRwset.string();
      else if (nsTag === field(2, LEN)) kvRwset = nsRwset.message();
      else nsRwset.skip(nsTag);
    }
    if (ns !== namespace) continue;
    // kvrwset.KVRWSet: writes = 3 (KVWrite: key = 1, is_delete = 2, value = 3); reads and range queries skipped.
    while (kvRwset.more()) {
      const kvTag = kvRwset.tag();
      if (kvTag !== field(3, LEN)) {
        kvRwset.skip(kvTag);
        continue;
      }
      const write = kvRwset.message();
      let key = '';
      let isDelete = false;
      let value = EMPTY_BYTES;
      while (write.more()) {
        const writeTag = write.tag();
        if (writeTag === field(1, LEN)) key = write.string();
        else if (writeTag === field(2, VARINT)) isDelete = write.varint() !== 0;
        else if (writeTag === field(3, LEN)) value = write.bytes();
        else write.skip(writeTag);
      }
      into.push({ key, value: isDelete ? null : value });
    }
  }
}

const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** The event of a serialized ChaincodeEvent, if it has a name. */
function chaincodeEventOf(events: WireReader): DecodedEvent | undefined {
  if (!events.more()) return undefined;
  // peer.ChaincodeEvent: event_name = 3, payload = 4.
  let name = '';
  let payload = EMPTY_BYTES;
  while (events.more()) {
    const tag = events.tag();
    if (tag === field(3, LEN)) name = events.string();
    else if (tag === field(4, LEN)) payload = events.bytes();
    else events.skip(tag);
  }
  return name ? { name, payload } : undefined;
}

/** Name of the chaincode an action invoked, and its function ('contract:Transaction'). */
function invokedChaincode(proposalPayload: WireReader): { name: string; functionName?: string } {
  // peer.ChaincodeProposalPayload: input = 1 (peer.ChaincodeInvocationSpec: chaincode_spec = 1, a
  // peer.ChaincodeSpec: chaincode_id = 2 (ChaincodeID: name = 2), input = 3 (ChaincodeInput: args = 1, repeated)).
  const invocation = bytesField(proposalPayload, 1) ?? WireReader.EMPTY;
  const spec = bytesField(invocation, 1);
  if (!spec) return { name: '' };
  let name = '';
  let first: Uint8Array | undefined;
  while (spec.more()) {
    const tag = spec.tag();
    if (tag === field(2, LEN)) {
      const chaincodeId = spec.message();
      name = '';
      while (chaincodeId.more()) {
        const idTag = chaincodeId.tag();
        if (idTag === field(2, LEN)) name = chaincodeId.string();
        else chaincodeId.skip(idTag);
      }
    } else if (tag === field(3, LEN)) {
      const input = spec.message();
      first = undefined;
      while (input.more()) {
        const inputTag = input.tag();
        if (inputTag === field(1, LEN) && first === undefined) first = input.bytes();
        else input.skip(inputTag);
      }
    } else spec.skip(tag);
  }
  return first ? { name, functionName: Buffer.from(first).toString('utf8') } : { name };
}

/** The MSP ID of a serialized SignatureHeader's creator (SignatureHeader: creator = 1; msp.SerializedIdentity:
 * mspid = 1), or '' when there is none. */
function creatorOf(signatureHeader: WireReader): string {
  const creator = bytesField(signatureHeader, 1);
  if (!creator?.more()) return '';
  let mspId = '';
  while (creator.more()) {
    const tag = creator.tag();
    if (tag === field(1, LEN)) mspId = creator.string();
    else creator.skip(tag);
  }
  return mspId;
}
