/**
 * An in-memory ChaincodeStub that behaves like a peer's transaction simulator where our contracts can tell:
 * reads see committed state only (not the transaction's own writes), range results come in UTF-8 byte order,
 * paginated queries and writes cannot be mixed in one transaction, and only one chaincode event may be set.
 */
import Long from 'long';
import { ChaincodeStub as RealStub } from 'fabric-shim';
import type {
  ChaincodeProposal,
  ChaincodeResponse,
  Iterators,
  SerializedIdentity,
  SplitCompositekey,
  StateQueryResponse,
  Timestamp,
} from 'fabric-shim-api';
import type { ChaincodeStub } from 'fabric-shim-api';
import type { WorldState } from './world-state';

/** A pending write of one transaction: a value, a deletion, or a new key-level endorsement policy. */
export interface PendingWrite {
  value?: Uint8Array;
  isDelete: boolean;
  validationParameter?: Uint8Array;
}

/** What the stub needs to know about the transaction it simulates. */
export interface StubTransaction {
  txId: string;
  channelId: string;
  timestamp: Date;
  creator: SerializedIdentity;
  /** MSP ID of the peer running the chaincode (getMspID). */
  peerMspId: string;
  args: string[];
}

/** An iterator over key/values that also works with for-await. */
type KvIterator = Iterators.StateQueryIterator & AsyncIterable<Iterators.KV>;

/** The fake stub: one instance per simulated transaction. */
export class FakeStub implements ChaincodeStub {
  /** Writes in the order made; the last write of a key wins. */
  readonly writes = new Map<string, PendingWrite>();
  /** The event set by the transaction, if any. */
  event?: { name: string; payload: Uint8Array };
  private paginatedQueryDone = false;

  constructor(
    private readonly world: WorldState,
    private readonly tx: StubTransaction,
  ) {}

  getBufferArgs(): Buffer[] {
    return this.tx.args.map((arg) => Buffer.from(arg, 'utf8'));
  }
  getArgs(): string[] {
    return [...this.tx.args];
  }
  getStringArgs(): string[] {
    return [...this.tx.args];
  }
  getFunctionAndParameters(): { params: string[]; fcn: string } {
    const [fcn = '', ...params] = this.tx.args;
    return { fcn, params };
  }
  getTxID(): string {
    return this.tx.txId;
  }
  getChannelID(): string {
    return this.tx.channelId;
  }
  getCreator(): SerializedIdentity {
    return this.tx.creator;
  }
  getMspID(): string {
    return this.tx.peerMspId;
  }
  getTransient(): Map<string, Uint8Array> {
    return new Map();
  }
  getSignedProposal(): ChaincodeProposal.SignedProposal {
    throw new Error('FakeStub: getSignedProposal is not supported');
  }
  getTxTimestamp(): Timestamp {
    const millis = this.tx.timestamp.getTime();
    return { seconds: Long.fromNumber(Math.floor(millis / 1000), true), nanos: (millis % 1000) * 1_000_000 };
  }
  getDateTimestamp(): Date {
    return new Date(this.tx.timestamp.getTime());
  }
  getBinding(): string {
    return '';
  }

