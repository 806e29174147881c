/**
 * Checks a device's readings against the temperature rules of the cold-chain category it monitors, raises
 * violations on the attached lot and holds it. An excursion still open at the end of a batch is carried into the
 * next one, so that a breach split across batches is measured whole and reported once.
 */
import type { Context } from 'fabric-contract-api';
import type {
  ComplianceEvent,
  ComplianceLot,
  Evaluation,
  ExcursionCarry,
  Violation,
} from '../shared/compliance';
import type { DeviceReading, DeviceRecord } from '../shared/devices';
import type { LotRecord } from '../shared/lots';
import type { TxInfo } from '../lib/transaction';
import { ruleKey } from '../compliance/engine';
import type { RuleResult } from '../compliance/engine';
import { holdReason, runEvaluation, storeEvaluation } from '../compliance/evaluation';
import { putLotOnHold } from '../compliance/lot-hold';
import { createViolations } from '../compliance/violation-store';
import { newEvent, quantityOf, saveEvent } from '../lots/event-store';
import { getLot } from '../lots/lot-store';

/** What checking a batch decided. */
export interface ReadingCheck {
  evaluations: Evaluation[];
  violations: Violation[];
  lotStatus?: string;
  openExcursions: Record<string, ExcursionCarry>;
}

/** Checks a batch of an attached device; a device attached to no lot (or to a shipment) is not checked. */
export async function checkReadings(
  ctx: Context,
  device: DeviceRecord,
  sequence: number,
  readings: readonly DeviceReading[],
  lastTime: string,
  tx: TxInfo,
): Promise<ReadingCheck> {
  const lotId = device.attachedTo?.lotId;
  if (!lotId) return { evaluations: [], violations: [], openExcursions: {} };
  const lot = await getLot(ctx, lotId);
  // The device says how the lot is being kept; temperature rules select on that category.
  const facts: ComplianceLot = { ...lot, storageCategory: device.attachedTo?.storageCategory };
  const event: ComplianceEvent = {
    id: `device:${device.deviceId}:${sequence}`,
    bizStep: 'sensor_reporting',
    eventTime: lastTime,
    actorMsp: tx.actor.mspId,
    actorId: tx.actor.id,
    actorOperator: tx.actor.operator,
    readings: readings.map((reading) => ({ time: reading.time, celsius: reading.temperature })),
  };
  const carries = device.openExcursions;
  const run = await runEvaluation(ctx, facts, event, { kinds: ['temperature'], carries });
  await storeEvaluation(ctx, lot.lotId, run);
  const toRaise = run.results.filter((result) => raisesViolation(result, carries));
  const violations = await createViolations(
    ctx,
    facts,
    toRaise.map((result) => result.evaluation),
    event,
    tx,
  );
  let after: LotRecord = lot;
  if (violations.length > 0) {
    const reason = holdReason(violations);
    after = await putLotOnHold(
      ctx,
      lot.lotId,
      violations.map((violation) => violation.id),
      reason,
      lot,
    );
    if (after.status !== lot.status) await saveEvent(ctx, holdEvent(tx, after, reason));
  }
  return {
    evaluations: run.evaluations,
    violations,
    lotStatus: after.status,
    openExcursions: nextCarries(run.results, carries),
  };
}

/** True if a failed temperature result has a failing excursion not already reported in an earlier batch. */
function raisesViolation(result: RuleResult, carries: Readonly<Record<string, ExcursionCarry>>): boolean {
  if (result.evaluation.outcome !== 'fail') return false;
  const carry = carries[ruleKey(result.evaluation.ruleSetId, result.evaluation.ruleId)];
  return (result.failingRuns ?? []).some((run) => !(run.carried && carry?.reported));
}

/** The excursions still open at the last reading, by rule, with whether they were already reported. */
function nextCarries(
  results: readonly RuleResult[],
  previous: Readonly<Record<string, ExcursionCarry>>,
): Record<string, ExcursionCarry> {
  const carries: Record<string, ExcursionCarry> = {};
  for (const result of results) {
    const runs = result.analysis?.runs ?? [];
    const last = runs[runs.length - 1];
    if (!last?.open) continue;
    const key = ruleKey(result.evaluation.ruleSetId, result.evaluation.ruleId);
    const failed = (result.failingRuns ?? []).includes(last);
    carries[key] = {
      since: new Date(last.start).toISOString(),
      reported: failed || (last.carried && previous[key]?.reported === true),
    };
  }
  return carries;
}

/** The life-cycle event recording that compliance put the lot on hold, as the lots contract records a hold. */
function holdEvent(tx: TxInfo, lot: LotRecord, reason: string) {
  return newEvent(tx, {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'non_sellable_other',
    stage: 'hold',
    quantityList: [quantityOf(lot, lot.remaining)],
    note: reason,
  });
}
