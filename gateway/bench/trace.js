// Trace benchmark (issue 7, item 2): full forward and reverse traces through the coop's gateway
// (GET /api/v1/lots/{id}/trace, every page of 500 until the cursor is empty) over generated genealogies of 100,
// 1,000 and 10,000 lots (DAGs: fan-out per level plus merges, depth and fan-out reported). Each trace is checked
// complete against the generator's own count. Measured per case: the route as it answers by default (from the
// gateway's query store, once the store has caught up with the ledger; every step with its first events), the same
// without event records (?events=none), the chaincode's walk (?source=ledger; a page must fit the gateway's gRPC
// receive limit, so its first, unmeasured run halves the page size from 500 until every page fits) with where its
// time went (the chaincode's trace evaluations and their state requests on the peer, the gateway's qscc look-ups
// of block numbers, CPU per process), and the store's trace export (trace.csv).
'use strict';
const { cpuBreakdown, cpuSnapshot } = require('./support/process-cpu');
const { nodesOf, snapshot, total } = require('./support/fabric-metrics');
const { genealogy } = require('./support/genealogies');
const { msSince, summarize } = require('./support/stats');

/** Target of issue 7: the 10,000-lot trace's p95 under this. */
const TARGET_P95_MS = 1000;
/** The largest page the trace route allows. */
const MAX_PAGE_SIZE = 500;
const GATEWAY_ORG = 'coop';

/**
 * One full trace, all pages of `pageSize`; with `adapt`, a page refused as too large for the gateway's gRPC
 * receive limit (503 PEER_BUSY, RESOURCE_EXHAUSTED) is asked again at half the size. Returns its time, pages,
 * lots found, the page size it ended with and the refused pages.
 */
async function fullTrace(api, lotId, direction, pageSize, adapt = false, extra = '') {
  const started = process.hrtime.bigint();
  let cursor = '';
  let lots = 0;
  let pages = 0;
  let refused = 0;
  let truncated = false;
  let bytes = 0;
  let source;
  let asOfBlock;
  for (;;) {
    const res = await api.get(
      `/api/v1/lots/${encodeURIComponent(lotId)}/trace?direction=${direction}&maxLots=10000&pageSize=${pageSize}` +
        extra +
        (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''),
    );
    if (res.status === 503 && res.body?.code === 'PEER_BUSY' && adapt && pageSize > 1) {
      refused++;
      pageSize = Math.floor(pageSize / 2);
      continue;
    }
    if (res.status !== 200)
      throw new Error(`trace ${lotId} ${direction}: ${res.status} ${JSON.stringify(res.body)}`);
    pages++;
    lots += res.body.data.steps.length;
    bytes += Number(res.headers?.['content-length'] ?? 0);
    cursor = res.body.data.cursor;
    truncated = res.body.data.truncated;
    source = res.body.data.source;
    asOfBlock = res.body.data.asOfBlock;
    if (!cursor) break;
  }
  return { ms: msSince(started), pages, lots, truncated, pageSize, refused, bytes, source, asOfBlock };
}

