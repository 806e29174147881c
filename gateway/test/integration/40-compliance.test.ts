/**
 * Regulations as smart contracts, and IoT devices, on the live network: rule sets published on the ledger by the
 * regulator decide, in chaincode, whether a lot may move; a device signs cold-chain readings that the chaincode
 * verifies and checks against the same rules.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';
import { signingPayload } from '../../../chaincode/src/devices/signature';
import { acceptTransfer, api, topology, tokens } from './support';

const run = promisify(execFile);
const enc = encodeURIComponent;
const RUN = Date.now().toString(36).toUpperCase();
const GTIN = (() => {
  const body = '690123456800';
  return body + String(gs1CheckDigit(body));
})();

async function createLot(lot: string, extra: Record<string, unknown> = {}) {
  const res = await api.coop!.post('/api/v1/lots', {
    gtin: GTIN,
    lot,
    product: 'Spinach',
    category: 'vegetables',
    quantity: 500,
    unit: 'kg',
    origin: { region: '330183' },
    harvestDate: '2026-11-20',
    expiryDate: '2026-12-31',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.data.lot.lotId as string;
}

async function handOver(lotId: string, from: string, toKey: string) {
  const to = topology.peerOrgs.find((o) => o.key === toKey)!.mspId;
  const offer = await api[from]!.post('/api/v1/transfers', { lotId, to });
  expect(offer.status).toBe(201);
  const accept = await acceptTransfer(toKey, offer.body.data.transfer.transferId);
  expect(accept.status).toBe(200);
}

function inspection(substance: string, value: number, eventTime?: string) {
  return {
    bizStep: 'inspecting',
    ...(eventTime ? { eventTime } : {}),
    sensorElementList: [
      { sensorReport: [{ type: 'gs1:MT-Concentration', chemicalSubstance: substance, value, uom: 'mg/kg' }] },
    ],
  };
}

describe('rule sets on the ledger', () => {
  it('refuses a rule set published by a producer', async () => {
    const res = await api.coop!.post('/api/v1/rulesets', {
      id: 'coop-own-rules',
      version: 1,
      title: 'Rules we would like',
      effectiveFrom: '2026-01-01',
      rules: [{ id: 'r1', kind: 'banned', substance: 'nothing' }],
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_REGULATOR');
  });

  it('lets the regulator publish the default rule set (GB 2763 limits, cold chain, documents) once', async () => {
    const res = await api.mofcom!.post('/api/v1/rulesets/default');
    expect(res.status).toBe(201);
    const read = await api.inspection!.get('/api/v1/rulesets/cn-baseline');
    expect(read.status).toBe(200);
    const carbofuran = read.body.data.rules.find(
      (r: { kind: string; substance?: string; productCategory?: string }) =>
        r.kind === 'mrl' && r.substance === 'carbofuran' && r.productCategory === 'vegetables',
    );
    expect(carbofuran).toMatchObject({ limit: 0.02, unit: 'mg/kg' });
  });

  it('refuses a malformed rule with a coded error and changes nothing', async () => {
    const res = await api.mofcom!.post('/api/v1/rulesets', {
      id: 'broken',
      version: 1,
      title: 'Broken',
      effectiveFrom: '2026-01-01',
      rules: [
        {
          id: 'x',
          kind: 'mrl',
          substance: 'carbofuran',
          productCategory: 'vegetables',
          limit: -1,
          unit: 'mg/kg',
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_RULE');
    expect((await api.mofcom!.get('/api/v1/rulesets/broken')).status).toBe(404);
  });
});

describe('a residue above the limit', () => {
  let lotId: string;

  it('puts the lot on hold when the inspection finds carbofuran above 0.02 mg/kg', async () => {
    lotId = await createLot(`MRL-${RUN}`);
    await handOver(lotId, 'coop', 'retailer');
    const res = await api.inspection!.post(
      `/api/v1/lots/${enc(lotId)}/events`,
      inspection('carbofuran', 0.05),
    );
    expect(res.status).toBe(201);
    expect(res.body.data.lot.status).toBe('on_hold');
    const compliance = await api.retailer!.get(`/api/v1/lots/${enc(lotId)}/compliance`);
    const violation = compliance.body.data.violations.find((v: { ruleId: string }) =>
      /carbofuran/.test(v.ruleId),
    );
    expect(violation).toMatchObject({
      measured: 0.05,
      limit: 0.02,
      unit: 'mg/kg',
      status: 'open',
      version: 1,
    });
  });

  it('refuses the retailer’s sale of the held lot', async () => {
    const sale = await api.retailer!.post(`/api/v1/lots/${enc(lotId)}/events`, {
      bizStep: 'retail_selling',
      quantity: 1,
      unit: 'kg',
    });
    expect(sale.status).toBe(409);
    expect(sale.body.code).toBe('LOT_ON_HOLD');
  });

  it('lists the violation for the regulator, and only a regulator releases the hold', async () => {
    // A residue finding is the producer's responsibility.
    const open = await api.mofcom!.get('/api/v1/violations?by=member&value=CoopMSP');
    expect(open.status).toBe(200);
    expect(open.body.data.map((v: { lotId: string }) => v.lotId)).toContain(lotId);
    const byRetailer = await api.retailer!.post(`/api/v1/lots/${enc(lotId)}/compliance/release`, {
      reason: 'fine',
    });
    expect(byRetailer.status).toBe(403);
    const release = await api.mofcom!.post(`/api/v1/lots/${enc(lotId)}/compliance/release`, {
      reason: 'retest of the retained sample within limits',
    });
    expect(release.status).toBe(200);
    expect(release.body.data.lot.status).toBe('active');
  });

  it('lets the retailer sell once a passing inspection is on record', async () => {
    const pass = await api.inspection!.post(`/api/v1/lots/${enc(lotId)}/events`, {
      ...inspection('carbofuran', 0.01),
      disposition: 'conformant',
    });
    expect(pass.status).toBe(201);
    expect(pass.body.data.lot.status).toBe('active');
    const sale = await api.retailer!.post(`/api/v1/lots/${enc(lotId)}/events`, {
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      quantity: 1,
      unit: 'kg',
    });
    expect(sale.status).toBe(201);
  });
});

describe('rule versions', () => {
  it('applies a new version to events after its effective date and not before', async () => {
    const publish = (version: number, effectiveFrom: string, limit: number) =>
      api.mofcom!.post('/api/v1/rulesets', {
        id: `leafy-${RUN.toLowerCase()}`,
        version,
        title: 'Leafy vegetables, acetamiprid',
        effectiveFrom,
        rules: [
          {
            id: 'acetamiprid',
            kind: 'mrl',
            substance: 'acetamiprid',
            productCategory: 'vegetables',
            limit,
            unit: 'mg/kg',
          },
        ],
      });
    // Version 2 takes effect 20 seconds from now. (Events cannot be dated before the members' approval today, which
    // the qualification rule checks, so the switch-over has to be now rather than months ago.)
    const switchOver = new Date(Date.now() + 20_000);
    expect((await publish(1, '2026-01-01', 0.5)).status).toBe(201);
    expect((await publish(2, switchOver.toISOString(), 0.2)).status).toBe(201);
    const lotId = await createLot(`VER-${RUN}`);
    // Before version 2: 0.3 mg/kg is within version 1's 0.5.
    const before = await api.inspection!.post(
      `/api/v1/lots/${enc(lotId)}/events`,
      inspection('acetamiprid', 0.3),
    );
    expect(before.status).toBe(201);
    expect(before.body.data.lot.status).toBe('active');
    await new Promise((r) => setTimeout(r, Math.max(0, switchOver.getTime() - Date.now() + 1000)));
    // After version 2: the same 0.3 mg/kg exceeds version 2's 0.2.
    const after = await api.inspection!.post(
      `/api/v1/lots/${enc(lotId)}/events`,
      inspection('acetamiprid', 0.3),
    );
    expect(after.status).toBe(201);
    expect(after.body.data.lot.status).toBe('on_hold');
    // Each decision names the rule version it used: version 1 raised nothing; version 2 raised the violation.
    const ofThisSet = (violations: { ruleSetId: string; version: number }[]) =>
      violations.filter((v) => v.ruleSetId === `leafy-${RUN.toLowerCase()}`).map((v) => v.version);
    expect(ofThisSet(before.body.data.violations)).toEqual([]);
    expect(ofThisSet(after.body.data.violations)).toEqual([2]);
  });
});

describe('IoT devices', () => {
  let lotId: string;
  const deviceId = `logger-${RUN.toLowerCase()}`;
  const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'device-')), 'key.pem');

  beforeAll(async () => {
    lotId = await createLot(`COLD-${RUN}`, { storageCategory: 'chilled' });
    await handOver(lotId, 'coop', 'logistics');
  });

  it('streams signed batches from the simulator; its breach raises a cold-chain violation on the lot', async () => {
    const logistics = topology.peerOrgs.find((o) => o.key === 'logistics')!;
    const { stdout } = await run(
      process.execPath,
      [
        path.join(__dirname, '..', '..', 'dist', 'tools', 'device-simulator.js'),
        '--gateway',
        `http://${topology.host}:${logistics.gatewayPort}`,
        '--token',
        tokens().logistics!,
        '--device-id',
        deviceId,
        '--lot',
        lotId,
        '--category',
        'chilled',
        '--batches',
        '3',
        '--batch-size',
        '120',
        '--interval-ms',
        '0',
        '--breach',
        '--key-file',
        keyFile,
      ],
      { timeout: 180_000 },
    );
    expect(stdout).toMatch(/batch/i);
    const compliance = await api.logistics!.get(`/api/v1/lots/${enc(lotId)}/compliance`);
    const cold = compliance.body.data.violations.filter((v: { kind: string }) => v.kind === 'temperature');
    expect(cold.length).toBeGreaterThan(0);
    expect((await api.logistics!.get(`/api/v1/lots/${enc(lotId)}`)).body.data.status).toBe('on_hold');
    const device = await api.logistics!.get(`/api/v1/devices/${deviceId}`);
    expect(device.status).toBe(200);
    expect(device.body.data.lastSequence ?? device.body.data.lastBatch?.sequence).toBeGreaterThanOrEqual(3);
  });

  it('refuses a tampered batch and a replayed one, changing nothing', async () => {
    const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
    const device = (await api.logistics!.get(`/api/v1/devices/${deviceId}`)).body.data;
    const lastSequence = Number(device.lastSequence ?? device.lastBatch?.sequence);
    const readings = [{ time: new Date().toISOString(), temperature: 3.1 }];
    const batch = { deviceId, sequence: lastSequence + 1, readings };
    const signature = crypto.sign('sha256', signingPayload(batch), key).toString('base64');
    const tampered = { ...batch, readings: [{ ...readings[0]!, temperature: 1.0 }], signature };
    const bad = await api.logistics!.post(`/api/v1/devices/${deviceId}/readings`, tampered);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_SIGNATURE');
    const good = await api.logistics!.post(`/api/v1/devices/${deviceId}/readings`, { ...batch, signature });
    expect(good.status).toBe(201);
    const replay = await api.logistics!.post(`/api/v1/devices/${deviceId}/readings`, { ...batch, signature });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('REPLAYED_BATCH');
  });

  it('refuses readings from an unknown device', async () => {
    const res = await api.logistics!.post('/api/v1/devices/no-such-device/readings', {
      sequence: 1,
      readings: [{ time: new Date().toISOString(), temperature: 2 }],
      signature: 'AAAA',
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('DEVICE_NOT_FOUND');
  });
});
