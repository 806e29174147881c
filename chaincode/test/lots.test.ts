/** Lots and life-cycle events: CreateLot, RecordEvent, HoldLot, ReleaseLot, ReadLot and the lot queries. */
import './support/quiet-logging';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { Evaluation, Violation } from '../src/shared/compliance';
import type { LotEventRecord } from '../src/shared/epcis';
import type { LotRecord } from '../src/shared/lots';
import type { Page } from '../src/shared/records';
import {
  allianceLedger,
  createLot,
  gtin13,
  handOver,
  lotIdOf,
  lotInput,
  readLot,
  recordEvent,
  who,
} from './support/alliance';
import type { RecordedEvent } from './support/alliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import type { TransactionFailure } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';

type LotAndEvent = { lot: LotRecord; event: LotEventRecord };
type LotEventOutcome = LotAndEvent & { evaluations: Evaluation[]; violations: Violation[] };

const RICE = lotIdOf(gtin13(1), 'R-001');

/** The organisations whose peers must endorse changes to a key. */
function pinnedTo(ledger: FakeLedger, lotId: string): string[] {
  const policy = ledger.state.validationParameter(`\u0000lot\u0000${lotId}\u0000`);
  return policy ? new KeyEndorsementPolicy(policy).listOrgs() : [];
}

/** Records an event as `caller`. */
function record(
  ledger: FakeLedger,
  caller: Identity,
  event: Record<string, unknown>,
): Promise<RecordedEvent> {
  return recordEvent(ledger, caller, { lotId: RICE, ...event });
}

/** Expects a refusal that changed nothing on the ledger; returns the failure. */
async function refusedUnchanged(
  ledger: FakeLedger,
  attempt: Promise<unknown>,
  code: string,
): Promise<TransactionFailure> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  const failure = await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
  return failure;
}

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await allianceLedger();
});

