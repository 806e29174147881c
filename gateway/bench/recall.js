// Recall benchmark (issue 7, item 5): a regulator recalls a farm lot with 10,000 downstream lots (500 with
// --quick), a fresh generated genealogy each run (a recalled lot stays recalled). Measures the time until every
// affected lot is marked on the ledger (POST /api/v1/recalls: the gateway drives RecallLot and ContinueRecall
// batches to completion) and until consumers see it: the retailer's query store counts every lot of the genealogy
// recalled (lot search) and the public lookup (GET /01/{gtin}/10/{lot}) of sampled lots, the last marked one
// among them, answers with the recall warning first. Profiles the batches: time per batch, endorsement, CPU.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { breakdown, nodesOf, snapshot } = require('./support/fabric-metrics');
const { cpuBreakdown, cpuSnapshot } = require('./support/process-cpu');
const { genealogy } = require('./support/genealogies');
const { msSince, sleep, summarize } = require('./support/stats');

/** Target of issue 7: recall of 10,000 lots visible to consumers within this. */
const TARGET_MS = 10_000;
const REGULATOR = 'mofcom';
const CONSUMER_GATEWAY = 'retailer';
const SAMPLE = 20;

/** Every lot of the genealogy except the root, i.e. exactly `downstream` lots under it. */
const SHAPES = {
  10000: { fanOut: [10, 10, 98], merges: 90 }, // 10 + 100 + 9,800 + 90 = 10,000 downstream
  1000: { fanOut: [10, 98], merges: 10 }, // 10 + 980 + 10 = 1,000 downstream
  500: { fanOut: [10, 49], merges: 0 }, // 10 + 490 = 500 downstream
};

const lookupPath = (lotId) => `/01/${lotId.slice(0, 14)}/10/${encodeURIComponent(lotId.slice(15))}`;

/** Polls until `check` resolves truthy; returns ms from `started` (hrtime) when it did, or null after timeout. */
async function until(started, check, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return msSince(started);
    await sleep(intervalMs);
  }
  return null;
}

/** Why the gateway peer says the orderer refused a transaction (from its log), if it says. */
function refusalReason(bench, txId) {
  try {
    const log = fs.readFileSync(path.join(bench.state.logs, `peer0.${REGULATOR}.log`), 'utf8');
    const line = log.split('\n').find((l) => l.includes(txId) && l.includes('info='));
    return line ? (/info="([^"]*)"/.exec(line)?.[1] ?? null) : null;
  } catch {
    return null;
  }
}

