/**
 * The operator: every write transaction takes the organisation's user who acted as its final argument, validates
 * it, and names it beside the organisation and certificate identity on everything it records.
 */
import './support/quiet-logging';
import 'reflect-metadata';
import { Context } from 'fabric-contract-api';
import { contracts } from '../src';
import { boundOperator } from '../src/lib/operator';
import type { Violation } from '../src/shared/compliance';
import type { DeviceRecord, ReadingsOutcome } from '../src/shared/devices';
import type { LotEventRecord } from '../src/shared/epcis';
import type { LotRecord } from '../src/shared/lots';
import type { MemberRecord } from '../src/shared/members';
import type { TransferRecord } from '../src/shared/transfers';
import { allianceLedger, gtin13, lotIdOf, lotInput, recordEvent, who } from './support/alliance';
import { deviceKeys, readingsFrom, signedBatch } from './support/compliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';

type LotOutcome = { lot: LotRecord; event: LotEventRecord; violations: Violation[] };

/** The transactions of every contract, as fabric-contract-api's metadata describes them. */
function transactions(): { name: string; submit: boolean; parameters: string[] }[] {
  return contracts.flatMap((type) => {
    const contract = new type();
    const described = (Reflect.getMetadata('fabric:transactions', type.prototype) ?? []) as {
      name: string;
      tag: string[];
      parameters: { name: string }[];
    }[];
    return described.map((tx) => ({
      name: `${contract.getName()}:${tx.name}`,
      submit: tx.tag.includes('SUBMIT'),
      parameters: tx.parameters.map((parameter) => parameter.name),
    }));
  });
}

const PORK = lotIdOf(gtin13(2), 'P-001');

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await allianceLedger();
});

