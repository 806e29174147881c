/**
 * The device simulator: the batches it builds and signs are what the chaincode accepts (its own DTO validation and
 * signature verification), its key persists, and a run registers the device and continues its sequence.
 */
import 'reflect-metadata';
import { statSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ReadingBatchDto } from '@agritrace/chaincode/dist/devices/device.dto';
import { verifyBatchSignature } from '@agritrace/chaincode/dist/devices/signature';
import { parseJsonArgument } from '@agritrace/chaincode/dist/lib/validation';
import type { DeviceRecord, ReadingBatch, ReadingsOutcome } from '@agritrace/chaincode/dist/shared/devices';
import { loadOrCreateDeviceKey, readStoredSequence, sequenceFileOf } from '../../../src/tools/device-key';
import {
  DEFAULT_GATEWAY,
  DeviceApi,
  parseSimulatorArgs,
  runSimulator,
  UsageError,
} from '../../../src/tools/device-simulator';
import type { SimulatorOptions } from '../../../src/tools/device-simulator';
import {
  BREACH_MINUTES,
  batchReadings,
  planBreach,
  planTimeline,
  signBatch,
} from '../../../src/tools/simulated-readings';
import type { ReadingPlan } from '../../../src/tools/simulated-readings';

const NOW = Date.parse('2026-03-05T10:00:00Z');
const MINUTE = 60_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agritrace-sim-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A plan of `count` readings a minute apart ending before NOW. */
function plan(count: number, extra: Partial<ReadingPlan> = {}): ReadingPlan {
  return { ...planTimeline(NOW, count, MINUTE), category: 'chilled', ...extra };
}

describe('batch building and signing', () => {
  it('signs batches that the chaincode validates and verifies against the device key, as forwarded by the gateway', () => {
    const key = loadOrCreateDeviceKey(path.join(dir, 'd.pem'));
    const readings = batchReadings(plan(300), 1, 100);
    const batch = signBatch(key.privateKey, 'SIM-1', 7, readings);
    // The gateway forwards the body it parsed: a JSON round trip must not break the signature.
    const forwarded = JSON.parse(JSON.stringify(batch)) as ReadingBatch;
    expect(verifyBatchSignature(key.publicKeyPem, forwarded, forwarded.signature)).toBe(true);
    expect(parseJsonArgument(ReadingBatchDto, JSON.stringify(batch), 'batch')).toMatchObject({
      deviceId: 'SIM-1',
      sequence: 7,
    });
    const tampered = {
      ...forwarded,
      readings: forwarded.readings.map((r, i) => (i === 5 ? { ...r, temperature: r.temperature + 0.01 } : r)),
    };
    expect(verifyBatchSignature(key.publicKeyPem, tampered, batch.signature)).toBe(false);
    expect(verifyBatchSignature(key.publicKeyPem, { ...forwarded, sequence: 8 }, batch.signature)).toBe(
      false,
    );
    const other = loadOrCreateDeviceKey(path.join(dir, 'other.pem'));
    expect(verifyBatchSignature(other.publicKeyPem, forwarded, batch.signature)).toBe(false);
  });

  it('cuts one continuous timeline of past readings into batches', () => {
    const run = plan(250);
    const batches = [0, 1, 2].map((b) => batchReadings(run, b, 100));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    const times = batches.flat().map((r) => Date.parse(r.time));
    times.forEach((t, i) => i > 0 && expect(t - (times[i - 1] as number)).toBe(MINUTE));
    expect(times[times.length - 1]).toBeLessThan(NOW);
    // Without a breach, chilled readings stay inside 0 to 4 °C; the truck moves from Jinan towards Shanghai.
    for (const reading of batches.flat()) {
      expect(reading.temperature).toBeGreaterThanOrEqual(0);
      expect(reading.temperature).toBeLessThanOrEqual(4);
    }
    expect(batches[0]?.[0]).toMatchObject({ lat: 36.651, lon: 117.12 });
    expect(batches[2]?.[49]).toMatchObject({ lat: 31.23, lon: 121.474 });
    // The same plan gives the same readings: a run can be checked and repeated.
    expect(batchReadings(run, 1, 100)).toEqual(batches[1]);
  });

  it('injects a breach above the chilled range longer than the excursion tolerated, but no instant failure', () => {
    const timeline = planTimeline(NOW, 300, MINUTE);
    const run: ReadingPlan = { ...timeline, category: 'chilled', breach: planBreach(timeline) };
    const readings = [0, 1, 2].flatMap((b) => batchReadings(run, b, 100));
    const out = readings.filter((r) => r.temperature > 4);
    expect(out.length).toBe(BREACH_MINUTES);
    expect(BREACH_MINUTES).toBeGreaterThan(30);
    const first = readings.indexOf(out[0] as (typeof readings)[number]);
    // One contiguous run, followed by a reading back in range that closes it.
    expect(readings.slice(first, first + out.length)).toEqual(out);
    expect(readings[first + out.length]?.temperature).toBeLessThanOrEqual(4);
    expect(Math.max(...out.map((r) => r.temperature))).toBeLessThan(8);
    // Frozen readings stay at or below -18 °C until their breach.
    const frozen = batchReadings({ ...plan(100), category: 'frozen' }, 0, 100);
    expect(Math.max(...frozen.map((r) => r.temperature))).toBeLessThanOrEqual(-18);
  });

  it('places a run after the readings the ledger already holds, and refuses what cannot fit', () => {
    const after = NOW - 30 * MINUTE;
    const squeezed = planTimeline(NOW, 100, MINUTE, after);
    expect(squeezed.start).toBeGreaterThan(after);
    expect(squeezed.start + 99 * squeezed.stepMs).toBeLessThan(NOW);
    expect(() => planTimeline(NOW, 100, MINUTE, NOW - 50_000)).toThrow(/do not fit before now/);
    expect(() => planBreach(planTimeline(NOW, 40, MINUTE))).toThrow(/needs more than 45 readings/);
  });
});

