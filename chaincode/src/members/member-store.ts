/** Reads and writes member records and keeps their status index in step. */
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { MemberRecord } from '../shared/members';
import { KEYS } from '../lib/keys';
import { scanPartialKey } from '../lib/pagination';
import { deleteIndex, readSharedState, writeIndex, writeState } from '../lib/state';

/** World-state key of a member record. */
export function memberKey(ctx: Context, mspId: string): string {
  return ctx.stub.createCompositeKey(KEYS.member, [mspId]);
}

/** The member record of an organisation, or undefined if it never registered. */
export async function findMember(ctx: Context, mspId: string): Promise<MemberRecord | undefined> {
  return readSharedState<MemberRecord>(ctx, memberKey(ctx, mspId));
}

/** The member record of an organisation; MEMBER_NOT_FOUND if it never registered. */
export async function getMember(ctx: Context, mspId: string): Promise<MemberRecord> {
  const member = await findMember(ctx, mspId);
  if (!member) throw new ChaincodeError('MEMBER_NOT_FOUND', `member ${mspId} is not registered`, { mspId });
  return member;
}

/** Stores a member record and moves its status-index entry if its status or role changed. */
export async function saveMember(ctx: Context, member: MemberRecord, previous?: MemberRecord): Promise<void> {
  if (previous && (previous.status !== member.status || previous.role !== member.role)) {
    await deleteIndex(ctx, KEYS.memberByStatus, [previous.status, previous.role, previous.mspId]);
  }
  await writeState(ctx, memberKey(ctx, member.mspId), member);
  await writeIndex(ctx, KEYS.memberByStatus, [member.status, member.role, member.mspId]);
}

/** True if at least one approved regulator exists (reads one index entry at most). */
export async function approvedRegulatorExists(ctx: Context): Promise<boolean> {
  const { entries } = await scanPartialKey(ctx, KEYS.memberByStatus, ['approved', 'regulator'], 1);
  return entries.length > 0;
}
