// The network the benchmarks run on: by default a third one beside the developer's (ports +20000, state in
// network/state-bench), so that nobody's work collides; AGRITRACE_PORT_OFFSET and AGRITRACE_STATE_DIR choose
// another. Brings it up (idempotent), deploys the baseline chaincode beside ours, starts the gateways and
// registers and approves every member organisation, so that each can record.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Api } = require('./api');
const { sleep } = require('./stats');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Ports of the benchmark network are the default ones plus this. */
const BENCH_PORT_OFFSET = 20000;
/** State of the benchmark network. */
const BENCH_STATE_DIR = path.join(REPO_ROOT, 'network', 'state-bench');
/** The baseline chaincode's module. */
const BASELINE_DIR = path.join(REPO_ROOT, 'bench', 'baseline-chaincode');
/** First port of the baseline chaincode's servers (one per organisation), before the port offset. */
const BASELINE_PORT = 9200;

/** Points this process (and what it starts) at the benchmark network unless the environment names one. */
function useBenchNetwork() {
  if (process.env.AGRITRACE_PORT_OFFSET === undefined && process.env.AGRITRACE_STATE_DIR === undefined) {
    process.env.AGRITRACE_PORT_OFFSET = String(BENCH_PORT_OFFSET);
    process.env.AGRITRACE_STATE_DIR = BENCH_STATE_DIR;
  }
}

function networkModule() {
  const dist = path.join(REPO_ROOT, 'network', 'dist', 'index.js');
  if (!fs.existsSync(dist)) throw new Error('network/dist is missing: run `npm run build` first');
  return require(dist);
}

/** The topology and state of the network in use, and clients of its gateways. */
function benchNetwork() {
  useBenchNetwork();
  const net = networkModule();
  const topology = net.loadTopology(net.DEFAULT_TOPOLOGY);
  const state = net.statePaths();
  const ctx = { topology, state };
  const offset = Number(process.env.AGRITRACE_PORT_OFFSET || 0);
  const tokens = () => JSON.parse(fs.readFileSync(state.credentials, 'utf8'));
  const gatewayUrl = (key) => `http://${topology.host}:${net.findPeerOrg(topology, key).gatewayPort}`;
  return {
    net,
    ctx,
    topology,
    state,
    offset,
    gatewayUrl,
    /** A client of an organisation's gateway with its API token (null: no credential). */
    api: (key, token = tokens()[key]) => new Api(gatewayUrl(key), token),
    baseline: {
      name: 'baseline',
      version: '1.0',
      sequence: 1,
      modulePath: BASELINE_DIR,
      port: BASELINE_PORT + offset,
    },
  };
}

/** Builds the baseline chaincode when its output is missing or older than its source. */
function buildBaseline(log) {
  const src = path.join(BASELINE_DIR, 'src', 'index.ts');
  const out = path.join(BASELINE_DIR, 'dist', 'index.js');
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) return;
  log('building the baseline chaincode');
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(BASELINE_DIR, 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
}

/** Waits until every gateway answers /healthz with status ok. */
async function waitForGateways(bench, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs;
  for (const org of bench.topology.peerOrgs) {
    for (;;) {
      let last;
      try {
        last = await bench.api(org.key, null).get('/healthz');
        if (last.status === 200 && last.body?.status === 'ok') break;
      } catch (err) {
        last = { status: 0, body: String(err) };
      }
      if (Date.now() > deadline) {
        throw new Error(
          `gateway ${org.key} not healthy: ${last.status} ${JSON.stringify(last.body).slice(0, 300)}`,
        );
      }
      await sleep(500);
    }
  }
}

/** Registers and approves every member organisation that is not approved yet (the regulator approves). */
async function setUpAlliance(bench, log) {
  const regulator = bench.topology.peerOrgs.find((o) => o.role === 'regulator');
  const ministry = bench.api(regulator.key);
  for (const org of bench.topology.peerOrgs.filter((o) => o !== regulator)) {
    const read = await ministry.get(`/api/v1/members/${org.mspId}`);
    let status = read.status === 200 ? read.body.data.status : undefined;
    if (status === undefined) {
      await bench.api(org.key).mustPost('/api/v1/members', {
        name: org.name,
        role: org.role,
        businessLicence: org.businessLicence,
        ...(org.foodProductionLicence ? { foodProductionLicence: org.foodProductionLicence } : {}),
        region: org.region,
      });
      status = 'pending';
    }
    if (status === 'pending') {
      await ministry.mustPost(`/api/v1/members/${org.mspId}/approve`, { reason: 'benchmark alliance' });
      log(`${org.mspId} registered and approved`);
    } else if (status !== 'approved') {
      throw new Error(`${org.mspId} is ${status} on the benchmark network; purge it and run again`);
    }
  }
  // Recording is measured with the regulations in force, as in production: the default rule set (GB 2763 etc.).
  if ((await ministry.get('/api/v1/rulesets/cn-baseline')).status === 404) {
    await ministry.mustPost('/api/v1/rulesets/default');
    log('default rule set cn-baseline published');
  }
}

/** Brings the benchmark network to where every benchmark can run; returns benchNetwork(). */
async function ensureNetwork(log) {
  const bench = benchNetwork();
  log(`network: ${bench.state.root} (ports +${bench.offset})`);
  buildBaseline(log);
  await bench.net.up(bench.ctx);
  await bench.net.deployChaincode(bench.ctx, bench.baseline);
  await bench.net.startGateways(bench.ctx);
  await waitForGateways(bench);
  await setUpAlliance(bench, log);
  return bench;
}

/** Stops every process of the benchmark network (data kept). */
async function stopNetwork(bench) {
  await bench.net.down(bench.ctx);
}

module.exports = {
  REPO_ROOT,
  BENCH_PORT_OFFSET,
  BENCH_STATE_DIR,
  useBenchNetwork,
  benchNetwork,
  ensureNetwork,
  stopNetwork,
  waitForGateways,
};
