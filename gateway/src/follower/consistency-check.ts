/**
 * The consistency check: replays the channel's blocks from block 0 into memory with the follower's own decoding,
 * then compares every key's latest value and version (block, transaction index) with the store's world-state
 * mirror, the store's transactions with the ledger's, and each projected record's row with the transaction that
 * last wrote the record. Every difference is reported; none means the store holds exactly what the ledger holds.
 */
import { holdsEventRecord } from '@agritrace/chaincode/dist/shared/event-records';
import { readAllKv } from '../store/ledger-kv';
import type { KvEntry } from '../store/ledger-kv';
import type { SqlRunner, Store } from '../store/store';
import { decodeBlock } from './block-decode';
import type { BlockSource } from './block-source';
import { readCheckpoint } from './checkpoint';
import { parseCompositeKey } from './composite-key';

/** Kinds of difference. */
export type DifferenceKind =
  /** The ledger has the key (or transaction, or record row) and the store does not. */
  | 'missing'
  /** The store has something the ledger does not. */
  | 'extra'
  /** Both have it, but the store's value, deletion or version differs from the ledger's latest. */
  | 'stale'
  /** The store's checkpoint is beyond the ledger's last block. */
  | 'ahead';

/** One difference between the store and the ledger. */
export interface Difference {
  readonly kind: DifferenceKind;
  /** What differs: 'kv', 'transaction', a projected table, or 'checkpoint'. */
  readonly subject: string;
  /** The key (JSON-escaped), transaction ID or row key concerned. */
  readonly id: string;
  readonly ledger?: string;
  readonly store?: string;
}

/** The outcome of a check. */
export interface ConsistencyReport {
  /** The block the comparison was made at (the store's checkpoint). */
  readonly checkedBlock: number | null;
  readonly ledgerHeight: number;
  /** Blocks on the ledger after checkedBlock (not compared). */
  readonly behindBlocks: number;
  readonly keys: number;
  readonly transactions: number;
  readonly differences: readonly Difference[];
}

/** Records of one object type that a projected table holds a row for: the row's tx_id must be the last writer. */
interface ProjectedRecords {
  readonly objectType: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** Which of the key's attributes name the row, in column order; default: the first, one per column. */
  readonly attributes?: readonly number[];
  /** Whether a value is a record (absent: every value is); index markers under the same object type are not. */
  readonly holds?: (value: Uint8Array) => boolean;
}

/** Projected tables, and the records each row comes from. */
const PROJECTED: readonly ProjectedRecords[] = [
  { objectType: 'member', table: 'members', columns: ['msp_id'] },
  { objectType: 'lot', table: 'lots', columns: ['lot_id'] },
  { objectType: 'event', table: 'lot_events', columns: ['event_id'] },
  // A single-lot event kept whole under its lot, eventByLot [lotId, recordTime, eventId] (shared/event-records.ts).
  {
    objectType: 'eventByLot',
    table: 'lot_events',
    columns: ['event_id'],
    attributes: [2],
    holds: holdsEventRecord,
  },
  { objectType: 'transfer', table: 'transfers', columns: ['transfer_id'] },
  { objectType: 'linkForward', table: 'genealogy', columns: ['input_lot_id', 'output_lot_id'] },
  { objectType: 'recall', table: 'recalls', columns: ['recall_id'] },
  { objectType: 'recallScope', table: 'recall_scope', columns: ['recall_id', 'lot_id'] },
  { objectType: 'violation', table: 'violations', columns: ['violation_id'] },
  { objectType: 'lotDocument', table: 'lot_documents', columns: ['lot_id', 'doc_type', 'document_id'] },
  { objectType: 'device', table: 'devices', columns: ['device_id'] },
];

/** Options of {@link checkConsistency}. */
export interface ConsistencyOptions {
  /** The chaincode (namespace) whose state the store mirrors. */
  readonly chaincode: string;
  /** Most differences listed (all are counted in the report's list up to this); default 1000. */
  readonly maxDifferences?: number;
}

