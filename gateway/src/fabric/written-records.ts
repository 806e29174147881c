/**
 * The records a transaction wrote, read from its write set. A chaincode function that answers with IDs
 * (RecordEvent) leaves its records there instead of repeating them in its answer, which the block would store a
 * second time; the gateway reads them from the endorsed transaction it submitted.
 */
import { compositeKey, parseCompositeKey } from '../follower/composite-key';
import type { KvWrite } from './ledger-decode';

const utf8 = new TextDecoder();

/** The JSON records of one transaction's writes, by composite key (an index entry's marker byte is not one). */
export class WrittenRecords {
  readonly #values = new Map<string, Uint8Array>();

  constructor(writes: readonly KvWrite[]) {
    for (const { key, value } of writes) {
      if (value !== null && !isIndexMarker(value)) this.#values.set(key, value);
    }
  }

  /** The record written under `objectType` and exactly `attributes`; undefined if the transaction did not. */
  get<T>(objectType: string, attributes: readonly string[]): T | undefined {
    const value = this.#values.get(compositeKey(objectType, attributes));
    return value === undefined ? undefined : (JSON.parse(utf8.decode(value)) as T);
  }

  /** Every record written under `objectType` whose attributes begin with `prefix`, in write-set order. */
  find<T>(objectType: string, prefix: readonly string[]): T[] {
    const records: T[] = [];
    for (const [key, value] of this.#values) {
      const parsed = parseCompositeKey(key);
      if (parsed?.objectType !== objectType) continue;
      if (prefix.some((attribute, i) => parsed.attributes[i] !== attribute)) continue;
      records.push(JSON.parse(utf8.decode(value)) as T);
    }
    return records;
  }
}

/** An index entry's value (INDEX_VALUE in the chaincode): eventByLot keys hold either that or an event record. */
function isIndexMarker(value: Uint8Array): boolean {
  return value.length === 1 && value[0] === 0;
}