describe('CreateLot', () => {
  it('creates a lot held and produced by the caller, with its trace code and a commissioning event', async () => {
    const { lot, event } = await ledger.submitJson<LotAndEvent>(who.producer, 'lots:CreateLot', [
      JSON.stringify(lotInput('R-001', { serial: '7', stage: 'harvest', note: 'field 3' })),
    ]);
    expect(lot).toMatchObject({
      docType: 'lot',
      lotId: RICE,
      lot: 'R-001',
      serial: '7',
      quantity: 1000,
      remaining: 1000,
      unit: 'kg',
      status: 'active',
      producer: 'ProducerMSP',
      custodian: 'ProducerMSP',
      derivation: { kind: 'created', inputs: [] },
      createdBy: { mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' },
    });
    expect(lot.gtin).toBe(`0${gtin13(1)}`);
    expect(lot.traceCode).toEqual({
      elementString: `(01)0${gtin13(1)}(11)260221(17)270220(10)R-001(21)7`,
      barcodeData: `010${gtin13(1)}1126022117270220` + '10R-001\u001d217',
      digitalLinkPath: `/01/0${gtin13(1)}/10/R-001/21/7`,
      digitalLinkUri: `https://id.gs1.org/01/0${gtin13(1)}/10/R-001/21/7?17=270220`,
    });
    expect(event).toMatchObject({
      eventType: 'ObjectEvent',
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      stage: 'harvest',
      eventId: lot.createdTxId,
      recordTime: lot.createdAt,
      eventTime: lot.createdAt,
      eventTimeZoneOffset: '+00:00',
      responsible: { mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' },
      lotIds: [RICE],
      quantityList: [
        {
          lotId: RICE,
          epcClass: `https://id.gs1.org/01/0${gtin13(1)}/10/R-001`,
          quantity: 1000,
          unit: 'kg',
          uom: 'KGM',
        },
      ],
      ilmd: { harvestDate: '2026-02-20', productionDate: '2026-02-21', expiryDate: '2027-02-20' },
    });
    // The event names the records; the transaction's writes and result carry them whole.
    expect(ledger.lastEvent()).toMatchObject({
      name: 'LotCreated',
      payload: { lotId: RICE, eventId: event.eventId, bizStep: 'commissioning', lotStatus: 'active' },
    });
    expect(ledger.lastEvent()?.payload).not.toHaveProperty('violationIds');
    expect(await readLot(ledger, RICE)).toEqual(lot);
    expect(pinnedTo(ledger, RICE)).toEqual(['ProducerMSP']);
  });

  it('records how the lot is kept, when given', async () => {
    const chilled = await createLot(ledger, who.producer, 'R-001', { storageCategory: 'chilled' });
    expect(chilled.storageCategory).toBe('chilled');
    expect((await createLot(ledger, who.producer, 'R-002')).storageCategory).toBeUndefined();
  });

  it('keeps the caller-given event time with its offset', async () => {
    const { event } = await ledger.submitJson<LotAndEvent>(who.producer, 'lots:CreateLot', [
      JSON.stringify(lotInput('R-001', { eventTime: '2026-02-20T09:30:00+08:00' })),
    ]);
    expect(event).toMatchObject({ eventTime: '2026-02-20T09:30:00+08:00', eventTimeZoneOffset: '+08:00' });
  });

  it('refuses members that are not approved and outsiders', async () => {
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator2, 'lots:CreateLot', [JSON.stringify(lotInput('X'))]),
      'NOT_APPROVED',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.outsider, 'lots:CreateLot', [JSON.stringify(lotInput('X'))]),
      'NOT_APPROVED',
    );
  });

  it('refuses a duplicate code, also when written as a GTIN-14', async () => {
    await createLot(ledger, who.producer, 'R-001');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer2, 'lots:CreateLot', [JSON.stringify(lotInput('R-001'))]),
      'LOT_EXISTS',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'lots:CreateLot', [
        JSON.stringify(lotInput('R-001', { gtin: `0${gtin13(1)}` })),
      ]),
      'LOT_EXISTS',
    );
  });

  it.each([
    ['a malformed GTIN', { gtin: '690123' }, 'MALFORMED_GTIN'],
    [
      'a GTIN with a wrong check digit',
      { gtin: `${gtin13(1).slice(0, 12)}${(Number(gtin13(1).slice(-1)) + 1) % 10}` },
      'BAD_CHECK_DIGIT',
    ],
    ['a batch with a space', { lot: 'R 001' }, 'MALFORMED_LOT_NUMBER'],
    ['a batch of 21 characters', { lot: 'R'.repeat(21) }, 'MALFORMED_LOT_NUMBER'],
    ['a serial with a forbidden character', { serial: 'S#1' }, 'MALFORMED_SERIAL'],
    ['an unknown unit', { unit: 'pound' }, 'INVALID_UNIT'],
    ['a zero quantity', { quantity: 0 }, 'INVALID_ARGUMENT'],
    ['a negative quantity', { quantity: -5 }, 'INVALID_ARGUMENT'],
    ['seven decimals', { quantity: 1.0000001 }, 'INVALID_ARGUMENT'],
    ['a quantity given as text', { quantity: '1000' }, 'INVALID_ARGUMENT'],
    ['an origin with neither GLN nor region', { origin: { address: 'somewhere' } }, 'INVALID_ARGUMENT'],
    ['an origin with a bad GLN', { origin: { gln: '6901234000004' } }, 'MALFORMED_GLN'],
    ['an origin with a bad region', { origin: { region: '000000' } }, 'INVALID_REGION'],
    ['a latitude out of range', { origin: { region: '370102', latitude: 95 } }, 'INVALID_ARGUMENT'],
    ['an impossible date', { expiryDate: '2027-02-30' }, 'MALFORMED_DATE'],
    [
      'an expiry before production',
      { productionDate: '2026-03-01', expiryDate: '2026-02-01' },
      'MALFORMED_DATE',
    ],
    ['an event time without offset', { eventTime: '2026-02-20T09:30:00' }, 'INVALID_ARGUMENT'],
    ['an event time in the future', { eventTime: '2030-01-01T00:00:00Z' }, 'INVALID_EVENT'],
    ['an unknown stage', { stage: 'dreaming' }, 'INVALID_ARGUMENT'],
    ['an unknown storage category', { storageCategory: 'warm' }, 'INVALID_ARGUMENT'],
    ['an unknown field', { owner: 'someone else' }, 'INVALID_ARGUMENT'],
  ])('refuses %s', async (_label, overrides, code) => {
    const json = JSON.stringify({ ...lotInput('R-001'), ...overrides });
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'lots:CreateLot', [json]), code);
  });

  it('refuses arguments that are not a JSON object', async () => {
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'lots:CreateLot', ['{']), 'INVALID_JSON');
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'lots:CreateLot', ['"lot"']), 'INVALID_JSON');
  });
});

