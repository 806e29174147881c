/** Member registry: bootstrap, registration, regulator decisions, reads and the approved-member rule. */
import './support/quiet-logging';
import { FakeLedger, expectRefusal, identity } from './support/fake-ledger';
import { particulars, particularsJson } from './support/particulars';
import { assertApprovedMember, assertRegulator } from '../src';
import type { MemberRecord } from '../src/shared/members';
import type { Page } from '../src/shared/records';
import { ERROR_CODES } from '../src/shared/errors';

const regulatorAdmin = identity('regulator', 'admin');
const regulator = identity('regulator');
const regulator2 = identity('regulator2');
const producer = identity('producer');
const processor = identity('processor');
const retailer = identity('retailer');

/** A ledger whose alliance is bootstrapped by RegulatorMSP. */
async function bootstrapped(): Promise<FakeLedger> {
  const ledger = new FakeLedger();
  await ledger.submit(regulatorAdmin, 'members:BootstrapAlliance', [particularsJson('regulator', 1)]);
  return ledger;
}

/** A bootstrapped ledger where `org` registered with `role` and, if asked, was approved. */
async function withMember(
  ledger: FakeLedger,
  who: ReturnType<typeof identity>,
  role: Parameters<typeof particularsJson>[0],
  approve = true,
): Promise<void> {
  await ledger.submit(who, 'members:RegisterMember', [particularsJson(role, 7)]);
  if (approve) await ledger.submit(regulator, 'members:ApproveMember', [who.mspId, 'documents checked']);
}

/** Asserts a refusal changed nothing: same state size, no new event, same block height. */
async function expectNoChange(
  ledger: FakeLedger,
  attempt: () => Promise<unknown>,
  code: string,
): Promise<void> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  const height = ledger.blockHeight;
  await expectRefusal(attempt(), code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
  expect(ledger.blockHeight).toBe(height);
}

describe('BootstrapAlliance', () => {
  it('registers the calling admin organisation as the first approved regulator', async () => {
    const ledger = new FakeLedger();
    const member = await ledger.submitJson<MemberRecord>(regulatorAdmin, 'members:BootstrapAlliance', [
      particularsJson('regulator', 1),
    ]);
    expect(member).toMatchObject({
      docType: 'member',
      mspId: 'RegulatorMSP',
      role: 'regulator',
      status: 'approved',
      createdTxId: FakeLedger.txIdOf(1),
      lastTxId: FakeLedger.txIdOf(1),
      createdAt: '2026-03-01T08:00:01.000Z',
      updatedAt: '2026-03-01T08:00:01.000Z',
      actor: { mspId: 'RegulatorMSP', id: 'Admin@regulator.agritrace.test' },
    });
    expect(member.history).toEqual([
      {
        action: 'bootstrapped',
        from: null,
        to: 'approved',
        reason: 'alliance bootstrap',
        by: { mspId: 'RegulatorMSP', id: 'Admin@regulator.agritrace.test' },
        at: '2026-03-01T08:00:01.000Z',
        txId: FakeLedger.txIdOf(1),
      },
    ]);
    expect(ledger.lastEvent()).toMatchObject({ name: 'AllianceBootstrapped', payload: { member } });
    expect(await ledger.evaluateJson(producer, 'members:ReadMember', ['RegulatorMSP'])).toEqual(member);
  });

  it('refuses a caller without the admin role', async () => {
    const ledger = new FakeLedger();
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:BootstrapAlliance', [particularsJson('regulator', 1)]),
      'NOT_ADMIN',
    );
  });

  it('can happen only once, whoever tries again', async () => {
    const ledger = await bootstrapped();
    await expectNoChange(
      ledger,
      () =>
        ledger.submit(identity('regulator2', 'admin'), 'members:BootstrapAlliance', [
          particularsJson('regulator', 2),
        ]),
      'ALLIANCE_ALREADY_BOOTSTRAPPED',
    );
    await expectRefusal(
      ledger.submit(regulatorAdmin, 'members:BootstrapAlliance', [particularsJson('regulator', 1)]),
      'ALLIANCE_ALREADY_BOOTSTRAPPED',
    );
  });

  it('refuses particulars whose role is not regulator, and invalid particulars', async () => {
    const ledger = new FakeLedger();
    const admin = identity('producer', 'admin');
    await expectNoChange(
      ledger,
      () => ledger.submit(admin, 'members:BootstrapAlliance', [particularsJson('producer', 1)]),
      'INVALID_ARGUMENT',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulatorAdmin, 'members:BootstrapAlliance', ['{"name":']),
      'INVALID_JSON',
    );
  });

  it('turns an earlier pending application of the same organisation into the approved regulator', async () => {
    const ledger = new FakeLedger();
    await ledger.submit(regulator, 'members:RegisterMember', [particularsJson('regulator', 1)]);
    const member = await ledger.submitJson<MemberRecord>(regulatorAdmin, 'members:BootstrapAlliance', [
      particularsJson('regulator', 1),
    ]);
    expect(member.status).toBe('approved');
    expect(member.createdTxId).toBe(FakeLedger.txIdOf(1));
    expect(member.history.map((entry) => [entry.action, entry.from, entry.to])).toEqual([
      ['registered', null, 'pending'],
      ['bootstrapped', 'pending', 'approved'],
    ]);
    const pending = await ledger.evaluateJson<Page<MemberRecord>>(regulator, 'members:QueryMembers', [
      'pending',
      '',
      '',
    ]);
    expect(pending.records).toEqual([]);
  });
});

