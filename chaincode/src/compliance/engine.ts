/**
 * The rule engine: pure, deterministic functions that evaluate published rules against the facts of one event.
 * It reads no state and knows no clock; the caller gathers the lot, the event, the documents and the acting
 * member's facts. Boundaries are inclusive: a value equal to its limit passes, anything over it fails.
 *
 * Which rules an event is evaluated against: residue rules (mrl, banned) when the event carries residue results,
 * temperature rules when it carries readings and the lot is kept in the rule's category, document rules at their
 * business step, qualification at every event (or its listed steps), shelf life at sale. A rule that concerns the
 * event but has nothing to judge (a substance not tested) is reported 'not_applicable'; a rule that does not
 * concern the event at all is left out, so the compliance view lists what was actually decided.
 */
import { ChaincodeError } from '../shared/errors';
import { DEFAULT_SHELF_LIFE_STEPS } from '../shared/compliance';
import type {
  BannedRule,
  ComplianceDocument,
  ComplianceEvent,
  ComplianceLot,
  Evaluation,
  ExcursionCarry,
  MrlRule,
  QualificationFacts,
  QualificationRule,
  RequiredDocumentRule,
  Rule,
  RuleKind,
  RuleSet,
  ShelfLifeRule,
  TemperatureRule,
} from '../shared/compliance';
import { isFoodProductionLicence } from '../shared/licences';
import type { MemberRole } from '../shared/members';
import { dayOf, isoDay, parseInstant } from './calendar';
import { analyseTemperatures } from './excursions';
import type { ExcursionRun, TemperatureAnalysis, TemperaturePoint } from './excursions';
import { normalizeResidue, substanceKey, toCelsius } from './units';
import type { NormalizedResidue } from './units';

/** Everything a rule set is evaluated against, gathered by the caller. */
export interface EvaluationInput {
  lot: ComplianceLot;
  event: ComplianceEvent;
  /** Documents known for the lot: those stored earlier and those presented with this event. */
  documents: readonly ComplianceDocument[];
  /** Role of each document issuer (MSP ID → role), for rules that accept only some issuers. */
  issuerRoles: Readonly<Record<string, MemberRole>>;
  /** The acting member's qualification on the event's date (qualification rules fail without it). */
  actor?: QualificationFacts;
  /** Excursions left open by the previous readings of the same series, by ruleKey(). */
  carries?: Readonly<Record<string, ExcursionCarry>>;
}

/** One rule's evaluation, with the excursion analysis behind a temperature decision. */
export interface RuleResult {
  evaluation: Evaluation;
  /** Temperature rules only: the runs outside the range, and which of them failed the rule. */
  analysis?: TemperatureAnalysis;
  failingRuns?: ExcursionRun[];
}

/** An evaluation before it is labelled with its rule. */
type Verdict = Omit<Evaluation, 'ruleSetId' | 'ruleSetVersion' | 'ruleId' | 'kind'> & {
  analysis?: TemperatureAnalysis;
  failingRuns?: ExcursionRun[];
};

/** A document with its days parsed. */
interface DatedDocument {
  doc: ComplianceDocument;
  issuedDay: number;
  validUntilDay?: number;
}

/** The event's facts, validated and normalised once for every rule. */
interface Facts {
  lot: ComplianceLot;
  event: ComplianceEvent;
  eventDay: number;
  category: string;
  residues?: Map<string, NormalizedResidue>;
  points?: TemperaturePoint[];
  documents: DatedDocument[];
  issuerRoles: Readonly<Record<string, MemberRole>>;
  actor?: QualificationFacts;
  carries: Readonly<Record<string, ExcursionCarry>>;
}

/** The key under which a rule's state (an open excursion) is kept: 'ruleSetId/ruleId'. */
export function ruleKey(ruleSetId: string, ruleId: string): string {
  return `${ruleSetId}/${ruleId}`;
}

/** Every evaluation of the event against the rule sets, in rule-set order then rule order. */
export function evaluateRuleSets(ruleSets: readonly RuleSet[], input: EvaluationInput): Evaluation[] {
  return evaluateRuleSetsDetailed(ruleSets, input).map((result) => result.evaluation);
}

