/**
 * How a life-cycle event is kept in world state. An event that involves one lot (nearly all of them: storing,
 * shipping, inspecting, selling one lot) is one key, its lot's index entry eventByLot [lotId, recordTime, eventId],
 * whose value is the event record with the rules evaluated on it. An event on several lots (a transformation, an
 * aggregation of lots) is the record under event [eventId], a marker entry under each lot's index, and an
 * evaluation record complianceEvaluation [lotId, recordTime, eventId] per evaluated lot. Ledgers written before
 * this layout hold single-lot events the second way too; readers take both.
 */
import type { EvaluationRecord, EvaluationRuleSet, Evaluation } from './compliance';
import type { BizStep, LotEventRecord } from './epcis';

/** The rules evaluated on a single-lot event, kept in its record. */
export interface EventCompliance {
  /** The step the rules checked the event as, when not its own (a consigning event is checked as shipping). */
  checkedAs?: BizStep;
  ruleSets: EvaluationRuleSet[];
  evaluations: Evaluation[];
}

/** A single-lot event as its lot's index entry holds it. */
export interface StoredLotEvent extends LotEventRecord {
  /** Absent when no rule concerned the event. */
  compliance?: EventCompliance;
}

/** True when the event is kept whole under its lot's index entry (it involves exactly one lot). */
export function keptUnderLot(event: Pick<LotEventRecord, 'lotIds'>): boolean {
  return event.lotIds.length === 1;
}

/** True when an eventByLot value holds the event record (false for a marker pointing to event [eventId]). */
export function holdsEventRecord(value: Uint8Array): boolean {
  return value.length > 1 && value[0] === 0x7b; // '{'
}

/** The event record and, when rules were evaluated on it, its evaluation record as complianceEvaluation holds one. */
export function splitStoredEvent(stored: StoredLotEvent): {
  event: LotEventRecord;
  evaluation: EvaluationRecord | undefined;
} {
  const { compliance, ...event } = stored;
  return { event, evaluation: compliance ? evaluationRecordOf(event, compliance) : undefined };
}

/** The evaluation record of a single-lot event, equal to the one a separate complianceEvaluation key would hold. */
export function evaluationRecordOf(event: LotEventRecord, compliance: EventCompliance): EvaluationRecord {
  return {
    createdTxId: event.createdTxId,
    createdAt: event.createdAt,
    createdBy: event.createdBy,
    lastTxId: event.lastTxId,
    updatedAt: event.updatedAt,
    actor: event.actor,
    docType: 'complianceEvaluation',
    lotId: event.lotIds[0] ?? '',
    eventId: event.eventId,
    bizStep: compliance.checkedAs ?? event.bizStep,
    eventTime: event.eventTime,
    ruleSets: compliance.ruleSets,
    evaluations: compliance.evaluations,
  };
}