describe('RegisterMember', () => {
  it("registers the caller's organisation as pending, with its particulars", async () => {
    const ledger = await bootstrapped();
    const member = await ledger.submitJson<MemberRecord>(producer, 'members:RegisterMember', [
      particularsJson('producer', 3),
    ]);
    expect(member).toMatchObject({ ...particulars('producer', 3), mspId: 'ProducerMSP', status: 'pending' });
    expect(member.actor).toEqual({ mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' });
    expect(member.history).toHaveLength(1);
    expect(ledger.lastEvent()).toMatchObject({ name: 'MemberRegistered', payload: { member } });
  });

  it('works before the alliance is bootstrapped and for every role', async () => {
    const ledger = new FakeLedger();
    await ledger.submit(retailer, 'members:RegisterMember', [particularsJson('retailer', 4)]);
    await ledger.submit(identity('inspector'), 'members:RegisterMember', [particularsJson('inspector', 5)]);
    await ledger.submit(identity('logistics'), 'members:RegisterMember', [particularsJson('logistics', 6)]);
    const page = await ledger.evaluateJson<Page<MemberRecord>>(retailer, 'members:QueryMembers', [
      '',
      '',
      '',
    ]);
    expect(page.records.map((m) => [m.mspId, m.role])).toEqual([
      ['InspectorMSP', 'inspector'],
      ['LogisticsMSP', 'logistics'],
      ['RetailerMSP', 'retailer'],
    ]);
  });

  it('updates a pending application and keeps its creation provenance and history', async () => {
    const ledger = await bootstrapped();
    const first = await ledger.submitJson<MemberRecord>(producer, 'members:RegisterMember', [
      particularsJson('producer', 3),
    ]);
    const second = await ledger.submitJson<MemberRecord>(producer, 'members:RegisterMember', [
      particularsJson('producer', 3, { name: 'Renamed Cooperative', region: '510104' }),
    ]);
    expect(second).toMatchObject({ name: 'Renamed Cooperative', region: '510104', status: 'pending' });
    expect(second.createdTxId).toBe(first.createdTxId);
    expect(second.lastTxId).not.toBe(first.lastTxId);
    expect(second.history.map((entry) => entry.action)).toEqual(['registered', 'updated']);
  });

  it('refuses an organisation that is already approved or suspended with MEMBER_EXISTS', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await expectNoChange(
      ledger,
      () => ledger.submit(producer, 'members:RegisterMember', [particularsJson('producer', 3)]),
      'MEMBER_EXISTS',
    );
    await ledger.submit(regulator, 'members:SuspendMember', ['ProducerMSP', 'licence expired']);
    await expectRefusal(
      ledger.submit(producer, 'members:RegisterMember', [particularsJson('producer', 3)]),
      'MEMBER_EXISTS',
    );
  });

  it('refuses a revoked organisation with MEMBER_REVOKED', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await ledger.submit(regulator, 'members:RevokeMember', ['ProducerMSP', 'fraud']);
    await expectNoChange(
      ledger,
      () => ledger.submit(producer, 'members:RegisterMember', [particularsJson('producer', 3)]),
      'MEMBER_REVOKED',
    );
  });

  it.each([
    ['not JSON', 'not json', 'INVALID_JSON'],
    ['a JSON array', '[]', 'INVALID_JSON'],
    ['an unknown field', JSON.stringify({ ...particulars('retailer'), admin: true }), 'INVALID_ARGUMENT'],
    ['no name', JSON.stringify({ ...particulars('retailer'), name: undefined }), 'INVALID_ARGUMENT'],
    ['an unknown role', JSON.stringify({ ...particulars('retailer'), role: 'farmer' }), 'INVALID_ARGUMENT'],
    [
      'a credit code with a wrong check character',
      particularsJson('retailer', 1, { businessLicence: '91350100M000100Y44' }),
      'INVALID_BUSINESS_LICENCE',
    ],
    [
      'a credit code with a forbidden letter',
      particularsJson('retailer', 1, { businessLicence: '91350100M000100I43' }),
      'INVALID_BUSINESS_LICENCE',
    ],
    [
      'a producer without a food production licence',
      JSON.stringify({ ...particulars('producer'), foodProductionLicence: undefined }),
      'INVALID_FOOD_LICENCE',
    ],
    [
      'a processor with a malformed licence',
      particularsJson('processor', 1, { foodProductionLicence: 'QS1063701000010' }),
      'INVALID_FOOD_LICENCE',
    ],
    [
      'a retailer with a malformed optional licence',
      particularsJson('retailer', 1, { foodProductionLicence: 'SC123' }),
      'INVALID_FOOD_LICENCE',
    ],
    [
      'a region that is not a division code',
      particularsJson('retailer', 1, { region: '990101' }),
      'INVALID_REGION',
    ],
    ['a 5-digit region', particularsJson('retailer', 1, { region: '37010' }), 'INVALID_REGION'],
    [
      'a malformed contact e-mail',
      particularsJson('retailer', 1, { contact: { email: 'not-an-email' } }),
      'INVALID_ARGUMENT',
    ],
  ])('refuses particulars with %s', async (_label, json, code) => {
    const ledger = await bootstrapped();
    const failure = await expectRefusal(ledger.submit(retailer, 'members:RegisterMember', [json]), code);
    expect(ERROR_CODES[failure.code as keyof typeof ERROR_CODES]).toBe('invalid');
    expect(ledger.read(`\u0000member\u0000RetailerMSP\u0000`)).toBeUndefined();
  });

  it('accepts a retailer without a food production licence and names the failing field', async () => {
    const ledger = await bootstrapped();
    const member = await ledger.submitJson<MemberRecord>(retailer, 'members:RegisterMember', [
      particularsJson('retailer', 2),
    ]);
    expect(member.foodProductionLicence).toBeUndefined();
    const failure = await expectRefusal(
      ledger.submit(processor, 'members:RegisterMember', [particularsJson('processor', 1, { region: '1' })]),
      'INVALID_REGION',
    );
    expect(failure.body?.details).toMatchObject({ argument: 'particulars', fields: [{ field: 'region' }] });
  });
});