/** As evaluateRuleSets, keeping the temperature analyses (the device contract carries open excursions on). */
export function evaluateRuleSetsDetailed(ruleSets: readonly RuleSet[], input: EvaluationInput): RuleResult[] {
  const facts = prepareFacts(input);
  const results: RuleResult[] = [];
  for (const ruleSet of ruleSets) {
    const specificity = mrlSpecificity(ruleSet.rules, facts.category);
    for (const rule of ruleSet.rules) {
      const verdict = evaluateRule(rule, facts, ruleSet.id, specificity);
      if (!verdict) continue;
      const { analysis, failingRuns, ...rest } = verdict;
      const evaluation: Evaluation = {
        ruleSetId: ruleSet.id,
        ruleSetVersion: ruleSet.version,
        ruleId: rule.id,
        kind: rule.kind,
        ...rest,
      };
      results.push(analysis ? { evaluation, analysis, failingRuns } : { evaluation });
    }
  }
  return results;
}

/** True if a rule's category covers the lot's: equal, an ancestor in the path ('meat' covers 'meat/pork'), or '*'. */
export function categoryCovers(ruleCategory: string, lotCategory: string): boolean {
  const rule = ruleCategory.trim().toLowerCase();
  const lot = lotCategory.trim().toLowerCase();
  return rule === '*' || lot === rule || lot.startsWith(`${rule}/`);
}

/** Who answers for a failed rule: the producer for residues, the custodian for temperature, else the actor. */
export function responsibleParty(
  kind: RuleKind,
  lot: ComplianceLot,
  event: ComplianceEvent,
): { mspId: string; actorId: string; operator?: string } {
  const mspId =
    kind === 'mrl' || kind === 'banned'
      ? lot.producer
      : kind === 'temperature'
        ? lot.custodian
        : event.actorMsp;
  // The individual is known only when the responsible organisation is the one that recorded the event.
  if (mspId !== event.actorMsp) return { mspId, actorId: '' };
  return { mspId, actorId: event.actorId ?? '', operator: event.actorOperator };
}

/** Validates and normalises the event once: an unknown unit or a malformed time refuses the whole event. */
function prepareFacts(input: EvaluationInput): Facts {
  const { lot, event } = input;
  if (!event || typeof event.id !== 'string' || event.id.trim() === '') {
    throw new ChaincodeError('INVALID_EVENT', 'the event must have an id');
  }
  if (typeof event.bizStep !== 'string' || event.bizStep.trim() === '') {
    throw new ChaincodeError('INVALID_EVENT', 'the event must have a bizStep', { eventId: event.id });
  }
  const eventDay = dayOf(event.eventTime, 'eventTime');
  let residues: Map<string, NormalizedResidue> | undefined;
  if (event.residues !== undefined) {
    if (!Array.isArray(event.residues)) {
      throw new ChaincodeError('INVALID_EVENT', 'residues must be an array', { eventId: event.id });
    }
    residues = new Map();
    event.residues.forEach((result, index) => {
      const normalized = normalizeResidue(result, index);
      const previous = residues?.get(normalized.substance);
      residues?.set(normalized.substance, previous ? mergeResidues(previous, normalized) : normalized);
    });
  }
  let points: TemperaturePoint[] | undefined;
  if (event.readings !== undefined) {
    if (!Array.isArray(event.readings)) {
      throw new ChaincodeError('INVALID_EVENT', 'readings must be an array', { eventId: event.id });
    }
    points = event.readings.map((reading, index) => ({
      time: parseInstant(reading?.time, `readings[${index}].time`),
      celsius: toCelsius(reading, index),
    }));
  }
  const documents = input.documents.map((doc, index) => ({
    doc,
    issuedDay: dayOf(doc.issuedAt, `documents[${index}].issuedAt`),
    validUntilDay:
      doc.validUntil === undefined ? undefined : dayOf(doc.validUntil, `documents[${index}].validUntil`),
  }));
  return {
    lot,
    event,
    eventDay,
    category: typeof lot.category === 'string' ? lot.category : '',
    residues,
    points,
    documents,
    issuerRoles: input.issuerRoles,
    actor: input.actor,
    carries: input.carries ?? {},
  };
}

/** Two results for one substance in one event: the highest detection counts; between two NDs the smaller LOD. */
function mergeResidues(a: NormalizedResidue, b: NormalizedResidue): NormalizedResidue {
  if (a.detected && b.detected) return a.mgPerKg >= b.mgPerKg ? a : b;
  if (a.detected) return a;
  if (b.detected) return b;
  if (a.lodMgPerKg === undefined || b.lodMgPerKg === undefined) return { ...a, lodMgPerKg: undefined };
  return a.lodMgPerKg <= b.lodMgPerKg ? a : b;
}

