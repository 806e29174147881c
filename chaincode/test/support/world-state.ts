/** Committed world state of the fake ledger: values in UTF-8 key order, key-level endorsement policies, history. */
import type { Iterators } from 'fabric-shim-api';
import Long from 'long';
import type { PendingWrite } from './fake-stub';

/** Orders strings by their UTF-8 bytes, as LevelDB does (UTF-16 order differs for astral characters). */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (astral code point, 4 UTF-8 bytes) sorts after every BMP character in UTF-8.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The committed state of one chaincode namespace. */
export class WorldState {
  private readonly values = new Map<string, Uint8Array>();
  private readonly sortedKeys: string[] = [];
  private readonly policies = new Map<string, Uint8Array>();
  private readonly histories = new Map<string, Iterators.KeyModification[]>();

  constructor(readonly namespace: string) {}

  /** The committed value of a key. */
  get(key: string): Uint8Array | undefined {
    return this.values.get(key);
  }

  /** The committed key-level endorsement policy of a key. */
  validationParameter(key: string): Uint8Array | undefined {
    return this.policies.get(key);
  }

  /** Every committed modification of a key, oldest first. */
  history(key: string): readonly Iterators.KeyModification[] {
    return this.histories.get(key) ?? [];
  }

  /** Number of keys in state. */
  get size(): number {
    return this.values.size;
  }

  /** Every key, in order (for tests that inspect state). */
  keys(): readonly string[] {
    return this.sortedKeys;
  }

  /** Key/values with startKey <= key < endKey ('' end = no bound), in order, at most `limit`. */
  range(startKey: string, endKey: string, limit = Number.POSITIVE_INFINITY): Iterators.KV[] {
    const result: Iterators.KV[] = [];
    for (let i = this.lowerBound(startKey); i < this.sortedKeys.length && result.length < limit; i++) {
      const key = this.sortedKeys[i] as string;
      if (endKey !== '' && compareUtf8(key, endKey) >= 0) break;
      result.push({ namespace: this.namespace, key, value: this.values.get(key) as Uint8Array });
    }
    return result;
  }

  /** Applies a transaction's writes. */
  apply(writes: ReadonlyMap<string, PendingWrite>, txId: string, time: Date): void {
    const timestamp = { seconds: Long.fromNumber(Math.floor(time.getTime() / 1000), true), nanos: 0 };
    for (const [key, write] of writes) {
      if (write.validationParameter) this.policies.set(key, write.validationParameter);
      if (write.isDelete) {
        if (this.values.delete(key)) this.sortedKeys.splice(this.lowerBound(key), 1);
        this.policies.delete(key);
      } else if (write.value) {
        if (!this.values.has(key)) this.sortedKeys.splice(this.lowerBound(key), 0, key);
        this.values.set(key, write.value);
      } else continue;
      const history = this.histories.get(key) ?? [];
      history.push({ isDelete: write.isDelete, value: write.value ?? new Uint8Array(0), timestamp, txId });
      this.histories.set(key, history);
    }
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let low = 0;
    let high = this.sortedKeys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareUtf8(this.sortedKeys[mid] as string, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
