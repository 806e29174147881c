// Recall benchmark (issue 7, item 5): a regulator recalls a farm lot with 10,000 downstream lots (500 with
// --quick), a fresh generated genealogy each run (a recalled lot stays recalled). POST /api/v1/recalls answers
// after the first batch (202) and the regulator's gateway marks the rest in the background. Measured from the
// POST: when consumers see it (the retailer's public lookup GET /01/{gtin}/10/{lot} warns on the deepest lot and
// on every sampled lot, and its store counts every lot of the genealogy recalled), and when the ledger has marked
// every lot (the recall 'complete' on the regulator's peer). Then the recall's transactions are read back from the
// ledger (qscc): lots, envelope bytes and duration of each batch; and the batches are profiled (Fabric metrics, CPU).
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
/** Lots per recall transaction asked for (the first batch and, through the gateway, the rest). */
const BATCH = 250;

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

/** The regulator gateway's own connection to its peer (qscc), to read the recall's transactions back. */
function ledgerReader() {
  const root = path.resolve(__dirname, '..', 'dist');
  const { configPathForOrg, loadConfig } = require(path.join(root, 'config.js'));
  const { connectToPeer } = require(path.join(root, 'fabric', 'connection.js'));
  const { decodeTransactionInBlock } = require(path.join(root, 'fabric', 'ledger-decode.js'));
  const { common } = require('@hyperledger/fabric-protos');
  const config = loadConfig(configPathForOrg(REGULATOR));
  const connection = connectToPeer(config);
  return {
    /** Block, timestamp, validation code and envelope size in bytes of a transaction. */
    async transaction(txId) {
      const bytes = await connection.port.evaluate({
        chaincode: 'qscc',
        transaction: 'GetBlockByTxID',
        args: [config.channel, txId],
      });
      const info = decodeTransactionInBlock(bytes, txId);
      const envelope = common.Block.deserializeBinary(bytes).getData().getDataList()[info.transactionIndex];
      return {
        txId,
        blockNumber: Number(info.blockNumber),
        timestamp: info.timestamp.getTime(),
        validationCode: info.validationCode,
        bytes: envelope.length,
        blockBytes: bytes.length,
      };
    },
    close: () => connection.close(),
  };
}

