/** Custody transfer (capability 5): offer by the custodian, accept or reject by the receiver, cancel by the offerer. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import type { LotEventRecord } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';
import type { LotRecord } from '../shared/lots';
import type { Page } from '../shared/records';
import type { TransferDirection, TransferRecord } from '../shared/transfers';
import { emitEvent } from '../lib/events';
import { transferEventPayload } from '../shared/events';
import { callerMspId } from '../lib/identity';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pagePartialKey, parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { prefetchStates, readState } from '../lib/state';
import { newMeta, touched, txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { parseJsonArgument, requireText } from '../lib/validation';
import { enforceCompliance } from '../compliance/evaluation';
import { ruleSetCatalogKey } from '../compliance/rule-set-store';
import { assertApprovedMember } from '../members/member-authorization';
import { findMember, memberKey } from '../members/member-store';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { assertCustodian, assertNoPendingTransfer, assertUsable } from '../lots/lot-guards';
import { getLot, lotKey, requireLotId, saveLot } from '../lots/lot-store';
import { OfferTransferDto } from './transfer-dto';
import { assertOffered, getTransfer, isTransferId, saveTransfer, transferKey } from './transfer-store';
import { LedgerContract } from '../lib/ledger-contract';

/** The bizTransaction type under which every custody event names its transfer. */
const TRANSFER_BIZ_TRANSACTION_TYPE = 'urn:agritrace:transfer';

/** Contract 'transfers': two-phase custody transfer of lots between members. */
@Info({ title: 'TransferContract', description: 'Two-phase custody transfer' })
export class TransferContract extends LedgerContract {
  constructor() {
    super('transfers');
  }