/** Waits until the gateway's query store has applied every block of the ledger; returns its checkpoint. */
async function storeCaughtUp(api, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get('/healthz');
    const store = res.body?.store;
    if (store && store.behindBlocks === 0) return store.checkpointBlock;
    if (Date.now() > deadline)
      throw new Error(`the coop's query store did not catch up: ${JSON.stringify(store)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `n` full traces through the default route (the query store) with `extra` query parameters; checked complete. */
async function storeTraces(api, c, n, extra = '') {
  const samples = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = await fullTrace(api, c.lotId, c.direction, MAX_PAGE_SIZE, false, extra);
    if (last.lots !== c.expected || last.truncated || last.source !== 'store') {
      throw new Error(
        `${c.label} from the store${extra}: ${last.lots} lots from ${last.source}, expected ${c.expected}`,
      );
    }
    samples.push(last.ms);
  }
  return {
    pages: last.pages,
    pageSize: last.pageSize,
    megabytes: Math.round((last.bytes / 1e6) * 10) / 10,
    asOfBlock: last.asOfBlock,
    latencyMs: summarize(samples),
  };
}

/** The same trace from the query store (CSV export: every lot reached with every event); returns time and rows. */
async function storeTrace(api, lotId, direction) {
  const res = await api.get(`/api/v1/lots/${encodeURIComponent(lotId)}/trace.csv?direction=${direction}`);
  if (res.status !== 200) throw new Error(`trace.csv ${lotId} ${direction}: ${res.status}`);
  return {
    ms: res.ms,
    rows: String(res.body).trimEnd().split('\n').length - 1,
    bytes: String(res.body).length,
  };
}

/** Where the peer spent the time of some traces: chaincode evaluations, state requests, qscc look-ups. */
function peerProfile(before, after, traces) {
  const b = before.peers[GATEWAY_ORG];
  const a = after.peers[GATEWAY_ORG];
  const d = (name, where) => total(a, name, where) - total(b, name, where);
  const cc = { chaincode: 'agritrace' };
  const pkg = { chaincode: (v) => v.startsWith('agritrace_') };
  const per = (v) => Math.round((v / traces) * 10) / 10;
  return {
    perTrace: true,
    chaincodeEvaluations: per(d('endorser_proposal_duration_count', cc)),
    chaincodeEvaluationMs: per(d('endorser_proposal_duration_sum', cc) * 1000),
    stateRequests: per(d('chaincode_shim_request_duration_count', pkg)),
    stateRequestMs: per(d('chaincode_shim_request_duration_sum', pkg) * 1000),
    qsccLookups: per(d('endorser_proposal_duration_count', { chaincode: 'qscc' })),
    qsccMs: per(d('endorser_proposal_duration_sum', { chaincode: 'qscc' }) * 1000),
  };
}

/** Measures the traces of one genealogy: the chaincode's `repeats(lots)` times, the store's `storeRepeats` times. */
async function measure(bench, g, repeats, storeRepeats, log) {
  const api = bench.api(GATEWAY_ORG);
  const cases = [
    { label: 'forward from the root', lotId: g.root, direction: 'forward', expected: g.forwardFromRoot },
    {
      label: 'backward from a merge lot',
      lotId: g.merge,
      direction: 'backward',
      expected: g.backwardFromMerge,
    },
    { label: 'backward from a leaf', lotId: g.leaf, direction: 'backward', expected: g.backwardFromLeaf },
  ];
  const results = [];
  const nodes = nodesOf(bench.topology);
  const checkpoint = await storeCaughtUp(api);
  log(`query store caught up at block ${checkpoint}`);
  for (const c of cases) {
    const gateway = await storeTraces(api, c, storeRepeats);
    const withoutEvents = await storeTraces(api, c, storeRepeats, '&events=none');
    const first = await fullTrace(api, c.lotId, c.direction, MAX_PAGE_SIZE, true, '&source=ledger');
    if (first.lots !== c.expected || first.truncated) {
      throw new Error(`${c.label} of ${g.name}: ${first.lots} lots, expected ${c.expected}`);
    }
    const n = repeats(c.expected);
    const before = await snapshot(nodes);
    const cpuBefore = cpuSnapshot(bench.state.pids);
    const samples = [];
    let pages;
    for (let i = 0; i < n; i++) {
      const t = await fullTrace(api, c.lotId, c.direction, first.pageSize, true, '&source=ledger');
      samples.push(t.ms);
      pages = t.pages;
    }
    const cpu = cpuBreakdown(cpuBefore, cpuSnapshot(bench.state.pids), n);
    const profile = peerProfile(before, await snapshot(nodes), n);
    const latency = summarize(samples);
    const store = [];
    let rows;
    for (let i = 0; i < storeRepeats; i++) {
      const t = await storeTrace(api, c.lotId, c.direction);
      store.push(t.ms);
      rows = t.rows;
    }
    const storeLatency = summarize(store);
    results.push({
      case: c.label,
      direction: c.direction,
      lots: c.expected,
      gateway,
      gatewayWithoutEvents: withoutEvents,
      chaincode: {
        pageSize: first.pageSize,
        pagesRefusedAt500: first.refused,
        pages,
        firstMs: Math.round(first.ms),
        latencyMs: latency,
        profile,
        cpuPerTrace: cpu,
      },
      store: { rows, latencyMs: storeLatency },
    });
    log(
      `${String(g.lots).padStart(5)} lots, ${c.label.padEnd(25)} ${String(c.expected).padStart(5)} lots: gateway ` +
        `(store) ${gateway.pages} page(s), ${gateway.megabytes} MB, median ${gateway.latencyMs.median} ms, p95 ` +
        `${gateway.latencyMs.p95} ms; without events ${withoutEvents.megabytes} MB, median ` +
        `${withoutEvents.latencyMs.median} ms, p95 ${withoutEvents.latencyMs.p95} ms; chaincode ` +
        `${pages} page(s) of ${first.pageSize}, median ${latency.median} ms, p95 ${latency.p95} ms ` +
        `(${profile.chaincodeEvaluationMs} ms in chaincode evaluations, ${profile.stateRequests} state requests, ` +
        `${profile.qsccLookups} qscc look-ups); store median ${storeLatency.median} ms, p95 ${storeLatency.p95} ms`,
    );
  }
  return results;
}

module.exports = {
  name: 'trace',
  description:
    'full forward/reverse trace through the gateway over genealogies of 100, 1,000 and 10,000 lots',
  network: true,
  async run({ quick, log, bench }) {
    const sizes = quick ? [100, 1000] : [100, 1000, 10000];
    // Chaincode traces of thousands of lots take minutes: fewer repeats there.
    const repeats = (lots) => (quick ? 3 : lots >= 5000 ? 3 : 10);
    const storeRepeats = quick ? 5 : 10;
    const genealogies = [];
    for (const size of sizes) {
      const g = await genealogy(bench, `trace-${size}`, size, { log });
      const { lotIds: _ids, ...summary } = g;
      genealogies.push({ ...summary, traces: await measure(bench, g, repeats, storeRepeats, log) });
    }
    const largest = genealogies[genealogies.length - 1];
    const forward = largest.traces.find((t) => t.direction === 'forward');
    return {
      gateway: GATEWAY_ORG,
      routes: {
        gateway: 'GET /api/v1/lots/{lotId}/trace?direction=&maxLots=10000&pageSize=500&cursor= (query store)',
        gatewayWithoutEvents: 'the same with &events=none',
        chaincode:
          'GET /api/v1/lots/{lotId}/trace?source=ledger&direction=&maxLots=10000&pageSize=&cursor= (trace:Trace* on the peer)',
        store: 'GET /api/v1/lots/{lotId}/trace.csv?direction= (query store)',
      },
      genealogies,
      target: {
        p95Ms: TARGET_P95_MS,
        lots: largest.lots,
        measuredP95Ms: forward.gateway.latencyMs.p95,
        withoutEventsP95Ms: forward.gatewayWithoutEvents.latencyMs.p95,
        chaincodeP95Ms: forward.chaincode.latencyMs.p95,
        storeP95Ms: forward.store.latencyMs.p95,
        met: largest.lots >= 10000 && forward.gateway.latencyMs.p95 < TARGET_P95_MS,
      },
    };
  },
};
