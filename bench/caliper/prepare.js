#!/usr/bin/env node
// Prepares a Caliper run against the running AgriTrace network (by default the benchmark network, ports +20000,
// network/state-bench): writes Caliper's Fabric network configuration (v2.0.0) and the coop's connection profile
// from the topology and the generated crypto material, creates the lots the recording workload writes events on
// (held by the coop, the invoking organisation), records one sample event to size the baseline's value, and
// writes the benchmark configuration: fixed-rate rounds stepping the offered rate up, each rate run for our
// RecordEvent and then for the baseline's one-key write, so both meet the same network in the same run.
//   node bench/caliper/prepare.js [--quick]   then the printed `npx caliper launch manager ...` command
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { benchNetwork } = require('../../gateway/bench/support/bench-network');
const { nodesOf } = require('../../gateway/bench/support/fabric-metrics');
const { pool } = require('../../gateway/bench/support/stats');

const HERE = __dirname;
const GENERATED = path.join(HERE, 'generated');
const REPO_ROOT = path.resolve(HERE, '..', '..');
/** The invoking organisation: a producer, holding the lots it records events on. */
const INVOKER = 'coop';
/** A GTIN for the benchmark's lots (check digit valid). */
const GTIN = '06901234567892';

/**
 * A full and a quick run: fixed-rate rounds at increasing offered rates (TPS, all workers together), high enough
 * that the latency of both chaincodes climbs, find each one's knee; a fixed-load round (that many transactions kept
 * in flight) shows what each sustains when clients wait for every commit before sending the next.
 */
const PLANS = {
  full: {
    rates: [5, 10, 20, 30, 40, 50, 60, 80, 100, 120],
    inFlight: 30,
    seconds: 30,
    workers: 2,
    lots: 200,
  },
  quick: { rates: [10], inFlight: 20, seconds: 5, workers: 2, lots: 20 },
};

/**
 * The plan: the full or quick one, with any of its fields replaced from AGRITRACE_RECORDING_PLAN (JSON, e.g.
 * '{"rates":[60],"seconds":90,"inFlight":0}' for one long pair of rounds to profile; inFlight 0 leaves out the
 * fixed-load rounds).
 */
function planOf(quick) {
  const plan = { ...(quick ? PLANS.quick : PLANS.full) };
  const raw = process.env.AGRITRACE_RECORDING_PLAN;
  if (!raw) return plan;
  let overrides;
  try {
    overrides = JSON.parse(raw);
  } catch (err) {
    throw new Error(`AGRITRACE_RECORDING_PLAN is not JSON: ${err.message}`);
  }
  for (const [field, value] of Object.entries(overrides)) {
    if (!(field in plan)) throw new Error(`AGRITRACE_RECORDING_PLAN: unknown field "${field}"`);
    const valid =
      field === 'rates'
        ? Array.isArray(value) && value.length > 0 && value.every((r) => Number.isFinite(r) && r > 0)
        : Number.isInteger(value) && value >= (field === 'inFlight' ? 0 : 1);
    if (!valid)
      throw new Error(`AGRITRACE_RECORDING_PLAN: bad value for "${field}": ${JSON.stringify(value)}`);
    plan[field] = value;
  }
  return plan;
}

/** The 'storing' event the workload records (lotId added per transaction). */
const EVENT = {
  bizStep: 'storing',
  disposition: 'in_progress',
  readPoint: { gln: '6901234000016' },
  bizLocation: { region: '330183' },
  note: 'cold store 2, bay 14',
};

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** Caliper's network configuration and the invoker's connection profile; returns the configuration's path. */
function writeNetworkConfig(bench) {
  const { net, topology, state } = bench;
  const org = net.findPeerOrg(topology, INVOKER);
  const l = net.peerOrgLayout(state, org);
  const ccp = writeJson(path.join(GENERATED, `ccp-${org.key}.json`), {
    name: `${topology.name}-${org.key}`,
    version: '1.0.0',
    client: { organization: org.mspId },
    organizations: { [org.mspId]: { mspid: org.mspId, peers: [org.peerHostname] } },
    peers: {
      [org.peerHostname]: {
        url: `grpcs://${org.peerEndpoint}`,
        tlsCACerts: { path: l.tlsCa },
        grpcOptions: { 'ssl-target-name-override': org.peerHostname, hostnameOverride: org.peerHostname },
      },
    },
  });
  return writeJson(path.join(GENERATED, 'network.json'), {
    name: topology.name,
    version: '2.0.0',
    caliper: { blockchain: 'fabric', sutOptions: { mutualTls: false } },
    channels: [
      {
        channelName: topology.channel,
        contracts: [{ id: topology.chaincode.name }, { id: bench.baseline.name }],
      },
    ],
    organizations: [
      {
        mspid: org.mspId,
        identities: {
          certificates: [
            {
              name: 'User1',
              clientPrivateKey: { path: l.client.key },
              clientSignedCert: { path: l.client.cert },
            },
          ],
        },
        connectionProfile: { path: ccp, discover: true },
      },
    ],
  });
}

