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
import { holdsEventRecord, splitStoredEvent } from '@agritrace/chaincode/dist/shared/event-records';
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
import { compositeKey, parseCompositeKey } from '../../../src/follower/composite-key';
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
 * The write set a chaincode from before single-lot events kept their own records wrote for the same transaction:
 * each event kept under its lot becomes event [eventId], a marker under the lot and its evaluation apart.
 */
function olderLayoutWrites(writes: readonly KvWrite[]): KvWrite[] {
  const json = (value: object) => new TextEncoder().encode(JSON.stringify(value));
  return writes.flatMap((write) => {
    const key = parseCompositeKey(write.key);
    if (key?.objectType !== 'eventByLot' || !write.value || !holdsEventRecord(write.value)) return [write];
    const stored = JSON.parse(new TextDecoder().decode(write.value)) as StoredLotEvent;
    const { event, evaluation } = splitStoredEvent(stored);
    return [
      { key: compositeKey('event', [event.eventId]), value: json(event) },
      { key: write.key, value: Uint8Array.from([0]) },
      ...(evaluation
        ? [{ key: compositeKey('complianceEvaluation', key.attributes), value: json(evaluation) }]
        : []),
    ];
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
    // The chaincode keeps the event and its evaluation in one record under the lot.
    const stored = new WrittenRecords(committed.writes()).find<StoredLotEvent>('eventByLot', [lotId]);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.compliance?.evaluations.length).toBeGreaterThan(0);
    const older = olderLayoutWrites(committed.writes());
    expect(older).toHaveLength(committed.writes().length + 2);

    const answer = recordedEventAnswer(committed);
    expect(recordedEventAnswer({ ...committed, writes: () => older })).toEqual(answer);
    expect(answer.event).toMatchObject({ eventId: committed.result.eventId, bizStep: 'retail_selling' });
    expect(answer.event).not.toHaveProperty('compliance');
    expect(answer.evaluations).toContainEqual(
      expect.objectContaining({ ruleId: 'inspection-before-retail', outcome: 'fail' }),
    );
    expect(answer.violations.map((v) => v.ruleId)).toContain('inspection-before-retail');
  });
});
