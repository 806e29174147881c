/**
 * Chaincode event names and payloads: one event per state-changing transaction, named in PascalCase. Listeners
 * (the gateway) import these names instead of spelling them.
 */
import type {
  ComplianceDocument,
  ComplianceOutcome,
  Evaluation,
  RuleSetRecord,
  Violation,
} from './compliance';
import type { DeviceRecord, ReadingsOutcome } from './devices';
import type { LotEventRecord } from './epcis';
import type { LotRecord } from './lots';
import type { MemberRecord } from './members';
import type { RecallRecord } from './recalls';
import type { TransferRecord } from './transfers';

/** Every chaincode event name. */
export const EVENT_NAMES = {
  AllianceBootstrapped: 'AllianceBootstrapped',
  MemberRegistered: 'MemberRegistered',
  MemberApproved: 'MemberApproved',
  MemberSuspended: 'MemberSuspended',
  MemberRevoked: 'MemberRevoked',
  LotCreated: 'LotCreated',
  LotEventRecorded: 'LotEventRecorded',
  LotHeld: 'LotHeld',
  LotReleased: 'LotReleased',
  TransferOffered: 'TransferOffered',
  TransferAccepted: 'TransferAccepted',
  TransferRejected: 'TransferRejected',
  TransferCancelled: 'TransferCancelled',
  LotSplit: 'LotSplit',
  LotsMerged: 'LotsMerged',
  LotsProcessed: 'LotsProcessed',
  LotRecalled: 'LotRecalled',
  RecallContinued: 'RecallContinued',
  RuleSetPublished: 'RuleSetPublished',
  RuleSetsIndexed: 'RuleSetsIndexed',
  DocumentRecorded: 'DocumentRecorded',
  HoldReleased: 'HoldReleased',
  ViolationsEscalated: 'ViolationsEscalated',
  DeviceRegistered: 'DeviceRegistered',
  DeviceAttached: 'DeviceAttached',
  DeviceRetired: 'DeviceRetired',
  ReadingsSubmitted: 'ReadingsSubmitted',
} as const;

/** One chaincode event name. */
export type EventName = keyof typeof EVENT_NAMES;

/** Payload of a member-registry event: the member record as written. */
export interface MemberEventPayload {
  member: MemberRecord;
}

/**
 * Payload of a lot event: the lot as written and the life-cycle event recorded on it. RecordEvent adds the rules
 * evaluated and the violations raised (LotHeld when they or a non-conformant inspection put the lot on hold);
 * ReleaseLot adds the violations it released.
 */
export interface LotEventPayload {
  lot: LotRecord;
  event: LotEventRecord;
  evaluations?: Evaluation[];
  violations?: Violation[];
}

/**
 * Payload of a transfer event: the transfer, the lot and the custody event recorded. Offers (checked as shipping)
 * and acceptances (checked as receiving) add the rules evaluated and the violations raised.
 */
export interface TransferEventPayload {
  transfer: TransferRecord;
  lot: LotRecord;
  event: LotEventRecord;
  evaluations?: Evaluation[];
  violations?: Violation[];
}

/** What compliance decided on one output lot of a transformation. */
export interface OutputCompliance extends ComplianceOutcome {
  lotId: string;
}

/**
 * Payload of a transformation: the TransformationEvent, the inputs after consumption, the new outputs (on hold if
 * a rule failed on them) and, per output, the rules evaluated and the violations raised.
 */
export interface TransformationEventPayload {
  event: LotEventRecord;
  inputs: LotRecord[];
  outputs: LotRecord[];
  compliance: OutputCompliance[];
}

/** Payload of a recall batch: the recall record and the IDs of the lots this transaction added to it. */
export interface RecallEventPayload {
  recall: RecallRecord;
  lots: string[];
}

/** Payload of RuleSetPublished: the rule-set version as stored. */
export interface RuleSetEventPayload {
  ruleSet: RuleSetRecord;
}

/** Payload of RuleSetsIndexed: each rule-set ID in the rebuilt catalog and how many versions it has. */
export interface RuleSetsIndexedPayload {
  ruleSets: { id: string; versions: number }[];
}

/** Payload of DocumentRecorded: the lot and the certificate or report now held for it. */
export interface DocumentEventPayload {
  lotId: string;
  document: ComplianceDocument;
}

/**
 * Payload of HoldReleased and ViolationsEscalated: the lot, the violations decided and the lot's status after. An
 * escalation also carries the recall it started (absent when the lot was already recalled) and the lots that
 * recall's first batch marked; ContinueRecall marks the rest.
 */
export interface ViolationDecisionPayload {
  lotId: string;
  violations: Violation[];
  lotStatus: string;
  recall?: RecallRecord;
  /** IDs of the lots the recall's first batch marked. */
  lots?: string[];
}

/** Payload of a device-registry event: the device as written. */
export interface DeviceEventPayload {
  device: DeviceRecord;
}

/** The payload type of each event. */
export interface EventPayloads {
  AllianceBootstrapped: MemberEventPayload;
  MemberRegistered: MemberEventPayload;
  MemberApproved: MemberEventPayload;
  MemberSuspended: MemberEventPayload;
  MemberRevoked: MemberEventPayload;
  LotCreated: LotEventPayload;
  LotEventRecorded: LotEventPayload;
  LotHeld: LotEventPayload;
  LotReleased: LotEventPayload;
  TransferOffered: TransferEventPayload;
  TransferAccepted: TransferEventPayload;
  TransferRejected: TransferEventPayload;
  TransferCancelled: TransferEventPayload;
  LotSplit: TransformationEventPayload;
  LotsMerged: TransformationEventPayload;
  LotsProcessed: TransformationEventPayload;
  LotRecalled: RecallEventPayload;
  RecallContinued: RecallEventPayload;
  RuleSetPublished: RuleSetEventPayload;
  RuleSetsIndexed: RuleSetsIndexedPayload;
  DocumentRecorded: DocumentEventPayload;
  HoldReleased: ViolationDecisionPayload;
  ViolationsEscalated: ViolationDecisionPayload;
  DeviceRegistered: DeviceEventPayload;
  DeviceAttached: DeviceEventPayload;
  DeviceRetired: DeviceEventPayload;
  ReadingsSubmitted: ReadingsOutcome;
}
