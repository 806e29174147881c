/**
 * A regulator's decisions on the violations holding a lot: release them (the lot may move again) or escalate them
 * to a recall. These change violations only; the caller stores the lot they return (ReleaseHold does, and so does
 * the lots contract's ReleaseLot, so that no violation stays open on a released lot).
 */
import type { Context } from 'fabric-contract-api';
import type { RecallSeverity, Violation, ViolationResolution } from '../shared/compliance';
import type { LotRecord } from '../shared/lots';
import { touched } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { withoutComplianceHold } from './lot-hold';
import { heldViolationsOfLot, saveViolation } from './violation-store';

/** Most violations one decision covers; a lot with more is decided in several transactions. */
export const MAX_VIOLATIONS_PER_DECISION = 200;

/**
 * Releases the violations holding a lot (open or escalated). Returns them, the lot as it should now be stored
 * (active again if compliance held it, for violations or a non-conformant inspection, and no violation is left)
 * and whether violations are left for another call. A hold placed by hand is the caller's to lift.
 */
export async function releaseLotViolations(
  ctx: Context,
  lot: LotRecord,
  reason: string,
  tx: TxInfo,
): Promise<{ violations: Violation[]; lot: LotRecord; more: boolean }> {
  const { violations: held, more } = await heldViolationsOfLot(ctx, lot.lotId, MAX_VIOLATIONS_PER_DECISION);
  const violations = await decide(ctx, held, { action: 'released', reason }, tx);
  // With violations left over, the lot stays held until the last call releases them.
  return { violations, lot: more ? lot : withoutComplianceHold(lot, tx), more };
}

/**
 * Escalates a lot's open violations to the recall `recallId` of the given level; escalated ones keep holding the
 * lot (a recalled lot cannot move anyway) until a regulator releases them.
 */
export async function escalateLotViolations(
  ctx: Context,
  lot: LotRecord,
  reason: string,
  severity: RecallSeverity,
  recallId: string,
  tx: TxInfo,
): Promise<Violation[]> {
  const { violations: held } = await heldViolationsOfLot(ctx, lot.lotId, MAX_VIOLATIONS_PER_DECISION);
  const open = held.filter((violation) => violation.status === 'open');
  return decide(ctx, open, { action: 'escalated', reason, severity, recallId }, tx);
}

/** Records the decision on each violation; returns them as stored. */
async function decide(
  ctx: Context,
  violations: readonly Violation[],
  decision: Pick<ViolationResolution, 'action' | 'reason' | 'severity' | 'recallId'>,
  tx: TxInfo,
): Promise<Violation[]> {
  const resolution: ViolationResolution = { ...decision, by: tx.actor, at: tx.timestamp, txId: tx.txId };
  const decided: Violation[] = [];
  for (const violation of violations) {
    const next: Violation = { ...touched(violation, tx), status: decision.action, resolution };
    await saveViolation(ctx, next);
    decided.push(next);
  }
  return decided;
}