  /**
   * Offers a lot to another approved member; the lot cannot be offered elsewhere or transformed until decided. The
   * offer is checked against the rules as shipping: a failed rule is recorded and holds the lot, so the receiver
   * cannot accept it. Returns {transfer, lot, event, evaluations, violations}.
   */
  @Transaction()
  @Returns('string')
  async OfferTransfer(ctx: Context, offerJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const input = parseJsonArgument(OfferTransferDto, offerJson, 'offer');
    // What an offer reads unless a rule needs documents: one request to the peer.
    await prefetchStates(ctx, [
      memberKey(ctx, callerMspId(ctx)),
      lotKey(ctx, requireLotId(input.lotId)),
      memberKey(ctx, input.to),
      ruleSetCatalogKey(ctx),
    ]);
    const member = await assertApprovedMember(ctx);
    const previous = await getLot(ctx, input.lotId);
    assertCustodian(previous, member.mspId);
    assertUsable(previous);
    assertNoPendingTransfer(previous);
    if (input.to === member.mspId) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'a lot cannot be offered to its own custodian', {
        to: input.to,
      });
    }
    const receiver = await findMember(ctx, input.to);
    if (!receiver)
      throw new ChaincodeError('MEMBER_NOT_FOUND', `member ${input.to} is not registered`, {
        mspId: input.to,
      });
    if (receiver.status !== 'approved') {
      throw new ChaincodeError('RECEIVER_NOT_APPROVED', `member ${input.to} is ${receiver.status}`, {
        mspId: input.to,
        status: receiver.status,
      });
    }
    const tx = txInfo(ctx);
    const bizTransactionList = input.bizTransactionList?.map(({ type, bizTransaction }) => ({
      type,
      bizTransaction,
    }));
    const transfer: TransferRecord = {
      ...newMeta(tx),
      docType: 'transfer',
      transferId: tx.txId,
      lotId: previous.lotId,
      from: member.mspId,
      to: input.to,
      status: 'offered',
      offeredBy: tx.actor,
      offeredAt: tx.timestamp,
      bizTransactionList,
      note: input.note,
    };
    const offered: LotRecord = { ...touched(previous, tx), pendingTransferId: transfer.transferId };
    const event = custodyEvent(tx, transfer, offered, 'ADD', 'consigning', 'in_progress', 'owning_party');
    const { evaluations, violations, lot, compliance } = await enforceCompliance(
      ctx,
      offered,
      checkedAs(event, 'shipping'),
    );
    await saveTransfer(ctx, transfer);
    await saveLot(ctx, lot, previous);
    await saveEvent(ctx, event, compliance);
    emitEvent(ctx, 'TransferOffered', transferEventPayload(transfer, lot, event, violations));
    return toJson({ transfer, lot, event, evaluations, violations });
  }

  /**
   * Accepts an offer: the caller's organisation becomes the custodian and the lot key is pinned to it. The
   * acceptance is checked against the rules as receiving: a failed rule is recorded and holds the lot at its new
   * custodian. Returns {transfer, lot, event, evaluations, violations}.
   */
  @Transaction()
  @Returns('string')
  async AcceptTransfer(ctx: Context, transferId: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    // The caller, the offer and the rule sets in one request (the lot's ID is in the offer: read after it).
    await prefetchStates(ctx, [
      memberKey(ctx, callerMspId(ctx)),
      ...(isTransferId(transferId) ? [transferKey(ctx, transferId)] : []),
      ruleSetCatalogKey(ctx),
    ]);
    const member = await assertApprovedMember(ctx);
    const open = await getTransfer(ctx, transferId);
    assertReceiver(open, member.mspId);
    assertOffered(open);
    const previous = await getLot(ctx, open.lotId);
    assertUsable(previous);
    if (previous.pendingTransferId !== open.transferId || previous.custodian !== open.from) {
      throw new ChaincodeError('TRANSFER_NOT_PENDING', `lot ${previous.lotId} is no longer on offer`, {
        transferId: open.transferId,
        lotId: previous.lotId,
      });
    }
    const tx = txInfo(ctx);
    const transfer = decided(open, 'accepted', tx);
    const received: LotRecord = {
      ...touched(previous, tx),
      custodian: open.to,
      pendingTransferId: undefined,
    };
    const event = custodyEvent(tx, transfer, received, 'ADD', 'accepting', 'active', 'possessing_party');
    const { evaluations, violations, lot, compliance } = await enforceCompliance(
      ctx,
      received,
      checkedAs(event, 'receiving'),
    );
    await saveTransfer(ctx, transfer);
    // The last write of the lot: it moves the custodian index and pins the key to the receiver.
    await saveLot(ctx, lot, previous);
    await saveEvent(ctx, event, compliance);
    emitEvent(ctx, 'TransferAccepted', transferEventPayload(transfer, lot, event, violations));
    return toJson({ transfer, lot, event, evaluations, violations });
  }

  /** Rejects an offer (the receiver): the lot stays with the offerer and is free again. */
  @Transaction()
  @Returns('string')
  async RejectTransfer(ctx: Context, transferId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const open = await getTransfer(ctx, transferId);
    assertReceiver(open, member.mspId);
    return close(ctx, open, 'rejected', requireText(reason, 'reason', 500));
  }

  /** Withdraws an offer (the offering organisation): the lot is free again. */
  @Transaction()
  @Returns('string')
  async CancelTransfer(ctx: Context, transferId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const member = await assertApprovedMember(ctx);
    const open = await getTransfer(ctx, transferId);
    if (open.from !== member.mspId) {
      throw new ChaincodeError('NOT_OFFERER', `only ${open.from} can cancel transfer ${transferId}`, {
        transferId,
        from: open.from,
      });
    }
    return close(ctx, open, 'cancelled', requireText(reason, 'reason', 500));
  }

  /** The transfer record. */
  @Transaction(false)
  @Returns('string')
  async ReadTransfer(ctx: Context, transferId: string): Promise<string> {
    return toJson(await getTransfer(ctx, transferId));
  }

  /** One page of the open offers to ('incoming') or from ('outgoing') the caller's organisation. */
  @Transaction(false)
  @Returns('string')
  async QueryPendingTransfers(
    ctx: Context,
    direction: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    if (direction !== 'incoming' && direction !== 'outgoing') {
      throw new ChaincodeError('INVALID_ARGUMENT', "direction must be 'incoming' or 'outgoing'", {
        direction,
      });
    }
    const side: TransferDirection = direction;
    const page = await pagePartialKey(
      ctx,
      KEYS.transferPending,
      [side, callerMspId(ctx)],
      parsePageSize(pageSize),
      bookmark ?? '',
    );
    const records: TransferRecord[] = [];
    for (const entry of page.entries) {
      const transfer = await readState<TransferRecord>(ctx, transferKey(ctx, entry.attributes[2] ?? ''));
      if (transfer) records.push(transfer);
    }
    const result: Page<TransferRecord> = {
      records,
      bookmark: page.bookmark,
      fetchedCount: page.fetchedCount,
    };
    return toJson(result);
  }
}

