/** IoT devices: registration with P-256 keys, signed batches, replay protection, and cold-chain breaches. */
import './support/quiet-logging';
import { generateKeyPairSync } from 'crypto';
import type { LotCompliance } from '../src/shared/compliance';
import type { DeviceBatchRecord, DeviceRecord, ReadingBatch, ReadingsOutcome } from '../src/shared/devices';
import type { LotRecord } from '../src/shared/lots';
import type { Page } from '../src/shared/records';
import { allianceLedger, createLot, gtin13, readLot, who } from './support/alliance';
import { deviceKeys, readingsFrom, signedBatch } from './support/compliance';
import type { DeviceKeys } from './support/compliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';

const LOGGER = 'LOG-0001';
/** Readings start before the ledger's clock (2026-03-01T08:00Z), as a logger's buffered data would. */
const START = '2026-03-01T06:00:00Z';

let ledger: FakeLedger;
let keys: DeviceKeys;
let pork: LotRecord;

/** Registers LOGGER for the logistics member, attached to the pork lot as chilled. */
function register(
  caller: Identity = who.logistics,
  overrides: Record<string, unknown> = {},
): Promise<DeviceRecord> {
  return ledger.submitJson<DeviceRecord>(caller, 'devices:RegisterDevice', [
    JSON.stringify({
      deviceId: LOGGER,
      kind: 'cold_chain_logger',
      publicKeyPem: keys.publicKeyPem,
      attachedTo: { lotId: pork.lotId, storageCategory: 'chilled' },
      ...overrides,
    }),
  ]);
}

/** Submits a batch (as the logistics member unless told otherwise). */
function submit(batch: ReadingBatch | string, caller: Identity = who.logistics): Promise<ReadingsOutcome> {
  return ledger.submitJson<ReadingsOutcome>(caller, 'devices:SubmitReadings', [
    typeof batch === 'string' ? batch : JSON.stringify(batch),
  ]);
}

/** Expects a refusal that changed nothing. */
async function refusedUnchanged(attempt: Promise<unknown>, code: string): Promise<void> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
}

beforeEach(async () => {
  ledger = await allianceLedger();
  await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
  keys = deviceKeys();
  pork = await createLot(ledger, who.producer, 'P-001', {
    gtin: gtin13(2),
    product: 'Chilled pork',
    category: 'meat/pork',
  });
  // With its quarantine certificate the pork may ship; the logistics company takes custody, then fits its logger.
  await ledger.submit(who.inspector, 'compliance:RecordDocument', [
    pork.lotId,
    JSON.stringify({ docType: 'animal_quarantine_certificate', id: 'AQC-P-001', issuedAt: '2026-02-28' }),
  ]);
  const offer = await ledger.submitJson<{ transfer: { transferId: string } }>(
    who.producer,
    'transfers:OfferTransfer',
    [JSON.stringify({ lotId: pork.lotId, to: who.logistics.mspId })],
  );
  await ledger.submit(who.logistics, 'transfers:AcceptTransfer', [offer.transfer.transferId]);
});

