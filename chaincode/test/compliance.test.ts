/**
 * Compliance enforcement as the lots contract calls it (evaluateEvent, recordViolations, enforceCompliance) and
 * the compliance contract: documents, ReleaseHold, EscalateToRecall, the lot's compliance view and the
 * regulator's open violations.
 */
import './support/quiet-logging';
import { enforceCompliance, evaluateEvent, recordViolations } from '../src/compliance/evaluation';
import type { ComplianceEvent, LotCompliance, Violation } from '../src/shared/compliance';
import type { ViolationDecisionPayload } from '../src/shared/events';
import type { LotEventRecord } from '../src/shared/epcis';
import type { LotRecord } from '../src/shared/lots';
import type { MemberRecord } from '../src/shared/members';
import type { RecallRecord } from '../src/shared/recalls';
import type { Page } from '../src/shared/records';
import { allianceLedger, createLot, gtin13, readLot, recordEvent, who } from './support/alliance';
import { runInTransaction } from './support/compliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';

/** A time after every member's approval in allianceLedger() and before the time of any later transaction. */
const AFTER_APPROVALS = '2026-03-01T08:05:00Z';

/** An inspection of the lot by InspectorMSP finding carbofuran at `mgPerKg`. */
function inspection(mgPerKg: number | 'ND', overrides: Partial<ComplianceEvent> = {}): ComplianceEvent {
  return {
    id: `inspection-${String(mgPerKg)}`,
    bizStep: 'inspecting',
    eventTime: '2026-03-02T10:00:00+08:00',
    actorMsp: 'InspectorMSP',
    actorId: 'User1@inspector.agritrace.test',
    residues: [{ substance: 'carbofuran', value: mgPerKg, unit: 'mg/kg' }],
    ...overrides,
  };
}

/** Evaluates and enforces an event on a lot in one committed transaction of `caller`. */
async function enforce(
  ledger: FakeLedger,
  caller: Identity,
  lotId: string,
  event: ComplianceEvent | LotEventRecord,
) {
  const lot = await readLot(ledger, lotId);
  return (await runInTransaction(ledger, caller, (ctx) => enforceCompliance(ctx, lot, event))).result;
}

/** The compliance view of a lot. */
function view(ledger: FakeLedger, lotId: string): Promise<LotCompliance> {
  return ledger.evaluateJson<LotCompliance>(who.retailer, 'compliance:ReadLotCompliance', [lotId]);
}

/** Open violations for a filter, as a regulator sees them. */
async function open(ledger: FakeLedger, by = '', value = ''): Promise<string[]> {
  const page = await ledger.evaluateJson<Page<Violation>>(who.regulator, 'compliance:QueryOpenViolations', [
    by,
    value,
    '',
    '',
  ]);
  return page.records.map((violation) => violation.id);
}

let ledger: FakeLedger;
let cowpea: LotRecord;
let pork: LotRecord;
beforeEach(async () => {
  ledger = await allianceLedger();
  await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
  cowpea = await createLot(ledger, who.producer, 'V-001', {
    product: 'Cowpea',
    category: 'vegetables/cowpea',
    expiryDate: '2026-03-10',
  });
  pork = await createLot(ledger, who.producer, 'P-001', {
    gtin: gtin13(2),
    product: 'Chilled pork',
    category: 'meat/pork',
  });
});

