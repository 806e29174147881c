/**
 * Object types of every composite key in world state, in one place so that no two aggregates collide.
 * Index keys (value = marker byte) are named `<thing>By<Attribute>`.
 */
export const KEYS = {
  /** Singleton recording that the alliance was bootstrapped: [] */
  alliance: 'alliance',
  /** Member record: [mspId] */
  member: 'member',
  /** Index of members by status and role: [status, role, mspId] */
  memberByStatus: 'memberByStatus',
  /** Lot record: [lotId] */
  lot: 'lot',
  /** Index of lots by custodian: [custodianMspId, lotId] */
  lotByCustodian: 'lotByCustodian',
  /** Life-cycle event record of an event on several lots: [eventId] (shared/event-records.ts) */
  event: 'event',
  /**
   * A lot's events in recording order: [lotId, recordTime, eventId]. The value is the event record itself (with its
   * evaluation) for an event on this lot alone, else a marker for event [eventId].
   */
  eventByLot: 'eventByLot',
  /** Genealogy link from an input to an output lot: [inputLotId, outputLotId] (forward trace) */
  linkForward: 'linkForward',
  /** The same link from the output's side: [outputLotId, inputLotId] (backward trace) */
  linkBackward: 'linkBackward',
  /** Transfer record: [transferId] */
  transfer: 'transfer',
  /** Index of open transfers by party: ['incoming' | 'outgoing', mspId, transferId] */
  transferPending: 'transferPending',
  /** Recall record: [recallId] */
  recall: 'recall',
  /** Lots found by a recall, with their responsible parties: [recallId, lotId] */
  recallScope: 'recallScope',
  /** Lots a recall has found but not yet marked, in discovery order: [recallId, sequence, lotId] */
  recallQueue: 'recallQueue',
  /** Rule-set version, immutable: [ruleSetId, version zero-padded to 6 digits] */
  ruleSet: 'ruleSet',
  /** Latest version of a rule-set ID: [ruleSetId] */
  ruleSetHead: 'ruleSetHead',
  /** Every rule-set ID with its versions' effective dates and latest version, in one record: [] */
  ruleSetCatalog: 'ruleSetCatalog',
  /** Every rule evaluated on one event of a lot, unless the event keeps it: [lotId, recordTime, eventId] */
  complianceEvaluation: 'complianceEvaluation',
  /** Certificate or report held for a lot: [lotId, docType, documentId] */
  lotDocument: 'lotDocument',
  /** Violation record: [violationId] */
  violation: 'violation',
  /** Index of every violation of a lot: [lotId, violationId] */
  violationByLot: 'violationByLot',
  /** Index of violations still holding a lot (open or escalated), oldest first: [detectedAt, violationId] */
  openViolation: 'openViolation',
  /** The same by lot: [lotId, detectedAt, violationId] */
  openViolationByLot: 'openViolationByLot',
  /** The same by responsible member: [mspId, detectedAt, violationId] */
  openViolationByMember: 'openViolationByMember',
  /** The same by the responsible member's region: [regionCode, detectedAt, violationId] */
  openViolationByRegion: 'openViolationByRegion',
  /** The same by rule: [ruleSetId, ruleId, detectedAt, violationId] */
  openViolationByRule: 'openViolationByRule',
  /** IoT device record: [deviceId] */
  device: 'device',
  /** Index of devices by owner: [ownerMspId, deviceId] */
  deviceByOwner: 'deviceByOwner',
  /** Index of devices attached to a lot: [lotId, deviceId] */
  deviceByLot: 'deviceByLot',
  /** A device's signed reading batch with its readings: [deviceId, sequence zero-padded to 16 digits] */
  deviceBatch: 'deviceBatch',
} as const;