/**
 * For each substance, the depth of the most specific MRL category covering the lot: GB 2763 sets a limit on a
 * group and a different one on some members of it, and the member's own limit is the one that applies.
 */
function mrlSpecificity(rules: readonly Rule[], category: string): Map<string, number> {
  const depths = new Map<string, number>();
  for (const rule of rules) {
    if (rule.kind !== 'mrl' || !categoryCovers(rule.productCategory, category)) continue;
    const substance = substanceKey(rule.substance);
    depths.set(substance, Math.max(depths.get(substance) ?? -1, categoryDepth(rule.productCategory)));
  }
  return depths;
}

/** Number of levels in a category path ('*' is 0). */
function categoryDepth(category: string): number {
  return category.trim() === '*' ? 0 : category.split('/').length;
}

/** Dispatches a rule to its kind's evaluator; undefined when the rule does not concern the event. */
function evaluateRule(
  rule: Rule,
  facts: Facts,
  ruleSetId: string,
  specificity: Map<string, number>,
): Verdict | undefined {
  switch (rule.kind) {
    case 'mrl':
      return evaluateMrl(rule, facts, specificity);
    case 'banned':
      return evaluateBanned(rule, facts);
    case 'temperature':
      return evaluateTemperature(rule, facts, facts.carries[ruleKey(ruleSetId, rule.id)]);
    case 'required_document':
      return evaluateRequiredDocument(rule, facts);
    case 'qualification':
      return evaluateQualification(rule, facts);
    case 'shelf_life':
      return evaluateShelfLife(rule, facts);
    default:
      // Rules are validated when published, so an unknown kind means a rule set newer than this chaincode.
      throw new ChaincodeError('MALFORMED_RULE', `unknown rule kind in rule ${(rule as Rule).id}`, {
        ruleSetId,
        ruleId: (rule as Rule).id,
      });
  }
}

/** Maximum residue limit: detected value <= limit passes. ND passes unless the method could not see the limit. */
function evaluateMrl(rule: MrlRule, facts: Facts, specificity: Map<string, number>): Verdict | undefined {
  if (!facts.residues || !categoryCovers(rule.productCategory, facts.category)) return undefined;
  const substance = substanceKey(rule.substance);
  const limit = rule.limit;
  const base = { limit, unit: 'mg/kg' };
  if ((specificity.get(substance) ?? 0) > categoryDepth(rule.productCategory)) {
    return {
      ...base,
      outcome: 'not_applicable',
      message: `${rule.substance}: a more specific limit for ${facts.category} applies`,
    };
  }
  const result = facts.residues.get(substance);
  if (!result) {
    return { ...base, outcome: 'not_applicable', message: `${rule.substance} was not tested` };
  }
  if (!result.detected) {
    // An ND from a method whose LOD is above the limit does not show compliance; the regulator decides.
    if (result.lodMgPerKg !== undefined && result.lodMgPerKg > limit) {
      return {
        ...base,
        outcome: 'fail',
        measured: 'ND',
        message: `${rule.substance} not detected, but the method's LOD ${result.lodMgPerKg} mg/kg is above the limit ${limit} mg/kg`,
      };
    }
    return { ...base, outcome: 'pass', measured: 'ND', message: `${rule.substance} not detected` };
  }
  const measured = result.mgPerKg;
  return measured <= limit
    ? {
        ...base,
        outcome: 'pass',
        measured,
        message: `${rule.substance} ${measured} mg/kg within ${limit} mg/kg`,
      }
    : {
        ...base,
        outcome: 'fail',
        measured,
        message: `${rule.substance} ${measured} mg/kg exceeds the limit ${limit} mg/kg on ${rule.productCategory}`,
      };
}

