/**
 * Batched messages to the peer: a transaction's writes leave in one WRITE_BATCH_STATE message, in the order made,
 * and several reads in one GET_STATE_MULTIPLE; a peer that refuses them gets one message per call instead. The
 * messages are decoded here with google-protobuf's generic reader (the library fabric-protos is built on), field
 * by field as Fabric 3.1's chaincode_shim.proto numbers them; the live network's integration tests show the peer
 * applying them.
 */
import './support/quiet-logging';
import { peer } from '@hyperledger/fabric-protos';
import { Context } from 'fabric-contract-api';
import { BinaryReader } from 'google-protobuf';
import {
  MAX_BATCH_RECORDS,
  decodeRepeatedBytes,
  deferWrites,
  encodeGetMultiple,
  flushWrites,
  getStates,
} from '../src/lib/peer-batch';

interface DecodedRecord {
  key: string;
  value?: string;
  metakey?: string;
  metavalue?: string;
  type: number;
}

/** WriteBatchState → its WriteRecords. */
function decodeBatch(bytes: Uint8Array): DecodedRecord[] {
  const records: DecodedRecord[] = [];
  const reader = new BinaryReader(bytes);
  while (reader.nextField()) {
    expect(reader.getFieldNumber()).toBe(1);
    const record: DecodedRecord = { key: '', type: 0 };
    const inner = new BinaryReader(reader.readBytes());
    while (inner.nextField()) {
      switch (inner.getFieldNumber()) {
        case 1:
          record.key = inner.readString();
          break;
        case 2:
          record.value = Buffer.from(inner.readBytes()).toString();
          break;
        case 4: {
          const metadata = new BinaryReader(inner.readBytes());
          while (metadata.nextField()) {
            if (metadata.getFieldNumber() === 1) record.metakey = metadata.readString();
            else record.metavalue = Buffer.from(metadata.readBytes()).toString();
          }
          break;
        }
        case 5:
          record.type = inner.readEnum();
          break;
        default:
          throw new Error(`unexpected field ${inner.getFieldNumber()}`);
      }
    }
    records.push(record);
  }
  return records;
}

/** A stub as fabric-shim builds it (methods on the prototype, the handler a property), recording direct calls. */
class StubDouble {
  readonly direct: string[] = [];
  constructor(readonly handler?: { _askPeerAndListen: jest.Mock }) {}
  getTxID(): string {
    return 'tx-1';
  }
  getChannelID(): string {
    return 'traceability';
  }
  async putState(key: string, value: Uint8Array): Promise<void> {
    this.direct.push(`put ${key}=${Buffer.from(value).toString()}`);
  }
  async deleteState(key: string): Promise<void> {
    this.direct.push(`delete ${key}`);
  }
  async setStateValidationParameter(key: string, policy: Uint8Array): Promise<void> {
    this.direct.push(`policy ${key}=${Buffer.from(policy).toString()}`);
  }
  async getState(key: string): Promise<Uint8Array> {
    this.direct.push(`get ${key}`);
    return Buffer.from(`value of ${key}`);
  }
}

function contextOf(stub: StubDouble): Context {
  const ctx = new Context() as Context & { setChaincodeStub(stub: unknown): void };
  ctx.setChaincodeStub(stub);
  return ctx;
}

/** The messages sent to a handler double: type, txid, channel and payload. */
function sent(handler: { _askPeerAndListen: jest.Mock }) {
  return handler._askPeerAndListen.mock.calls.map(([message, method]) => {
    const m = message as peer.ChaincodeMessage;
    return {
      method: method as string,
      type: m.getType(),
      txid: m.getTxid(),
      channel: m.getChannelId(),
      payload: m.getPayload_asU8(),
    };
  });
}

async function writeSome(ctx: Context): Promise<void> {
  await ctx.stub.putState('lot~1', Buffer.from('{"v":1}'));
  await ctx.stub.setStateValidationParameter('lot~1', Buffer.from('policy-bytes'));
  await ctx.stub.deleteState('index~old');
  await ctx.stub.putState('lot~1', Buffer.from('{"v":2}'));
}