describe('RecordEvent', () => {
  beforeEach(async () => {
    await createLot(ledger, who.producer, 'R-001');
  });

  it('records the custodian’s EPCIS event with what, when, where, why and who', async () => {
    const { lot, event } = await record(ledger, who.producer, {
      bizStep: 'storing',
      disposition: 'sellable_not_accessible',
      eventTime: '2026-02-28T22:00:00+08:00',
      readPoint: { gln: '6901234000009' },
      bizLocation: { region: '370102', address: 'Warehouse 2' },
      bizTransactionList: [{ type: 'po', bizTransaction: 'PO-88' }],
      sensorElementList: [
        {
          sensorMetadata: { deviceID: 'urn:epc:id:giai:4000001.111' },
          sensorReport: [{ type: 'Temperature', value: 12.5, uom: 'CEL' }],
        },
      ],
    });
    expect(event).toMatchObject({
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'storing',
      disposition: 'sellable_not_accessible',
      stage: 'storage',
      eventTime: '2026-02-28T22:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      readPoint: { gln: '6901234000009' },
      bizLocation: { region: '370102', address: 'Warehouse 2' },
      bizTransactionList: [{ type: 'po', bizTransaction: 'PO-88' }],
      sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 12.5, uom: 'CEL' }] }],
      responsible: { mspId: 'ProducerMSP', id: 'User1@producer.agritrace.test' },
      quantityList: [{ lotId: RICE, quantity: 1000, unit: 'kg' }],
    });
    // A plain observation does not touch the lot record.
    expect(lot.lastTxId).toBe(lot.createdTxId);
    expect(ledger.lastEvent()).toEqual(
      expect.objectContaining({
        name: 'LotEventRecorded',
        payload: { lotId: RICE, eventId: event.eventId, bizStep: event.bizStep, lotStatus: 'active' },
      }),
    );
  });

  it('answers the event’s ID, the lot’s state and the violations’ IDs, not the records its writes hold', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    const stored = await record(ledger, who.producer, { bizStep: 'storing' });
    expect(stored.answer).toEqual({
      eventId: stored.event.eventId,
      lot: { lotId: RICE, status: 'active', remaining: 1000, unit: 'kg', custodian: 'ProducerMSP' },
      violationIds: [],
    });
    // The event and its evaluations are in the write set, which the block stores; the answer only names them.
    expect(stored.evaluations.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored.answer).length).toBeLessThan(250);
    const sold = await record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 10, unit: 'kg' });
    expect(sold.answer).toEqual({
      eventId: sold.event.eventId,
      lot: { lotId: RICE, status: 'on_hold', remaining: 990, unit: 'kg', custodian: 'ProducerMSP' },
      violationIds: sold.violations.map((violation) => violation.id),
    });
    expect(sold.violations.map((violation) => violation.ruleId)).toContain('inspection-before-retail');
    expect(sold.lot).toEqual(await readLot(ledger, RICE));
  });

  it('lets an approved inspector record an inspection on a lot it does not hold', async () => {
    const { event } = await record(ledger, who.inspector, {
      bizStep: 'inspecting',
      disposition: 'conformant',
      certificationInfo: 'https://lab.example.cn/reports/2026-0311',
      sensorElementList: [
        {
          sensorReport: [
            { type: 'MassConcentration', chemicalSubstance: 'carbofuran', value: 0.001, uom: 'mg/kg' },
          ],
        },
      ],
    });
    expect(event).toMatchObject({ stage: 'inspection', responsible: { mspId: 'InspectorMSP' } });
    expect((await readLot(ledger, RICE)).status).toBe('active');
  });

  it('puts the lot on hold when an inspection finds it non-conformant, until one regulator release', async () => {
    const { lot, event } = await record(ledger, who.inspector, {
      bizStep: 'inspecting',
      disposition: 'non_conformant',
      note: 'residue over limit',
    });
    // The inspector's finding is a compliance hold: the regulator's ReleaseHold lifts it like a failed rule's.
    expect(lot).toMatchObject({
      status: 'on_hold',
      hold: {
        reason: 'non-conformant inspection by InspectorMSP: residue over limit',
        by: { mspId: 'InspectorMSP' },
        violationIds: [],
        inspectionEventIds: [event.eventId],
      },
    });
    expect(ledger.lastEvent()).toMatchObject({
      name: 'LotHeld',
      payload: { lotId: lot.lotId, eventId: event.eventId, lotStatus: 'on_hold' },
    });
    await expectRefusal(record(ledger, who.producer, { bizStep: 'shipping' }), 'LOT_ON_HOLD');
    await expectRefusal(
      record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 1, unit: 'kg' }),
      'LOT_ON_HOLD',
    );
    // Storing a held lot is still allowed: it only may not move or be sold.
    await record(ledger, who.producer, { bizStep: 'storing' });
    const released = await ledger.submitJson<{ lot: LotRecord }>(who.regulator, 'compliance:ReleaseHold', [
      RICE,
      'retest conformant',
    ]);
    expect(released.lot).toMatchObject({ status: 'active' });
    expect(released.lot.hold).toBeUndefined();
  });

  it('refuses anyone but the custodian, and inspectors outside inspections', async () => {
    await refusedUnchanged(ledger, record(ledger, who.producer2, { bizStep: 'storing' }), 'NOT_CUSTODIAN');
    await refusedUnchanged(ledger, record(ledger, who.inspector, { bizStep: 'storing' }), 'NOT_CUSTODIAN');
    await refusedUnchanged(ledger, record(ledger, who.retailer, { bizStep: 'inspecting' }), 'NOT_CUSTODIAN');
    await refusedUnchanged(ledger, record(ledger, who.outsider, { bizStep: 'storing' }), 'NOT_APPROVED');
  });

  it('consumes the quantity sold, converting units, until nothing remains', async () => {
    const first = await record(ledger, who.producer, {
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      quantity: 250500,
      unit: 'g',
    });
    expect(first.lot).toMatchObject({ remaining: 749.5, status: 'active' });
    expect(first.event.quantityList).toEqual([
      expect.objectContaining({ quantity: 250500, unit: 'g', uom: 'GRM' }),
    ]);
    await refusedUnchanged(
      ledger,
      record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 749.6, unit: 'kg' }),
      'QUANTITY_EXCEEDED',
    );
    await refusedUnchanged(
      ledger,
      record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 2, unit: 'L' }),
      'UNIT_MISMATCH',
    );
    await refusedUnchanged(
      ledger,
      record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 2, unit: 'box' }),
      'UNIT_MISMATCH',
    );
    const last = await record(ledger, who.producer, {
      bizStep: 'retail_selling',
      quantity: 0.7495,
      unit: 't',
    });
    expect(last.lot).toMatchObject({ remaining: 0, status: 'consumed' });
    await refusedUnchanged(
      ledger,
      record(ledger, who.producer, { bizStep: 'retail_selling', quantity: 1, unit: 'kg' }),
      'LOT_CONSUMED',
    );
  });

  it.each([
    ['a transformation', { bizStep: 'commissioning', eventType: 'TransformationEvent' }, 'INVALID_EVENT'],
    ['an unknown business step', { bizStep: 'harvesting' }, 'INVALID_EVENT'],
    ['an unknown disposition', { bizStep: 'storing', disposition: 'fresh' }, 'INVALID_EVENT'],
    ['an unknown action', { bizStep: 'storing', action: 'UPDATE' }, 'INVALID_EVENT'],
    ['an aggregation without parent', { bizStep: 'packing', eventType: 'AggregationEvent' }, 'INVALID_EVENT'],
    ['a sale without quantity', { bizStep: 'retail_selling' }, 'INVALID_ARGUMENT'],
    ['a quantity without unit', { bizStep: 'storing', quantity: 5 }, 'INVALID_ARGUMENT'],
    [
      'a sensor element without reports',
      { bizStep: 'sensor_reporting', sensorElementList: [{ sensorReport: [] }] },
      'INVALID_ARGUMENT',
    ],
    ['a malformed lot ID', { lotId: 'R-001', bizStep: 'storing' }, 'INVALID_ARGUMENT'],
    ['a lot ID with a bad GTIN', { lotId: '06901000000012:R-001', bizStep: 'storing' }, 'BAD_CHECK_DIGIT'],
    ['an unknown lot', { lotId: lotIdOf(gtin13(1), 'NOPE'), bizStep: 'storing' }, 'LOT_NOT_FOUND'],
  ])('refuses %s', async (_label, event, code) => {
    await refusedUnchanged(ledger, record(ledger, who.producer, event), code);
  });

  it('accepts CBV extension business steps, aggregations and the farming stages CBV lacks', async () => {
    const planting = await record(ledger, who.producer, {
      bizStep: 'https://agritrace.example/bizstep/planting',
      stage: 'planting',
    });
    expect(planting.event).toMatchObject({ stage: 'planting' });
    const packed = await record(ledger, who.producer, {
      bizStep: 'packing',
      eventType: 'AggregationEvent',
      action: 'ADD',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
    });
    expect(packed.event).toMatchObject({
      eventType: 'AggregationEvent',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      stage: 'packaging',
    });
  });
});

