/**
 * How events are kept in world state (shared/event-records.ts): an event on one lot is one key, its lot's index
 * entry with its evaluation; an event on several lots keeps its record apart; ledgers written before the change
 * read back in order beside new events.
 */
import './support/quiet-logging';
import { ChaincodeStub } from 'fabric-shim';
import type { Context } from 'fabric-contract-api';
import { KEYS } from '../src/lib/keys';
import type { EvaluationRecord, LotCompliance } from '../src/shared/compliance';
import type { LotEventRecord } from '../src/shared/epcis';
import type { StoredLotEvent } from '../src/shared/event-records';
import type { LotRecord } from '../src/shared/lots';
import type { Page } from '../src/shared/records';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, recordEvent, who } from './support/alliance';
import { runInTransaction } from './support/compliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';

const key = (objectType: string, ...attributes: string[]): string =>
  ChaincodeStub.prototype.createCompositeKey.call(undefined, objectType, attributes);

/** An inspection finding carbofuran at `mgPerKg` (limit on vegetables: 0.02 mg/kg). */
function inspection(lotId: string, mgPerKg: number): object {
  return {
    lotId,
    bizStep: 'inspecting',
    disposition: 'conformant',
    sensorElementList: [
      {
        sensorReport: [
          { type: 'MassConcentration', chemicalSubstance: 'carbofuran', value: mgPerKg, uom: 'mg/kg' },
        ],
      },
    ],
  };
}

function events(ledger: FakeLedger, lotId: string): Promise<Page<LotEventRecord>> {
  return ledger.evaluateJson<Page<LotEventRecord>>(who.regulator, 'lots:QueryLotEvents', [lotId, '', '']);
}

function compliance(ledger: FakeLedger, lotId: string): Promise<LotCompliance> {
  return ledger.evaluateJson<LotCompliance>(who.retailer, 'compliance:ReadLotCompliance', [lotId]);
}

/** Every evaluation record of a lot, read page by page. */
async function allEvaluations(
  ledger: FakeLedger,
  lotId: string,
  pageSize: number,
): Promise<EvaluationRecord[]> {
  const records: EvaluationRecord[] = [];
  let bookmark = '';
  for (let pages = 0; pages < 100; pages++) {
    const page = await ledger.evaluateJson<Page<EvaluationRecord>>(
      who.retailer,
      'compliance:QueryLotEvaluations',
      [lotId, String(pageSize), bookmark],
    );
    expect(page.records.length).toBeLessThanOrEqual(pageSize);
    records.push(...page.records);
    if (page.bookmark === '') return records;
    bookmark = page.bookmark;
  }
  throw new Error('QueryLotEvaluations did not end');
}

/**
 * Writes an inspection of a lot as a ledger written before single-lot events kept their own records: the record
 * under event [eventId], a marker under the lot, and the evaluation apart.
 */
async function writeOldLayoutInspection(
  ledger: FakeLedger,
  lot: LotRecord,
  eventId: string,
  recordTime: string,
): Promise<void> {
  await runInTransaction(ledger, who.inspector, async (ctx: Context) => {
    const tx = { timestamp: recordTime, txId: ctx.stub.getTxID() };
    const actor = { mspId: 'InspectorMSP', id: 'User1@inspector.agritrace.test' };
    const meta = {
      createdTxId: tx.txId,
      createdAt: tx.timestamp,
      createdBy: actor,
      lastTxId: tx.txId,
      updatedAt: tx.timestamp,
      actor,
    };
    const event: LotEventRecord = {
      ...meta,
      docType: 'lotEvent',
      eventId,
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      stage: 'inspection',
      eventTime: tx.timestamp,
      eventTimeZoneOffset: '+00:00',
      recordTime: tx.timestamp,
      quantityList: [{ lotId: lot.lotId, epcClass: 'x', quantity: 1, unit: 'kg', uom: 'KGM' }],
      responsible: actor,
      lotIds: [lot.lotId],
    };
    const evaluation: EvaluationRecord = {
      ...meta,
      docType: 'complianceEvaluation',
      lotId: lot.lotId,
      eventId,
      bizStep: 'inspecting',
      eventTime: tx.timestamp,
      ruleSets: [{ id: 'cn-baseline', version: 1 }],
      evaluations: [],
    };
    const json = (value: object) => Buffer.from(JSON.stringify(value));
    await ctx.stub.putState(key(KEYS.event, eventId), json(event));
    await ctx.stub.putState(key(KEYS.eventByLot, lot.lotId, tx.timestamp, eventId), Uint8Array.from([0]));
    await ctx.stub.putState(
      key(KEYS.complianceEvaluation, lot.lotId, tx.timestamp, eventId),
      json(evaluation),
    );
  });
}

let ledger: FakeLedger;
let cowpea: LotRecord;
beforeEach(async () => {
  ledger = await allianceLedger();
  await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
  cowpea = await createLot(ledger, who.producer, 'V-001', {
    gtin: gtin13(7),
    product: 'Cowpea',
    category: 'vegetables/cowpea',
  });
});

