/** Reads and writes transfer records and the index of open offers by party. */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { TransferRecord } from '../shared/transfers';
import { KEYS } from '../lib/keys';
import { deleteIndex, readState, writeIndex, writeState } from '../lib/state';

/** World-state key of a transfer. */
export function transferKey(ctx: Context, transferId: string): string {
  return ctx.stub.createCompositeKey(KEYS.transfer, [transferId]);
}

/** True for a well-formed transfer ID (a transaction ID, or the like). */
export function isTransferId(transferId: unknown): transferId is string {
  return typeof transferId === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(transferId);
}

/** The transfer; TRANSFER_NOT_FOUND if there is none. */
export async function getTransfer(ctx: Context, transferId: string): Promise<TransferRecord> {
  if (!isTransferId(transferId)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'transferId is malformed', { transferId });
  }
  const transfer = await readState<TransferRecord>(ctx, transferKey(ctx, transferId));
  if (!transfer)
    throw new ChaincodeError('TRANSFER_NOT_FOUND', `transfer ${transferId} does not exist`, { transferId });
  return transfer;
}

/** Stores a transfer; open offers are indexed under both parties, closed ones leave the index. */
export async function saveTransfer(ctx: Context, transfer: TransferRecord): Promise<void> {
  await writeState(ctx, transferKey(ctx, transfer.transferId), transfer);
  const incoming = ['incoming', transfer.to, transfer.transferId];
  const outgoing = ['outgoing', transfer.from, transfer.transferId];
  if (transfer.status === 'offered') {
    await writeIndex(ctx, KEYS.transferPending, incoming);
    await writeIndex(ctx, KEYS.transferPending, outgoing);
  } else {
    await deleteIndex(ctx, KEYS.transferPending, incoming);
    await deleteIndex(ctx, KEYS.transferPending, outgoing);
  }
}

/** Refuses a transfer that is no longer open. */
export function assertOffered(transfer: TransferRecord): void {
  if (transfer.status !== 'offered') {
    throw new ChaincodeError(
      'TRANSFER_NOT_PENDING',
      `transfer ${transfer.transferId} is ${transfer.status}`,
      {
        transferId: transfer.transferId,
        status: transfer.status,
      },
    );
  }
}