describe('RecordEvent under the published rule sets', () => {
  const COWPEA = lotIdOf(gtin13(5), 'V-100');
  const PORK = lotIdOf(gtin13(6), 'P-100');

  /** An inspection of the cowpea finding carbofuran at `mgPerKg` ('ND' = not detected). */
  const carbofuran = (mgPerKg: number | 'ND') => ({
    lotId: COWPEA,
    bizStep: 'inspecting',
    sensorElementList: [
      {
        sensorReport: [
          mgPerKg === 'ND'
            ? { type: 'MassConcentration', chemicalSubstance: 'carbofuran', stringValue: 'ND', uom: 'mg/kg' }
            : { type: 'MassConcentration', chemicalSubstance: 'carbofuran', value: mgPerKg, uom: 'mg/kg' },
        ],
      },
    ],
  });
  const sale = (kg: number, extra: object = {}) =>
    JSON.stringify({ lotId: COWPEA, bizStep: 'retail_selling', quantity: kg, unit: 'kg', ...extra });

  beforeEach(async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await createLot(ledger, who.producer, 'V-100', {
      gtin: gtin13(5),
      product: 'Cowpea',
      category: 'vegetables/cowpea',
      expiryDate: '2026-03-10',
    });
  });

  it("an inspection above the carbofuran limit puts the lot on hold and the retailer's sale is refused", async () => {
    await handOver(ledger, who.producer, who.retailer, COWPEA);
    const inspected = await recordEvent(ledger, who.inspector, JSON.stringify(carbofuran(0.03)));
    expect(inspected.violations).toEqual([
      expect.objectContaining({
        lotId: COWPEA,
        ruleId: 'mrl-carbofuran-vegetables',
        version: 1,
        measured: 0.03,
        limit: 0.02,
        eventId: inspected.event.eventId,
        responsibleMsp: 'ProducerMSP',
        status: 'open',
      }),
    ]);
    expect(inspected.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'mrl-carbofuran-vegetables', outcome: 'fail' }),
    );
    expect(inspected.lot).toMatchObject({
      status: 'on_hold',
      custodian: 'RetailerMSP',
      hold: { violationIds: [inspected.violations[0]?.id] },
    });
    expect(await readLot(ledger, COWPEA)).toEqual(inspected.lot);
    expect(ledger.lastEvent()).toEqual(
      expect.objectContaining({
        name: 'LotHeld',
        payload: {
          lotId: COWPEA,
          eventId: inspected.event.eventId,
          bizStep: inspected.event.bizStep,
          lotStatus: 'on_hold',
          violationIds: inspected.violations.map((v) => v.id),
        },
      }),
    );
    // Held: the retailer can neither sell it, nor pass it on, nor repack it.
    await refusedUnchanged(ledger, ledger.submit(who.retailer, 'lots:RecordEvent', [sale(1)]), 'LOT_ON_HOLD');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.retailer, 'transfers:OfferTransfer', [
        JSON.stringify({ lotId: COWPEA, to: who.logistics.mspId }),
      ]),
      'LOT_ON_HOLD',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.retailer, 'transformations:SplitLot', [
        JSON.stringify({ lotId: COWPEA, outputs: [{ lot: 'V-100-A', quantity: 1 }] }),
      ]),
      'LOT_ON_HOLD',
    );
    // A regulator releases it; a passing retest is the inspection the sale needs.
    const released = await ledger.submitJson<LotEventOutcome>(who.regulator, 'lots:ReleaseLot', [
      COWPEA,
      'retest ordered',
    ]);
    expect(released.lot.status).toBe('active');
    expect(released.violations.map((v) => v.status)).toEqual(['released']);
    await ledger.submit(who.inspector, 'lots:RecordEvent', [JSON.stringify(carbofuran('ND'))]);
    const sold = await recordEvent(ledger, who.retailer, sale(1));
    expect(sold.violations).toEqual([]);
    expect(sold.lot).toMatchObject({ status: 'active', remaining: 999 });
    expect(ledger.lastEvent()?.name).toBe('LotEventRecorded');
  });

  it('records a sale made without a passing inspection, then holds the lot', async () => {
    const sold = await recordEvent(ledger, who.producer, sale(10));
    expect(sold.violations.map((v) => [v.ruleId, v.responsibleMsp])).toEqual([
      ['inspection-before-retail', 'ProducerMSP'],
    ]);
    expect(sold.lot).toMatchObject({ remaining: 990, status: 'on_hold' });
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'lots:RecordEvent', [sale(1)]), 'LOT_ON_HOLD');
  });

  it('refuses a sale after the expiry day outright, recording nothing', async () => {
    await ledger.submit(who.inspector, 'lots:RecordEvent', [JSON.stringify(carbofuran('ND'))]);
    const expired = await createLot(ledger, who.producer, 'V-101', {
      gtin: gtin13(5),
      product: 'Cowpea',
      category: 'vegetables/cowpea',
      productionDate: '2026-02-20',
      expiryDate: '2026-02-27',
    });
    const failure = await refusedUnchanged(
      ledger,
      ledger.submit(who.producer, 'lots:RecordEvent', [sale(1, { lotId: expired.lotId })]),
      'LOT_EXPIRED',
    );
    expect(failure.body?.details).toMatchObject({
      lotId: expired.lotId,
      expiryDate: '2026-02-27',
      ruleId: 'shelf-life-retail',
      daysPastExpiry: 2,
    });
    // Sold on its last day it is within its shelf life.
    const lastDay = await recordEvent(
      ledger,
      who.producer,
      sale(1, { lotId: expired.lotId, eventTime: '2026-02-27T18:00:00+08:00' }),
    );
    expect(lastDay.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'shelf-life-retail', outcome: 'pass' }),
    );
  });

  it("checks temperature readings in a lot's events against its storage category", async () => {
    await createLot(ledger, who.producer, 'P-100', {
      gtin: gtin13(6),
      product: 'Chilled pork',
      category: 'meat/pork',
      storageCategory: 'chilled',
    });
    await createLot(ledger, who.producer, 'P-101', {
      gtin: gtin13(6),
      product: 'Pork',
      category: 'meat/pork',
    });
    // 40 minutes above 4 °C in the cold store, more than the 30 tolerated.
    const readings = [3, 5, 5.5, 6, 5, 3].map((value, i) => ({
      type: 'Temperature',
      value,
      uom: 'CEL',
      time: new Date(Date.parse('2026-03-01T06:00:00Z') + i * 600_000).toISOString(),
    }));
    const storing = (lotId: string) =>
      recordEvent(
        ledger,
        who.producer,
        JSON.stringify({ lotId, bizStep: 'storing', sensorElementList: [{ sensorReport: readings }] }),
      );
    const chilled = await storing(PORK);
    expect(chilled.violations.map((v) => [v.ruleId, v.measured, v.responsibleMsp])).toEqual([
      ['cold-chilled', 40, 'ProducerMSP'],
    ]);
    expect(chilled.lot.status).toBe('on_hold');
    // A lot that records no storage category is not judged by any cold-chain range.
    const unknown = await storing(lotIdOf(gtin13(6), 'P-101'));
    expect(unknown.evaluations.filter((e) => e.kind === 'temperature')).toEqual([]);
    expect(unknown.lot.status).toBe('active');
  });
});

