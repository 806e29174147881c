/**
 * Compliance as the lots, transfer and transformation transactions call it: evaluate an event against the rule
 * sets in force on its date, store what was decided, record violations and hold the lot. These helpers emit no
 * chaincode event (Fabric keeps one per transaction, and it is the caller's): callers put the returned
 * evaluations and violations in their own event payload.
 */
import type { Context } from 'fabric-contract-api';
import type {
  ComplianceDocument,
  ComplianceEvent,
  ComplianceLot,
  ComplianceOutcome,
  Evaluation,
  EvaluationRecord,
  EvaluationRuleSet,
  ExcursionCarry,
  QualificationFacts,
  RuleKind,
  RuleSet,
  Violation,
} from '../shared/compliance';
import { INSPECTION_STEPS } from '../shared/epcis';
import { ChaincodeError } from '../shared/errors';
import { keptUnderLot } from '../shared/event-records';
import type { EventCompliance } from '../shared/event-records';
import type { LotEventRecord } from '../shared/epcis';
import type { LotRecord } from '../shared/lots';
import type { MemberRecord, MemberRole } from '../shared/members';
import { KEYS } from '../lib/keys';
import { writeState } from '../lib/state';
import { newMeta, txInfo } from '../lib/transaction';
import { findMember } from '../members/member-store';
import { parseInstant } from './calendar';
import { evaluateRuleSetsDetailed } from './engine';
import type { RuleResult } from './engine';
import { complianceEventOf, isLotEventRecord } from './event-facts';
import { INSPECTION_PASS_DOC_TYPE, lotDocuments, saveLotDocument } from './lot-documents';
import { putLotOnHold } from './lot-hold';
import { applicableRuleSets } from './rule-set-store';
import { createViolations } from './violation-store';

/** An event as the lots contract stores it, or already reduced to its compliance facts. */
export type EvaluableEvent = ComplianceEvent | LotEventRecord;

/** What one evaluation run used and decided. */
export interface EvaluationRun {
  event: ComplianceEvent;
  ruleSets: RuleSet[];
  results: RuleResult[];
  evaluations: Evaluation[];
}

/** Options of an evaluation run: only some rule kinds, and excursions carried from earlier readings. */
export interface RunOptions {
  kinds?: readonly RuleKind[];
  carries?: Readonly<Record<string, ExcursionCarry>>;
}

/**
 * Evaluates an event on a lot against every rule set in force on the event's date, stores the evaluation record
 * for the compliance view (and any document the event establishes), and returns the evaluations. Refuses the
 * event (the whole transaction) on an unknown unit or malformed data.
 */
export async function evaluateEvent(
  ctx: Context,
  lot: ComplianceLot,
  event: EvaluableEvent,
): Promise<Evaluation[]> {
  const run = await runEvaluation(ctx, lot, event);
  await storeEvaluation(ctx, lot.lotId, run);
  await storeEventDocuments(ctx, lot.lotId, run);
  return run.evaluations;
}

/**
 * Records a violation for each failed evaluation and puts the lot on hold; returns the violations (none if every
 * rule passed). An event failing a rule of a refusing kind (shelf life) is refused instead (LOT_EXPIRED). `lot` is the lot as this transaction leaves it: it is written back held, so the caller must not
 * write its own copy afterwards (enforceCompliance returns the held lot for callers that still write it).
 */
export async function recordViolations(
  ctx: Context,
  lot: LotRecord,
  evaluations: readonly Evaluation[],
  event: EvaluableEvent,
): Promise<Violation[]> {
  return (await holdForFailures(ctx, lot, evaluations, event)).violations;
}

/**
 * evaluateEvent then recordViolations, returning both and the lot as it now stands (on hold if a rule failed),
 * for the caller's response and event payload. Callers store the returned lot, never an older copy: reads in a
 * transaction do not see its own writes. For an event on this lot alone the evaluation is not stored here but
 * returned as `compliance`, which the caller must pass to saveEvent: the event's record is where it is kept.
 */
export async function enforceCompliance(
  ctx: Context,
  lot: LotRecord,
  event: EvaluableEvent,
): Promise<ComplianceOutcome & { lot: LotRecord; compliance?: EventCompliance }> {
  const run = await runEvaluation(ctx, lot, event);
  const compliance = keptWithEvent(lot, event) ? eventCompliance(run) : undefined;
  if (!compliance) await storeEvaluation(ctx, lot.lotId, run);
  await storeEventDocuments(ctx, lot.lotId, run);
  const { violations, lot: after } = await holdForFailures(ctx, lot, run.evaluations, event);
  return { evaluations: run.evaluations, violations, lot: after, compliance };
}