/** Refuses unless the caller's organisation is the transfer's receiver. */
function assertReceiver(transfer: TransferRecord, mspId: string): void {
  if (transfer.to !== mspId) {
    throw new ChaincodeError(
      'NOT_RECEIVER',
      `only ${transfer.to} can decide transfer ${transfer.transferId}`,
      {
        transferId: transfer.transferId,
        to: transfer.to,
      },
    );
  }
}

/** The transfer with its decision recorded. */
function decided(
  transfer: TransferRecord,
  status: TransferRecord['status'],
  tx: TxInfo,
  reason?: string,
): TransferRecord {
  return {
    ...touched(transfer, tx),
    status,
    decidedBy: tx.actor,
    decidedAt: tx.timestamp,
    decisionTxId: tx.txId,
    reason,
  };
}

/** Closes an open offer without moving the lot (reject or cancel). */
async function close(
  ctx: Context,
  open: TransferRecord,
  status: 'rejected' | 'cancelled',
  reason: string,
): Promise<string> {
  assertOffered(open);
  const previous = await getLot(ctx, open.lotId);
  const tx = txInfo(ctx);
  const transfer = decided(open, status, tx, reason);
  const lot: LotRecord = { ...touched(previous, tx), pendingTransferId: undefined };
  const step = status === 'rejected' ? 'accepting' : 'consigning';
  const event = custodyEvent(tx, transfer, lot, 'DELETE', step, undefined, 'owning_party', reason);
  await saveTransfer(ctx, transfer);
  await saveLot(ctx, lot, previous);
  await saveEvent(ctx, event);
  emitEvent(
    ctx,
    status === 'rejected' ? 'TransferRejected' : 'TransferCancelled',
    transferEventPayload(transfer, lot, event),
  );
  return toJson({ transfer, lot, event });
}

/**
 * The custody event as compliance sees it: an offer is the lot leaving (shipping), an acceptance the lot arriving
 * (receiving), so that rules written for those CBV steps (a quarantine certificate before shipping) apply. The
 * stored event keeps its own step.
 */
function checkedAs(event: LotEventRecord, bizStep: 'shipping' | 'receiving'): LotEventRecord {
  return { ...event, bizStep };
}

/** The EPCIS TransactionEvent of a custody step: the lot, the transfer as business transaction, both parties. */
function custodyEvent(
  tx: TxInfo,
  transfer: TransferRecord,
  lot: LotRecord,
  action: LotEventRecord['action'],
  bizStep: string,
  disposition: LotEventRecord['disposition'],
  partyType: 'owning_party' | 'possessing_party',
  note?: string,
): LotEventRecord {
  return newEvent(tx, {
    eventType: 'TransactionEvent',
    action,
    bizStep,
    disposition,
    stage: 'custody',
    quantityList: [quantityOf(lot, lot.remaining)],
    bizTransactionList: [
      { type: TRANSFER_BIZ_TRANSACTION_TYPE, bizTransaction: transfer.transferId },
      ...(transfer.bizTransactionList ?? []),
    ],
    sourceList: [{ type: partyType, party: transfer.from }],
    destinationList: [{ type: partyType, party: transfer.to }],
    note: note ?? transfer.note,
  });
}