/** Compares the store with the ledger at the store's checkpoint. */
export async function checkConsistency(
  store: Store,
  source: BlockSource,
  options: Readonly<ConsistencyOptions>,
): Promise<ConsistencyReport> {
  const maxDifferences = options.maxDifferences ?? 1000;
  const ledgerHeight = await source.height();
  const snapshot = await store.snapshot(async (reader) => ({
    checkpoint: await readCheckpoint(reader),
    kv: await readAllKv(reader),
    transactions: await reader.all<{ tx_id: string; block_number: number; tx_index: number }>(
      'SELECT tx_id, block_number, tx_index FROM ledger_transactions',
    ),
    rows: await projectedRows(reader),
  }));
  const differences: Difference[] = [];
  const note = (difference: Difference): void => {
    if (differences.length < maxDifferences) differences.push(difference);
  };
  const lastBlock = ledgerHeight - 1;
  if (snapshot.checkpoint !== null && snapshot.checkpoint > lastBlock) {
    note({
      kind: 'ahead',
      subject: 'checkpoint',
      id: 'follower_checkpoint',
      ledger: `last block ${lastBlock}`,
      store: `block ${snapshot.checkpoint}`,
    });
  }
  const target = snapshot.checkpoint === null ? -1 : Math.min(snapshot.checkpoint, lastBlock);
  const replay = await replayLedger(source, options.chaincode, target);

  const storeKv = new Map(snapshot.kv.map((entry) => [entry.key, entry]));
  for (const [key, expected] of replay.kv) {
    const actual = storeKv.get(key);
    if (!actual) note({ kind: 'missing', subject: 'kv', id: printable(key), ledger: describeKv(expected) });
    else if (!sameKv(expected, actual)) {
      note({
        kind: 'stale',
        subject: 'kv',
        id: printable(key),
        ledger: describeKv(expected),
        store: describeKv(actual),
      });
    }
  }
  for (const [key, actual] of storeKv) {
    if (!replay.kv.has(key))
      note({ kind: 'extra', subject: 'kv', id: printable(key), store: describeKv(actual) });
  }

  const storeTx = new Map(snapshot.transactions.map((row) => [row.tx_id, row]));
  for (const [txId, where] of replay.transactions) {
    const row = storeTx.get(txId);
    const ledger = `block ${where.block} tx ${where.index}`;
    if (!row) note({ kind: 'missing', subject: 'transaction', id: txId, ledger });
    else if (Number(row.block_number) !== where.block || Number(row.tx_index) !== where.index) {
      note({
        kind: 'stale',
        subject: 'transaction',
        id: txId,
        ledger,
        store: `block ${row.block_number} tx ${row.tx_index}`,
      });
    }
  }
  for (const txId of storeTx.keys()) {
    if (!replay.transactions.has(txId)) note({ kind: 'extra', subject: 'transaction', id: txId });
  }

  // A table's rows can come from records of more than one object type: a row none of them accounts for is extra.
  const expectedRows = new Map<string, Set<string>>();
  for (const spec of PROJECTED) {
    const rows = snapshot.rows.get(spec.table) ?? new Map<string, string>();
    const expected = expectedRows.get(spec.table) ?? new Set<string>();
    expectedRows.set(spec.table, expected);
    for (const [key, entry] of replay.kv) {
      const composite = parseCompositeKey(key);
      if (composite?.objectType !== spec.objectType || entry.value === null) continue;
      if (spec.holds && !spec.holds(entry.value)) continue;
      const id = rowId(spec, composite.attributes);
      expected.add(id);
      const txId = rows.get(id);
      if (txId === undefined) {
        note({ kind: 'missing', subject: spec.table, id: printable(id), ledger: `written by ${entry.txId}` });
      } else if (txId !== entry.txId) {
        note({
          kind: 'stale',
          subject: spec.table,
          id: printable(id),
          ledger: `written by ${entry.txId}`,
          store: `row from ${txId}`,
        });
      }
    }
  }
  for (const [table, expected] of expectedRows) {
    for (const id of snapshot.rows.get(table)?.keys() ?? []) {
      if (!expected.has(id)) note({ kind: 'extra', subject: table, id: printable(id) });
    }
  }

  return {
    checkedBlock: target < 0 ? null : target,
    ledgerHeight,
    behindBlocks: Math.max(0, lastBlock - target),
    keys: replay.kv.size,
    transactions: replay.transactions.size,
    differences,
  };
}

/** The ledger's world state of the chaincode and its valid transactions, replayed from block 0 to `lastBlock`. */
export async function replayLedger(
  source: BlockSource,
  chaincode: string,
  lastBlock: number,
): Promise<{ kv: Map<string, KvEntry>; transactions: Map<string, { block: number; index: number }> }> {
  const kv = new Map<string, KvEntry>();
  const transactions = new Map<string, { block: number; index: number }>();
  if (lastBlock < 0) return { kv, transactions };
  const stream = await source.openStream(null);
  try {
    for await (const block of stream) {
      const decoded = decodeBlock(block, chaincode);
      for (const transaction of decoded.transactions) {
        if (!transaction.valid || !transaction.ours) continue;
        transactions.set(transaction.txId, { block: decoded.number, index: transaction.index });
        for (const write of transaction.writes) {
          kv.set(write.key, {
            key: write.key,
            value: write.value,
            blockNumber: decoded.number,
            txIndex: transaction.index,
            txId: transaction.txId,
          });
        }
      }
      if (decoded.number >= lastBlock) break;
    }
  } finally {
    stream.close();
  }
  return { kv, transactions };
}

/** The row a record's key names: its attributes for the row's columns, joined by U+0000. */
function rowId(spec: ProjectedRecords, attributes: readonly string[]): string {
  const picked = spec.attributes?.map((i) => attributes[i] ?? '') ?? attributes.slice(0, spec.columns.length);
  return picked.join('\u0000');
}

/** For each projected table, its rows' keys (attributes joined by U+0000) and the transaction that wrote each. */
async function projectedRows(reader: SqlRunner): Promise<Map<string, Map<string, string>>> {
  const tables = new Map<string, Map<string, string>>();
  for (const spec of PROJECTED) {
    if (tables.has(spec.table)) continue;
    const rows = await reader.all<Record<string, string>>(
      `SELECT ${spec.columns.join(', ')}, tx_id FROM ${spec.table}`,
    );
    tables.set(
      spec.table,
      new Map(
        rows.map((row) => [
          spec.columns.map((column) => String(row[column])).join('\u0000'),
          row.tx_id ?? '',
        ]),
      ),
    );
  }
  return tables;
}

function sameKv(a: KvEntry, b: KvEntry): boolean {
  if (a.blockNumber !== b.blockNumber || a.txIndex !== b.txIndex || a.txId !== b.txId) return false;
  if (a.value === null || b.value === null) return a.value === b.value;
  return Buffer.from(a.value).equals(Buffer.from(b.value));
}

function describeKv(entry: KvEntry): string {
  const what = entry.value === null ? 'deleted' : `${entry.value.length} bytes`;
  return `${what} at block ${entry.blockNumber} tx ${entry.txIndex} (${entry.txId})`;
}

/** A key with its U+0000 separators shown as \u0000. */
function printable(key: string): string {
  return JSON.stringify(key).slice(1, -1);
}