/** Lots held by the invoker for the workload, created through its gateway unless a previous run left enough. */
async function ensureLots(bench, count, log) {
  const file = path.join(GENERATED, 'lots.json');
  const api = bench.api(INVOKER);
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (saved.state === bench.state.root && saved.lots.length >= count) {
      const first = await api.get(`/api/v1/lots/${encodeURIComponent(saved.lots[0])}`);
      if (first.status === 200) return { file, lots: saved.lots };
    }
  } catch {
    /* none saved: create them */
  }
  const tag = `CAL${Date.now().toString(36).toUpperCase()}`;
  const lots = [];
  await pool(
    Array.from({ length: count }, (_, i) => i),
    10,
    async (i) => {
      const res = await api.mustPost('/api/v1/lots', {
        gtin: GTIN,
        lot: `${tag}-${i}`,
        product: 'Benchmark cabbage',
        category: 'vegetables',
        quantity: 1000,
        unit: 'kg',
        origin: { region: '330183' },
      });
      lots[i] = res.body.data.lot.lotId;
    },
  );
  log(`created ${count} lots held by ${INVOKER} for the recording workload`);
  writeJson(file, { state: bench.state.root, lots });
  return { file, lots };
}

/** Records one event through the gateway; returns the stored event record's JSON (the baseline writes as much). */
async function sampleEventRecord(bench, lotId) {
  const res = await bench.api(INVOKER).mustPost(`/api/v1/lots/${encodeURIComponent(lotId)}/events`, EVENT);
  return JSON.stringify(res.body.data.event);
}

/** The benchmark configuration for a plan; returns its path. */
function writeBenchmarkConfig(bench, plan, { lotsFile, sampleRecord, outDir }) {
  const common = {
    invokerIdentity: 'User1',
    invokerMspId: bench.net.findPeerOrg(bench.topology, INVOKER).mspId,
    gatewayPeer: INVOKER,
    metricsNodes: nodesOf(bench.topology),
    pidsDir: bench.state.pids,
    outDir,
  };
  const pair = (name, rateControl) => [
    {
      label: `record-${name}`,
      description: `lots:RecordEvent, ${rateControl.type} ${JSON.stringify(rateControl.opts)}`,
      txDuration: plan.seconds,
      rateControl,
      workload: {
        module: path.join(HERE, 'workloads', 'record-event.js'),
        arguments: {
          ...common,
          roundLabel: `record-${name}`,
          contractId: bench.topology.chaincode.name,
          chaincode: bench.topology.chaincode.name,
          lotsFile,
          event: EVENT,
        },
      },
    },
    {
      label: `baseline-${name}`,
      description: `baseline:Write of ${sampleRecord.length} bytes, ${rateControl.type} ${JSON.stringify(rateControl.opts)}`,
      txDuration: plan.seconds,
      rateControl,
      workload: {
        module: path.join(HERE, 'workloads', 'baseline-write.js'),
        arguments: {
          ...common,
          roundLabel: `baseline-${name}`,
          contractId: bench.baseline.name,
          chaincode: bench.baseline.name,
          value: sampleRecord,
        },
      },
    },
  ];
  const rounds = [
    ...plan.rates.flatMap((tps) => pair(`rate-${tps}`, { type: 'fixed-rate', opts: { tps } })),
    ...(plan.inFlight > 0
      ? pair(`load-${plan.inFlight}`, {
          type: 'fixed-load',
          opts: { transactionLoad: plan.inFlight, startTps: plan.rates[0] },
        })
      : []),
  ];
  return writeJson(path.join(GENERATED, 'benchmark.json'), {
    test: {
      name: 'agritrace-recording',
      description:
        'AgriTrace life-cycle event recording against a one-key baseline write, stepping the offered rate',
      workers: { number: plan.workers },
      rounds,
    },
  });
}

/** Everything a Caliper run needs; returns the paths and the command that runs it. */
async function prepare({ quick = false, log = console.log, outDir } = {}) {
  const bench = benchNetwork();
  const plan = planOf(quick);
  const networkConfig = writeNetworkConfig(bench);
  const { file: lotsFile, lots } = await ensureLots(bench, plan.lots, log);
  const sampleRecord = await sampleEventRecord(bench, lots[0]);
  const out = outDir ?? path.join(REPO_ROOT, 'bench', 'results', 'caliper', 'latest');
  const benchConfig = writeBenchmarkConfig(bench, plan, {
    lotsFile,
    sampleRecord,
    outDir: path.join(out, 'rounds'),
  });
  const args = [
    'caliper',
    'launch',
    'manager',
    '--caliper-workspace',
    HERE,
    '--caliper-networkconfig',
    networkConfig,
    '--caliper-benchconfig',
    benchConfig,
    '--caliper-flow-only-test',
    '--caliper-report-path',
    path.join(out, 'report.html'),
  ];
  return {
    plan,
    networkConfig,
    benchConfig,
    outDir: out,
    eventRecordBytes: sampleRecord.length,
    lots: lots.length,
    args,
  };
}

module.exports = { prepare, PLANS, INVOKER };

if (require.main === module) {
  prepare({ quick: process.argv.includes('--quick') }).then(
    (p) => console.log(`cd ${path.relative(process.cwd(), HERE) || '.'} && npx ${p.args.join(' ')}`),
    (err) => {
      console.error(`prepare: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
