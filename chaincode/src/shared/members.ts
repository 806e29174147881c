/** Member registry types: the alliance's member organisations, their particulars and their admission status. */
import type { Actor, RecordMeta } from './records';

/** What a member organisation does in the alliance. */
export const MEMBER_ROLES = [
  'regulator',
  'inspector',
  'producer',
  'processor',
  'logistics',
  'retailer',
] as const;
/** A member organisation's role. */
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Roles that must hold a food production licence (SC + 14 digits). */
export const ROLES_REQUIRING_FOOD_LICENCE: readonly MemberRole[] = ['producer', 'processor'];

/** Admission status of a member. */
export const MEMBER_STATUSES = ['pending', 'approved', 'suspended', 'revoked'] as const;
/** One admission status. */
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Allowed regulator decisions: from each status, the statuses a regulator may move a member to. */
export const MEMBER_TRANSITIONS: Readonly<Record<MemberStatus, readonly MemberStatus[]>> = {
  pending: ['approved', 'revoked'],
  approved: ['suspended', 'revoked'],
  suspended: ['approved', 'revoked'],
  revoked: [],
};

/** How a member can be reached (all optional). */
export interface MemberContact {
  person?: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** The enterprise particulars a member submits when it registers (the JSON argument of RegisterMember). */
export interface MemberParticulars {
  name: string;
  role: MemberRole;
  /** Unified social credit code (GB 32100), 18 characters with a check character. */
  businessLicence: string;
  /** Food production licence, 'SC' + 14 digits; required for producers and processors. */
  foodProductionLicence?: string;
  /** GB/T 2260 administrative division code, 6 digits. */
  region: string;
  contact?: MemberContact;
}

/** What happened to a member record in one transaction. */
export type MemberAction = 'bootstrapped' | 'registered' | 'updated' | 'approved' | 'suspended' | 'revoked';

/** One entry of a member's history: who did what, when, in which transaction, and why. */
export interface MemberHistoryEntry {
  action: MemberAction;
  from: MemberStatus | null;
  to: MemberStatus;
  reason: string;
  by: Actor;
  at: string;
  txId: string;
}

/** A member organisation as stored on the ledger. */
export interface MemberRecord extends MemberParticulars, RecordMeta {
  docType: 'member';
  mspId: string;
  status: MemberStatus;
  history: MemberHistoryEntry[];
}