/** Every scope entry of a recall (pages of 100): lot and the transaction that marked it. */
async function scopeOf(api, recallId) {
  const entries = [];
  let bookmark = '';
  for (;;) {
    const res = await api.get(
      `/api/v1/recalls/${recallId}/scope?pageSize=100${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`recall scope: ${res.status} ${JSON.stringify(res.body)}`);
    entries.push(...res.body.data.map((e) => ({ lotId: e.lotId, txId: e.markedTxId })));
    bookmark = res.body.page.bookmark;
    if (!bookmark || res.body.data.length === 0) return entries;
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
  // The sample: every step-th lot and the last lot generated (a merge of leaves, the deepest).
  const deepest = g.lotIds[g.lotIds.length - 1];
  const sample = [...new Set([...g.lotIds.filter((_, i) => i % step === 0), deepest])];

  const nodes = nodesOf(bench.topology);
  const before = await snapshot(nodes);
  const cpuBefore = cpuSnapshot(bench.state.pids);
  log(`recalling ${g.root} (${downstream} lots downstream, depth ${g.depth}) as ${REGULATOR}`);
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  const recall = await regulator.post('/api/v1/recalls', {
    lotId: g.root,
    reason: 'carbofuran above the GB 2763 limit in the farm lot (benchmark)',
    severity: 'I',
    batchSize: BATCH,
  });
  const answerMs = msSince(started);
  if (recall.status !== 201 && recall.status !== 202) {
    const txId = recall.body?.details?.transactionId;
    const refused = {
      genealogy: genealogyInfo,
      refused: {
        afterMs: Math.round(answerMs),
        status: recall.status,
        code: recall.body?.code,
        detail: recall.body?.detail,
        transactionId: txId ?? null,
        reason: txId ? refusalReason(bench, txId) : null,
      },
    };
    log(
      `refused after ${Math.round(answerMs)} ms: ${refused.refused.code}: ${refused.refused.reason ?? refused.refused.detail}`,
    );
    return refused;
  }
  const recallId = recall.body.data.recallId;
  log(`answered ${recall.status} after ${Math.round(answerMs)} ms (${recall.body.data.marked} lots marked)`);

  // Consumers (the retailer's store and public lookup) and the ledger (the regulator's peer), side by side.
  const warns = async (id) => {
    const res = await publicApi.get(lookupPath(id), { accept: 'application/json' });
    return res.status === 200 && res.body?.data?.warning?.type === 'recall';
  };
  const consumers = (async () => {
    const [firstWarningMs, storeAllRecalledMs, sampledLookupsWarnMs] = await Promise.all([
      until(started, () => warns(deepest), 300_000, 50),
      until(started, async () => (await count('recalled')) >= g.lots, 300_000, 100),
      until(started, async () => (await Promise.all(sample.map(warns))).every(Boolean), 300_000, 200),
    ]);
    return { firstWarningMs, storeAllRecalledMs, sampledLookupsWarnMs };
  })();
  let final = recall.body.data;
  const ledgerMs = await until(
    started,
    async () => {
      const res = await regulator.get(`/api/v1/recalls/${recallId}`);
      if (res.status === 200) final = res.body.data;
      return final.status === 'complete';
    },
    1_800_000,
    250,
  );
  const seen = await consumers;
  const cpu = cpuBreakdown(cpuBefore, cpuSnapshot(bench.state.pids));
  const metrics = breakdown(before, await snapshot(nodes), {
    chaincode: 'agritrace',
    gatewayPeer: REGULATOR,
  });
  if (ledgerMs === null)
    throw new Error(`recall ${recallId} not complete after 30 minutes: ${JSON.stringify(final)}`);
  if (final.marked !== g.lots) throw new Error(`recall ended with ${final.marked} of ${g.lots} lots marked`);
  const visibleMs =
    seen.storeAllRecalledMs === null || seen.sampledLookupsWarnMs === null
      ? null
      : Math.max(seen.storeAllRecalledMs, seen.sampledLookupsWarnMs);
  log(
    `consumers: deepest lot warned after ${Math.round(seen.firstWarningMs)} ms, every lot recalled in the store ` +
      `after ${Math.round(seen.storeAllRecalledMs)} ms, sampled lookups warn after ` +
      `${Math.round(seen.sampledLookupsWarnMs)} ms; ledger: all ${g.lots} marked after ${Math.round(ledgerMs)} ms`,
  );

  // The recall's transactions, from the scope entries (each names the transaction that marked its lot).
  const scope = await scopeOf(regulator, recallId);
  const lotsPerTx = new Map();
  for (const e of scope) lotsPerTx.set(e.txId, (lotsPerTx.get(e.txId) ?? 0) + 1);
  const reader = ledgerReader();
  let txs;
  try {
    txs = [];
    for (const txId of lotsPerTx.keys()) txs.push(await reader.transaction(txId));
  } finally {
    reader.close();
  }
  txs.sort((a, b) => a.blockNumber - b.blockNumber);
  // A batch lasts from its proposal until the next batch's proposal (the driver proposes it on commit); the last
  // one until the ledger was seen complete.
  const endAt = startedAt + ledgerMs;
  const batchMs = txs.map((t, i) => (i + 1 < txs.length ? txs[i + 1].timestamp : endAt) - t.timestamp);
  const sizes = txs.map((t) => t.bytes);
  log(
    `${txs.length} transactions (${scope.length} scope entries), ${Math.round(sizes.reduce((a, b) => a + b, 0) / 1024)} KiB; ` +
      `largest ${Math.round(Math.max(...sizes) / 1024)} KiB`,
  );
  return {
    genealogy: genealogyInfo,
    recallId,
    answer: { status: recall.status, ms: Math.round(answerMs), marked: recall.body.data.marked },
    transactions: txs.length,
    ledgerMs: Math.round(ledgerMs),
    firstWarningMs: seen.firstWarningMs && Math.round(seen.firstWarningMs),
    storeAllRecalledMs: seen.storeAllRecalledMs && Math.round(seen.storeAllRecalledMs),
    sampledLookupsWarnMs: seen.sampledLookupsWarnMs && Math.round(seen.sampledLookupsWarnMs),
    sampleSize: sample.length,
    visibleMs: visibleMs && Math.round(visibleMs),
    msPerLot: visibleMs && Math.round((visibleMs / g.lots) * 100) / 100,
    ledgerMsPerLot: Math.round((ledgerMs / g.lots) * 100) / 100,
    batchMs: summarize(batchMs),
    lotsPerTx: summarize(txs.map((t) => lotsPerTx.get(t.txId))),
    txBytes: summarize(sizes),
    txBytesTotal: sizes.reduce((a, b) => a + b, 0),
    invalidTransactions: txs.filter((t) => t.validationCode !== 'VALID').length,
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
      batchSize: BATCH,
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
