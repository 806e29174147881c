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

/** The consumer view of a lot: the gateway's own types (its public lookup builds exactly these). */
export type {
  InspectionResult,
  JourneyStep,
  PublicColdChain,
  PublicInspection,
  PublicLot,
  PublicParty,
  PublicPlace,
  PublicWarning,
  Verification,
} from '../../../gateway/src/public/public-types';

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

/** GET /api/v1/search/lots hit: the gateway's own type. */
export type { LotHit } from '../../../gateway/src/search/lot-hit';

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