describe('evaluateEvent and recordViolations', () => {
  it('puts a lot inspected above the carbofuran limit on hold with a violation naming rule, version and values', async () => {
    const outcome = await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.03));
    const failed = outcome.evaluations.filter((e) => e.outcome === 'fail');
    expect(failed).toEqual([
      {
        ruleSetId: 'cn-baseline',
        ruleSetVersion: 1,
        ruleId: 'mrl-carbofuran-vegetables',
        kind: 'mrl',
        outcome: 'fail',
        measured: 0.03,
        limit: 0.02,
        unit: 'mg/kg',
        message: 'carbofuran 0.03 mg/kg exceeds the limit 0.02 mg/kg on vegetables',
      },
    ]);
    expect(outcome.violations).toHaveLength(1);
    const violation = outcome.violations[0] as Violation;
    expect(violation).toMatchObject({
      docType: 'violation',
      lotId: cowpea.lotId,
      ruleSetId: 'cn-baseline',
      version: 1,
      ruleId: 'mrl-carbofuran-vegetables',
      kind: 'mrl',
      measured: 0.03,
      limit: 0.02,
      unit: 'mg/kg',
      eventId: 'inspection-0.03',
      responsibleMsp: 'ProducerMSP',
      responsibleActor: '',
      region: '370102',
      status: 'open',
      detectedAt: violation.createdAt,
    });
    const lot = await readLot(ledger, cowpea.lotId);
    expect(lot).toMatchObject({ status: 'on_hold', hold: { violationIds: [violation.id] } });
    expect(outcome.lot).toEqual(lot);
    // A held lot can be neither sold nor offered.
    await expectRefusal(
      ledger.submit(who.producer, 'lots:RecordEvent', [
        JSON.stringify({ lotId: cowpea.lotId, bizStep: 'retail_selling', quantity: 1, unit: 'kg' }),
      ]),
      'LOT_ON_HOLD',
    );
  });

  it('stores every rule evaluated, pass or fail, for the compliance view', async () => {
    await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.02));
    const compliance = await view(ledger, cowpea.lotId);
    expect(compliance.violations).toEqual([]);
    expect(compliance.evaluations).toHaveLength(1);
    const record = compliance.evaluations[0];
    expect(record).toMatchObject({
      docType: 'complianceEvaluation',
      lotId: cowpea.lotId,
      eventId: 'inspection-0.02',
      bizStep: 'inspecting',
      ruleSets: [{ id: 'cn-baseline', version: 1 }],
    });
    const outcomes = Object.fromEntries(record?.evaluations.map((e) => [e.ruleId, e.outcome]) ?? []);
    expect(outcomes).toMatchObject({
      'mrl-carbofuran-vegetables': 'pass',
      'mrl-omethoate-vegetables': 'not_applicable',
      'banned-methamidophos': 'not_applicable',
      'qualified-actor': 'pass',
    });
    expect(outcomes['cold-chilled']).toBeUndefined();
    expect((await readLot(ledger, cowpea.lotId)).status).toBe('active');
  });

  it('reads residues from an EPCIS sensor report of a recorded life-cycle event', async () => {
    const recorded = await recordEvent(ledger, who.inspector, {
      lotId: cowpea.lotId,
      bizStep: 'inspecting',
      eventTime: AFTER_APPROVALS,
      sensorElementList: [
        {
          sensorReport: [
            { type: 'gs1:MT-Concentration', chemicalSubstance: 'omethoate', value: 25, uom: 'J33' },
          ],
        },
      ],
    });
    // RecordEvent enforces compliance itself; the helper reads the stored event the same way.
    const { event } = recorded;
    expect(recorded.violations.map((v) => [v.ruleId, v.measured, v.eventId])).toEqual([
      ['mrl-omethoate-vegetables', 0.025, event.eventId],
    ]);
    const outcome = await enforce(ledger, who.inspector, cowpea.lotId, event);
    expect(outcome.violations.map((v) => [v.ruleId, v.measured, v.eventId])).toEqual([
      ['mrl-omethoate-vegetables', 0.025, event.eventId],
    ]);
  });

  it('refuses the whole transaction on a residue in an unknown unit, writing nothing', async () => {
    const size = ledger.state.size;
    const event = inspection(0.01, { residues: [{ substance: 'carbofuran', value: 1, unit: 'mg/L' }] });
    await expect(enforce(ledger, who.inspector, cowpea.lotId, event)).rejects.toMatchObject({
      code: 'UNKNOWN_UNIT',
    });
    expect(ledger.state.size).toBe(size);
  });

  it('applies a new rule version to events after its effective date and the old one before', async () => {
    const baseline = await ledger.evaluateJson<{ rules: unknown[] }>(who.regulator, 'rules:ReadRuleSet', [
      'cn-baseline',
      '',
    ]);
    const stricter = (baseline.rules as { id: string; limit?: number }[]).map((rule) =>
      rule.id === 'mrl-carbofuran-vegetables' ? { ...rule, limit: 0.01 } : rule,
    );
    await ledger.submit(who.regulator, 'rules:PublishRuleSet', [
      JSON.stringify({
        id: 'cn-baseline',
        version: 2,
        title: 'stricter',
        effectiveFrom: '2026-03-03',
        rules: stricter,
      }),
    ]);
    const before = await enforce(
      ledger,
      who.inspector,
      cowpea.lotId,
      inspection(0.015, { id: 'before', eventTime: '2026-03-02T23:59:00+08:00' }),
    );
    expect(before.evaluations.find((e) => e.ruleId === 'mrl-carbofuran-vegetables')).toMatchObject({
      outcome: 'pass',
      ruleSetVersion: 1,
    });
    const after = await enforce(
      ledger,
      who.inspector,
      cowpea.lotId,
      inspection(0.015, { id: 'after', eventTime: '2026-03-03T00:00:00+08:00' }),
    );
    expect(after.violations.map((v) => [v.ruleId, v.version, v.limit])).toEqual([
      ['mrl-carbofuran-vegetables', 2, 0.01],
    ]);
  });

  it('gives distinct violation IDs to lots evaluated in one transaction, and recordViolations alone holds the lot', async () => {
    const lots = [await readLot(ledger, cowpea.lotId), await readLot(ledger, pork.lotId)];
    const { result } = await runInTransaction(ledger, who.inspector, async (ctx) => {
      const all: Violation[] = [];
      for (const lot of lots) {
        const event = inspection(0, {
          residues: [{ substance: 'methamidophos', value: 0.001, unit: 'mg/kg' }],
        });
        all.push(...(await recordViolations(ctx, lot, await evaluateEvent(ctx, lot, event), event)));
      }
      return all;
    });
    expect(result.map((v) => v.ruleId)).toEqual(['banned-methamidophos', 'banned-methamidophos']);
    expect(new Set(result.map((v) => v.id)).size).toBe(2);
    expect((await readLot(ledger, pork.lotId)).status).toBe('on_hold');
  });

  it('judges the actor by its status on the event date, from its membership history', async () => {
    await ledger.submit(who.regulator, 'members:SuspendMember', ['RetailerMSP', 'licence under review']);
    const { history } = await ledger.evaluateJson<MemberRecord>(who.regulator, 'members:ReadMember', [
      'RetailerMSP',
    ]);
    const [, approved, suspended] = history.map((entry) => Date.parse(entry.at));
    const sale = (at: number): ComplianceEvent => ({
      id: `sale-${at}`,
      bizStep: 'retail_selling',
      eventTime: new Date(at).toISOString(),
      actorMsp: 'RetailerMSP',
    });
    const qualification = async (at: number) =>
      (await enforce(ledger, who.retailer, cowpea.lotId, sale(at))).evaluations.find(
        (e) => e.ruleId === 'qualified-actor',
      );
    expect(await qualification((approved as number) - 1)).toMatchObject({
      outcome: 'fail',
      measured: 'pending',
    });
    expect(await qualification(approved as number)).toMatchObject({ outcome: 'pass' });
    expect(await qualification(suspended as number)).toMatchObject({
      outcome: 'fail',
      measured: 'suspended',
    });
  });
});