  async getState(key: string): Promise<Uint8Array> {
    return this.world.get(key) ?? new Uint8Array(0);
  }
  async putState(key: string, value: Uint8Array): Promise<void> {
    this.checkWrite(key);
    if (!value || value.length === 0) throw new Error(`FakeStub: empty value for key ${printable(key)}`);
    const previous = this.writes.get(key);
    this.writes.set(key, { ...previous, value: Uint8Array.from(value), isDelete: false });
  }
  async deleteState(key: string): Promise<void> {
    this.checkWrite(key);
    const previous = this.writes.get(key);
    this.writes.set(key, { ...previous, value: undefined, isDelete: true });
  }
  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.checkWrite(key);
    const previous = this.writes.get(key) ?? { isDelete: false };
    this.writes.set(key, { ...previous, validationParameter: Uint8Array.from(ep) });
  }
  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    return this.world.validationParameter(key) ?? new Uint8Array(0);
  }

  getStateByRange(
    startKey: string,
    endKey: string,
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    return withAsyncIterable(Promise.resolve(this.iterate(this.world.range(startKey, endKey))));
  }
  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    return this.paginated(startKey, endKey, pageSize, bookmark);
  }
  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return this.getStateByRange(start, start + '\u{10ffff}');
  }
  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return this.paginated(start, start + '\u{10ffff}', pageSize, bookmark);
  }
  getQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('FakeStub: rich queries need CouchDB; the ledger uses LevelDB');
  }
  getQueryResultWithPagination(): Promise<StateQueryResponse<Iterators.StateQueryIterator>> &
    AsyncIterable<Iterators.KV> {
    throw new Error('FakeStub: rich queries need CouchDB; the ledger uses LevelDB');
  }
  getHistoryForKey(
    key: string,
  ): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    const entries = [...this.world.history(key)];
    let index = 0;
    const iterator: Iterators.HistoryQueryIterator = {
      next: async () =>
        index < entries.length
          ? { value: entries[index++] as Iterators.KeyModification, done: false }
          : { value: undefined as unknown as Iterators.KeyModification, done: true },
      close: async () => undefined,
    };
    return withAsyncIterable<Iterators.HistoryQueryIterator, Iterators.KeyModification>(
      Promise.resolve(iterator),
    );
  }
  async invokeChaincode(): Promise<ChaincodeResponse> {
    throw new Error('FakeStub: invokeChaincode is not supported');
  }
  setEvent(name: string, payload: Uint8Array): void {
    // Fabric keeps only the last event of a transaction; our convention is one, so a second is a bug.
    if (this.event) throw new Error(`FakeStub: second chaincode event ${name} after ${this.event.name}`);
    if (!name) throw new Error('FakeStub: event name must not be empty');
    this.event = { name, payload: Uint8Array.from(payload) };
  }
  createCompositeKey(objectType: string, attributes: string[]): string {
    return RealStub.prototype.createCompositeKey.call(this, objectType, attributes);
  }
  splitCompositeKey(compositeKey: string): SplitCompositekey {
    return RealStub.prototype.splitCompositeKey.call(this, compositeKey);
  }

  getPrivateData(): Promise<Uint8Array> {
    return unsupported('private data');
  }
  getPrivateDataHash(): Promise<Uint8Array> {
    return unsupported('private data');
  }
  putPrivateData(): Promise<void> {
    return unsupported('private data');
  }
  deletePrivateData(): Promise<void> {
    return unsupported('private data');
  }
  purgePrivateData(): Promise<void> {
    return unsupported('private data');
  }
  setPrivateDataValidationParameter(): Promise<void> {
    return unsupported('private data');
  }
  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    return unsupported('private data');
  }
  getPrivateDataByRange(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('FakeStub: private data is not supported');
  }
  getPrivateDataByPartialCompositeKey(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('FakeStub: private data is not supported');
  }
  getPrivateDataQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('FakeStub: private data is not supported');
  }

  /** Paginated range read: the bookmark is the next key to return, '' once the range is exhausted. */
  private paginated(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    // The peer refuses a paginated query once the transaction has written (and writes after one).
    if (this.writes.size > 0) {
      throw new Error(
        `FakeStub: txid [${this.tx.txId}]: Paginated queries are supported only in a read-only transaction`,
      );
    }
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`FakeStub: bad page size ${pageSize}`);
    this.paginatedQueryDone = true;
    const from = bookmark ? bookmark : startKey;
    const all = this.world.range(from, endKey, pageSize + 1);
    const page = all.slice(0, pageSize);
    const next = all[pageSize];
    // Like fabric-shim: no metadata at all when the peer's is all defaults (an empty last page).
    const response = {
      iterator: this.iterate(page),
      ...(page.length || next
        ? { metadata: { fetchedRecordsCount: page.length, bookmark: next ? next.key : '' } }
        : {}),
    } as StateQueryResponse<Iterators.StateQueryIterator>;
    return withAsyncIterable(Promise.resolve(response));
  }

  /** An iterator over a snapshot of key/values. */
  private iterate(entries: Iterators.KV[]): KvIterator {
    let index = 0;
    const iterator: Iterators.StateQueryIterator = {
      next: async () =>
        index < entries.length
          ? { value: entries[index++] as Iterators.KV, done: false }
          : { value: undefined as unknown as Iterators.KV, done: true },
      close: async () => undefined,
    };
    return Object.assign(iterator, {
      [Symbol.asyncIterator]: async function* () {
        yield* entries;
      },
    });
  }

  /** Refuses writes after a paginated query (as the peer does) and malformed keys. */
  private checkWrite(key: string): void {
    if (this.paginatedQueryDone) {
      throw new Error(
        `FakeStub: txid [${this.tx.txId}]: Transaction has already performed a paginated query. Writes are not allowed`,
      );
    }
    if (typeof key !== 'string' || key.length === 0) throw new Error('FakeStub: empty key');
  }
}

/** Adds the for-await protocol the real stub's query promises carry (unused by our contracts, kept for fidelity). */
function withAsyncIterable<T, V = Iterators.KV>(promise: Promise<T>): Promise<T> & AsyncIterable<V> {
  return Object.assign(promise, {
    [Symbol.asyncIterator]: async function* (): AsyncGenerator<V> {
      const resolved = (await promise) as unknown as { iterator?: Iterators.CommonIterator<V> };
      const iterator = (resolved.iterator ?? resolved) as Iterators.CommonIterator<V>;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  });
}

/** A rejected promise for a stub feature our contracts must not use. */
function unsupported<T>(what: string): Promise<T> {
  return Promise.reject(new Error(`FakeStub: ${what} is not supported`));
}

/** A key with its NUL separators made visible, for error messages. */
export function printable(key: string): string {
  return key.split('\u0000').join('·');
}
