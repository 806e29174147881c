/**
 * Compliance records: violations (key violation [id]), documents held for lots (lotDocument [lotId, docType, id]),
 * rule evaluations of events (complianceEvaluation [lotId, recordTime, eventId], or kept in a single-lot event's
 * record: lot-events.ts) and rule-set versions (ruleSet [id, version]).
 */
import type {
  EvaluationRecord,
  LotDocumentRecord,
  RuleSetRecord,
  Violation,
} from '@agritrace/chaincode/dist/shared/compliance';
import { timeBuckets } from '../time-buckets';
import { asObject, json, num, TableWriter, text } from '../projection';
import type { RecordProjector } from '../projection';
import { projectEvaluationResults, removeEvaluationResults } from './evaluation-results';

const violations = new TableWriter(
  'violations',
  [
    'violation_id', 'lot_id', 'rule_set_id', 'rule_set_version', 'rule_id', 'kind', 'status', 'responsible_msp',
    'region', 'message', 'detected_at', 'detected_day', 'detected_week', 'detected_month', 'record',
  ], // prettier-ignore
  ['violation_id'],
);

const documents = new TableWriter(
  'lot_documents',
  ['lot_id', 'doc_type', 'document_id', 'issued_at', 'issuer_msp', 'outcome', 'valid_until', 'record'],
  ['lot_id', 'doc_type', 'document_id'],
);

const evaluations = new TableWriter(
  'evaluations',
  ['lot_id', 'event_id', 'biz_step', 'event_time', 'actor_msp', 'evaluated', 'failed'],
  ['lot_id', 'event_id'],
);

const ruleSets = new TableWriter(
  'rule_sets',
  ['rule_set_id', 'version', 'title', 'effective_from', 'issuer', 'record'],
  ['rule_set_id', 'version'],
);

/** Projects violations. */
export const violationProjector: RecordProjector = {
  objectType: 'violation',
  async project(tx, record, attributes, by) {
    const violation = asObject(record) as Partial<Violation>;
    const detectedAt = text(violation.detectedAt) ?? by.timestamp;
    const buckets = timeBuckets(detectedAt);
    await violations.upsert(
      tx,
      {
        violation_id: text(violation.id) ?? attributes[0],
        lot_id: text(violation.lotId) ?? '',
        rule_set_id: text(violation.ruleSetId) ?? '',
        rule_set_version: num(violation.version) ?? 0,
        rule_id: text(violation.ruleId) ?? '',
        kind: text(violation.kind) ?? '',
        status: text(violation.status) ?? '',
        responsible_msp: text(violation.responsibleMsp) ?? '',
        region: text(violation.region),
        message: text(violation.message) ?? '',
        detected_at: detectedAt,
        detected_day: buckets.day,
        detected_week: buckets.week,
        detected_month: buckets.month,
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await violations.delete(tx, [attributes[0] ?? '']);
  },
};

/** Projects documents held for lots (inspection reports, quarantine certificates). */
export const lotDocumentProjector: RecordProjector = {
  objectType: 'lotDocument',
  async project(tx, record, attributes, by) {
    const held = asObject(record) as Partial<LotDocumentRecord>;
    const document = held.document ?? ({} as Partial<LotDocumentRecord['document']>);
    await documents.upsert(
      tx,
      {
        lot_id: text(held.lotId) ?? attributes[0],
        doc_type: text(document.docType) ?? attributes[1],
        document_id: text(document.id) ?? attributes[2],
        issued_at: text(document.issuedAt) ?? by.timestamp,
        issuer_msp: text(document.issuerMsp),
        outcome: text(document.outcome),
        valid_until: text(document.validUntil),
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await documents.delete(tx, [attributes[0] ?? '', attributes[1] ?? '', attributes[2] ?? '']);
  },
};

/** Projects rule evaluations of events: how many rules ran and how many failed. */
export const evaluationProjector: RecordProjector = {
  objectType: 'complianceEvaluation',
  async project(tx, record, attributes, by) {
    const evaluation = asObject(record) as Partial<EvaluationRecord>;
    const results = Array.isArray(evaluation.evaluations) ? evaluation.evaluations : [];
    const where = {
      lotId: text(evaluation.lotId) ?? attributes[0] ?? '',
      eventId: text(evaluation.eventId) ?? attributes[2] ?? '',
      eventTime: text(evaluation.eventTime) ?? by.timestamp,
    };
    await evaluations.upsert(
      tx,
      {
        lot_id: where.lotId,
        event_id: where.eventId,
        biz_step: text(evaluation.bizStep) ?? '',
        event_time: where.eventTime,
        actor_msp: text(evaluation.actor?.mspId) ?? '',
        evaluated: results.filter((result) => result?.outcome !== 'not_applicable').length,
        failed: results.filter((result) => result?.outcome === 'fail').length,
      },
      by,
    );
    await projectEvaluationResults(tx, where, results, by);
  },
  async remove(tx, attributes) {
    await evaluations.delete(tx, [attributes[0] ?? '', attributes[2] ?? '']);
    await removeEvaluationResults(tx, attributes[0] ?? '', attributes[2] ?? '');
  },
};

/** Projects published rule-set versions. */
export const ruleSetProjector: RecordProjector = {
  objectType: 'ruleSet',
  async project(tx, record, attributes, by) {
    const ruleSet = asObject(record) as Partial<RuleSetRecord>;
    await ruleSets.upsert(
      tx,
      {
        rule_set_id: text(ruleSet.id) ?? attributes[0],
        version: num(ruleSet.version) ?? Number(attributes[1] ?? 0),
        title: text(ruleSet.title) ?? '',
        effective_from: text(ruleSet.effectiveFrom) ?? '',
        issuer: text(ruleSet.issuer) ?? '',
        record: json(record),
      },
      by,
    );
  },
  async remove(tx, attributes) {
    await ruleSets.delete(tx, [attributes[0] ?? '', Number(attributes[1] ?? 0)]);
  },
};