describe('the operator argument', () => {
  it('ends every write transaction, and no read-only one', () => {
    const all = transactions();
    const writes = all.filter((tx) => tx.submit).map((tx) => `${tx.name}(${tx.parameters.join(', ')})`);
    expect(writes).toEqual([
      'members:BootstrapAlliance(particularsJson, operator)',
      'members:RegisterMember(particularsJson, operator)',
      'members:ApproveMember(mspId, reason, operator)',
      'members:SuspendMember(mspId, reason, operator)',
      'members:RevokeMember(mspId, reason, operator)',
      'lots:CreateLot(lotJson, operator)',
      'lots:RecordEvent(eventJson, operator)',
      'lots:HoldLot(lotId, reason, operator)',
      'lots:ReleaseLot(lotId, reason, operator)',
      'transfers:OfferTransfer(offerJson, operator)',
      'transfers:AcceptTransfer(transferId, operator)',
      'transfers:RejectTransfer(transferId, reason, operator)',
      'transfers:CancelTransfer(transferId, reason, operator)',
      'transformations:SplitLot(splitJson, operator)',
      'transformations:MergeLots(mergeJson, operator)',
      'transformations:ProcessLots(processJson, operator)',
      'recalls:RecallLot(recallJson, operator)',
      'recalls:ContinueRecall(recallId, batchSize, operator)',
      'rules:PublishRuleSet(ruleSetJson, operator)',
      'rules:SeedDefaultRuleSet(operator)',
      'rules:IndexRuleSets(operator)',
      'compliance:RecordDocument(lotId, documentJson, operator)',
      'compliance:ReleaseHold(lotId, reason, operator)',
      'compliance:EscalateToRecall(lotId, reason, severity, operator)',
      'devices:RegisterDevice(deviceJson, operator)',
      'devices:AttachDevice(deviceId, attachmentJson, operator)',
      'devices:RetireDevice(deviceId, reason, operator)',
      'devices:SubmitReadings(batchJson, operator)',
    ]);
    const reads = all.filter((tx) => !tx.submit);
    expect(reads.length).toBeGreaterThan(20);
    for (const read of reads) expect(read.parameters).not.toContain('operator');
  });

  it('is required: a write without it is refused by the dispatcher', async () => {
    await expect(
      ledger.submitArguments(who.producer, 'lots:CreateLot', [JSON.stringify(lotInput('R-001'))]),
    ).rejects.toThrow(/Expected 2 parameters, but 1 have been supplied/);
  });

  it.each([
    ['a space', 'zhang san'],
    ['65 characters', 'a'.repeat(65)],
    ['a non-ASCII letter', 'zhāng'],
    ['a slash', 'coop/zhang'],
    ['markup', '<b>zhang</b>'],
  ])('refuses an operator with %s before writing anything', async (_label, operator) => {
    const size = ledger.state.size;
    const failure = await expectRefusal(
      ledger.submit(who.producer, 'lots:CreateLot', [JSON.stringify(lotInput('R-001'))], { operator }),
      'INVALID_ARGUMENT',
    );
    expect(failure.body?.details).toEqual({ argument: 'operator' });
    await expectRefusal(
      ledger.submit(who.regulator, 'members:SuspendMember', ['RetailerMSP', 'audit'], { operator }),
      'INVALID_ARGUMENT',
    );
    expect(ledger.state.size).toBe(size);
  });

  it("accepts '' and names of up to 64 letters, digits and . _ @ -", async () => {
    const longest = `${'a'.repeat(30)}.b_c-d@${'e'.repeat(27)}`;
    expect(longest).toHaveLength(64);
    const created = await ledger.submitJson<LotOutcome>(
      who.producer,
      'lots:CreateLot',
      [JSON.stringify(lotInput('R-001'))],
      { operator: longest },
    );
    expect(created.lot.createdBy.operator).toBe(longest);
    const anonymous = await ledger.submitJson<LotOutcome>(who.producer, 'lots:CreateLot', [
      JSON.stringify(lotInput('R-002')),
    ]);
    // No operator named: the record names the organisation and its certificate identity only.
    expect(anonymous.lot.createdBy).toEqual({ mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' });
    expect(anonymous.event.responsible).toEqual(anonymous.lot.createdBy);
  });

  it('must be bound by a write before it records anything', () => {
    expect(() => boundOperator(new Context())).toThrow(/bindOperator/);
  });
});

describe('what the operator is named in', () => {
  it('names the user beside the organisation and identity in records, history entries and events', async () => {
    const farmer = { operator: 'zhang.wei@coop' };
    const { lot, event } = await ledger.submitJson<LotOutcome>(
      who.producer,
      'lots:CreateLot',
      [
        JSON.stringify(
          lotInput('P-001', { gtin: gtin13(2), category: 'meat/pork', storageCategory: 'chilled' }),
        ),
      ],
      farmer,
    );
    const zhang = { mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test', operator: 'zhang.wei@coop' };
    expect(lot).toMatchObject({ createdBy: zhang, actor: zhang });
    expect(event.responsible).toEqual(zhang);
    expect(await ledger.evaluateJson(who.outsider, 'lots:ReadLot', [lot.lotId])).toMatchObject({
      createdBy: zhang,
    });

    // Member history: the regulator's user who decided.
    const member = await ledger.submitJson<MemberRecord>(
      who.regulator,
      'members:SuspendMember',
      ['RetailerMSP', 'licence review'],
      { operator: 'li.na' },
    );
    expect(member.history[member.history.length - 1]?.by).toEqual({
      mspId: 'RegulatorMSP',
      id: 'User1@regulator.agritrace.test',
      operator: 'li.na',
    });

    // Compliance: the violation names the user of the responsible custodian who recorded the readings.
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet', [], { operator: 'li.na' });
    const readings = [3, 6, 6, 6, 6, 3].map((value, i) => ({
      type: 'Temperature',
      value,
      uom: 'CEL',
      time: new Date(Date.parse('2026-03-01T06:00:00Z') + i * 600_000).toISOString(),
    }));
    const stored = await recordEvent(
      ledger,
      who.producer,
      { lotId: PORK, bizStep: 'storing', sensorElementList: [{ sensorReport: readings }] },
      farmer,
    );
    expect(stored.violations[0]).toMatchObject({
      ruleId: 'cold-chilled',
      responsibleMsp: 'ProducerMSP',
      responsibleOperator: 'zhang.wei@coop',
      createdBy: zhang,
    });
    expect(stored.lot.hold?.by).toEqual(zhang);
    const released = await ledger.submitJson<{ violations: Violation[] }>(
      who.regulator,
      'lots:ReleaseLot',
      [PORK, 'temperature log reviewed'],
      { operator: 'li.na' },
    );
    expect(released.violations[0]?.resolution?.by.operator).toBe('li.na');

    // Custody: who offered and who accepted.
    await ledger.submit(who.inspector, 'compliance:RecordDocument', [
      PORK,
      JSON.stringify({ docType: 'animal_quarantine_certificate', id: 'AQC-1', issuedAt: '2026-02-28' }),
    ]);
    const offer = await ledger.submitJson<{ transfer: TransferRecord }>(
      who.producer,
      'transfers:OfferTransfer',
      [JSON.stringify({ lotId: PORK, to: 'LogisticsMSP' })],
      farmer,
    );
    const accepted = await ledger.submitJson<{ transfer: TransferRecord; event: LotEventRecord }>(
      who.logistics,
      'transfers:AcceptTransfer',
      [offer.transfer.transferId],
      { operator: 'driver-07' },
    );
    expect(accepted.transfer.offeredBy.operator).toBe('zhang.wei@coop');
    expect(accepted.transfer.decidedBy?.operator).toBe('driver-07');
    expect(accepted.event.responsible.operator).toBe('driver-07');

    // Devices: who registered the logger, and who submitted its readings.
    const keys = deviceKeys();
    const device = await ledger.submitJson<DeviceRecord>(
      who.logistics,
      'devices:RegisterDevice',
      [
        JSON.stringify({
          deviceId: 'LOG-1',
          kind: 'cold_chain_logger',
          publicKeyPem: keys.publicKeyPem,
          attachedTo: { lotId: PORK, storageCategory: 'chilled' },
        }),
      ],
      { operator: 'fleet.admin' },
    );
    expect(device.history[0]?.by.operator).toBe('fleet.admin');
    const batch = signedBatch(keys, 'LOG-1', 1, readingsFrom('2026-03-01T07:00:00Z', 5, [2, 3]));
    const outcome = await ledger.submitJson<ReadingsOutcome>(
      who.logistics,
      'devices:SubmitReadings',
      [JSON.stringify(batch)],
      { operator: 'gateway.sim' },
    );
    expect(outcome.batch.submittedBy.operator).toBe('gateway.sim');
  });
});