describe('ApproveMember', () => {
  it('lets an approved regulator admit a pending member, with a history entry', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer', false);
    const member = await ledger.submitJson<MemberRecord>(regulator, 'members:ApproveMember', [
      'ProducerMSP',
      'licences verified',
    ]);
    expect(member.status).toBe('approved');
    expect(member.actor).toEqual({ mspId: 'RegulatorMSP', id: 'User1@regulator.agritrace.test' });
    expect(member.createdBy.mspId).toBe('ProducerMSP');
    expect(member.history[1]).toEqual({
      action: 'approved',
      from: 'pending',
      to: 'approved',
      reason: 'licences verified',
      by: { mspId: 'RegulatorMSP', id: 'User1@regulator.agritrace.test' },
      at: member.updatedAt,
      txId: member.lastTxId,
    });
    expect(ledger.lastEvent()).toMatchObject({ name: 'MemberApproved', payload: { member } });
  });

  it('refuses organisations that are not approved regulators with NOT_REGULATOR', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, processor, 'processor');
    await withMember(ledger, producer, 'producer', false);
    await ledger.submit(regulator2, 'members:RegisterMember', [particularsJson('regulator', 2)]);
    for (const caller of [processor, regulator2, identity('outsider')]) {
      await expectNoChange(
        ledger,
        () => ledger.submit(caller, 'members:ApproveMember', ['ProducerMSP', 'ok']),
        'NOT_REGULATOR',
      );
    }
  });

  it('lets a second, approved regulator act, and a suspended regulator no longer', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, regulator2, 'regulator');
    await withMember(ledger, producer, 'producer', false);
    await ledger.submit(regulator2, 'members:ApproveMember', ['ProducerMSP', 'ok']);
    await ledger.submit(regulator, 'members:SuspendMember', ['Regulator2MSP', 'audit']);
    await expectRefusal(
      ledger.submit(regulator2, 'members:SuspendMember', ['ProducerMSP', 'x']),
      'NOT_REGULATOR',
    );
  });

  it('reinstates a suspended member', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await ledger.submit(regulator, 'members:SuspendMember', ['ProducerMSP', 'inspection failed']);
    const member = await ledger.submitJson<MemberRecord>(regulator, 'members:ApproveMember', [
      'ProducerMSP',
      'corrected',
    ]);
    expect(member.status).toBe('approved');
    expect(member.history.map((entry) => `${entry.from}->${entry.to}`)).toEqual([
      'null->pending',
      'pending->approved',
      'approved->suspended',
      'suspended->approved',
    ]);
  });

  it('refuses unknown members, bad arguments and transitions the state machine does not allow', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['NobodyMSP', 'x']),
      'MEMBER_NOT_FOUND',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['ProducerMSP', 'x']),
      'INVALID_STATE_TRANSITION',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['ProducerMSP', '  ']),
      'INVALID_ARGUMENT',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['bad msp/id', 'x']),
      'INVALID_ARGUMENT',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['ProducerMSP', 'x'.repeat(501)]),
      'INVALID_ARGUMENT',
    );
    await ledger.submit(regulator, 'members:RevokeMember', ['ProducerMSP', 'fraud']);
    const failure = await expectRefusal(
      ledger.submit(regulator, 'members:ApproveMember', ['ProducerMSP', 'x']),
      'INVALID_STATE_TRANSITION',
    );
    expect(failure.body?.details).toEqual({ mspId: 'ProducerMSP', from: 'revoked', to: 'approved' });
  });

  it('does not let a regulator decide about its own organisation', async () => {
    const ledger = await bootstrapped();
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:ApproveMember', ['RegulatorMSP', 'me']),
      'SELF_ACTION_FORBIDDEN',
    );
  });
});

