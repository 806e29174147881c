/**
 * Chaincode event names and payloads: one event per state-changing transaction, named in PascalCase. Listeners
 * (the gateway) import these names instead of spelling them.
 */
import type { ComplianceDocument, ComplianceOutcome, RuleSetRecord, Violation } from './compliance';
import type { DeviceRecord, ReadingsOutcome } from './devices';
import type { BizStep, LotEventRecord } from './epcis';
import type { LotRecord, LotStatus } from './lots';
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
 * Payload of a lot event (LotCreated, LotEventRecorded, LotHeld, LotReleased): which event was recorded on which
 * lot and where it left the lot, by ID. The life-cycle events are the ledger's busiest, so their payloads name the
 * records instead of repeating them (a lot and its event are ~2 KB, and the transaction already carries them as
 * writes and as its result); a listener that needs more reads them (lots:ReadLot, lots:QueryLotEvents,
 * compliance:ReadLotCompliance) or takes them from the block's write set.
 */
export interface LotEventPayload {
  lotId: string;
  eventId: string;
  bizStep: BizStep;
  /** The lot's status after the transaction (on_hold when a failed rule or a non-conformant inspection held it). */
  lotStatus: LotStatus;
  /** Violations raised (RecordEvent) or released (ReleaseLot) by the transaction; absent when none. */
  violationIds?: string[];
}

/**
 * Payload of a transfer event: the transfer, its lot and the custody event, by ID, with the transfer's and the
 * lot's status after the transaction (see LotEventPayload for why IDs only).
 */
export interface TransferEventPayload {
  transferId: string;
  lotId: string;
  eventId: string;
  from: string;
  to: string;
  transferStatus: TransferRecord['status'];
  lotStatus: LotStatus;
  /** Violations raised by checking the offer (as shipping) or the acceptance (as receiving); absent when none. */
  violationIds?: string[];
}

/** What compliance decided on one output lot of a transformation. */
export interface OutputCompliance extends ComplianceOutcome {
  lotId: string;
}

/**
 * Payload of a transformation (LotSplit, LotsMerged, LotsProcessed): the TransformationEvent, its input and output
 * lots, by ID, and the outputs a failed rule put on hold with the violations raised (see LotEventPayload for why
 * IDs only).
 */
export interface TransformationEventPayload {
  eventId: string;
  inputLotIds: string[];
  outputLotIds: string[];
  /** Outputs put on hold by a failed rule; absent when none. */
  heldLotIds?: string[];
  /** Violations raised on the outputs; absent when none. */
  violationIds?: string[];
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

/** The payload of a lot event; `violations` are those the transaction raised or released. */
export function lotEventPayload(
  lot: LotRecord,
  event: LotEventRecord,
  violations: readonly { id: string }[] = [],
): LotEventPayload {
  return {
    lotId: lot.lotId,
    eventId: event.eventId,
    bizStep: event.bizStep,
    lotStatus: lot.status,
    ...violationIdsOf(violations),
  };
}

/** The payload of a transfer event; `violations` are those the transaction raised. */
export function transferEventPayload(
  transfer: TransferRecord,
  lot: LotRecord,
  event: LotEventRecord,
  violations: readonly { id: string }[] = [],
): TransferEventPayload {
  return {
    transferId: transfer.transferId,
    lotId: lot.lotId,
    eventId: event.eventId,
    from: transfer.from,
    to: transfer.to,
    transferStatus: transfer.status,
    lotStatus: lot.status,
    ...violationIdsOf(violations),
  };
}

/** The payload of a transformation event from the transformation's result. */
export function transformationEventPayload(result: {
  event: LotEventRecord;
  inputs: readonly LotRecord[];
  outputs: readonly LotRecord[];
  compliance: readonly OutputCompliance[];
}): TransformationEventPayload {
  const held = result.outputs.filter((lot) => lot.status === 'on_hold');
  return {
    eventId: result.event.eventId,
    inputLotIds: result.inputs.map((lot) => lot.lotId),
    outputLotIds: result.outputs.map((lot) => lot.lotId),
    ...(held.length > 0 ? { heldLotIds: held.map((lot) => lot.lotId) } : {}),
    ...violationIdsOf(result.compliance.flatMap((output) => output.violations)),
  };
}

/** `violationIds` of the violations, or nothing when there are none. */
function violationIdsOf(violations: readonly { id: string }[]): { violationIds?: string[] } {
  return violations.length > 0 ? { violationIds: violations.map((violation) => violation.id) } : {};
}
