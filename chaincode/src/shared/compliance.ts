/**
 * Regulations as data (capability 9): rule sets published by regulators, the inputs the rules are evaluated
 * against, the evaluations and the violations they raise. Plain types and constants only: the gateway and the
 * portal import this file, so it has no Fabric imports.
 */
import type { Actor, RecordMeta } from './records';
import type { MemberRole, MemberStatus } from './members';
import type { RecallSeverity as RecallClass } from './recalls';

/** Every rule kind the engine can evaluate. */
export const RULE_KINDS = [
  'mrl',
  'banned',
  'temperature',
  'required_document',
  'qualification',
  'shelf_life',
] as const;
/** One rule kind. */
export type RuleKind = (typeof RULE_KINDS)[number];

/** Pattern of rule-set and rule IDs: they appear in composite keys and in 'ruleSetId/ruleId' filters. */
export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Residue units the engine converts to mg/kg (ppm = mg/kg and ppb = µg/kg for food residues). */
export const RESIDUE_UNITS = ['mg/kg', 'µg/kg', 'μg/kg', 'ug/kg', 'mg/g', 'ppm', 'ppb'] as const;
/** One residue unit. */
export type ResidueUnit = (typeof RESIDUE_UNITS)[number];

/** The business steps (GS1 CBV) a shelf-life rule checks when none are given. */
export const DEFAULT_SHELF_LIFE_STEPS: readonly string[] = ['retail_selling'];

/** Fields every rule has. `reference` names the regulation it encodes (and whether it still needs checking). */
export interface RuleBase {
  id: string;
  kind: RuleKind;
  title?: string;
  reference?: string;
}

/**
 * Maximum residue limit of a substance on a product category (GB 2763). A limit on a category applies to every
 * category below it ('vegetables' covers 'vegetables/cowpea'); the most specific limit for a substance wins.
 */
export interface MrlRule extends RuleBase {
  kind: 'mrl';
  substance: string;
  productCategory: string;
  limit: number;
  unit: 'mg/kg';
}

/** A substance that may not be detected at all (banned pesticides); on every category unless some are listed. */
export interface BannedRule extends RuleBase {
  kind: 'banned';
  substance: string;
  productCategories?: string[];
}

/**
 * A cold-chain range for lots stored in a category ('chilled', 'frozen'). A run of readings outside [min, max]
 * fails when it lasts longer than `toleratedExcursionMinutes`; a reading beyond the range by more than
 * `maxInstantDeviation` fails at once, however short (a spike with no duration data).
 */
export interface TemperatureRule extends RuleBase {
  kind: 'temperature';
  category: string;
  min?: number;
  max?: number;
  unit: '°C';
  toleratedExcursionMinutes: number;
  maxInstantDeviation?: number;
}

/**
 * A document the lot must hold before a business step (quarantine certificate before shipping): issued on or
 * before the event's day, valid for `validityDays` calendar days counting the day of issue, not marked failed, and
 * issued by a member with one of `issuerRoles` when those are given.
 */
export interface RequiredDocumentRule extends RuleBase {
  kind: 'required_document';
  docType: string;
  beforeBizStep: string;
  productCategories?: string[];
  validityDays: number;
  issuerRoles?: MemberRole[];
}

/**
 * The acting member must be approved on the event's date, and members with a role in `requireFoodLicenceFor`
 * must hold a food production licence valid on that date. Applies to events at `bizSteps` (all when absent).
 */
export interface QualificationRule extends RuleBase {
  kind: 'qualification';
  bizSteps?: string[];
  requireFoodLicenceFor?: MemberRole[];
}

/** No event at one of `bizSteps` (default: retail_selling) after the lot's expiry day. */
export interface ShelfLifeRule extends RuleBase {
  kind: 'shelf_life';
  bizSteps?: string[];
  productCategories?: string[];
}

/** One rule of a rule set. */
export type Rule =
  MrlRule | BannedRule | TemperatureRule | RequiredDocumentRule | QualificationRule | ShelfLifeRule;

/** What a regulator submits to PublishRuleSet: the issuer and transaction are added by the chaincode. */
export interface RuleSetDraft {
  id: string;
  version: number;
  title: string;
  /** ISO date ('2021-09-03', midnight China Standard Time) or timestamp with offset from which it applies. */
  effectiveFrom: string;
  rules: Rule[];
}

