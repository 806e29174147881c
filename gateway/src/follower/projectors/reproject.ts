/**
 * Projects again the records of one object type that the world-state mirror (ledger_kv) already holds: a migration
 * that adds a projection table fills it this way, so a store that followed blocks before the table existed does not
 * have to be rebuilt from block 0.
 */
import { decodeKey, decodeValue, encodeKey, encodeValue } from '../../store/ledger-kv';
import type { SqlRunner } from '../../store/store';
import { compositeKey, parseCompositeKey } from '../composite-key';
import type { WrittenBy } from '../projection';
import { RECORD_PROJECTORS } from './index';

interface MirroredRow {
  key: string;
  value: string;
  value_encoding: string;
  tx_id: string;
  block_number: number;
  tx_index: number;
  timestamp: string | null;
}

/** Projects every live record of `objectType` in ledger_kv with its projector; returns how many it projected. */
export async function reprojectRecords(tx: SqlRunner, objectType: string): Promise<number> {
  const projector = RECORD_PROJECTORS.get(objectType);
  if (!projector) throw new Error(`no projector for object type ${objectType}`);
  const prefix = encodeKey(compositeKey(objectType, []));
  // Index markers stay in the database (eventByLot holds one for each lot of every event kept the older way).
  const marker = encodeValue(Uint8Array.of(0));
  const rows = await tx.all<MirroredRow>(
    `SELECT k.key, k.value, k.value_encoding, k.tx_id, k.block_number, k.tx_index, t.timestamp
      FROM ledger_kv k LEFT JOIN ledger_transactions t ON t.tx_id = k.tx_id
      WHERE k.deleted = 0 AND k.value IS NOT NULL AND substr(k.key, 1, ${prefix.length}) = ?
        AND NOT (k.value_encoding = ? AND k.value = ?)
      ORDER BY k.block_number, k.tx_index`,
    [prefix, marker.encoding, marker.text],
  );
  let projected = 0;
  for (const row of rows) {
    const composite = parseCompositeKey(decodeKey(row.key));
    if (!composite || composite.objectType !== objectType) continue;
    const value = decodeValue(row.value, row.value_encoding);
    if (projector.holds && !projector.holds(value)) continue;
    let record: unknown;
    try {
      record = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      continue; // mirrored but never projectable, as when the block was applied
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) continue;
    const by: WrittenBy = {
      txId: row.tx_id,
      blockNumber: Number(row.block_number),
      txIndex: Number(row.tx_index),
      timestamp: row.timestamp ?? new Date(0).toISOString(),
    };
    await projector.project(tx, record, composite.attributes, by);
    projected += 1;
  }
  return projected;
}