describe('the device key', () => {
  it('is created once as a P-256 PEM readable by its owner only, then reused', () => {
    const file = path.join(dir, 'keys', 'SIM-1.pem');
    const made = loadOrCreateDeviceKey(file);
    expect(made.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(made.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    const again = loadOrCreateDeviceKey(file);
    expect(again).toMatchObject({ created: false, publicKeyPem: made.publicKeyPem });
  });
});

describe('parseSimulatorArgs', () => {
  /** A repository whose generated state has tokens and the coop's gateway configuration. */
  function repo(): string {
    const state = path.join(dir, 'network', 'state', 'gateway');
    mkdirSync(state, { recursive: true });
    writeFileSync(
      path.join(state, 'credentials.json'),
      JSON.stringify({ logistics: 'tok-l', coop: 'tok-c' }),
    );
    writeFileSync(
      path.join(state, 'coop.json'),
      JSON.stringify({ listen: { host: '127.0.0.1', port: 3003 } }),
    );
    return dir;
  }

  it('defaults to the logistics firm, its token and a key file in the network state', () => {
    expect(parseSimulatorArgs([], {}, repo())).toEqual({
      gateway: DEFAULT_GATEWAY,
      token: 'tok-l',
      deviceId: 'SIM-LOGGER-001',
      lotId: undefined,
      category: 'chilled',
      batches: 3,
      batchSize: 100,
      intervalMs: 1000,
      sampleSeconds: 60,
      breach: false,
      keyFile: path.join(dir, 'network', 'state', 'devices', 'SIM-LOGGER-001.pem'),
    });
  });

  it("uses a named organisation's token and gateway, and explicit values", () => {
    const options = parseSimulatorArgs(
      ['--org', 'coop', '--lot=06901234567892:L-1', '--category', 'frozen', '--batches', '2', '--breach'],
      {},
      repo(),
    );
    expect(options).toMatchObject({
      gateway: 'http://127.0.0.1:3003',
      token: 'tok-c',
      lotId: '06901234567892:L-1',
      category: 'frozen',
      batches: 2,
      breach: true,
    });
    expect(parseSimulatorArgs(['--token', 't', '--gateway', 'http://gw:9/'], {}, dir)).toMatchObject({
      token: 't',
      gateway: 'http://gw:9',
    });
    expect(parseSimulatorArgs(['--help'], {}, dir)).toBe('help');
  });

  it.each([
    [['--speed', '2'], 'unknown option --speed'],
    [['--category', 'warm'], '--category must be chilled or frozen'],
    [['--batch-size', '1001'], '--batch-size must be an integer from 1 to 1000'],
    [['--batches'], '--batches needs a value'],
    [['--lot', 'L-1'], 'a lot ID is'],
    [['--device-id', '../etc'], '--device-id ../etc'],
    [['--org', 'retailer'], 'has no token for retailer'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimulatorArgs(argv, {}, repo())).toThrow(UsageError);
    expect(() => parseSimulatorArgs(argv, {}, repo())).toThrow(message);
  });
});

describe('runSimulator', () => {
  /** A gateway's device routes in memory, verifying each batch like the chaincode. */
  function fakeGateway() {
    const devices = new Map<string, DeviceRecord>();
    const calls: string[] = [];
    let block = 10;
    const reply = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const fetchImpl = (async (url: string, init: RequestInit) => {
      const route = url.replace('http://gw', '');
      calls.push(`${init.method} ${route}`);
      expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
      const body = init.body ? (JSON.parse(init.body as string) as Record<string, unknown>) : {};
      const tx = { txId: `tx${++block}`.padEnd(64, '0'), blockNumber: block };
      const id = decodeURIComponent(route.split('/')[4] ?? '');
      if (init.method === 'GET') {
        const device = devices.get(id);
        return device ? reply(200, { data: device }) : reply(404, { code: 'DEVICE_NOT_FOUND', detail: 'no' });
      }
      if (route === '/api/v1/devices') {
        const device = {
          ...body,
          owner: 'LogisticsMSP',
          status: 'active',
          lastSequence: null,
        } as unknown as DeviceRecord;
        devices.set(device.deviceId, device);
        return reply(201, { data: device, tx });
      }
      const device = devices.get(id) as DeviceRecord;
      const batch = body as unknown as ReadingBatch;
      if (!verifyBatchSignature(device.publicKeyPem, batch, batch.signature)) {
        return reply(400, { code: 'BAD_SIGNATURE', detail: 'not signed by the device' });
      }
      if (device.lastSequence !== null && batch.sequence <= device.lastSequence) {
        return reply(409, { code: 'REPLAYED_BATCH', detail: 'replayed' });
      }
      const last = batch.readings[batch.readings.length - 1]?.time ?? '';
      const summary = {
        deviceId: id,
        sequence: batch.sequence,
        count: batch.readings.length,
        minCelsius: Math.min(...batch.readings.map((r) => r.temperature)),
        maxCelsius: Math.max(...batch.readings.map((r) => r.temperature)),
        firstTime: batch.readings[0]?.time ?? '',
        lastTime: last,
        lotId: device.attachedTo?.lotId,
        txId: tx.txId,
        submittedBy: { mspId: 'LogisticsMSP', id: 'gw' },
      };
      devices.set(id, { ...device, lastSequence: batch.sequence, lastBatch: summary });
      const outcome: ReadingsOutcome = {
        batch: summary,
        evaluations: [],
        violations: [],
        lotStatus: 'active',
      };
      return reply(201, { data: outcome, tx });
    }) as unknown as typeof fetch;
    return { devices, calls, api: new DeviceApi('http://gw', 'tok', fetchImpl) };
  }

  function options(extra: Partial<SimulatorOptions> = {}): SimulatorOptions {
    return {
      gateway: 'http://gw',
      token: 'tok',
      deviceId: 'SIM-1',
      lotId: '06901234567892:L-1',
      category: 'chilled',
      batches: 2,
      batchSize: 50,
      intervalMs: 0,
      sampleSeconds: 60,
      breach: false,
      keyFile: path.join(dir, 'SIM-1.pem'),
      ...extra,
    };
  }

  it('registers the device attached to the lot, then continues its sequence on the next run', async () => {
    const gateway = fakeGateway();
    const lines: string[] = [];
    let now = NOW;
    const io = {
      api: gateway.api,
      log: (l: string) => lines.push(l),
      now: () => now,
      sleep: async () => undefined,
    };
    expect(await runSimulator(options(), io)).toBe(2);
    expect(gateway.calls).toEqual([
      'GET /api/v1/devices/SIM-1',
      'POST /api/v1/devices',
      'POST /api/v1/devices/SIM-1/readings',
      'POST /api/v1/devices/SIM-1/readings',
    ]);
    expect(gateway.devices.get('SIM-1')).toMatchObject({
      kind: 'cold_chain_logger',
      attachedTo: { lotId: '06901234567892:L-1', storageCategory: 'chilled' },
      lastSequence: 2,
    });
    expect(readStoredSequence(sequenceFileOf(path.join(dir, 'SIM-1.pem')))).toBe(2);
    expect(
      lines.some((l) =>
        /^batch 2\/2 seq 2: 50 readings .* accepted in block \d+ .* no violation \| lot 06901234567892:L-1 active$/.test(
          l,
        ),
      ),
    ).toBe(true);
    now += 3 * 3_600_000;
    await runSimulator(options({ batches: 1 }), io);
    expect(gateway.calls.slice(4)).toEqual([
      'GET /api/v1/devices/SIM-1',
      'POST /api/v1/devices/SIM-1/readings',
    ]);
    expect(gateway.devices.get('SIM-1')?.lastSequence).toBe(3);
  });

  it('refuses to run a registered device with another key', async () => {
    const gateway = fakeGateway();
    const io = { api: gateway.api, log: () => undefined, now: () => NOW, sleep: async () => undefined };
    await runSimulator(options({ batches: 1 }), io);
    await expect(runSimulator(options({ keyFile: path.join(dir, 'stolen.pem') }), io)).rejects.toThrow(
      /registered with another public key/,
    );
  });
});
