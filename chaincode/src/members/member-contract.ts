/** The member registry (capability 2): organisations register, regulators admit, suspend and revoke them. */
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../shared/errors';
import type { EventName } from '../shared/events';
import { MEMBER_STATUSES, MEMBER_TRANSITIONS } from '../shared/members';
import type { MemberAction, MemberParticulars, MemberRecord, MemberStatus } from '../shared/members';
import type { Page } from '../shared/records';
import { emitEvent } from '../lib/events';
import { assertAdmin, callerMspId } from '../lib/identity';
import { KEYS } from '../lib/keys';
import { bindOperator } from '../lib/operator';
import { pagePartialKey, pageRecords, parsePageSize } from '../lib/pagination';
import { toJson } from '../lib/serializer';
import { readState, stateExists, writeState } from '../lib/state';
import { newMeta, touched, txInfo } from '../lib/transaction';
import type { TxInfo } from '../lib/transaction';
import { parseJsonArgument, requireMspId, requireText } from '../lib/validation';
import { assertRegulator } from './member-authorization';
import { MemberParticularsDto } from './member-particulars.dto';
import { findMember, getMember, memberKey, saveMember } from './member-store';
import { LedgerContract } from '../lib/ledger-contract';

/** A regulator decision: the status it leads to, the history action and the event it emits. */
interface Decision {
  verb: string;
  to: MemberStatus;
  action: MemberAction;
  event: EventName;
}

const APPROVE: Decision = { verb: 'approve', to: 'approved', action: 'approved', event: 'MemberApproved' };
const SUSPEND: Decision = { verb: 'suspend', to: 'suspended', action: 'suspended', event: 'MemberSuspended' };
const REVOKE: Decision = { verb: 'revoke', to: 'revoked', action: 'revoked', event: 'MemberRevoked' };

/** Contract 'members': the alliance's member registry. */
@Info({ title: 'MemberContract', description: 'Alliance member registry' })
export class MemberContract extends LedgerContract {
  constructor() {
    super('members');
  }

  /** Registers the calling admin's organisation as the alliance's first, approved regulator. Once only. */
  @Transaction()
  @Returns('string')
  async BootstrapAlliance(ctx: Context, particularsJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    assertAdmin(ctx);
    const particulars = parseParticulars(particularsJson);
    if (particulars.role !== 'regulator') {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        'the bootstrapping organisation must have the role regulator',
        {
          role: particulars.role,
        },
      );
    }
    const allianceKey = ctx.stub.createCompositeKey(KEYS.alliance, []);
    if (await stateExists(ctx, allianceKey)) {
      throw new ChaincodeError('ALLIANCE_ALREADY_BOOTSTRAPPED', 'the alliance has already been bootstrapped');
    }
    const tx = txInfo(ctx);
    const previous = await findMember(ctx, tx.actor.mspId);
    const member = withHistory(
      { ...buildMember(particulars, tx, previous), status: 'approved' },
      previous?.status ?? null,
      'bootstrapped',
      'alliance bootstrap',
      tx,
    );
    await saveMember(ctx, member, previous);
    await writeState(ctx, allianceKey, { bootstrappedBy: tx.actor, mspId: member.mspId, ...newMeta(tx) });
    emitEvent(ctx, 'AllianceBootstrapped', { member });
    return toJson(member);
  }

  /** Registers the caller's organisation with its particulars (status pending), or updates a pending application. */
  @Transaction()
  @Returns('string')
  async RegisterMember(ctx: Context, particularsJson: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    const mspId = callerMspId(ctx);
    const particulars = parseParticulars(particularsJson);
    const previous = await findMember(ctx, mspId);
    if (previous?.status === 'revoked') {
      throw new ChaincodeError('MEMBER_REVOKED', `member ${mspId} was revoked and cannot register again`, {
        mspId,
      });
    }
    if (previous && previous.status !== 'pending') {
      throw new ChaincodeError('MEMBER_EXISTS', `member ${mspId} is already ${previous.status}`, {
        mspId,
        status: previous.status,
      });
    }
    const tx = txInfo(ctx);
    const member = withHistory(
      { ...buildMember(particulars, tx, previous), status: 'pending' },
      previous?.status ?? null,
      previous ? 'updated' : 'registered',
      previous ? 'application updated' : 'application submitted',
      tx,
    );
    await saveMember(ctx, member, previous);
    emitEvent(ctx, 'MemberRegistered', { member });
    return toJson(member);
  }

  /** Admits a pending member, or reinstates a suspended one (approved regulators only). */
  @Transaction()
  @Returns('string')
  async ApproveMember(ctx: Context, mspId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    return decide(ctx, mspId, reason, APPROVE);
  }

  /** Suspends an approved member (approved regulators only, never their own organisation). */
  @Transaction()
  @Returns('string')
  async SuspendMember(ctx: Context, mspId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    return decide(ctx, mspId, reason, SUSPEND);
  }

  /** Revokes a member for good (approved regulators only, never their own organisation). */
  @Transaction()
  @Returns('string')
  async RevokeMember(ctx: Context, mspId: string, reason: string, operator: string): Promise<string> {
    bindOperator(ctx, operator);
    return decide(ctx, mspId, reason, REVOKE);
  }

  /** The member record of an organisation. */
  @Transaction(false)
  @Returns('string')
  async ReadMember(ctx: Context, mspId: string): Promise<string> {
    return toJson(await getMember(ctx, requireMspId(mspId)));
  }

  /** One page of members: all ('' status) in MSP ID order, or those with one status in role, then MSP ID order. */
  @Transaction(false)
  @Returns('string')
  async QueryMembers(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
    if (status !== '' && !(MEMBER_STATUSES as readonly string[]).includes(status)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `status must be '' or one of ${MEMBER_STATUSES.join(', ')}`,
        {
          status,
        },
      );
    }
    const size = parsePageSize(pageSize);
    const page: Page<MemberRecord> =
      status === ''
        ? await pageRecords<MemberRecord>(ctx, KEYS.member, [], size, bookmark ?? '')
        : await pageByStatus(ctx, status as MemberStatus, size, bookmark ?? '');
    return toJson(page);
  }
}

