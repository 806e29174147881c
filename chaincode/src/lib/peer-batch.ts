/**
 * Fewer round trips to the peer. Every state call of a Node chaincode is a message to the peer and an awaited
 * answer over the chaincode stream; a life-cycle event used to take six of them (three reads, three writes), each
 * handled on both sides, on each endorsing peer. Fabric 3.1 peers also take a transaction's writes in one message
 * (WRITE_BATCH_STATE) and several keys' reads in one (GET_STATE_MULTIPLE); the Go shim uses both, but fabric-shim
 * 2.5.8, the newest Node shim, knows neither. This module speaks them over the shim's own message queue:
 *
 * - A transaction's writes (putState, deleteState, setStateValidationParameter) are kept in order and sent in one
 *   WRITE_BATCH_STATE message when the transaction function has returned (LedgerContract.afterTransaction). The
 *   peer applies the records in order, as it would the separate calls. A function that throws writes nothing, as
 *   before (Fabric discards a failed simulation). Reads never saw the transaction's own writes, so deferring them
 *   changes no read.
 * - `readStates` asks for several keys in one GET_STATE_MULTIPLE message; the values land in the transaction's read
 *   cache (lib/state.ts), so the reads that follow cost nothing.
 *
 * A peer that does not know these messages (Fabric before 3.0) answers with an error: the first refusal switches
 * this process back to one message per call. Where the stub has no peer handler (the unit tests' ledger), writes
 * are still deferred and then replayed through the stub's own calls, so the ordering logic is exercised there too.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { Context } from 'fabric-contract-api';
import type { ChaincodeStub } from 'fabric-shim';

/** ChaincodeMessage types and WriteRecord types of Fabric 3.1 (fabric-protos peer/chaincode_shim.proto). */
const MESSAGE = { WRITE_BATCH_STATE: 24, GET_STATE_MULTIPLE: 25 } as const;
const RECORD = { PUT_STATE: 9, DEL_STATE: 10, PUT_STATE_METADATA: 21 } as const;
/** The peer's default limit on records per batch and keys per multiple get (core.yaml chaincode.runtimeParams). */
export const MAX_BATCH_RECORDS = 1000;
/** Metadata key of a key-level endorsement policy (fabric-shim's stub.validationParameterMetakey). */
const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** One deferred write, in the order the transaction made it. */
export type PendingWrite =
  | { readonly kind: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'policy'; readonly key: string; readonly policy: Uint8Array };

/** The part of fabric-shim's handler this module uses (ChaincodeMessageHandler, not exported by fabric-shim). */
interface ShimHandler {
  _askPeerAndListen(message: unknown, method: string): Promise<Uint8Array>;
}

/** Whether this process's peer takes batched messages; unknown until the first answer. */
let peerTakesBatches: boolean | undefined;

const pending = new WeakMap<object, PendingWrite[]>();

/**
 * Defers the stub's writes until {@link flushWrites}: putState, deleteState and setStateValidationParameter are
 * replaced on this transaction's stub by calls that only record the write.
 */
export function deferWrites(ctx: Context): void {
  const stub = ctx.stub;
  if (pending.has(stub)) return;
  const writes: PendingWrite[] = [];
  pending.set(stub, writes);
  const target = stub as unknown as Record<string, unknown>;
  target.putState = async (key: string, value: Uint8Array | string): Promise<void> => {
    requireKey(key, 'putState');
    writes.push({ kind: 'put', key, value: typeof value === 'string' ? Buffer.from(value) : value });
  };
  target.deleteState = async (key: string): Promise<void> => {
    requireKey(key, 'deleteState');
    writes.push({ kind: 'delete', key });
  };
  target.setStateValidationParameter = async (key: string, policy: Uint8Array): Promise<void> => {
    requireKey(key, 'setStateValidationParameter');
    writes.push({ kind: 'policy', key, policy });
  };
}

/** Sends the transaction's deferred writes to the peer (in batches of at most MAX_BATCH_RECORDS). */
export async function flushWrites(ctx: Context): Promise<void> {
  const stub = ctx.stub;
  const writes = pending.get(stub);
  if (!writes) return;
  pending.delete(stub);
  if (writes.length === 0) return;
  const handler = shimHandler(stub);
  if (handler && peerTakesBatches !== false) {
    let sent = 0;
    try {
      for (; sent < writes.length; sent += MAX_BATCH_RECORDS) {
        const chunk = writes.slice(sent, sent + MAX_BATCH_RECORDS);
        await ask(handler, stub, MESSAGE.WRITE_BATCH_STATE, encodeWriteBatch(chunk), 'WriteBatchState');
        peerTakesBatches = true;
      }
      return;
    } catch (err) {
      if (peerTakesBatches === true || !unknownMessage(err)) throw err;
      peerTakesBatches = false;
    }
  }
  await replay(stub, writes);
}

/**
 * The committed values of several keys in one request where the peer takes it (empty bytes for an absent key), in
 * the order asked; otherwise one request per key.
 */
