/**
 * POST /api/v1/lots/:lotId/events: RecordEvent answers IDs and the lot's state; the gateway answers the records
 * it names (event, evaluations, violations) from the write set of the transaction it submitted. The chaincode
 * runs for real on its test ledger, so the writes are the ones a peer would endorse; the same write set with the
 * event kept whole under its lot (chaincode/src/shared/event-records.ts) gives the same answer.
 */
// The chaincode's typings of fabric-shim internals, which its test ledger needs (an ambient file).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../chaincode/test/support/fabric-shim-internals.d.ts" />
import '../../../../chaincode/test/support/quiet-logging';
import request from 'supertest';
import type { EvaluationRecord } from '@agritrace/chaincode/dist/shared/compliance';
import type { LotEventRecord } from '@agritrace/chaincode/dist/shared/epcis';
import { keptUnderLot, splitStoredEvent } from '@agritrace/chaincode/dist/shared/event-records';
import type { StoredLotEvent } from '@agritrace/chaincode/dist/shared/event-records';
import type { EventRecorded } from '@agritrace/chaincode/dist/shared/lots';
import {
  allianceLedger,
  createLot,
  gtin13,
  lotIdOf,
  readLot,
  who,
} from '../../../../chaincode/test/support/alliance';
import type { FakeLedger } from '../../../../chaincode/test/support/fake-ledger';
import { LedgerClient } from '../../../src/fabric/contract';
import type { KvWrite } from '../../../src/fabric/ledger-decode';
import { WrittenRecords } from '../../../src/fabric/written-records';
import { parseCompositeKey } from '../../../src/follower/composite-key';
import { silentLogger } from '../../../src/logger';
import { recordedEventAnswer } from '../../../src/routes/lots';
import { createServer } from '../../../src/server';
import { chaincodePort } from '../support/chaincode-ledger';
import { testConfig, TOKEN } from '../support/fixtures';

const AUTH = { Authorization: `Bearer ${TOKEN}` };

/** A gateway whose submissions run on the chaincode's test ledger as the producer. */
function gatewayOver(chaincode: FakeLedger): { app: ReturnType<typeof createServer> } {
  const ledger = new LedgerClient({
    port: chaincodePort(chaincode, who.producer),
    channel: 'traceability',
    chaincode: 'agritrace',
  });
  return { app: createServer(testConfig(), ledger, { logger: silentLogger }) };
}

/**
 * A write set of the older layout as the chaincode writes it now: each single-lot event and its evaluation go
 * into the lot's index entry, in place of the marker; the event [eventId] and complianceEvaluation keys go.
 */
function keptUnderLotWrites(writes: readonly KvWrite[]): KvWrite[] {
  const records = new WrittenRecords(writes);
  const events = new Map(
    records
      .find<LotEventRecord>('event', [])
      .filter(keptUnderLot)
      .map((event) => [event.eventId, event]),
  );
  const evaluations = new Map(
    records.find<EvaluationRecord>('complianceEvaluation', []).map((record) => [record.eventId, record]),
  );
  return writes.flatMap((write) => {
    const key = parseCompositeKey(write.key);
    switch (key?.objectType) {
      case 'event':
        return events.has(key.attributes[0]!) ? [] : [write];
      case 'complianceEvaluation':
        return events.has(key.attributes[2]!) ? [] : [write];
      case 'eventByLot': {
        const event = events.get(key.attributes[2]!);
        if (!event) return [write];
        const evaluation = evaluations.get(event.eventId);
        const stored: StoredLotEvent = evaluation
          ? { ...event, compliance: { ruleSets: evaluation.ruleSets, evaluations: evaluation.evaluations } }
          : event;
        return [{ key: write.key, value: new TextEncoder().encode(JSON.stringify(stored)) }];
      }
      default:
        return [write];
    }
  });
}

let chaincode: FakeLedger;
let lotId: string;
beforeEach(async () => {
  chaincode = await allianceLedger();
  await chaincode.submit(who.regulator, 'rules:SeedDefaultRuleSet');
  lotId = (await createLot(chaincode, who.producer, 'R-7')).lotId;
});

