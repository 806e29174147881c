/**
 * What the gateway answers, as the portal reads it. Ledger records are the chaincode's own types (imported from
 * chaincode/src/shared, never copied); the query store's views are described here as the gateway documents them.
 */
export type { LotRecord, LotStatus } from '../../../chaincode/src/shared/lots';
export type { LotEventRecord, Place } from '../../../chaincode/src/shared/epcis';
export type { MemberRecord, MemberRole, MemberStatus } from '../../../chaincode/src/shared/members';
export type { TransferRecord } from '../../../chaincode/src/shared/transfers';
export type {
  TracePage,
  TraceStep,
  GenealogyLink,
  SharedTracePage,
  SharedTraceStep,
} from '../../../chaincode/src/shared/trace';
export type { RecallRecord, RecallScopeEntry } from '../../../chaincode/src/shared/recalls';
export type { RuleSetRecord, Violation, Rule, LotCompliance } from '../../../chaincode/src/shared/compliance';
export type { DeviceRecord } from '../../../chaincode/src/shared/devices';

/** Where a record is on the ledger. */
export interface Verification {
  txId: string;
  blockNumber: number;
}

/** A member as the public sees it. */
export interface PublicParty {
  mspId: string;
  name: string;
}

/** A place as the public sees it. */
export interface PublicPlace {
  region: string | null;
  gln: string | null;
  latitude?: number;
  longitude?: number;
  /** True when the step named no place and the region is the one its lot comes from. */
  originRegion?: boolean;
}

/** One step of the journey. */
export interface JourneyStep {
  date: string;
  bizStep: string;
  stage: string;
  disposition: string | null;
  place: PublicPlace;
  responsible: PublicParty;
  lot: { lotId: string; product: string };
  verification: Verification;
}

/** One analyte of an inspection: the value, and the limit and outcome of the rule that checked it. */
export interface InspectionResult {
  substance: string;
  /** A number in `unit`, or 'ND' (not detected). */
  value: number | string;
  unit: string | null;
  limit: number | string | null;
  /** 'pass', 'fail', or null when no rule limits the substance. */
  outcome: string | null;
  rule: { ruleSetId: string; version: number; ruleId: string; kind: string } | null;
}

/** An inspection or certificate (an inspection with its results against limits). */
export interface PublicInspection {
  date: string;
  kind: 'inspection' | 'document';
  type: string;
  result: string | null;
  by: PublicParty | null;
  lotId: string;
  validUntil?: string | null;
  verification: Verification;
  results?: InspectionResult[];
}

/** Cold-chain readings of the devices attached to the lot or the lots it was made from. */
export interface PublicColdChain {
  /** The newest readings, oldest first. */
  readings: { time: string; celsius: number }[];
  /** Of every reading, not only those listed. */
  summary: { count: number; minCelsius: number; maxCelsius: number; firstTime: string; lastTime: string };
  /** The allowed range of the rule the readings were checked against. */
  range: {
    min?: number;
    max?: number;
    toleratedExcursionMinutes?: number;
    rule: { ruleSetId: string; version: number; ruleId: string };
  } | null;
  outOfRange: number;
  excursions: number;
  outcome: 'pass' | 'fail' | null;
}

/** The warning shown before anything else. */
export type PublicWarning =
  | {
      type: 'recall';
      message: string;
      severity: string;
      reason: string;
      recallId: string;
      recalledLotId: string;
      since: string;
      verification: Verification;
    }
  | { type: 'hold'; message: string; reason: string; since: string | null };

/** The consumer view of a lot (GET /01/{gtin}/10/{lot} as JSON, or /api/v1/public/lots/{code}). */
export interface PublicLot {
  warning: PublicWarning | null;
  traceCode: { gtin: string; lot: string; serial: string | null; elementString: string; digitalLink: string };
  product: {
    name: string;
    category: string;
    productionDate: string | null;
    harvestDate: string | null;
    expiryDate: string | null;
  };
  status: string;
  producer: PublicParty;
  origin: {
    lotId: string;
    product: string;
    producer: PublicParty;
    place: PublicPlace;
    harvestDate: string | null;
  }[];
  journey: JourneyStep[];
  inspections: PublicInspection[];
  coldChain: PublicColdChain | null;
  compliance: {
    status: 'compliant' | 'violations_open' | 'on_hold' | 'recalled';
    openViolations: { kind: string; ruleId: string; lotId: string; detectedAt: string; status: string }[];
  };
  verification: { created: Verification; lastChange: Verification; transactionUrl: string };
}

/** GET /api/v1/transactions/{txId}. */
export interface TransactionInfo {
  txId: string;
  channel: string;
  blockNumber: number;
  transactionIndex: number;
  validationCode: string;
  valid: boolean;
  timestamp: string;
  type: string;
  creatorMspId: string;
  endorsingOrganizations: string[];
  chaincode: { name: string; function: string };
}

/** GET /api/v1/search/lots hit. */
export interface LotHit {
  lotId: string;
  gtin: string;
  lot: string;
  product: string;
  category: string;
  status: string;
  quantity: number;
  remaining: number;
  unit: string;
  producer: { mspId: string; name: string | null };
  custodian: { mspId: string; name: string | null };
  originRegion: string | null;
  createdAt: string;
  elementString: string | null;
  recallId: string | null;
  lastChange: Verification;
}

/** GET /api/v1 */
export interface GatewayInfo {
  org: string;
  mspId: string;
  displayName: string;
  role: string;
  channel: string;
  chaincode: string;
}

/** The logged-in user (GET/POST /api/v1/session). */
export interface SessionInfo {
  user: {
    username: string;
    displayName: string;
    role: 'operator' | 'inspector' | 'regulator' | 'call_centre';
  };
  organisation: { org: string; mspId: string; displayName: string; role: string };
  csrfToken: string;
  expiresAt: string;
}