/** A published, immutable version of a rule set. */
export interface RuleSet extends RuleSetDraft {
  /** MSP ID of the regulator that published it. */
  issuer: string;
  publishedTxId: string;
}

/** A rule set version as stored on the ledger. */
export interface RuleSetRecord extends RuleSet, RecordMeta {
  docType: 'ruleSet';
}

/** The latest version of a rule set ID, so that versions can be checked without a range read. */
export interface RuleSetHead {
  docType: 'ruleSetHead';
  id: string;
  latestVersion: number;
  latestEffectiveFrom: string;
}

/** One rule-set ID in the catalog: every version's effective date, oldest first, and the latest version whole. */
export interface RuleSetCatalogEntry {
  id: string;
  versions: { version: number; effectiveFrom: string }[];
  latest: RuleSet;
}

/**
 * Every rule-set ID in one record, rewritten by each publication, so that an event selects the rule sets in force
 * with one read (instead of a range over the heads and a read per ID). Entries in ID order.
 */
export interface RuleSetCatalog {
  docType: 'ruleSetCatalog';
  entries: RuleSetCatalogEntry[];
}

/** The result of one rule on one event. */
export type EvaluationOutcome = 'pass' | 'fail' | 'not_applicable';

/** One rule evaluated on one event: the outcome, the value measured and the limit, so decisions can be explained. */
export interface Evaluation {
  ruleSetId: string;
  ruleSetVersion: number;
  ruleId: string;
  kind: RuleKind;
  outcome: EvaluationOutcome;
  measured?: number | string;
  limit?: number | string;
  unit?: string;
  message: string;
}

/** One laboratory result: a value in a residue unit, or 'ND' (not detected, optionally with the method's LOD). */
export interface ResidueResult {
  substance: string;
  value: number | 'ND';
  unit: string;
  /** false means not detected, whatever `value` says. */
  detected?: boolean;
  /** Limit of detection of the method, in `unit`. */
  lod?: number;
}

/** One temperature reading: its time and exactly one of celsius, fahrenheit or kelvin. */
export interface TemperatureReading {
  time: string;
  celsius?: number;
  fahrenheit?: number;
  kelvin?: number;
}

/** A certificate or report held for a lot (quarantine certificate, inspection pass). */
export interface ComplianceDocument {
  docType: string;
  id: string;
  /** ISO date or timestamp of issue. */
  issuedAt: string;
  issuerMsp?: string;
  validUntil?: string;
  outcome?: 'pass' | 'fail';
}

/** A document held for a lot, as stored: the issuer is the member that recorded it, never a claim. */
export interface LotDocumentRecord extends RecordMeta {
  docType: 'lotDocument';
  lotId: string;
  document: ComplianceDocument;
}

/**
 * The facts about a lot that rules read, named as the lots contract stores them (its LotRecord satisfies this), so
 * the lots contract passes its record as it is.
 */
export interface ComplianceLot {
  lotId: string;
  status: string;
  /** Product category, a slash-separated path from the general: 'vegetables', 'vegetables/cowpea', 'meat/pork'. */
  category: string;
  /** ISO date (YYYY-MM-DD): no sale after this day. */
  expiryDate?: string;
  /** Cold-chain category the lot is kept in ('chilled', 'frozen'); temperature rules select on it. */
  storageCategory?: string;
  /** MSP ID of the member holding the lot (answers for its temperature). */
  custodian: string;
  /** MSP ID of the member that produced it (answers for residues). */
  producer: string;
}

/**
 * The hold compliance puts on a lot: the lots contract's hold (reason, by, at, txId) plus the violations behind
 * it, which tells a compliance hold from one a regulator or inspector placed by hand.
 */
export interface ComplianceHold {
  reason: string;
  by: Actor;
  at: string;
  txId: string;
  violationIds: string[];
  /** Inspections recorded as non_conformant on the lot while it was held (their event IDs). */
  inspectionEventIds?: string[];
}