describe('required documents', () => {
  const shipping = (id: string): ComplianceEvent => ({
    id,
    bizStep: 'shipping',
    eventTime: '2026-03-02T10:00:00+08:00',
    actorMsp: 'ProducerMSP',
  });
  const certificate = (id: string, issuedAt = '2026-02-28') =>
    JSON.stringify({ docType: 'animal_quarantine_certificate', id, issuedAt });
  const quarantineOutcome = async (eventId: string) =>
    (await enforce(ledger, who.producer, pork.lotId, shipping(eventId))).evaluations.find(
      (e) => e.ruleId === 'quarantine-meat-shipping',
    );

  it('fails a meat shipment without a quarantine certificate, passes one with an inspector-issued certificate', async () => {
    expect(await quarantineOutcome('ship-1')).toMatchObject({ outcome: 'fail', measured: 'missing' });
    await ledger.submit(who.regulator, 'compliance:ReleaseHold', [pork.lotId, 'certificate found']);
    const record = await ledger.submitJson(who.inspector, 'compliance:RecordDocument', [
      pork.lotId,
      certificate('AQC-1'),
    ]);
    expect(record).toMatchObject({
      docType: 'lotDocument',
      lotId: pork.lotId,
      document: { docType: 'animal_quarantine_certificate', id: 'AQC-1', issuerMsp: 'InspectorMSP' },
    });
    expect(ledger.lastEvent()?.name).toBe('DocumentRecorded');
    expect(await quarantineOutcome('ship-2')).toMatchObject({ outcome: 'pass', measured: 3, limit: 7 });
  });

  it('does not accept a certificate the producer issued itself, and refuses a duplicate document', async () => {
    await ledger.submit(who.producer, 'compliance:RecordDocument', [pork.lotId, certificate('SELF-1')]);
    expect(await quarantineOutcome('ship-1')).toMatchObject({ outcome: 'fail' });
    await expectRefusal(
      ledger.submit(who.producer, 'compliance:RecordDocument', [pork.lotId, certificate('SELF-1')]),
      'DOCUMENT_EXISTS',
    );
    await expectRefusal(
      ledger.submit(who.outsider, 'compliance:RecordDocument', [pork.lotId, certificate('X')]),
      'NOT_APPROVED',
    );
  });

  it('counts a passed inspection as the inspection required before retail sale', async () => {
    const sale: ComplianceEvent = {
      id: 'sale',
      bizStep: 'retail_selling',
      eventTime: '2026-03-02T12:00:00+08:00',
      actorMsp: 'ProducerMSP',
    };
    const inspectionRule = async () =>
      (
        await enforce(ledger, who.producer, cowpea.lotId, { ...sale, id: `sale-${ledger.state.size}` })
      ).evaluations.find((e) => e.ruleId === 'inspection-before-retail');
    expect(await inspectionRule()).toMatchObject({ outcome: 'fail' });
    await ledger.submit(who.regulator, 'compliance:ReleaseHold', [cowpea.lotId, 'inspection arranged']);
    await enforce(ledger, who.inspector, cowpea.lotId, inspection('ND'));
    expect(await inspectionRule()).toMatchObject({ outcome: 'pass', measured: 1, limit: 30 });
  });
});