describe('RegisterDevice', () => {
  it('registers a device owned by the caller, attached to a lot it holds', async () => {
    const device = await register();
    expect(device).toMatchObject({
      docType: 'device',
      deviceId: LOGGER,
      kind: 'cold_chain_logger',
      owner: 'LogisticsMSP',
      status: 'active',
      attachedTo: { lotId: pork.lotId, storageCategory: 'chilled' },
      lastSequence: null,
      batchCount: 0,
    });
    expect(ledger.lastEvent()).toMatchObject({ name: 'DeviceRegistered', payload: { device } });
    expect(await ledger.evaluateJson(who.outsider, 'devices:ReadDevice', [LOGGER])).toEqual(device);
    const mine = await ledger.evaluateJson<Page<DeviceRecord>>(who.logistics, 'devices:QueryDevices', [
      '',
      '',
      '',
    ]);
    expect(mine.records.map((d) => d.deviceId)).toEqual([LOGGER]);
  });

  it('refuses outsiders, keys that are not P-256 SPKI, duplicates, and lots the owner does not hold', async () => {
    await refusedUnchanged(register(who.outsider), 'NOT_APPROVED');
    await refusedUnchanged(register(who.logistics, { publicKeyPem: 'not a key' }), 'MALFORMED_PUBLIC_KEY');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    await refusedUnchanged(
      register(who.logistics, { publicKeyPem: p384.toString() }),
      'MALFORMED_PUBLIC_KEY',
    );
    await refusedUnchanged(register(who.producer), 'NOT_CUSTODIAN');
    await refusedUnchanged(
      register(who.logistics, { attachedTo: { lotId: pork.lotId } }),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(register(who.logistics, { kind: 'toaster' }), 'INVALID_ARGUMENT');
    await register();
    await refusedUnchanged(register(), 'DEVICE_EXISTS');
  });
});

describe('SubmitReadings', () => {
  beforeEach(async () => {
    await register();
  });

  it('accepts a batch signed by the device key and stores its summary and readings', async () => {
    const readings = readingsFrom(START, 5, [2, 3, 3.5, 4]);
    readings[1] = { ...(readings[1] as (typeof readings)[number]), humidity: 85 };
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readings));
    expect(outcome.batch).toMatchObject({
      deviceId: LOGGER,
      sequence: 1,
      count: 4,
      minCelsius: 2,
      maxCelsius: 4,
      firstTime: '2026-03-01T06:00:00.000Z',
      lastTime: '2026-03-01T06:15:00.000Z',
      lotId: pork.lotId,
      submittedBy: { mspId: 'LogisticsMSP', id: 'User1@logistics.agritrace.test' },
    });
    expect(outcome.violations).toEqual([]);
    expect(outcome.evaluations).toEqual([
      expect.objectContaining({ ruleId: 'cold-chilled', outcome: 'pass', measured: 0, limit: 30 }),
    ]);
    expect(outcome.lotStatus).toBe('active');
    expect(ledger.lastEvent()).toMatchObject({ name: 'ReadingsSubmitted', payload: outcome });
    const device = await ledger.evaluateJson<DeviceRecord>(who.outsider, 'devices:ReadDevice', [LOGGER]);
    expect(device).toMatchObject({ lastSequence: 1, batchCount: 1, lastBatch: outcome.batch });
    const page = await ledger.evaluateJson<Page<DeviceBatchRecord>>(
      who.outsider,
      'devices:QueryDeviceReadings',
      [LOGGER, '', ''],
    );
    expect(page.records).toHaveLength(1);
    expect(page.records[0]?.readings).toEqual({
      time: readings.map((r) => r.time),
      temperature: [2, 3, 3.5, 4],
      humidity: [null, 85, null, null],
    });
  });

  it('lets a hosting member submit: the signature, not the submitter, proves the device', async () => {
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readingsFrom(START, 5, [2])), who.retailer);
    expect(outcome.batch.submittedBy.mspId).toBe('RetailerMSP');
  });

  it('refuses a tampered reading, a wrong key and a malformed signature (BAD_SIGNATURE)', async () => {
    const batch = signedBatch(keys, LOGGER, 1, readingsFrom(START, 5, [2, 3]));
    const tampered = { ...batch, readings: [batch.readings[0], { ...batch.readings[1], temperature: 2.9 }] };
    await refusedUnchanged(submit(tampered as ReadingBatch), 'BAD_SIGNATURE');
    await refusedUnchanged(submit({ ...batch, sequence: 2 }), 'BAD_SIGNATURE');
    await refusedUnchanged(submit(signedBatch(deviceKeys(), LOGGER, 1, batch.readings)), 'BAD_SIGNATURE');
    await refusedUnchanged(submit({ ...batch, signature: 'not base64 at all!' }), 'BAD_SIGNATURE');
    await submit(batch);
  });

  it('refuses a replayed batch and an out-of-order sequence, and allows gaps', async () => {
    const first = signedBatch(keys, LOGGER, 5, readingsFrom(START, 5, [2]));
    await submit(first);
    await refusedUnchanged(submit(first), 'REPLAYED_BATCH');
    await refusedUnchanged(
      submit(signedBatch(keys, LOGGER, 4, readingsFrom(START, 5, [2]))),
      'OUT_OF_ORDER_BATCH',
    );
    await submit(signedBatch(keys, LOGGER, 9, readingsFrom('2026-03-01T06:05:00Z', 5, [3])));
    await refusedUnchanged(submit(first), 'REPLAYED_BATCH');
    await refusedUnchanged(
      submit(signedBatch(keys, LOGGER, 7, readingsFrom(START, 5, [2]))),
      'OUT_OF_ORDER_BATCH',
    );
  });

  it('refuses batches of unknown and retired devices', async () => {
    await refusedUnchanged(
      submit(signedBatch(keys, 'LOG-9999', 1, readingsFrom(START, 5, [2]))),
      'DEVICE_NOT_FOUND',
    );
    await refusedUnchanged(
      ledger.submit(who.producer, 'devices:RetireDevice', [LOGGER, 'mine now']),
      'NOT_DEVICE_OWNER',
    );
    const retired = await ledger.submitJson<DeviceRecord>(who.logistics, 'devices:RetireDevice', [
      LOGGER,
      'battery failed',
    ]);
    expect(retired.status).toBe('retired');
    expect(ledger.lastEvent()?.name).toBe('DeviceRetired');
    await refusedUnchanged(
      submit(signedBatch(keys, LOGGER, 1, readingsFrom(START, 5, [2]))),
      'DEVICE_RETIRED',
    );
    await refusedUnchanged(
      ledger.submit(who.logistics, 'devices:RetireDevice', [LOGGER, 'again']),
      'DEVICE_RETIRED',
    );
  });

  it('refuses readings timed in the future and malformed batches', async () => {
    await refusedUnchanged(
      submit(signedBatch(keys, LOGGER, 1, readingsFrom('2026-03-02T00:00:00Z', 5, [2]))),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(submit(signedBatch(keys, LOGGER, 1, [])), 'INVALID_ARGUMENT');
    const noOffset = signedBatch(keys, LOGGER, 1, [{ time: '2026-03-01T06:00:00', temperature: 2 }]);
    await refusedUnchanged(submit(noOffset), 'MALFORMED_DATE');
    await refusedUnchanged(submit('{"deviceId":'), 'INVALID_JSON');
  });

  it('accepts a batch of 1000 readings', async () => {
    const readings = readingsFrom(
      '2026-02-28T20:00:00Z',
      0.5,
      Array.from({ length: 1000 }, (_, i) => 2 + (i % 20) / 10),
    );
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readings));
    expect(outcome.batch.count).toBe(1000);
    expect(outcome.violations).toEqual([]);
    const tooMany = readingsFrom(
      '2026-02-28T20:00:00Z',
      0.5,
      Array.from({ length: 1001 }, () => 2),
    );
    await refusedUnchanged(submit(signedBatch(keys, LOGGER, 2, tooMany)), 'INVALID_ARGUMENT');
  });

  it('raises a cold-chain violation on the attached lot and holds it when readings breach the chilled range', async () => {
    // 40 minutes above 4 °C, more than the 30 tolerated.
    const readings = readingsFrom(START, 10, [3, 5, 5.5, 6, 5, 3]);
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readings));
    expect(outcome.violations).toEqual([
      expect.objectContaining({
        lotId: pork.lotId,
        ruleSetId: 'cn-baseline',
        version: 1,
        ruleId: 'cold-chilled',
        kind: 'temperature',
        measured: 40,
        limit: 30,
        unit: 'min',
        eventId: `device:${LOGGER}:1`,
        responsibleMsp: 'LogisticsMSP',
        responsibleActor: 'User1@logistics.agritrace.test',
        status: 'open',
      }),
    ]);
    expect(outcome.lotStatus).toBe('on_hold');
    const lot = await readLot(ledger, pork.lotId);
    expect(lot).toMatchObject({ status: 'on_hold', hold: { violationIds: [outcome.violations[0]?.id] } });
    const compliance = await ledger.evaluateJson<LotCompliance>(
      who.retailer,
      'compliance:ReadLotCompliance',
      [pork.lotId],
    );
    // The offer (checked as shipping) and the acceptance (as receiving) were evaluated before the readings.
    expect(compliance.evaluations.map((e) => e.bizStep)).toEqual([
      'shipping',
      'receiving',
      'sensor_reporting',
    ]);
    expect(compliance.evaluations[2]?.eventId).toBe(`device:${LOGGER}:1`);
    // The held lot cannot be handed on.
    await expectRefusal(
      ledger.submit(who.logistics, 'transfers:OfferTransfer', [
        JSON.stringify({ lotId: pork.lotId, to: who.retailer.mspId }),
      ]),
      'LOT_ON_HOLD',
    );
  });

  it('fails at once on a reading far outside the range, however short', async () => {
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readingsFrom(START, 1, [3, 9, 3])));
    expect(outcome.violations.map((v) => [v.measured, v.limit, v.unit])).toEqual([[9, 8, '°C']]);
  });

  it('measures an excursion across batches whole, and reports it once', async () => {
    const first = await submit(signedBatch(keys, LOGGER, 1, readingsFrom(START, 10, [3, 5, 5])));
    expect(first.violations).toEqual([]);
    expect(
      (await ledger.evaluateJson<DeviceRecord>(who.logistics, 'devices:ReadDevice', [LOGGER])).openExcursions,
    ).toEqual({
      'cn-baseline/cold-chilled': { since: '2026-03-01T06:10:00.000Z', reported: false },
    });
    // Still out at 06:40 is 30 minutes since 06:10 (tolerated); at 06:50 it is 40.
    const second = await submit(
      signedBatch(keys, LOGGER, 2, readingsFrom('2026-03-01T06:30:00Z', 10, [5, 5, 5])),
    );
    expect(second.violations.map((v) => v.measured)).toEqual([40]);
    const third = await submit(
      signedBatch(keys, LOGGER, 3, readingsFrom('2026-03-01T07:00:00Z', 10, [6, 3])),
    );
    expect(third.evaluations[0]?.outcome).toBe('fail');
    expect(third.violations).toEqual([]);
    expect(
      (await ledger.evaluateJson<DeviceRecord>(who.logistics, 'devices:ReadDevice', [LOGGER])).openExcursions,
    ).toEqual({});
  });

  it('stores but does not check readings of a device attached to a shipment only', async () => {
    await ledger.submit(who.logistics, 'devices:AttachDevice', [
      LOGGER,
      JSON.stringify({ shipmentId: 'SSCC-1' }),
    ]);
    const outcome = await submit(signedBatch(keys, LOGGER, 1, readingsFrom(START, 10, [9, 9, 9, 9, 9])));
    expect(outcome.evaluations).toEqual([]);
    expect(outcome.lotStatus).toBeUndefined();
  });
});

