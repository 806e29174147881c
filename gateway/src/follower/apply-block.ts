/**
 * Applies one decoded block to the store in ONE database transaction: every write of every valid transaction of
 * the chaincode to the world-state mirror, each written record to its projection, the transaction itself, and the
 * checkpoint. A crash before COMMIT leaves nothing of the block; after it, the block is never applied again.
 */
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { putKv } from '../store/ledger-kv';
import type { EncodedValue } from '../store/ledger-kv';
import type { SqlRunner, Store } from '../store/store';
import type { DecodedBlock, DecodedTransaction } from './block-decode';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { parseCompositeKey } from './composite-key';
import type { WrittenBy } from './projection';
import { RECORD_PROJECTORS } from './projectors';

/** What applying a block did. */
export interface ApplyOutcome {
  readonly blockNumber: number;
  /** False if the store already held the block (nothing was written). */
  readonly applied: boolean;
  /** Valid transactions of the chaincode in the block. */
  readonly transactions: number;
  /** Keys written or deleted. */
  readonly writes: number;
}

/** The channel and chaincode a store follows. */
export interface FollowedChaincode {
  readonly channel: string;
  readonly chaincode: string;
}

/** Blocks must arrive in order, without gaps: block n + 1 after checkpoint n. */
export class BlockOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = BlockOrderError.name;
  }
}

/** Applies `block` unless the store already has it. */
export async function applyBlock(
  store: Store,
  block: DecodedBlock,
  followed: FollowedChaincode,
  logger: Logger = silentLogger,
): Promise<ApplyOutcome> {
  return store.transaction(async (tx) => {
    const checkpoint = await readCheckpoint(tx);
    if (checkpoint !== null && block.number <= checkpoint) {
      return { blockNumber: block.number, applied: false, transactions: 0, writes: 0 };
    }
    const expected = checkpoint === null ? 0 : checkpoint + 1;
    if (block.number !== expected) {
      throw new BlockOrderError(`block ${block.number} arrived, but the store needs block ${expected} next`);
    }
    let transactions = 0;
    let writes = 0;
    for (const transaction of block.transactions) {
      if (!transaction.valid || !transaction.ours) continue;
      transactions += 1;
      writes += transaction.writes.length;
      await applyTransaction(tx, block.number, transaction, logger);
    }
    await writeCheckpoint(tx, block.number, followed);
    return { blockNumber: block.number, applied: true, transactions, writes };
  });
}

async function applyTransaction(
  tx: SqlRunner,
  blockNumber: number,
  transaction: DecodedTransaction,
  logger: Logger,
): Promise<void> {
  const by: WrittenBy = {
    txId: transaction.txId,
    blockNumber,
    txIndex: transaction.index,
    timestamp: transaction.timestamp.toISOString(),
  };
  await tx.run(
    `INSERT INTO ledger_transactions
       (tx_id, block_number, tx_index, timestamp, creator_msp, function_name, event_name, writes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx_id) DO NOTHING`,
    [
      by.txId,
      blockNumber,
      by.txIndex,
      by.timestamp,
      transaction.creatorMspId,
      transaction.functionName ?? null,
      transaction.event?.name ?? null,
      transaction.writes.length,
    ],
  );
  for (const write of transaction.writes) {
    const stored = await putKv(tx, {
      key: write.key,
      value: write.value,
      blockNumber,
      txIndex: by.txIndex,
      txId: by.txId,
    });
    const composite = parseCompositeKey(write.key);
    const projector = composite && RECORD_PROJECTORS.get(composite.objectType);
    if (!composite || !projector) continue;
    if (write.value === null) {
      await projector.remove(tx, composite.attributes, by);
      continue;
    }
    if (projector.holds && !projector.holds(write.value)) continue;
    let record: unknown;
    try {
      record = JSON.parse(recordText(write.value, stored));
    } catch {
      logger.warn('record is not JSON; mirrored but not projected', {
        txId: by.txId,
        objectType: composite.objectType,
      });
      continue;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      logger.warn('record is not a JSON object; mirrored but not projected', {
        txId: by.txId,
        objectType: composite.objectType,
      });
      continue;
    }
    await projector.project(tx, record, composite.attributes, by);
  }
}

/**
 * A written value as text for JSON.parse: the mirror's UTF-8 text form when it has one (decoded once), else the
 * bytes decoded leniently. A leading byte-order mark, which the mirror's strict decoding drops, is kept, so that
 * such a value stays unparseable, as it always was.
 */
function recordText(value: Uint8Array, stored: EncodedValue | null): string {
  const bom = value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf;
  if (stored?.encoding === 'utf8' && !bom) return stored.text;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
}