describe('ReleaseHold', () => {
  it('is for regulators only; it releases the violations and makes the lot active again', async () => {
    const { violations } = await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.05));
    const id = (violations[0] as Violation).id;
    for (const caller of [who.producer, who.inspector, who.regulator2]) {
      await expectRefusal(
        ledger.submit(caller, 'compliance:ReleaseHold', [cowpea.lotId, 'ok']),
        'NOT_REGULATOR',
      );
    }
    expect((await readLot(ledger, cowpea.lotId)).status).toBe('on_hold');
    const result = await ledger.submitJson<{ lot: LotRecord; violations: Violation[] }>(
      who.regulator,
      'compliance:ReleaseHold',
      [cowpea.lotId, 'retest below the limit'],
    );
    expect(result.lot.status).toBe('active');
    expect(result.lot.hold).toBeUndefined();
    expect(result.violations).toEqual([
      expect.objectContaining({
        id,
        status: 'released',
        resolution: expect.objectContaining({
          action: 'released',
          reason: 'retest below the limit',
          by: { mspId: 'RegulatorMSP', id: 'User1@regulator.agritrace.test' },
        }),
      }),
    ]);
    expect(await readLot(ledger, cowpea.lotId)).toEqual(result.lot);
    expect(ledger.lastEvent()).toMatchObject({
      name: 'HoldReleased',
      payload: { lotId: cowpea.lotId, lotStatus: 'active' },
    });
    const events = await ledger.evaluateJson<Page<LotEventRecord>>(who.producer, 'lots:QueryLotEvents', [
      cowpea.lotId,
      '',
      '',
    ]);
    expect(events.records[events.records.length - 1]).toMatchObject({
      bizStep: 'inspecting',
      disposition: 'conformant',
      note: 'retest below the limit',
    });
    expect(await open(ledger)).toEqual([]);
    expect((await view(ledger, cowpea.lotId)).violations.map((v) => v.status)).toEqual(['released']);
    await expectRefusal(
      ledger.submit(who.regulator, 'compliance:ReleaseHold', [cowpea.lotId, 'again']),
      'NO_OPEN_VIOLATIONS',
    );
  });

  it('releases the violations but leaves a hold placed by hand in place', async () => {
    await ledger.submit(who.inspector, 'lots:HoldLot', [cowpea.lotId, 'sampling in progress']);
    await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.05));
    const result = await ledger.submitJson<{ lot: LotRecord }>(who.regulator, 'compliance:ReleaseHold', [
      cowpea.lotId,
      'retest ok',
    ]);
    expect(result.lot).toMatchObject({ status: 'on_hold', hold: { reason: 'sampling in progress' } });
  });
});