describe('AttachDevice', () => {
  it('re-attaches a device for its owner only, to a lot its owner holds', async () => {
    await register();
    const other = await createLot(ledger, who.logistics, 'F-001', {
      gtin: gtin13(3),
      product: 'Frozen fish',
      category: 'aquatic',
    });
    await refusedUnchanged(
      ledger.submit(who.producer, 'devices:AttachDevice', [
        LOGGER,
        JSON.stringify({ lotId: other.lotId, storageCategory: 'frozen' }),
      ]),
      'NOT_DEVICE_OWNER',
    );
    await refusedUnchanged(
      ledger.submit(who.logistics, 'devices:AttachDevice', [
        LOGGER,
        JSON.stringify({ lotId: other.lotId, shipmentId: 'S' }),
      ]),
      'INVALID_ARGUMENT',
    );
    const device = await ledger.submitJson<DeviceRecord>(who.logistics, 'devices:AttachDevice', [
      LOGGER,
      JSON.stringify({ lotId: other.lotId, storageCategory: 'frozen' }),
    ]);
    expect(device.attachedTo).toEqual({ lotId: other.lotId, storageCategory: 'frozen' });
    expect(device.history.map((h) => h.action)).toEqual(['registered', 'attached']);
    expect(ledger.lastEvent()?.name).toBe('DeviceAttached');
    // -17 °C for 40 minutes breaks the frozen rule of the new lot, not the old one.
    const outcome = await submit(
      signedBatch(keys, LOGGER, 1, readingsFrom(START, 10, [-20, -17, -17, -17, -17, -19])),
    );
    expect(outcome.violations.map((v) => [v.lotId, v.ruleId])).toEqual([[other.lotId, 'cold-frozen']]);
    expect((await readLot(ledger, pork.lotId)).status).toBe('active');
  });
});