/** True when the event is a stored event on this lot alone, which keeps its evaluation in its own record. */
function keptWithEvent(lot: ComplianceLot, event: EvaluableEvent): boolean {
  return isLotEventRecord(event) && keptUnderLot(event) && event.lotIds[0] === lot.lotId;
}

/** A run as its event keeps it; undefined when no rule concerned the event. */
function eventCompliance(run: EvaluationRun): EventCompliance | undefined {
  if (run.evaluations.length === 0) return undefined;
  return {
    checkedAs: run.event.bizStep,
    ruleSets: ruleSetsOf(run),
    evaluations: run.evaluations,
  };
}

/**
 * Rule kinds whose failure refuses the event itself instead of recording it and holding the lot: food past its
 * shelf life must not be sold at all, whereas a residue or temperature finding is a fact to record.
 */
export const REFUSING_RULE_KINDS: readonly RuleKind[] = ['shelf_life'];

/** Refuses an event that fails a rule of a refusing kind (LOT_EXPIRED for shelf life); nothing is written. */
export function assertNotForbidden(lot: ComplianceLot, evaluations: readonly Evaluation[]): void {
  const forbidden = evaluations.find((e) => e.outcome === 'fail' && REFUSING_RULE_KINDS.includes(e.kind));
  if (!forbidden) return;
  throw new ChaincodeError('LOT_EXPIRED', `lot ${lot.lotId}: ${forbidden.message}`, {
    lotId: lot.lotId,
    expiryDate: lot.expiryDate ?? null,
    ruleSetId: forbidden.ruleSetId,
    ruleSetVersion: forbidden.ruleSetVersion,
    ruleId: forbidden.ruleId,
    daysPastExpiry: forbidden.measured ?? null,
  });
}

/**
 * Refuses a forbidden event, else records the failures as violations and holds the lot; returns them and the lot
 * as it now stands.
 */
async function holdForFailures(
  ctx: Context,
  lot: LotRecord,
  evaluations: readonly Evaluation[],
  event: EvaluableEvent,
): Promise<{ violations: Violation[]; lot: LotRecord }> {
  assertNotForbidden(lot, evaluations);
  const failures = evaluations.filter((evaluation) => evaluation.outcome === 'fail');
  if (failures.length === 0) return { violations: [], lot };
  const violations = await createViolations(ctx, lot, failures, factsOf(event), txInfo(ctx));
  const ids = violations.map((violation) => violation.id);
  return { violations, lot: await putLotOnHold(ctx, lot.lotId, ids, holdReason(violations), lot) };
}

/** Gathers the facts an event needs and runs the engine (no writes). */
export async function runEvaluation(
  ctx: Context,
  lot: ComplianceLot,
  event: EvaluableEvent,
  options: RunOptions = {},
): Promise<EvaluationRun> {
  const facts = factsOf(event);
  const ruleSets = onlyKinds(await applicableRuleSets(ctx, facts.eventTime), options.kinds);
  const rules = ruleSets.flatMap((ruleSet) => ruleSet.rules);
  // Documents are read only for the rules that need them at this step, to keep the read set small.
  const docTypes = rules.flatMap((rule) =>
    rule.kind === 'required_document' && rule.beforeBizStep === facts.bizStep ? [rule.docType] : [],
  );
  const documents: ComplianceDocument[] = [
    ...(docTypes.length > 0 ? await lotDocuments(ctx, lot.lotId, docTypes) : []),
    ...presentedDocuments(facts),
  ];
  const issuerRoles = await rolesOf(
    ctx,
    documents.map((doc) => doc.issuerMsp),
  );
  const actor = rules.some((rule) => rule.kind === 'qualification')
    ? qualificationFacts(await findMember(ctx, facts.actorMsp), facts.actorMsp, facts.eventTime)
    : undefined;
  const results = evaluateRuleSetsDetailed(ruleSets, {
    lot,
    event: facts,
    documents,
    issuerRoles,
    actor,
    carries: options.carries,
  });
  return { event: facts, ruleSets, results, evaluations: results.map((result) => result.evaluation) };
}