/** Banned substance: any detection above zero fails; not detected (or 0) passes. */
function evaluateBanned(rule: BannedRule, facts: Facts): Verdict | undefined {
  if (!facts.residues || !coversAny(rule.productCategories, facts.category)) return undefined;
  const base = { limit: 0, unit: 'mg/kg' };
  const result = facts.residues.get(substanceKey(rule.substance));
  if (!result) return { ...base, outcome: 'not_applicable', message: `${rule.substance} was not tested` };
  if (!result.detected || result.mgPerKg === 0) {
    return { ...base, outcome: 'pass', measured: 'ND', message: `banned ${rule.substance} not detected` };
  }
  return {
    ...base,
    outcome: 'fail',
    measured: result.mgPerKg,
    message: `banned substance ${rule.substance} detected at ${result.mgPerKg} mg/kg`,
  };
}

/** Cold-chain range: fails on an excursion longer than tolerated, or a reading too far out to wait for. */
function evaluateTemperature(
  rule: TemperatureRule,
  facts: Facts,
  carry: ExcursionCarry | undefined,
): Verdict | undefined {
  const storage = facts.lot.storageCategory;
  if (!facts.points || facts.points.length === 0 || storage === undefined) return undefined;
  if (storage.trim().toLowerCase() !== rule.category.trim().toLowerCase()) return undefined;
  const carriedSince = carry ? parseInstant(carry.since, 'carry.since') : undefined;
  const analysis = analyseTemperatures(facts.points, rule.min, rule.max, carriedSince);
  const tolerated = rule.toleratedExcursionMinutes;
  const instant = rule.maxInstantDeviation;
  const tooFar = (run: ExcursionRun): boolean => instant !== undefined && run.worstDeviation > instant;
  const failingRuns = analysis.runs.filter((run) => run.minutes > tolerated || tooFar(run));
  const range = rangeText(rule.min, rule.max);
  const longest = analysis.runs.reduce((best, run) => Math.max(best, run.minutes), 0);
  if (failingRuns.length === 0) {
    return {
      outcome: 'pass',
      measured: longest,
      limit: tolerated,
      unit: 'min',
      message: `${analysis.count} readings, ${analysis.minCelsius} to ${analysis.maxCelsius} °C against ${range}; longest excursion ${longest} min (tolerated ${tolerated} min)`,
      analysis,
      failingRuns,
    };
  }
  const spike = failingRuns.filter(tooFar).sort((a, b) => b.worstDeviation - a.worstDeviation)[0];
  if (spike && instant !== undefined && spike.worstCelsius !== undefined) {
    const above = rule.max !== undefined && spike.worstCelsius > rule.max;
    const bound = above ? (rule.max as number) + instant : (rule.min as number) - instant;
    return {
      outcome: 'fail',
      measured: spike.worstCelsius,
      limit: bound,
      unit: '°C',
      message: `reading of ${spike.worstCelsius} °C at or after ${new Date(spike.start).toISOString()} is more than ${instant} °C outside ${range}`,
      analysis,
      failingRuns,
    };
  }
  const worst = [...failingRuns].sort((a, b) => b.minutes - a.minutes)[0] as ExcursionRun;
  return {
    outcome: 'fail',
    measured: worst.minutes,
    limit: tolerated,
    unit: 'min',
    message: `outside ${range} for ${worst.minutes} min from ${new Date(worst.start).toISOString()}${worst.open ? ' (still out of range at the last reading)' : ''}; tolerated ${tolerated} min`,
    analysis,
    failingRuns,
  };
}