describe('POST /api/v1/lots/:lotId/events', () => {
  it('answers the recorded event and its evaluations, read from the write set, with the lot’s state', async () => {
    const { app } = gatewayOver(chaincode);
    const res = await request(app)
      .post(`/api/v1/lots/${encodeURIComponent(lotId)}/events`)
      .set(AUTH)
      .send({ bizStep: 'storing', note: 'cold store 2' });
    expect(res.status).toBe(201);
    const { data } = res.body;
    expect(data.lot).toEqual({
      lotId,
      status: 'active',
      remaining: 1000,
      unit: 'kg',
      custodian: 'ProducerMSP',
    });
    expect(data.event).toMatchObject({
      docType: 'lotEvent',
      bizStep: 'storing',
      note: 'cold store 2',
      lotIds: [lotId],
      responsible: { mspId: 'ProducerMSP' },
    });
    expect(data.evaluations.length).toBeGreaterThan(0);
    expect(data.evaluations.every((e: { outcome: string }) => e.outcome !== 'fail')).toBe(true);
    expect(data.violations).toEqual([]);
    expect(res.body.tx).toMatchObject({ blockNumber: 42 });
    // What the gateway answered is what the ledger holds.
    const events = await chaincode.evaluateJson<{ records: unknown[] }>(who.producer, 'lots:QueryLotEvents', [
      lotId,
      '10',
      '',
    ]);
    expect(events.records).toContainEqual(data.event);
  });

  it('answers the violations a sale raised and the lot on hold', async () => {
    const { app } = gatewayOver(chaincode);
    const res = await request(app)
      .post(`/api/v1/lots/${encodeURIComponent(lotId)}/events`)
      .set(AUTH)
      .send({ bizStep: 'retail_selling', quantity: 5, unit: 'kg' });
    expect(res.status).toBe(201);
    const { data } = res.body;
    const lot = await readLot(chaincode, lotId);
    expect(data.lot).toEqual({
      lotId,
      status: lot.status,
      remaining: 995,
      unit: 'kg',
      custodian: 'ProducerMSP',
    });
    expect(lot.status).toBe('on_hold');
    expect(data.violations.map((v: { ruleId: string }) => v.ruleId)).toContain('inspection-before-retail');
    expect(data.violations.every((v: { eventId: string }) => v.eventId === data.event.eventId)).toBe(true);
    expect(data.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'inspection-before-retail', outcome: 'fail' }),
    );
  });

  it('passes a refusal through as a problem, writing nothing', async () => {
    const { app } = gatewayOver(chaincode);
    const before = chaincode.state.size;
    const res = await request(app)
      .post(`/api/v1/lots/${encodeURIComponent(lotIdOf(gtin13(9), 'NONE'))}/events`)
      .set(AUTH)
      .send({ bizStep: 'storing' });
    expect(res.status).toBe(404);
    expect(chaincode.state.size).toBe(before);
  });
});

describe('the answer of a recorded event, from its write set', () => {
  it('is the same whether the event is kept under its lot or as event and evaluation records', async () => {
    const ledger = new LedgerClient({
      port: chaincodePort(chaincode, who.producer),
      channel: 'traceability',
      chaincode: 'agritrace',
    });
    const arg = JSON.stringify({ lotId, bizStep: 'retail_selling', quantity: 5, unit: 'kg' });
    const committed = await ledger.submit<EventRecorded>('lots', 'RecordEvent', [arg]);
    const writes = keptUnderLotWrites(committed.writes());
    // The event, its marker and its evaluation became one record.
    expect(writes).toHaveLength(committed.writes().length - 2);
    const stored = new WrittenRecords(writes).find<StoredLotEvent>('eventByLot', [lotId]);
    expect(stored).toHaveLength(1);
    // What the shared helpers read back from it is what the chaincode wrote under complianceEvaluation.
    expect(splitStoredEvent(stored[0]!).evaluation).toEqual(
      new WrittenRecords(committed.writes()).find<EvaluationRecord>('complianceEvaluation', [lotId])[0],
    );

    const answer = recordedEventAnswer({ ...committed, writes: () => writes });
    expect(answer).toEqual(recordedEventAnswer(committed));
    expect(answer.event).toMatchObject({ eventId: committed.result.eventId, bizStep: 'retail_selling' });
    expect(answer.event).not.toHaveProperty('compliance');
    expect(answer.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'inspection-before-retail', outcome: 'fail' }),
    );
    expect(answer.violations.map((v) => v.ruleId)).toContain('inspection-before-retail');
  });
});