/** Stores the evaluation record of a run under [lotId, recordTime, eventId] (nothing if no rule concerned it). */
export async function storeEvaluation(ctx: Context, lotId: string, run: EvaluationRun): Promise<void> {
  if (run.evaluations.length === 0) return;
  const tx = txInfo(ctx);
  const record: EvaluationRecord = {
    ...newMeta(tx),
    docType: 'complianceEvaluation',
    lotId,
    eventId: run.event.id,
    bizStep: run.event.bizStep,
    eventTime: run.event.eventTime,
    ruleSets: ruleSetsOf(run),
    evaluations: run.evaluations,
  };
  await writeState(
    ctx,
    ctx.stub.createCompositeKey(KEYS.complianceEvaluation, [lotId, tx.timestamp, run.event.id]),
    record,
  );
}

/** The rule set versions a run used, as its evaluation record names them. */
function ruleSetsOf(run: EvaluationRun): EvaluationRuleSet[] {
  return run.ruleSets.map(({ id, version }) => ({ id, version }));
}

/**
 * The acting member as the qualification rule sees it on the event's date: its status then is the status its
 * history reached by that time (a member suspended since the event still acted while approved).
 */
export function qualificationFacts(
  member: MemberRecord | undefined,
  mspId: string,
  eventTime: string,
): QualificationFacts {
  if (!member) return { mspId, statusOnDate: null };
  const at = parseInstant(eventTime, 'eventTime');
  let statusOnDate: QualificationFacts['statusOnDate'] = null;
  for (const entry of member.history) {
    if (Date.parse(entry.at) <= at) statusOnDate = entry.to;
  }
  return {
    mspId,
    role: member.role,
    statusOnDate,
    foodProductionLicence: member.foodProductionLicence,
  };
}

/** The reason written on a lot held for these violations. */
export function holdReason(violations: readonly Violation[]): string {
  const first = violations[0];
  if (!first) return 'compliance violation';
  const more = violations.length > 1 ? ` (+${violations.length - 1} more)` : '';
  return `compliance: ${first.ruleSetId} v${first.version} ${first.ruleId}: ${first.message}${more}`;
}

/** The compliance facts of an event in either form. */
function factsOf(event: EvaluableEvent): ComplianceEvent {
  return isLotEventRecord(event) ? complianceEventOf(event) : event;
}

/** Rule sets reduced to rules of the given kinds (all when none are given). */
function onlyKinds(ruleSets: RuleSet[], kinds: readonly RuleKind[] | undefined): RuleSet[] {
  if (!kinds) return ruleSets;
  return ruleSets.map((ruleSet) => ({
    ...ruleSet,
    rules: ruleSet.rules.filter((rule) => kinds.includes(rule.kind)),
  }));
}

/** Documents presented with the event itself: issued by whoever recorded the event, whatever they claim. */
function presentedDocuments(event: ComplianceEvent): ComplianceDocument[] {
  return (event.documents ?? []).map((doc) => ({ ...doc, issuerMsp: event.actorMsp }));
}

/** The role of each distinct issuer that is a member. */
async function rolesOf(ctx: Context, issuers: (string | undefined)[]): Promise<Record<string, MemberRole>> {
  const roles: Record<string, MemberRole> = {};
  for (const mspId of [...new Set(issuers)].sort()) {
    if (mspId === undefined) continue;
    const member = await findMember(ctx, mspId);
    if (member) roles[mspId] = member.role;
  }
  return roles;
}

/**
 * Stores the documents an event establishes: those it presents, and an inspection pass when it is an inspection
 * whose residue results all passed (or that the inspector declared conformant) and whose disposition is not
 * non_conformant. Whether the inspector counts is the rule's business (issuerRoles).
 */
async function storeEventDocuments(ctx: Context, lotId: string, run: EvaluationRun): Promise<void> {
  const tx = txInfo(ctx);
  const event = run.event;
  for (const doc of presentedDocuments(event)) await saveLotDocument(ctx, lotId, doc, tx);
  if (!INSPECTION_STEPS.includes(event.bizStep)) return;
  const residueVerdicts = run.evaluations.filter((e) => e.kind === 'mrl' || e.kind === 'banned');
  const judged =
    residueVerdicts.some((e) => e.outcome !== 'not_applicable') || event.disposition === 'conformant';
  const failed = residueVerdicts.some((e) => e.outcome === 'fail') || event.disposition === 'non_conformant';
  if (!judged || failed) return;
  await saveLotDocument(
    ctx,
    lotId,
    {
      docType: INSPECTION_PASS_DOC_TYPE,
      id: event.id,
      issuedAt: event.eventTime,
      issuerMsp: event.actorMsp,
      outcome: 'pass',
    },
    tx,
  );
}