describe('HoldLot and ReleaseLot', () => {
  beforeEach(async () => {
    await createLot(ledger, who.producer, 'R-001');
  });

  it('lets a regulator hold a lot and release it again', async () => {
    const held = await ledger.submitJson<LotAndEvent>(who.regulator, 'lots:HoldLot', [
      RICE,
      'suspected contamination',
    ]);
    expect(held.lot).toMatchObject({
      status: 'on_hold',
      hold: { reason: 'suspected contamination', by: { mspId: 'RegulatorMSP' } },
    });
    expect(held.event).toMatchObject({
      bizStep: 'holding',
      disposition: 'non_sellable_other',
      stage: 'hold',
    });
    expect(ledger.lastEvent()?.name).toBe('LotHeld');
    await expectRefusal(ledger.submit(who.regulator, 'lots:HoldLot', [RICE, 'again']), 'LOT_ON_HOLD');
    const released = await ledger.submitJson<LotAndEvent>(who.regulator, 'lots:ReleaseLot', [
      RICE,
      'lab retest negative',
    ]);
    expect(released.lot.status).toBe('active');
    expect(released.lot.hold).toBeUndefined();
    expect(released.event).toMatchObject({ bizStep: 'inspecting', disposition: 'conformant' });
    expect(ledger.lastEvent()?.name).toBe('LotReleased');
  });

  it('releases a hold by hand and every violation behind it at once', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await ledger.submit(who.inspector, 'lots:HoldLot', [RICE, 'sampling in progress']);
    const inspected = await record(ledger, who.inspector, {
      bizStep: 'inspecting',
      sensorElementList: [
        {
          sensorReport: [
            { type: 'MassConcentration', chemicalSubstance: 'parathion', value: 0.2, uom: 'mg/kg' },
          ],
        },
      ],
    });
    // The violation is open, and the hand hold stays as it was.
    expect(inspected.lot).toMatchObject({ status: 'on_hold', hold: { reason: 'sampling in progress' } });
    const released = await ledger.submitJson<LotEventOutcome>(who.regulator, 'lots:ReleaseLot', [
      RICE,
      'lot destroyed partly, rest cleared',
    ]);
    expect(released.lot).toMatchObject({ status: 'active' });
    expect(released.violations).toEqual([
      expect.objectContaining({
        ruleId: 'banned-parathion',
        status: 'released',
        resolution: expect.objectContaining({
          action: 'released',
          reason: 'lot destroyed partly, rest cleared',
        }),
      }),
    ]);
    expect(ledger.lastEvent()).toMatchObject({
      name: 'LotReleased',
      payload: {
        lotId: released.lot.lotId,
        lotStatus: 'active',
        violationIds: released.violations.map((v) => v.id),
      },
    });
    const open = await ledger.evaluateJson<Page<unknown>>(who.regulator, 'compliance:QueryOpenViolations', [
      '',
      '',
      '',
      '',
    ]);
    expect(open.records).toEqual([]);
  });

  it('lets an inspector hold but not release', async () => {
    await ledger.submit(who.inspector, 'lots:HoldLot', [RICE, 'sample failed']);
    await refusedUnchanged(
      ledger,
      ledger.submit(who.inspector, 'lots:ReleaseLot', [RICE, 'ok']),
      'NOT_REGULATOR',
    );
  });

  it('refuses holds by others, releases of active lots, and empty reasons', async () => {
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'lots:HoldLot', [RICE, 'x']), 'NOT_REGULATOR');
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'lots:ReleaseLot', [RICE, 'x']),
      'INVALID_STATE_TRANSITION',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'lots:HoldLot', [RICE, '']),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'lots:HoldLot', [lotIdOf(gtin13(1), 'NOPE'), 'x']),
      'LOT_NOT_FOUND',
    );
  });
});

