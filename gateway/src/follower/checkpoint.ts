/** The follower's checkpoint: the last block whose every transaction is in the store, written with its rows. */
import type { SqlRunner } from '../store/store';

/** The last block fully applied, or null before the first. */
export async function readCheckpoint(runner: SqlRunner): Promise<number | null> {
  const row = await runner.get<{ block_number: number }>(
    'SELECT block_number FROM follower_checkpoint WHERE id = 1',
  );
  return row === undefined ? null : Number(row.block_number);
}

/** Records `blockNumber` as fully applied, for this channel and chaincode. */
export async function writeCheckpoint(
  tx: SqlRunner,
  blockNumber: number,
  source: Readonly<{ channel: string; chaincode: string }>,
): Promise<void> {
  await tx.run(
    `INSERT INTO follower_checkpoint (id, block_number, channel, chaincode, updated_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, channel = excluded.channel,
       chaincode = excluded.chaincode, updated_at = excluded.updated_at`,
    [blockNumber, source.channel, source.chaincode, new Date().toISOString()],
  );
}

/** The channel and chaincode the store follows, or undefined for a new store. */
export async function readFollowed(
  runner: SqlRunner,
): Promise<{ channel: string; chaincode: string } | undefined> {
  return runner.get<{ channel: string; chaincode: string }>(
    'SELECT channel, chaincode FROM follower_checkpoint WHERE id = 1',
  );
}