describe('EscalateToRecall', () => {
  it('marks open violations escalated and recalls the lot and everything made from it, in one transaction', async () => {
    const split = await ledger.submitJson<{ outputs: LotRecord[] }>(
      who.producer,
      'transformations:SplitLot',
      [JSON.stringify({ lotId: cowpea.lotId, outputs: [{ lot: 'V-001-A', quantity: 100, unit: 'kg' }] })],
    );
    const packed = split.outputs[0] as LotRecord;
    await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.5));
    await expectRefusal(
      ledger.submit(who.retailer, 'compliance:EscalateToRecall', [cowpea.lotId, 'x', 'level_1']),
      'NOT_REGULATOR',
    );
    await expectRefusal(
      ledger.submit(who.regulator, 'compliance:EscalateToRecall', [cowpea.lotId, 'x', 'urgent']),
      'INVALID_ARGUMENT',
    );
    const result = await ledger.submitJson<ViolationDecisionPayload>(
      who.regulator,
      'compliance:EscalateToRecall',
      [cowpea.lotId, 'residue 25 times the limit', 'level_1'],
      { operator: 'wang.inspector' },
    );
    const recall = result.recall as RecallRecord;
    expect(recall).toMatchObject({
      recallId: ledger.lastEvent()?.txId,
      lotId: cowpea.lotId,
      reason: 'residue 25 times the limit',
      severity: 'I',
      authority: 'regulator',
      initiatedBy: { mspId: 'RegulatorMSP', operator: 'wang.inspector' },
      status: 'complete',
      marked: 2,
    });
    expect(result.lotStatus).toBe('recalled');
    expect([...(result.lots ?? [])].sort()).toEqual([packed.lotId, cowpea.lotId].sort());
    expect(result.violations).toEqual([
      expect.objectContaining({
        status: 'escalated',
        resolution: expect.objectContaining({
          action: 'escalated',
          severity: 'level_1',
          recallId: recall.recallId,
        }),
      }),
    ]);
    expect(ledger.lastEvent()).toMatchObject({ name: 'ViolationsEscalated', payload: result });
    expect(await ledger.evaluateJson(who.retailer, 'recalls:ReadRecall', [recall.recallId])).toEqual(recall);
    expect(await readLot(ledger, packed.lotId)).toMatchObject({
      status: 'recalled',
      recall: { recallId: recall.recallId, severity: 'I' },
    });
    // Escalated violations still count as open until released; releasing them leaves the lot recalled.
    expect(await open(ledger)).toHaveLength(1);
    await expectRefusal(
      ledger.submit(who.regulator, 'compliance:EscalateToRecall', [cowpea.lotId, 'x', 'level_1']),
      'NO_OPEN_VIOLATIONS',
    );
    await ledger.submit(who.regulator, 'compliance:ReleaseHold', [cowpea.lotId, 'recall under way']);
    expect((await readLot(ledger, cowpea.lotId)).status).toBe('recalled');
    expect(await open(ledger)).toEqual([]);
  });

  it('joins the recall that already holds a lot instead of starting a second one', async () => {
    const recalled = await ledger.submitJson<{ recall: RecallRecord }>(who.regulator, 'recalls:RecallLot', [
      JSON.stringify({ lotId: pork.lotId, reason: 'supplier alert', severity: 'II' }),
    ]);
    const { violations } = await enforce(
      ledger,
      who.inspector,
      pork.lotId,
      inspection(0, { residues: [{ substance: 'parathion', value: 0.01, unit: 'mg/kg' }] }),
    );
    expect(violations).toHaveLength(1);
    const result = await ledger.submitJson<ViolationDecisionPayload>(
      who.regulator,
      'compliance:EscalateToRecall',
      [pork.lotId, 'banned pesticide', 'level_2'],
    );
    expect(result.recall).toBeUndefined();
    expect(result.lotStatus).toBe('recalled');
    expect(result.violations[0]?.resolution?.recallId).toBe(recalled.recall.recallId);
  });
});

