/**
 * The one place compliance changes a lot: putting it on hold when a rule fails or an inspection finds it
 * non-conformant, and lifting that hold when a regulator releases it. The lot is the lots contract's record under
 * its key; only its status and hold change.
 *
 * Fabric reads never see the running transaction's own writes, so a caller that has already changed the lot in
 * this transaction passes its copy as `current`, and must not write the lot again afterwards.
 */
import type { Context } from 'fabric-contract-api';
import type { ComplianceHold } from '../shared/compliance';
import type { LotRecord } from '../shared/lots';
import { writeState } from '../lib/state';
import { txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { getLot, lotKey } from '../lots/lot-store';

/** True if a lot's hold was put by compliance (it names violations), not by a regulator or inspector by hand. */
export function isComplianceHold(hold: unknown): hold is ComplianceHold {
  return (
    typeof hold === 'object' &&
    hold !== null &&
    Array.isArray((hold as { violationIds?: unknown }).violationIds)
  );
}

/**
 * The lot with a compliance hold for these violations. An active lot goes on hold; a lot already held by
 * compliance adds them to its hold; a lot held by hand, recalled or consumed is returned unchanged (it cannot move
 * anyway, and its violations stay open for the regulator).
 */
export function withComplianceHold(
  lot: LotRecord,
  violationIds: readonly string[],
  reason: string,
  tx: TxInfo,
): LotRecord {
  if (violationIds.length === 0) return lot;
  const meta = { lastTxId: tx.txId, updatedAt: tx.timestamp, actor: tx.actor };
  if (lot.status === 'active') {
    const hold: ComplianceHold = {
      reason,
      by: tx.actor,
      at: tx.timestamp,
      txId: tx.txId,
      violationIds: [...violationIds],
    };
    return { ...lot, ...meta, status: 'on_hold', hold };
  }
  if (lot.status === 'on_hold' && isComplianceHold(lot.hold)) {
    const existing = lot.hold.violationIds;
    const hold: ComplianceHold = {
      ...lot.hold,
      violationIds: [...existing, ...violationIds.filter((id) => !existing.includes(id))],
    };
    return { ...lot, ...meta, hold };
  }
  return lot;
}

/**
 * The lot held because an inspection recorded on it was non_conformant. The inspector's finding is a compliance
 * matter like a failed rule, so it makes (or joins) the compliance hold, and one regulator's release (ReleaseHold
 * or ReleaseLot) lifts the hold together with the violations behind it. A lot held by hand, recalled or consumed
 * is returned unchanged.
 */
export function withInspectionHold(lot: LotRecord, eventId: string, reason: string, tx: TxInfo): LotRecord {
  const meta = { lastTxId: tx.txId, updatedAt: tx.timestamp, actor: tx.actor };
  if (lot.status === 'active') {
    const hold: ComplianceHold = {
      reason,
      by: tx.actor,
      at: tx.timestamp,
      txId: tx.txId,
      violationIds: [],
      inspectionEventIds: [eventId],
    };
    return { ...lot, ...meta, status: 'on_hold', hold };
  }
  if (lot.status === 'on_hold' && isComplianceHold(lot.hold)) {
    const inspections = lot.hold.inspectionEventIds ?? [];
    if (inspections.includes(eventId)) return lot;
    const hold: ComplianceHold = { ...lot.hold, inspectionEventIds: [...inspections, eventId] };
    return { ...lot, ...meta, hold };
  }
  return lot;
}

/** The lot with its compliance hold lifted (active again); unchanged if it is not held by compliance. */
export function withoutComplianceHold(lot: LotRecord, tx: TxInfo): LotRecord {
  if (lot.status !== 'on_hold' || !isComplianceHold(lot.hold)) return lot;
  return {
    ...lot,
    lastTxId: tx.txId,
    updatedAt: tx.timestamp,
    actor: tx.actor,
    status: 'active',
    hold: undefined,
  };
}

/**
 * Puts a lot on hold for violations and stores it; returns the lot as it now is. `current` is the lot as this
 * transaction already has it (read from state otherwise).
 */
export async function putLotOnHold(
  ctx: Context,
  lotId: string,
  violationIds: readonly string[],
  reason: string,
  current?: LotRecord,
): Promise<LotRecord> {
  const lot = current ?? (await getLot(ctx, lotId));
  const held = withComplianceHold(lot, violationIds, reason, txInfo(ctx));
  // The custodian does not change, so the key keeps its endorsement policy: a plain write is enough.
  if (held !== lot) await writeState(ctx, lotKey(ctx, lotId), held);
  return held;
}