describe('SuspendMember', () => {
  it('suspends an approved member', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    const member = await ledger.submitJson<MemberRecord>(regulator, 'members:SuspendMember', [
      'ProducerMSP',
      'pesticide residue over limit',
    ]);
    expect(member.status).toBe('suspended');
    expect(member.history.at(-1)).toMatchObject({
      action: 'suspended',
      reason: 'pesticide residue over limit',
    });
    expect(ledger.lastEvent()).toMatchObject({ name: 'MemberSuspended', payload: { member } });
  });

  it('refuses suspending a pending or suspended member, itself, or by a non-regulator', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer', false);
    await withMember(ledger, processor, 'processor');
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:SuspendMember', ['ProducerMSP', 'x']),
      'INVALID_STATE_TRANSITION',
    );
    await ledger.submit(regulator, 'members:SuspendMember', ['ProcessorMSP', 'x']);
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:SuspendMember', ['ProcessorMSP', 'x']),
      'INVALID_STATE_TRANSITION',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:SuspendMember', ['RegulatorMSP', 'x']),
      'SELF_ACTION_FORBIDDEN',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(producer, 'members:SuspendMember', ['ProcessorMSP', 'x']),
      'NOT_REGULATOR',
    );
  });
});

describe('RevokeMember', () => {
  it.each(['pending', 'approved', 'suspended'] as const)('revokes a %s member for good', async (status) => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer', status !== 'pending');
    if (status === 'suspended') await ledger.submit(regulator, 'members:SuspendMember', ['ProducerMSP', 'x']);
    const member = await ledger.submitJson<MemberRecord>(regulator, 'members:RevokeMember', [
      'ProducerMSP',
      'fraud',
    ]);
    expect(member.status).toBe('revoked');
    expect(member.history.at(-1)).toMatchObject({ action: 'revoked', from: status, to: 'revoked' });
    expect(ledger.lastEvent()).toMatchObject({ name: 'MemberRevoked', payload: { member } });
    await expectRefusal(
      ledger.submit(regulator, 'members:RevokeMember', ['ProducerMSP', 'again']),
      'INVALID_STATE_TRANSITION',
    );
  });

  it('refuses revoking itself or by a non-regulator', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await expectNoChange(
      ledger,
      () => ledger.submit(regulator, 'members:RevokeMember', ['RegulatorMSP', 'x']),
      'SELF_ACTION_FORBIDDEN',
    );
    await expectNoChange(
      ledger,
      () => ledger.submit(producer, 'members:RevokeMember', ['RegulatorMSP', 'x']),
      'NOT_REGULATOR',
    );
  });
});