describe('lot queries', () => {
  it('ReadLot refuses unknown and malformed IDs', async () => {
    await expectRefusal(
      ledger.evaluate(who.retailer, 'lots:ReadLot', [lotIdOf(gtin13(1), 'NOPE')]),
      'LOT_NOT_FOUND',
    );
    await expectRefusal(ledger.evaluate(who.retailer, 'lots:ReadLot', ['nope']), 'INVALID_ARGUMENT');
  });

  it('QueryLotsByCustodian pages through the lots a member holds', async () => {
    for (let i = 0; i < 5; i++) await createLot(ledger, who.producer, `P-${i}`);
    await createLot(ledger, who.producer2, 'Q-0');
    const first = await ledger.evaluateJson<Page<LotRecord>>(who.producer, 'lots:QueryLotsByCustodian', [
      '',
      '3',
      '',
    ]);
    expect(first.records.map((lot) => lot.lot)).toEqual(['P-0', 'P-1', 'P-2']);
    const second = await ledger.evaluateJson<Page<LotRecord>>(who.producer, 'lots:QueryLotsByCustodian', [
      '',
      '3',
      first.bookmark,
    ]);
    expect(second.records.map((lot) => lot.lot)).toEqual(['P-3', 'P-4']);
    expect(second.bookmark).toBe('');
    const other = await ledger.evaluateJson<Page<LotRecord>>(who.retailer, 'lots:QueryLotsByCustodian', [
      'Producer2MSP',
      '',
      '',
    ]);
    expect(other.records.map((lot) => lot.lot)).toEqual(['Q-0']);
    await expectRefusal(
      ledger.evaluate(who.retailer, 'lots:QueryLotsByCustodian', ['bad id!', '', '']),
      'INVALID_ARGUMENT',
    );
  });

  it('QueryLotEvents pages through a lot’s events in recording order', async () => {
    await createLot(ledger, who.producer, 'R-001');
    for (const bizStep of ['storing', 'packing', 'shipping']) await record(ledger, who.producer, { bizStep });
    const page = await ledger.evaluateJson<Page<LotEventRecord>>(who.retailer, 'lots:QueryLotEvents', [
      RICE,
      '2',
      '',
    ]);
    expect(page.records.map((event) => event.bizStep)).toEqual(['commissioning', 'storing']);
    const rest = await ledger.evaluateJson<Page<LotEventRecord>>(who.retailer, 'lots:QueryLotEvents', [
      RICE,
      '2',
      page.bookmark,
    ]);
    expect(rest.records.map((event) => event.bizStep)).toEqual(['packing', 'shipping']);
    await expectRefusal(
      ledger.evaluate(who.retailer, 'lots:QueryLotEvents', [lotIdOf(gtin13(1), 'NOPE'), '', '']),
      'LOT_NOT_FOUND',
    );
  });
});