describe('QueryOpenViolations', () => {
  it('lists open violations by member, region and rule for regulators only', async () => {
    const a = (await enforce(ledger, who.inspector, cowpea.lotId, inspection(0.05)))
      .violations[0] as Violation;
    const shipping: ComplianceEvent = {
      id: 'ship',
      bizStep: 'shipping',
      eventTime: '2026-03-02T10:00:00+08:00',
      actorMsp: 'ProducerMSP',
    };
    const b = (await enforce(ledger, who.producer, pork.lotId, shipping)).violations[0] as Violation;
    expect(await open(ledger)).toEqual([a.id, b.id]);
    expect(await open(ledger, 'member', 'ProducerMSP')).toEqual([a.id, b.id]);
    expect(await open(ledger, 'member', 'RetailerMSP')).toEqual([]);
    expect(await open(ledger, 'region', '370102')).toEqual([a.id, b.id]);
    expect(await open(ledger, 'rule', 'cn-baseline')).toEqual([a.id, b.id]);
    expect(await open(ledger, 'rule', 'cn-baseline/mrl-carbofuran-vegetables')).toEqual([a.id]);
    await expectRefusal(
      ledger.evaluate(who.producer, 'compliance:QueryOpenViolations', ['', '', '', '']),
      'NOT_REGULATOR',
    );
    await expectRefusal(
      ledger.evaluate(who.regulator, 'compliance:QueryOpenViolations', ['lot', 'x', '', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.regulator, 'compliance:QueryOpenViolations', ['member', '', '', '']),
      'INVALID_ARGUMENT',
    );
    expect(await ledger.evaluateJson(who.outsider, 'compliance:ReadViolation', [a.id])).toEqual(a);
    await expectRefusal(
      ledger.evaluate(who.outsider, 'compliance:ReadViolation', ['nope']),
      'VIOLATION_NOT_FOUND',
    );
  });
});