describe('ReadMember', () => {
  it('is open to any caller of the channel and refuses unknown or malformed IDs', async () => {
    const ledger = await bootstrapped();
    const read = await ledger.evaluateJson<MemberRecord>(identity('outsider'), 'members:ReadMember', [
      'RegulatorMSP',
    ]);
    expect(read.mspId).toBe('RegulatorMSP');
    await expectRefusal(ledger.evaluate(producer, 'members:ReadMember', ['NobodyMSP']), 'MEMBER_NOT_FOUND');
    await expectRefusal(ledger.evaluate(producer, 'members:ReadMember', ['']), 'INVALID_ARGUMENT');
  });
});

describe('QueryMembers', () => {
  /** A ledger with a regulator and `n` pending retailers of the outsider/retailer fixture certificates. */
  async function withApplicants(n: number): Promise<FakeLedger> {
    const ledger = await bootstrapped();
    const names = ['producer', 'producer2', 'processor', 'logistics', 'retailer', 'inspector'] as const;
    for (const [i, name] of names.slice(0, n).entries()) {
      const role = name.startsWith('producer') ? 'producer' : name === 'processor' ? 'processor' : 'retailer';
      await ledger.submit(identity(name), 'members:RegisterMember', [particularsJson(role, 10 + i)]);
    }
    return ledger;
  }

  it('pages through all members in MSP ID order with a bookmark', async () => {
    const ledger = await withApplicants(6);
    const seen: string[] = [];
    let bookmark = '';
    let pages = 0;
    do {
      const page = await ledger.evaluateJson<Page<MemberRecord>>(producer, 'members:QueryMembers', [
        '',
        '3',
        bookmark,
      ]);
      expect(page.fetchedCount).toBe(page.records.length);
      seen.push(...page.records.map((m) => m.mspId));
      bookmark = page.bookmark;
      pages++;
    } while (bookmark !== '');
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'InspectorMSP',
      'LogisticsMSP',
      'ProcessorMSP',
      'Producer2MSP',
      'ProducerMSP',
      'RegulatorMSP',
      'RetailerMSP',
    ]);
  });

  it('filters by status through the status index, and follows status changes', async () => {
    const ledger = await withApplicants(3);
    await ledger.submit(regulator, 'members:ApproveMember', ['ProducerMSP', 'ok']);
    const query = async (status: string): Promise<string[]> =>
      (
        await ledger.evaluateJson<Page<MemberRecord>>(producer, 'members:QueryMembers', [status, '100', ''])
      ).records.map((m) => `${m.mspId}:${m.status}`);
    // Within a status the index orders by role, then MSP ID.
    expect(await query('approved')).toEqual(['ProducerMSP:approved', 'RegulatorMSP:approved']);
    expect(await query('pending')).toEqual(['ProcessorMSP:pending', 'Producer2MSP:pending']);
    expect(await query('revoked')).toEqual([]);
    await ledger.submit(regulator, 'members:RevokeMember', ['ProducerMSP', 'x']);
    expect(await query('approved')).toEqual(['RegulatorMSP:approved']);
    expect(await query('revoked')).toEqual(['ProducerMSP:revoked']);
  });

  it('caps the page size at 100 and refuses bad arguments', async () => {
    const ledger = await withApplicants(2);
    const page = await ledger.evaluateJson<Page<MemberRecord>>(producer, 'members:QueryMembers', [
      '',
      '100000',
      '',
    ]);
    expect(page.records).toHaveLength(3);
    await expectRefusal(
      ledger.evaluate(producer, 'members:QueryMembers', ['active', '10', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(producer, 'members:QueryMembers', ['', '-1', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(ledger.evaluate(producer, 'members:QueryMembers', ['', '0', '']), 'INVALID_ARGUMENT');
    await expectRefusal(
      ledger.evaluate(producer, 'members:QueryMembers', ['', 'ten', '']),
      'INVALID_ARGUMENT',
    );
  });
});

describe('authorization helpers', () => {
  it('assertApprovedMember accepts only approved members, of any role', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await withMember(ledger, processor, 'processor', false);
    await expect(assertApprovedMember(ledger.contextFor(producer))).resolves.toMatchObject({
      mspId: 'ProducerMSP',
    });
    await expect(assertApprovedMember(ledger.contextFor(regulator))).resolves.toMatchObject({
      role: 'regulator',
    });
    await expect(assertApprovedMember(ledger.contextFor(processor))).rejects.toMatchObject({
      code: 'NOT_APPROVED',
    });
    await expect(assertApprovedMember(ledger.contextFor(identity('outsider')))).rejects.toMatchObject({
      code: 'NOT_APPROVED',
    });
    await ledger.submit(regulator, 'members:SuspendMember', ['ProducerMSP', 'x']);
    await expect(assertApprovedMember(ledger.contextFor(producer))).rejects.toMatchObject({
      code: 'NOT_APPROVED',
    });
  });

  it('assertRegulator accepts only approved regulators', async () => {
    const ledger = await bootstrapped();
    await withMember(ledger, producer, 'producer');
    await expect(assertRegulator(ledger.contextFor(regulator))).resolves.toMatchObject({
      mspId: 'RegulatorMSP',
    });
    await expect(assertRegulator(ledger.contextFor(producer))).rejects.toMatchObject({
      code: 'NOT_REGULATOR',
    });
  });
});
