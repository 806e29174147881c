/** Custody transfer records (key transfer [transferId]) into table transfers. */
import type { TransferRecord } from '@agritrace/chaincode/dist/shared/transfers';
import { asObject, json, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';

const transfers = new TableWriter(
  'transfers',
  ['transfer_id', 'lot_id', 'from_msp', 'to_msp', 'status', 'offered_at', 'decided_at', 'record'],
  ['transfer_id'],
);

/** Projects transfer records. */
export const transferProjector: RecordProjector = {
  objectType: 'transfer',
  async project(tx, record, attributes, by) {
    const transfer = asObject(record) as Partial<TransferRecord>;
    await transfers.upsert(
      tx,
      {
        transfer_id: text(transfer.transferId) ?? attributes[0],
        lot_id: text(transfer.lotId) ?? '',
        from_msp: text(transfer.from) ?? '',
        to_msp: text(transfer.to) ?? '',
        status: text(transfer.status) ?? '',
        offered_at: text(transfer.offeredAt) ?? by.timestamp,
        decided_at: text(transfer.decidedAt),
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await transfers.delete(tx, [attributes[0] ?? '']);
  },
};
