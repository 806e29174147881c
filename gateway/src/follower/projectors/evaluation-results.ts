/**
 * The rules evaluated on one event of a lot, one row each, into evaluation_results: what was measured against which
 * limit of which rule-set version, and the outcome. Written beside the evaluations summary from the same
 * complianceEvaluation record; the consumer page reads the residue results of inspections and the cold-chain range.
 */
import type { Evaluation } from '@agritrace/chaincode/dist/shared/compliance';
import type { SqlRunner } from '../../store/store';
import { num, TableWriter, text } from '../projection';
import type { WrittenBy } from '../projection';

const results = new TableWriter(
  'evaluation_results',
  [
    'lot_id', 'event_id', 'position', 'rule_set_id', 'rule_set_version', 'rule_id', 'kind', 'outcome', 'measured',
    'limit_value', 'unit', 'event_time',
  ], // prettier-ignore
  ['lot_id', 'event_id', 'position'],
);

/** A measured value or limit as JSON text (a number, or a string such as 'ND'), or null. */
function jsonValue(value: unknown): string | null {
  return typeof value === 'string' || num(value) !== null ? JSON.stringify(value) : null;
}

/** Replaces the result rows of one evaluated event with those of `evaluations`. */
export async function projectEvaluationResults(
  tx: SqlRunner,
  where: { lotId: string; eventId: string; eventTime: string },
  evaluations: readonly Partial<Evaluation>[],
  by: WrittenBy,
): Promise<void> {
  await removeEvaluationResults(tx, where.lotId, where.eventId);
  for (const [position, evaluation] of evaluations.entries()) {
    await results.upsert(
      tx,
      {
        lot_id: where.lotId,
        event_id: where.eventId,
        position,
        rule_set_id: text(evaluation.ruleSetId) ?? '',
        rule_set_version: num(evaluation.ruleSetVersion) ?? 0,
        rule_id: text(evaluation.ruleId) ?? '',
        kind: text(evaluation.kind) ?? '',
        outcome: text(evaluation.outcome) ?? '',
        measured: jsonValue(evaluation.measured),
        limit_value: jsonValue(evaluation.limit),
        unit: text(evaluation.unit),
        event_time: where.eventTime,
      },
      by,
    );
  }
}

/** Deletes the result rows of one evaluated event. */
export async function removeEvaluationResults(tx: SqlRunner, lotId: string, eventId: string): Promise<void> {
  await tx.run('DELETE FROM evaluation_results WHERE lot_id = ? AND event_id = ?', [lotId, eventId]);
}
