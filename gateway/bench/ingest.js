// IoT ingestion benchmark (issue 7, item 4): verified signed readings per second as a function of batch size.
// Cold-chain loggers (P-256 keys, registered by the coop and attached to a chilled lot it holds) each sign batches
// exactly as the chaincode verifies them (signingPayload of @agritrace/chaincode) and submit them through the
// coop's gateway (POST /api/v1/devices/{id}/readings → devices:SubmitReadings, committed before the answer). A
// device's batches go one after another (each advances its sequence number); the devices run side by side.
// Reports committed readings per second, batch latency (median, p95) and where the time went.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');
const { REPO_ROOT } = require('./support/bench-network');
const { breakdown, nodesOf, snapshot } = require('./support/fabric-metrics');
const { cpuBreakdown, cpuSnapshot } = require('./support/process-cpu');
const { msSince, summarize } = require('./support/stats');

const { signingPayload } = require(path.join(REPO_ROOT, 'chaincode', 'dist', 'devices', 'signature'));

/** Target of issue 7: at least this many verified readings per second. */
const TARGET_READINGS_PER_SECOND = 5000;
const ORG = 'coop';
const GTIN = '06901234567892';

/** A device with its own key and sequence, and a clock for its readings (1 ms apart, from an hour ago). */
function newDevice(tag, i) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    deviceId: `bench-${tag}-${i}`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
    sequence: 0,
    clock: Date.now() - 3_600_000,
  };
}

/** The next signed batch of `size` in-range chilled readings (1.5-3.4 °C) of a device. */
function nextBatch(device, size) {
  const readings = Array.from({ length: size }, (_, i) => ({
    time: new Date(device.clock + i).toISOString(),
    temperature: Math.round((1.5 + ((device.sequence * 7 + i) % 20) / 10) * 10) / 10,
    humidity: 85,
  }));
  device.clock += size;
  device.sequence += 1;
  const batch = { deviceId: device.deviceId, sequence: device.sequence, readings };
  const signature = crypto
    .sign('sha256', signingPayload(batch), { key: device.privateKey, dsaEncoding: 'der' })
    .toString('base64');
  return { sequence: batch.sequence, readings, signature };
}

/** Registers `count` devices attached to a chilled lot the organisation holds. */
async function setUp(api, count, log) {
  const tag = Date.now().toString(36).toUpperCase();
  const lot = await api.mustPost('/api/v1/lots', {
    gtin: GTIN,
    lot: `ING${tag}`,
    product: 'Chilled pak choi',
    category: 'vegetables',
    quantity: 500,
    unit: 'kg',
    origin: { region: '330183' },
    storageCategory: 'chilled',
  });
  const lotId = lot.body.data.lot.lotId;
  const devices = Array.from({ length: count }, (_, i) => newDevice(tag, i));
  await Promise.all(
    devices.map((d) =>
      api.mustPost('/api/v1/devices', {
        deviceId: d.deviceId,
        kind: 'cold_chain_logger',
        publicKeyPem: d.publicKeyPem,
        attachedTo: { lotId, storageCategory: 'chilled' },
      }),
    ),
  );
  log(`${count} cold-chain loggers registered on lot ${lotId}`);
  return { lotId, devices };
}

/** Every device sends batches of `size` back to back for `seconds`; returns what was committed. */
async function round(bench, api, devices, size, seconds) {
  const nodes = nodesOf(bench.topology);
  const before = await snapshot(nodes);
  const cpuBefore = cpuSnapshot(bench.state.pids);
  const latencies = [];
  const signMs = [];
  const errors = {};
  let readings = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    devices.map(async (device) => {
      while (Date.now() < deadline) {
        const signStarted = process.hrtime.bigint();
        const batch = nextBatch(device, size);
        signMs.push(msSince(signStarted));
        const res = await api.post(`/api/v1/devices/${encodeURIComponent(device.deviceId)}/readings`, batch);
        if (res.status === 201) {
          latencies.push(res.ms);
          readings += size;
        } else {
          const code = res.body?.code ?? res.status;
          errors[code] = (errors[code] ?? 0) + 1;
          // A batch that did not commit leaves the device's sequence where the ledger has it.
          if (code !== 'REPLAYED_BATCH') device.sequence -= 1;
        }
      }
    }),
  );
  const elapsedMs = msSince(started);
  const cpu = cpuBreakdown(cpuBefore, cpuSnapshot(bench.state.pids), latencies.length || undefined);
  // What a batch costs the network's own processes, and what the machine's cores could ingest at that cost.
  const networkCpuMs = Object.values(cpu.groups).reduce((a, b) => a + b, 0);
  const cores = require('node:os').cpus().length;
  const metrics = breakdown(before, await snapshot(nodes), { chaincode: 'agritrace', gatewayPeer: ORG });
  return {
    batchSize: size,
    devices: devices.length,
    seconds: Math.round(elapsedMs / 100) / 10,
    batches: latencies.length,
    readings,
    readingsPerSecond: Math.round((readings / elapsedMs) * 1000),
    batchesPerSecond: Math.round((latencies.length / elapsedMs) * 1000 * 10) / 10,
    batchLatencyMs: summarize(latencies),
    signMsPerBatch: summarize(signMs).median,
    networkCpuMsPerBatch: Math.round(networkCpuMs * 10) / 10,
    cpuBoundReadingsPerSecond: networkCpuMs > 0 ? Math.round(((cores * 1000) / networkCpuMs) * size) : null,
    errors,
    metrics,
    cpuPerBatch: cpu,
  };
}

module.exports = {
  name: 'ingest',
  description: 'IoT ingestion: verified signed readings per second vs batch size (devices:SubmitReadings)',
  network: true,
  async run({ quick, log, bench }) {
    const sizes = quick ? [100, 1000] : [10, 100, 250, 500, 1000];
    const seconds = quick ? 6 : 30;
    const deviceCount = quick ? 6 : 12;
    const api = bench.api(ORG);
    const { lotId, devices } = await setUp(api, deviceCount, log);
    const rounds = [];
    for (const size of sizes) {
      const r = await round(bench, api, devices, size, seconds);
      rounds.push(r);
      log(
        `batch ${String(size).padStart(4)}: ${r.readingsPerSecond} readings/s (${r.batchesPerSecond} batches/s), ` +
          `batch latency median ${r.batchLatencyMs.median} ms, p95 ${r.batchLatencyMs.p95} ms, ` +
          `endorse ${r.metrics.gatewayPeer.endorseMsPerProposal} ms` +
          (Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ''),
      );
    }
    const best = rounds.reduce((a, b) => (b.readingsPerSecond > a.readingsPerSecond ? b : a));
    return {
      gateway: ORG,
      route: 'POST /api/v1/devices/{deviceId}/readings',
      lotId,
      devices: deviceCount,
      rounds,
      target: {
        readingsPerSecond: TARGET_READINGS_PER_SECOND,
        measured: best.readingsPerSecond,
        atBatchSize: best.batchSize,
        met: best.readingsPerSecond >= TARGET_READINGS_PER_SECOND,
      },
    };
  },
};