/** Applies a regulator decision after checking the caller, the arguments and the state machine. */
async function decide(ctx: Context, mspId: string, reason: string, decision: Decision): Promise<string> {
  const regulator = await assertRegulator(ctx);
  requireMspId(mspId);
  const why = requireText(reason, 'reason', 500);
  // A regulator may not approve, suspend or revoke its own organisation: another regulator must.
  if (mspId === regulator.mspId) {
    throw new ChaincodeError(
      'SELF_ACTION_FORBIDDEN',
      `a regulator cannot ${decision.verb} its own organisation`,
      {
        mspId,
      },
    );
  }
  const previous = await getMember(ctx, mspId);
  if (!MEMBER_TRANSITIONS[previous.status].includes(decision.to)) {
    throw new ChaincodeError(
      'INVALID_STATE_TRANSITION',
      `member ${mspId} cannot go from ${previous.status} to ${decision.to}`,
      {
        mspId,
        from: previous.status,
        to: decision.to,
      },
    );
  }
  const tx = txInfo(ctx);
  const member = withHistory(
    { ...touched(previous, tx), status: decision.to },
    previous.status,
    decision.action,
    why,
    tx,
  );
  await saveMember(ctx, member, previous);
  emitEvent(ctx, decision.event, { member });
  return toJson(member);
}

/** One page of the status index, resolved to member records. */
async function pageByStatus(
  ctx: Context,
  status: MemberStatus,
  size: number,
  bookmark: string,
): Promise<Page<MemberRecord>> {
  const page = await pagePartialKey(ctx, KEYS.memberByStatus, [status], size, bookmark);
  const records: MemberRecord[] = [];
  for (const entry of page.entries) {
    const member = await readState<MemberRecord>(ctx, memberKey(ctx, entry.attributes[2] ?? ''));
    if (member) records.push(member);
  }
  return { records, bookmark: page.bookmark, fetchedCount: page.fetchedCount };
}

/** Parses and validates the particulars argument. */
function parseParticulars(json: string): MemberParticulars {
  const dto = parseJsonArgument(MemberParticularsDto, json, 'particulars');
  // Copy to a plain object so that nothing but the declared fields reaches the ledger.
  return {
    name: dto.name,
    role: dto.role,
    businessLicence: dto.businessLicence,
    foodProductionLicence: dto.foodProductionLicence,
    region: dto.region,
    contact: dto.contact
      ? {
          person: dto.contact.person,
          phone: dto.contact.phone,
          email: dto.contact.email,
          address: dto.contact.address,
        }
      : undefined,
  };
}

/** A member record for the caller's organisation from new particulars, keeping the creation provenance and history. */
function buildMember(
  particulars: MemberParticulars,
  tx: TxInfo,
  previous?: MemberRecord,
): Omit<MemberRecord, 'status'> {
  const meta = previous
    ? { createdTxId: previous.createdTxId, createdAt: previous.createdAt, createdBy: previous.createdBy }
    : newMeta(tx);
  return {
    ...particulars,
    ...meta,
    lastTxId: tx.txId,
    updatedAt: tx.timestamp,
    actor: tx.actor,
    docType: 'member',
    mspId: tx.actor.mspId,
    history: previous?.history ?? [],
  };
}

/** The record with one more history entry describing this transaction's change. */
function withHistory(
  member: MemberRecord,
  from: MemberStatus | null,
  action: MemberAction,
  reason: string,
  tx: TxInfo,
): MemberRecord {
  return {
    ...member,
    history: [
      ...member.history,
      { action, from, to: member.status, reason, by: tx.actor, at: tx.timestamp, txId: tx.txId },
    ],
  };
}
