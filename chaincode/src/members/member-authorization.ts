/**
 * Authorization rules of the alliance, one helper per rule; later contracts call these first in every write
 * ("only approved members act").
 */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { MemberRecord, MemberRole } from '../shared/members';
import { callerMspId } from '../lib/identity';
import { findMember } from './member-store';

/** The caller's member record; NOT_APPROVED unless the caller's organisation is an approved member. */
export async function assertApprovedMember(ctx: Context): Promise<MemberRecord> {
  const mspId = callerMspId(ctx);
  const member = await findMember(ctx, mspId);
  if (!member || member.status !== 'approved') {
    throw new ChaincodeError('NOT_APPROVED', `organisation ${mspId} is not an approved member`, {
      mspId,
      status: member?.status ?? null,
    });
  }
  return member;
}

/** The caller's member record; NOT_REGULATOR unless the caller's organisation is an approved regulator. */
export async function assertRegulator(ctx: Context): Promise<MemberRecord> {
  const mspId = callerMspId(ctx);
  const member = await findMember(ctx, mspId);
  if (!member || member.status !== 'approved' || member.role !== 'regulator') {
    throw new ChaincodeError('NOT_REGULATOR', `organisation ${mspId} is not an approved regulator`, {
      mspId,
    });
  }
  return member;
}

/** True if the member is approved and has the role. */
export function isApprovedAs(member: MemberRecord | undefined, role: MemberRole): boolean {
  return member?.status === 'approved' && member.role === role;
}