describe('batched writes', () => {
  it('sends every write of a transaction in one WRITE_BATCH_STATE message, in the order made', async () => {
    const handler = { _askPeerAndListen: jest.fn().mockResolvedValue(Buffer.alloc(0)) };
    const stub = new StubDouble(handler);
    const ctx = contextOf(stub);
    deferWrites(ctx);
    await writeSome(ctx);
    expect(handler._askPeerAndListen).not.toHaveBeenCalled();
    await flushWrites(ctx);
    const messages = sent(handler);
    expect(messages.map(({ method, type, txid, channel }) => ({ method, type, txid, channel }))).toEqual([
      { method: 'WriteBatchState', type: 24, txid: 'tx-1', channel: 'traceability' },
    ]);
    expect(decodeBatch(messages[0]!.payload)).toEqual([
      { key: 'lot~1', value: '{"v":1}', type: 9 },
      { key: 'lot~1', metakey: 'VALIDATION_PARAMETER', metavalue: 'policy-bytes', type: 21 },
      { key: 'index~old', type: 10 },
      { key: 'lot~1', value: '{"v":2}', type: 9 },
    ]);
    expect(stub.direct).toEqual([]);
    // Nothing is sent twice, and a transaction without writes sends nothing.
    await flushWrites(ctx);
    const quiet = contextOf(new StubDouble(handler));
    deferWrites(quiet);
    await flushWrites(quiet);
    expect(handler._askPeerAndListen).toHaveBeenCalledTimes(1);
  });

  it('splits more writes than the peer takes in one batch, and refuses an empty key at once', async () => {
    const handler = { _askPeerAndListen: jest.fn().mockResolvedValue(Buffer.alloc(0)) };
    const ctx = contextOf(new StubDouble(handler));
    deferWrites(ctx);
    for (let i = 0; i < MAX_BATCH_RECORDS + 5; i++) await ctx.stub.putState(`k${i}`, Buffer.from('x'));
    await expect(ctx.stub.putState('', Buffer.from('x'))).rejects.toThrow('non-empty');
    await flushWrites(ctx);
    const batches = sent(handler).map((m) => decodeBatch(m.payload));
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_RECORDS, 5]);
    expect(batches[1]![4]!.key).toBe(`k${MAX_BATCH_RECORDS + 4}`);
  });

  it('passes on a peer error, and replays the writes one call each on a peer that does not know batches', async () => {
    const failing = {
      _askPeerAndListen: jest.fn().mockRejectedValue(new Error('PUT_STATE failed: key too large')),
    };
    const ctx = contextOf(new StubDouble(failing));
    deferWrites(ctx);
    await writeSome(ctx);
    await expect(flushWrites(ctx)).rejects.toThrow('key too large');

    // Jest loads the module afresh for this test file only: the fallback below is remembered by the process.
    await jest.isolateModulesAsync(async () => {
      const fresh = await import('../src/lib/peer-batch');
      const old = {
        _askPeerAndListen: jest
          .fn()
          .mockRejectedValue(
            new Error('[tx-1] Fabric side handler cannot handle message (24) while in ready state'),
          ),
      };
      const stub = new StubDouble(old);
      const oldCtx = contextOf(stub);
      fresh.deferWrites(oldCtx);
      await writeSome(oldCtx);
      await fresh.flushWrites(oldCtx);
      expect(stub.direct).toEqual([
        'put lot~1={"v":1}',
        'policy lot~1=policy-bytes',
        'delete index~old',
        'put lot~1={"v":2}',
      ]);
      // From then on no batch is tried: reads go one key at a time too.
      expect(await fresh.getStates(stub as never, ['a', 'b'])).toHaveLength(2);
      expect(old._askPeerAndListen).toHaveBeenCalledTimes(1);
      expect(stub.direct.slice(-2)).toEqual(['get a', 'get b']);
    });
  });
});

describe('reads of several keys', () => {
  it('asks for them in one GET_STATE_MULTIPLE message and answers in the order asked', async () => {
    const answer = (values: string[]): Uint8Array => {
      // GetStateMultipleResult { repeated bytes values = 1 }: an absent key is an empty value.
      const parts = values.flatMap((v) => [Buffer.from([0x0a, v.length]), Buffer.from(v)]);
      return Buffer.concat(parts);
    };
    const handler = { _askPeerAndListen: jest.fn().mockResolvedValue(answer(['{"a":1}', '', 'x'])) };
    const stub = new StubDouble(handler);
    const values = await getStates(stub as never, ['member~A', 'lot~missing', 'catalog']);
    expect(values.map((v) => Buffer.from(v).toString())).toEqual(['{"a":1}', '', 'x']);
    const [message] = sent(handler);
    expect(message!.type).toBe(25);
    const reader = new BinaryReader(message!.payload);
    const keys: string[] = [];
    while (reader.nextField()) keys.push(reader.readString());
    expect(keys).toEqual(['member~A', 'lot~missing', 'catalog']);
    expect(stub.direct).toEqual([]);
  });

  it('refuses an answer with a different number of values, and reads one key with a plain GetState', async () => {
    const handler = { _askPeerAndListen: jest.fn().mockResolvedValue(Buffer.from([0x0a, 0x00])) };
    await expect(getStates(new StubDouble(handler) as never, ['a', 'b'])).rejects.toThrow(
      '1 values for 2 keys',
    );
    const stub = new StubDouble(handler);
    await getStates(stub as never, ['only']);
    expect(stub.direct).toEqual(['get only']);
  });

  it('decodes and encodes the wire format of long keys and values', () => {
    const key = 'k'.repeat(300);
    const encoded = encodeGetMultiple([key]);
    expect(Array.from(encoded.subarray(0, 3))).toEqual([0x0a, 0xac, 0x02]);
    const long = Buffer.alloc(70_000, 7);
    const bytes = Buffer.concat([Buffer.from([0x0a, 0xf0, 0xa2, 0x04]), long, Buffer.from([0x10, 0x05])]);
    const [value] = decodeRepeatedBytes(bytes);
    expect(value!.length).toBe(70_000);
    expect(() => decodeRepeatedBytes(Buffer.from([0x0a, 0x05, 0x01]))).toThrow('truncated');
  });
});
