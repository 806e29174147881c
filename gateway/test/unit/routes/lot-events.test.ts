/**
 * POST /api/v1/lots/:lotId/events: RecordEvent answers IDs and the lot's state; the gateway answers the records
 * it names (event, evaluations, violations) from the write set of the transaction it submitted. The chaincode
 * runs for real on its test ledger, so the writes are the ones a peer would endorse.
 */
// The chaincode's typings of fabric-shim internals, which its test ledger needs (an ambient file).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../chaincode/test/support/fabric-shim-internals.d.ts" />
import '../../../../chaincode/test/support/quiet-logging';
import request from 'supertest';
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
import { silentLogger } from '../../../src/logger';
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
