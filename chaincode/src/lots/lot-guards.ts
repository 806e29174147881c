/** Rules about what may be done with a lot, one helper per rule; transactions call them before changing anything. */
import { ChaincodeError } from '../shared/errors';
import type { LotRecord } from '../shared/lots';

/** Refuses unless the member holds the lot. */
export function assertCustodian(lot: LotRecord, mspId: string): void {
  if (lot.custodian !== mspId) {
    throw new ChaincodeError('NOT_CUSTODIAN', `${mspId} is not the custodian of lot ${lot.lotId}`, {
      lotId: lot.lotId,
      custodian: lot.custodian,
    });
  }
}

/** Refuses a lot that is on hold, recalled or consumed: such a lot cannot move, be transformed or be sold. */
export function assertUsable(lot: LotRecord): void {
  const details = { lotId: lot.lotId, status: lot.status };
  if (lot.status === 'recalled')
    throw new ChaincodeError('LOT_RECALLED', `lot ${lot.lotId} is recalled`, {
      ...details,
      recall: lot.recall,
    });
  if (lot.status === 'on_hold')
    throw new ChaincodeError('LOT_ON_HOLD', `lot ${lot.lotId} is on hold`, { ...details, hold: lot.hold });
  if (lot.status === 'consumed' || lot.remaining <= 0)
    throw new ChaincodeError('LOT_CONSUMED', `nothing remains of lot ${lot.lotId}`, details);
}

/** Refuses a lot with an open transfer offer: it cannot be offered elsewhere or transformed meanwhile. */
export function assertNoPendingTransfer(lot: LotRecord): void {
  if (lot.pendingTransferId) {
    throw new ChaincodeError('TRANSFER_PENDING', `lot ${lot.lotId} has an open transfer offer`, {
      lotId: lot.lotId,
      transferId: lot.pendingTransferId,
    });
  }
}
