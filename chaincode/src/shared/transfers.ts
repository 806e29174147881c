/** Two-phase custody transfer: the custodian offers a lot, the receiver accepts or rejects, the offerer may cancel. */
import type { BizTransaction } from './epcis';
import type { Actor, RecordMeta } from './records';

/** Where a transfer stands. */
export const TRANSFER_STATUSES = ['offered', 'accepted', 'rejected', 'cancelled'] as const;
/** One transfer status. */
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** The input of OfferTransfer. */
export interface OfferTransferInput {
  lotId: string;
  /** MSP ID of the receiving member. */
  to: string;
  /** Business documents of the handover (purchase order, despatch advice...). */
  bizTransactionList?: BizTransaction[];
  note?: string;
}

/** A transfer as stored. Its ID is the transaction ID of the offer. */
export interface TransferRecord extends RecordMeta {
  docType: 'transfer';
  transferId: string;
  lotId: string;
  from: string;
  to: string;
  status: TransferStatus;
  offeredBy: Actor;
  offeredAt: string;
  bizTransactionList?: BizTransaction[];
  note?: string;
  decidedBy?: Actor;
  decidedAt?: string;
  decisionTxId?: string;
  reason?: string;
}

/** Which side of a pending transfer the caller is on. */
export type TransferDirection = 'incoming' | 'outgoing';