export async function getStates(stub: ChaincodeStub, keys: readonly string[]): Promise<Uint8Array[]> {
  const handler = shimHandler(stub);
  if (handler && keys.length > 1 && keys.length <= MAX_BATCH_RECORDS && peerTakesBatches !== false) {
    try {
      const answer = await ask(
        handler,
        stub,
        MESSAGE.GET_STATE_MULTIPLE,
        encodeGetMultiple(keys),
        'GetStateMultiple',
      );
      peerTakesBatches = true;
      const values = decodeRepeatedBytes(answer);
      if (values.length !== keys.length) {
        throw new Error(`the peer answered ${values.length} values for ${keys.length} keys`);
      }
      return values;
    } catch (err) {
      if (peerTakesBatches === true || !unknownMessage(err)) throw err;
      peerTakesBatches = false;
    }
  }
  return Promise.all(keys.map((key) => stub.getState(key)));
}

/** The deferred writes replayed one call each, through the stub's original methods. */
async function replay(stub: ChaincodeStub, writes: readonly PendingWrite[]): Promise<void> {
  const original = Object.getPrototypeOf(stub) as ChaincodeStub;
  for (const write of writes) {
    if (write.kind === 'put') await original.putState.call(stub, write.key, write.value);
    else if (write.kind === 'delete') await original.deleteState.call(stub, write.key);
    else await original.setStateValidationParameter.call(stub, write.key, write.policy);
  }
}

function shimHandler(stub: ChaincodeStub): ShimHandler | undefined {
  const handler = (stub as unknown as { handler?: Partial<ShimHandler> }).handler;
  return handler && typeof handler._askPeerAndListen === 'function' ? (handler as ShimHandler) : undefined;
}

function ask(
  handler: ShimHandler,
  stub: ChaincodeStub,
  type: number,
  payload: Uint8Array,
  method: string,
): Promise<Uint8Array> {
  const message = new peer.ChaincodeMessage();
  message.setType(type as peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap]);
  message.setPayload(payload);
  message.setTxid(stub.getTxID());
  message.setChannelId(stub.getChannelID());
  return handler._askPeerAndListen(message, method);
}

/** True for the peer's refusal of a message type it does not handle (a peer older than Fabric 3.0). */
function unknownMessage(err: unknown): boolean {
  return err instanceof Error && /cannot handle message/.test(err.message);
}

function requireKey(key: string, call: string): void {
  if (typeof key !== 'string' || key.length === 0)
    throw new Error(`${call}: the key must be a non-empty string`);
}

// Protocol Buffers wire format, for the three messages fabric-protos 0.2.2 does not define.

/** WriteBatchState { repeated WriteRecord rec = 1 }. */
export function encodeWriteBatch(writes: readonly PendingWrite[]): Uint8Array {
  const writer = new ProtoWriter();
  for (const write of writes) writer.message(1, encodeWriteRecord(write));
  return writer.finish();
}

/** WriteRecord { key = 1; value = 2; collection = 3; StateMetadata metadata = 4; Type type = 5 }. */
function encodeWriteRecord(write: PendingWrite): Uint8Array {
  const writer = new ProtoWriter();
  writer.string(1, write.key);
  if (write.kind === 'put') {
    writer.bytes(2, write.value);
    writer.varint(5, RECORD.PUT_STATE);
  } else if (write.kind === 'delete') {
    writer.varint(5, RECORD.DEL_STATE);
  } else {
    // StateMetadata { metakey = 1; value = 2 }
    const metadata = new ProtoWriter();
    metadata.string(1, VALIDATION_PARAMETER);
    metadata.bytes(2, write.policy);
    writer.message(4, metadata.finish());
    writer.varint(5, RECORD.PUT_STATE_METADATA);
  }
  return writer.finish();
}

/** GetStateMultiple { repeated string keys = 1; collection = 2 } (public state: no collection). */
export function encodeGetMultiple(keys: readonly string[]): Uint8Array {
  const writer = new ProtoWriter();
  for (const key of keys) writer.string(1, key);
  return writer.finish();
}

/** GetStateMultipleResult { repeated bytes values = 1 }, or any message's repeated bytes field 1. */
export function decodeRepeatedBytes(bytes: Uint8Array): Uint8Array[] {
  const values: Uint8Array[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (at >= bytes.length) throw new Error('truncated varint in the peer answer');
      const byte = bytes[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2) {
      const length = varint();
      if (at + length > bytes.length) throw new Error('truncated field in the peer answer');
      if (field === 1) values.push(bytes.subarray(at, at + length));
      at += length;
    } else if (wire === 0) {
      varint();
    } else {
      throw new Error(`unexpected wire type ${wire} in the peer answer`);
    }
  }
  return values;
}

/** Appends fields in the Protocol Buffers wire format. */
class ProtoWriter {
  readonly #parts: Uint8Array[] = [];

  string(field: number, value: string): void {
    this.bytes(field, Buffer.from(value, 'utf8'));
  }

  bytes(field: number, value: Uint8Array): void {
    this.#tag(field, 2);
    this.#raw(value.length);
    this.#parts.push(value);
  }

  message(field: number, encoded: Uint8Array): void {
    this.bytes(field, encoded);
  }

  varint(field: number, value: number): void {
    this.#tag(field, 0);
    this.#raw(value);
  }

  finish(): Uint8Array {
    return Buffer.concat(this.#parts);
  }

  #tag(field: number, wire: number): void {
    this.#raw(field * 8 + wire);
  }

  #raw(value: number): void {
    const out: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      out.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    out.push(rest);
    this.#parts.push(Uint8Array.from(out));
  }
}