/** The facts about a lifecycle event that rules read (a subset of the EPCIS-style event the lots contract keeps). */
export interface ComplianceEvent {
  id: string;
  /** GS1 CBV business step: 'inspecting', 'shipping', 'retail_selling', ... */
  bizStep: string;
  /** CBV disposition; 'non_conformant' on an inspection means it failed. */
  disposition?: string;
  /** ISO timestamp with offset. Rule-set versions and dates are chosen by it. */
  eventTime: string;
  /** The member that recorded the event (responsible for what it did). */
  actorMsp: string;
  actorId?: string;
  /** The member's user who recorded it, when its gateway named one. */
  actorOperator?: string;
  residues?: ResidueResult[];
  readings?: TemperatureReading[];
  documents?: ComplianceDocument[];
}

/** The acting member as the qualification rule sees it on the event's date. */
export interface QualificationFacts {
  mspId: string;
  role?: MemberRole;
  /** Status on the event's date, from the member's history; null if it was not a member then. */
  statusOnDate: MemberStatus | null;
  foodProductionLicence?: string;
  /** Last day the food production licence is valid, if recorded. */
  licenceValidUntil?: string;
}

/** An excursion still open at the end of the previous reading batch of a device, carried into the next. */
export interface ExcursionCarry {
  /** Time of the first out-of-range reading of the run. */
  since: string;
  /** True once a violation was raised for this run, so that its continuation raises no second one. */
  reported: boolean;
}

/** The life of a violation: open holds the lot; a regulator releases it or escalates it to a recall. */
export const VIOLATION_STATUSES = ['open', 'released', 'escalated'] as const;
/** One violation status. */
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** Recall levels of the food recall measures (一级/二级/三级召回): level_1 is the most serious. */
export const RECALL_SEVERITIES = ['level_1', 'level_2', 'level_3'] as const;
/** One recall level. */
export type RecallSeverity = (typeof RECALL_SEVERITIES)[number];

/** The recall class (shared/recalls) an escalation of each level starts: level_1 is class I, the most serious. */
export const RECALL_CLASS_OF_SEVERITY = {
  level_1: 'I',
  level_2: 'II',
  level_3: 'III',
} as const satisfies Record<RecallSeverity, RecallClass>;

/** A regulator's decision on a violation. */
export interface ViolationResolution {
  action: 'released' | 'escalated';
  reason: string;
  severity?: RecallSeverity;
  /** The recall an escalation started (or joined, when the lot was already recalled). */
  recallId?: string;
  by: Actor;
  at: string;
  txId: string;
}

/** A failed evaluation recorded against a lot, naming the rule version, the values and who is responsible. */
export interface Violation extends RecordMeta {
  docType: 'violation';
  id: string;
  lotId: string;
  ruleSetId: string;
  version: number;
  ruleId: string;
  kind: RuleKind;
  measured: number | string | null;
  limit: number | string | null;
  unit: string | null;
  message: string;
  eventId?: string;
  responsibleMsp: string;
  /** Certificate CN of the responsible identity when known ('' when only the organisation is known). */
  responsibleActor: string;
  /** The responsible member's user, when that member recorded the event and its gateway named the user. */
  responsibleOperator?: string;
  /** GB/T 2260 region of the responsible member, for the regulator's view by region. */
  region: string;
  detectedAt: string;
  status: ViolationStatus;
  resolution?: ViolationResolution;
}

/** Every rule evaluated on one event of one lot, as stored for the compliance view. */
export interface EvaluationRecord extends RecordMeta {
  docType: 'complianceEvaluation';
  lotId: string;
  eventId: string;
  bizStep: string;
  eventTime: string;
  ruleSets: EvaluationRuleSet[];
  evaluations: Evaluation[];
}

/** A rule set version an evaluation used. */
export interface EvaluationRuleSet {
  id: string;
  version: number;
}

/** What evaluating an event produced; the lots contract puts this in its own event payload. */
export interface ComplianceOutcome {
  evaluations: Evaluation[];
  violations: Violation[];
}

/** The compliance view of a lot: evaluations (oldest first) and violations, each list bounded. */
export interface LotCompliance {
  lotId: string;
  evaluations: EvaluationRecord[];
  violations: Violation[];
  /** True if more evaluations exist than returned (page them with QueryLotEvaluations). */
  moreEvaluations: boolean;
  moreViolations: boolean;
}

/** Filters of the regulator's open-violation query. */
export const VIOLATION_FILTERS = ['', 'member', 'region', 'rule'] as const;
/** One filter ('' = every open violation). */
export type ViolationFilter = (typeof VIOLATION_FILTERS)[number];
