/**
 * The world-state mirror (table ledger_kv): every key the chaincode wrote, with its latest value and the version
 * (block number, transaction index) of that write; a deleted key keeps its row with deleted = 1. Keys and values
 * are stored in text forms both engines hold exactly and that decode back to the original bytes.
 */
import type { SqlRunner } from './store';

/** One key's latest write. */
export interface KvEntry {
  readonly key: string;
  /** The bytes written; null for a delete. */
  readonly value: Uint8Array | null;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly txId: string;
}

/** The text form of a key: its JSON string body (U+0000 of composite keys becomes the six characters \u0000). */
export function encodeKey(key: string): string {
  return JSON.stringify(key).slice(1, -1);
}

/** The key back from its text form. */
export function decodeKey(text: string): string {
  return JSON.parse(`"${text}"`) as string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A value's text form (see {@link encodeValue}). */
export interface EncodedValue {
  readonly text: string;
  readonly encoding: 'utf8' | 'base64';
}

/** The text form of a value: UTF-8 text when the bytes are valid UTF-8 without NUL, base64 otherwise. */
export function encodeValue(value: Uint8Array): EncodedValue {
  // Buffer's indexOf searches natively; a Uint8Array's includes() goes element by element.
  if (Buffer.from(value.buffer, value.byteOffset, value.byteLength).indexOf(0) === -1) {
    try {
      return { text: strictUtf8.decode(value), encoding: 'utf8' };
    } catch {
      // not UTF-8: base64 below
    }
  }
  return { text: Buffer.from(value).toString('base64'), encoding: 'base64' };
}

/** The bytes back from a value's text form. */
export function decodeValue(text: string, encoding: string): Uint8Array {
  return encoding === 'base64' ? new Uint8Array(Buffer.from(text, 'base64')) : new TextEncoder().encode(text);
}

const UPSERT = `INSERT INTO ledger_kv (key, value, value_encoding, deleted, tx_id, block_number, tx_index)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, value_encoding = excluded.value_encoding,
    deleted = excluded.deleted, tx_id = excluded.tx_id, block_number = excluded.block_number,
    tx_index = excluded.tx_index
  WHERE excluded.block_number > ledger_kv.block_number
    OR (excluded.block_number = ledger_kv.block_number AND excluded.tx_index >= ledger_kv.tx_index)`;

/**
 * Records a write (or delete) of a key, unless the mirror already holds a later version of it. Returns the value's
 * text form as stored (null for a delete), so that the caller need not decode the bytes again.
 */
export async function putKv(tx: SqlRunner, entry: KvEntry): Promise<EncodedValue | null> {
  const encoded = entry.value === null ? null : encodeValue(entry.value);
  await tx.run(UPSERT, [
    encodeKey(entry.key),
    encoded?.text ?? null,
    encoded?.encoding ?? 'none',
    entry.value === null ? 1 : 0,
    entry.txId,
    entry.blockNumber,
    entry.txIndex,
  ]);
  return encoded;
}

/** A mirror row as stored. */
interface KvRow {
  key: string;
  value: string | null;
  value_encoding: string;
  deleted: number;
  tx_id: string;
  block_number: number;
  tx_index: number;
}

/** Every key of the mirror, deleted ones included, decoded. */
export async function readAllKv(runner: SqlRunner): Promise<KvEntry[]> {
  const rows = await runner.all<KvRow>(
    'SELECT key, value, value_encoding, deleted, tx_id, block_number, tx_index FROM ledger_kv',
  );
  return rows.map((row) => ({
    key: decodeKey(row.key),
    value:
      Number(row.deleted) === 1 || row.value === null ? null : decodeValue(row.value, row.value_encoding),
    blockNumber: Number(row.block_number),
    txIndex: Number(row.tx_index),
    txId: row.tx_id,
  }));
}