/** Recalls the root of a fresh genealogy with `downstream` lots below it; measures ledger and consumer views. */
async function recallOnce(bench, downstream, log) {
  const g = await genealogy(bench, `recall-${downstream}`, downstream + 1, {
    fresh: true,
    shape: SHAPES[downstream],
    log,
  });
  const tag = g.root.slice(15, -1); // the generator's tag: every lot number of this genealogy starts with it
  const regulator = bench.api(REGULATOR);
  const consumerSearch = bench.api(CONSUMER_GATEWAY);
  const publicApi = bench.api(CONSUMER_GATEWAY, null);
  const genealogyInfo = {
    lots: g.lots,
    downstream,
    shape: g.shape,
    depth: g.depth,
    buildSeconds: g.buildSeconds,
  };
  // Wait until the consumer-facing store holds the whole genealogy, so that only the recall is measured.
  const count = async (status) => {
    const res = await consumerSearch.get(
      `/api/v1/search/lots?q=${encodeURIComponent(tag)}&pageSize=1${status ? `&status=${status}` : ''}`,
    );
    return res.status === 200 ? res.body.page.total : -1;
  };
  if ((await until(process.hrtime.bigint(), async () => (await count()) >= g.lots, 120_000)) === null) {
    throw new Error(`the ${CONSUMER_GATEWAY} store does not hold the ${g.lots} lots of the genealogy`);
  }
  const step = Math.max(1, Math.floor(g.lotIds.length / SAMPLE));
  const sample = [...new Set([...g.lotIds.filter((_, i) => i % step === 0), g.lotIds[g.lotIds.length - 1]])];

  const nodes = nodesOf(bench.topology);
  const before = await snapshot(nodes);
  const cpuBefore = cpuSnapshot(bench.state.pids);
  log(`recalling ${g.root} (${downstream} lots downstream, depth ${g.depth}) as ${REGULATOR}`);
  const started = process.hrtime.bigint();
  const recall = await regulator.post('/api/v1/recalls', {
    lotId: g.root,
    reason: 'carbofuran above the GB 2763 limit in the farm lot (benchmark)',
    severity: 'I',
    batchSize: 500,
  });
  const ledgerMs = msSince(started);
  if (recall.status !== 201) {
    const txId = recall.body?.details?.transactionId;
    const refused = {
      genealogy: genealogyInfo,
      refused: {
        afterMs: Math.round(ledgerMs),
        status: recall.status,
        code: recall.body?.code,
        detail: recall.body?.detail,
        transactionId: txId ?? null,
        reason: txId ? refusalReason(bench, txId) : null,
      },
    };
    log(
      `refused after ${Math.round(ledgerMs)} ms: ${refused.refused.code}: ${refused.refused.reason ?? refused.refused.detail}`,
    );
    return refused;
  }
  const cpu = cpuBreakdown(cpuBefore, cpuSnapshot(bench.state.pids));
  const metrics = breakdown(before, await snapshot(nodes), {
    chaincode: 'agritrace',
    gatewayPeer: REGULATOR,
  });
  const data = recall.body.data;
  if (data.status !== 'complete' || data.marked !== g.lots) {
    throw new Error(`recall ended ${data.status} with ${data.marked} of ${g.lots} lots marked`);
  }
  const receipts = recall.body.batches;
  const startedAt = Date.now() - ledgerMs;
  const batchMs = receipts.map(
    (r, i) => Date.parse(r.committedAt) - (i === 0 ? startedAt : Date.parse(receipts[i - 1].committedAt)),
  );
  log(`ledger: ${g.lots} lots marked in ${Math.round(ledgerMs)} ms, ${receipts.length} transactions`);

  // Consumers: the store counts them all recalled, and the public lookup warns on every sampled lot.
  const warns = async (id) => {
    const res = await publicApi.get(lookupPath(id), { accept: 'application/json' });
    return res.status === 200 && res.body?.data?.warning?.type === 'recall';
  };
  const firstWarningMs = await until(started, () => warns(g.root), 300_000);
  const allMarkedInStoreMs = await until(started, async () => (await count('recalled')) >= g.lots, 300_000);
  const sampleMs = await until(
    started,
    async () => (await Promise.all(sample.map(warns))).every(Boolean),
    300_000,
    1000,
  );
  const visibleMs =
    allMarkedInStoreMs === null || sampleMs === null ? null : Math.max(allMarkedInStoreMs, sampleMs);
  log(
    `consumers: first warning after ${Math.round(firstWarningMs)} ms, every lot recalled in the store after ` +
      `${Math.round(allMarkedInStoreMs)} ms, sampled lookups warn after ${Math.round(sampleMs)} ms`,
  );
  return {
    genealogy: genealogyInfo,
    transactions: receipts.length,
    ledgerMs: Math.round(ledgerMs),
    firstWarningMs: firstWarningMs && Math.round(firstWarningMs),
    storeAllRecalledMs: allMarkedInStoreMs && Math.round(allMarkedInStoreMs),
    sampledLookupsWarnMs: sampleMs && Math.round(sampleMs),
    visibleMs: visibleMs && Math.round(visibleMs),
    msPerLot: visibleMs && Math.round((visibleMs / g.lots) * 100) / 100,
    batchMs: summarize(batchMs),
    metrics,
    cpu,
  };
}

module.exports = {
  name: 'recall',
  description: 'recall of a farm lot with 10,000 downstream lots: ledger marked and consumer lookup warning',
  network: true,
  async run({ quick, log, bench }) {
    const attempts = [await recallOnce(bench, quick ? 500 : 10000, log)];
    if (attempts[0].refused && !quick) attempts.push(await recallOnce(bench, 1000, log));
    const measured = attempts.find((a) => !a.refused) ?? null;
    const full = attempts[0];
    return {
      regulator: REGULATOR,
      consumerGateway: CONSUMER_GATEWAY,
      batchSizes: { first: 500, continued: 'RECALL_BATCH of gateway/src/routes/recalls.ts (250)' },
      attempts,
      ...(measured ?? {}),
      target: {
        ms: TARGET_MS,
        lots: full.genealogy.downstream,
        measured: full.refused ? null : full.visibleMs,
        refused: full.refused ? `${full.refused.code}: ${full.refused.reason ?? full.refused.detail}` : null,
        linearEstimateMs:
          full.refused && measured ? Math.round(measured.msPerLot * (full.genealogy.downstream + 1)) : null,
        met: full.genealogy.downstream >= 10000 && !full.refused && full.visibleMs < TARGET_MS,
      },
    };
  },
};