/** Required document: some document of the type is valid on the event's day; measured is its day of validity. */
function evaluateRequiredDocument(rule: RequiredDocumentRule, facts: Facts): Verdict | undefined {
  if (facts.event.bizStep !== rule.beforeBizStep || !coversAny(rule.productCategories, facts.category)) {
    return undefined;
  }
  const base = { limit: rule.validityDays, unit: 'days' };
  const reasons: string[] = [];
  let bestValidDay: number | undefined;
  let firstExpiredDay: number | undefined;
  for (const { doc, issuedDay, validUntilDay } of facts.documents) {
    if (doc.docType !== rule.docType) continue;
    if (doc.outcome === 'fail') {
      reasons.push(`${doc.id} records a failed result`);
      continue;
    }
    const issuerRole = doc.issuerMsp === undefined ? undefined : facts.issuerRoles[doc.issuerMsp];
    if (rule.issuerRoles && (issuerRole === undefined || !rule.issuerRoles.includes(issuerRole))) {
      reasons.push(`${doc.id} was not issued by a ${rule.issuerRoles.join(' or ')}`);
      continue;
    }
    if (issuedDay > facts.eventDay) {
      reasons.push(`${doc.id} is dated after the event`);
      continue;
    }
    // Day 1 is the day of issue: a certificate "valid the same day" has validityDays 1.
    const dayOfValidity = facts.eventDay - issuedDay + 1;
    const expired =
      dayOfValidity > rule.validityDays || (validUntilDay !== undefined && facts.eventDay > validUntilDay);
    if (expired) {
      reasons.push(`${doc.id} expired (day ${dayOfValidity} of ${rule.validityDays})`);
      firstExpiredDay = Math.min(firstExpiredDay ?? dayOfValidity, dayOfValidity);
    } else {
      bestValidDay = Math.min(bestValidDay ?? dayOfValidity, dayOfValidity);
    }
  }
  if (bestValidDay !== undefined) {
    return {
      ...base,
      outcome: 'pass',
      measured: bestValidDay,
      message: `${rule.docType} valid (day ${bestValidDay} of ${rule.validityDays}) before ${rule.beforeBizStep}`,
    };
  }
  return {
    ...base,
    outcome: 'fail',
    measured: firstExpiredDay ?? 'missing',
    message: `no valid ${rule.docType} before ${rule.beforeBizStep}${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
  };
}

/** Qualification: the actor was an approved member on the event's day, with a valid food licence if its role needs one. */
function evaluateQualification(rule: QualificationRule, facts: Facts): Verdict | undefined {
  if (rule.bizSteps && !rule.bizSteps.includes(facts.event.bizStep)) return undefined;
  const actor = facts.actor;
  const day = isoDay(parseInstant(facts.event.eventTime, 'eventTime'));
  if (!actor || actor.statusOnDate !== 'approved') {
    return {
      outcome: 'fail',
      measured: actor?.statusOnDate ?? 'not_a_member',
      limit: 'approved',
      message: `${facts.event.actorMsp} was not an approved member on ${day}`,
    };
  }
  if (actor.role && rule.requireFoodLicenceFor?.includes(actor.role)) {
    const licence = actor.foodProductionLicence;
    if (!licence || !isFoodProductionLicence(licence)) {
      return {
        outcome: 'fail',
        measured: licence ?? 'missing',
        limit: 'SC licence',
        message: `${actor.mspId} (${actor.role}) holds no valid food production licence`,
      };
    }
    if (
      actor.licenceValidUntil !== undefined &&
      facts.eventDay > dayOf(actor.licenceValidUntil, 'licenceValidUntil')
    ) {
      return {
        outcome: 'fail',
        measured: actor.licenceValidUntil,
        limit: day,
        message: `${actor.mspId}'s food production licence ${licence} expired on ${actor.licenceValidUntil}`,
      };
    }
  }
  return {
    outcome: 'pass',
    measured: 'approved',
    limit: 'approved',
    message: `${actor.mspId} was an approved member on ${day}`,
  };
}

/** Shelf life: an event at a sale step on or before the expiry day passes; measured is days past expiry. */
function evaluateShelfLife(rule: ShelfLifeRule, facts: Facts): Verdict | undefined {
  const steps = rule.bizSteps ?? DEFAULT_SHELF_LIFE_STEPS;
  if (!steps.includes(facts.event.bizStep) || !coversAny(rule.productCategories, facts.category))
    return undefined;
  const expiry = facts.lot.expiryDate;
  if (expiry === undefined || expiry === '') {
    return { outcome: 'not_applicable', message: 'the lot records no expiry date' };
  }
  const daysPast = facts.eventDay - dayOf(expiry, 'lot.expiryDate');
  return daysPast <= 0
    ? {
        outcome: 'pass',
        measured: daysPast,
        limit: 0,
        unit: 'days',
        message: `within shelf life (expires ${expiry})`,
      }
    : {
        outcome: 'fail',
        measured: daysPast,
        limit: 0,
        unit: 'days',
        message: `${facts.event.bizStep} ${daysPast} day(s) after expiry on ${expiry}`,
      };
}

/** True if the categories (all when absent) cover the lot's category. */
function coversAny(categories: readonly string[] | undefined, lotCategory: string): boolean {
  return !categories || categories.some((category) => categoryCovers(category, lotCategory));
}

/** A range for messages: '0 to 4 °C', 'at most -18 °C', 'at least 2 °C'. */
function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max} °C`;
  return max !== undefined ? `at most ${max} °C` : `at least ${min} °C`;
}