describe('an event on one lot', () => {
  it('is one key, its lot index entry, holding the event and the rules evaluated on it', async () => {
    const stored = await recordEvent(ledger, who.producer, { lotId: cowpea.lotId, bizStep: 'storing' });
    const storedKey = key(KEYS.eventByLot, cowpea.lotId, stored.event.recordTime, stored.event.eventId);
    expect([...ledger.lastWrites.keys()]).toEqual([storedKey]);
    expect(ledger.read(key(KEYS.event, stored.event.eventId))).toBeUndefined();

    // An inspection also stores the pass it establishes; its evaluation is in the event's record.
    const recorded = await recordEvent(ledger, who.inspector, inspection(cowpea.lotId, 0.01));
    const entry = key(KEYS.eventByLot, cowpea.lotId, recorded.event.recordTime, recorded.event.eventId);
    expect([...ledger.lastWrites.keys()].filter((written) => !written.includes('lotDocument'))).toEqual([
      entry,
    ]);
    expect(ledger.written<StoredLotEvent>(entry)?.compliance).toEqual({
      ruleSets: [{ id: 'cn-baseline', version: 1 }],
      evaluations: recorded.evaluations,
    });
    expect(recorded.evaluations.map((evaluation) => evaluation.outcome)).toContain('pass');

    // The lot's events read back without the evaluation; the compliance view has it as its own record.
    expect((await events(ledger, cowpea.lotId)).records.at(-1)).toEqual(recorded.event);
    const view = await compliance(ledger, cowpea.lotId);
    expect(view.evaluations.map((record) => [record.eventId, record.bizStep])).toEqual([
      [stored.event.eventId, 'storing'],
      [recorded.event.eventId, 'inspecting'],
    ]);
    expect(view.evaluations[1]).toEqual({
      createdTxId: recorded.event.eventId,
      createdAt: recorded.event.recordTime,
      createdBy: recorded.event.responsible,
      lastTxId: recorded.event.eventId,
      updatedAt: recorded.event.recordTime,
      actor: recorded.event.responsible,
      docType: 'complianceEvaluation',
      lotId: cowpea.lotId,
      eventId: recorded.event.eventId,
      bizStep: 'inspecting',
      eventTime: recorded.event.eventTime,
      ruleSets: [{ id: 'cn-baseline', version: 1 }],
      evaluations: recorded.evaluations,
    });
    expect(view.moreEvaluations).toBe(false);
  });

  it('keeps the step a custody event was checked as', async () => {
    await handOver(ledger, who.producer, who.processor, cowpea.lotId);
    const view = await compliance(ledger, cowpea.lotId);
    expect(view.evaluations.map((record) => record.bizStep)).toEqual(['shipping', 'receiving']);
    const page = await events(ledger, cowpea.lotId);
    expect(page.records.map((event) => event.bizStep)).toEqual(['commissioning', 'consigning', 'accepting']);
  });
});

describe('an event on several lots', () => {
  it('keeps its record apart, a marker under each lot and each output evaluation apart', async () => {
    await ledger.submit(who.producer, 'transformations:SplitLot', [
      JSON.stringify({
        lotId: cowpea.lotId,
        outputs: [
          { lot: 'V-001-A', quantity: 100, unit: 'kg' },
          { lot: 'V-001-B', quantity: 100, unit: 'kg' },
        ],
      }),
    ]);
    const split = (await events(ledger, cowpea.lotId)).records.at(-1) as LotEventRecord;
    expect(split.lotIds).toHaveLength(3);
    expect(ledger.read(key(KEYS.event, split.eventId))).toEqual(split);
    for (const lotId of split.lotIds) {
      expect(ledger.state.get(key(KEYS.eventByLot, lotId, split.recordTime, split.eventId))).toEqual(
        Uint8Array.from([0]),
      );
      expect((await events(ledger, lotId)).records.map((event) => event.eventId)).toContain(split.eventId);
    }
    const output = lotIdOf(gtin13(7), 'V-001-A');
    const apart = ledger.read<EvaluationRecord>(
      key(KEYS.complianceEvaluation, output, split.recordTime, split.eventId),
    );
    expect(apart).toMatchObject({ lotId: output, eventId: split.eventId, bizStep: 'commissioning' });
    expect((await compliance(ledger, output)).evaluations).toEqual([apart]);
  });
});

describe('a ledger written before single-lot events kept their own records', () => {
  it('reads old and new events and evaluations back in recording order, page by page', async () => {
    const order: string[] = [];
    for (const [i, mgPerKg] of [0.01, 0.005, 0.015].entries()) {
      const { event } = await recordEvent(ledger, who.inspector, inspection(cowpea.lotId, mgPerKg));
      order.push(event.eventId);
      // Half a second after the new event, before the next: the ledger's transactions are a second apart.
      const old = `old-inspection-${i}`;
      await writeOldLayoutInspection(
        ledger,
        cowpea,
        old,
        new Date(Date.parse(event.recordTime) + 500).toISOString(),
      );
      order.push(old);
    }
    const page = await events(ledger, cowpea.lotId);
    expect(page.records.map((event) => event.eventId)).toEqual([page.records[0]?.eventId, ...order]);
    expect(page.records.every((event) => !('compliance' in event))).toBe(true);

    const view = await compliance(ledger, cowpea.lotId);
    expect(view.evaluations.map((record) => record.eventId)).toEqual(order);
    for (const pageSize of [1, 2, 4, 6, 50]) {
      expect((await allEvaluations(ledger, cowpea.lotId, pageSize)).map((record) => record.eventId)).toEqual(
        order,
      );
    }
  });

  it('refuses a bookmark it did not give', async () => {
    await expectRefusal(
      ledger.evaluate(who.retailer, 'compliance:QueryLotEvaluations', [cowpea.lotId, '2', 'not-a-bookmark']),
      'INVALID_ARGUMENT',
    );
  });
});
