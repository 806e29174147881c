// Chaincode profile: where a transaction's chaincode time goes, measured in this process on the chaincode's own
// test ledger (chaincode/test/support: the real fabric-contract-api dispatcher and contracts on an in-memory
// stub, the same harness as its unit tests), with V8's sampling CPU profiler. For the transactions the other
// benchmarks drive on the network (a 'storing' RecordEvent, a 1,000-reading SubmitReadings, a 500-lot trace page,
// a 250-lot recall batch) it reports the time per transaction and the self time by module (validation,
// serialisation, compliance rules, the contract dispatcher, the test ledger standing in for the peer) and the
// busiest functions. No network; the peer's part (state requests over gRPC, endorsement signing) is not in it.
'use strict';
const inspector = require('node:inspector');
const path = require('node:path');
const { REPO_ROOT } = require('./support/bench-network');
const { registerTypeScript } = require('./support/ts-require');
const { selfTimes } = require('./support/cpu-profile');
const { msSince, summarize } = require('./support/stats');

/** Runs `fn` under the CPU profiler; returns its result and the profile. */
async function profiled(fn) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  let result;
  let profile;
  try {
    result = await fn();
  } finally {
    ({ profile } = await post('Profiler.stop'));
    session.disconnect();
  }
  return { result, profile };
}

/** Times `count` runs of `tx` (one transaction each) under the profiler. */
async function measure(label, count, tx, log) {
  const times = [];
  const { profile } = await profiled(async () => {
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      await tx(i);
      times.push(msSince(started));
    }
  });
  const result = { transaction: label, count, latencyMs: summarize(times), ...selfTimes(profile, count) };
  log(
    `${label}: median ${result.latencyMs.median} ms per transaction; ` +
      result.byModule
        .slice(0, 5)
        .map((m) => `${m.module} ${m.share} %`)
        .join(', '),
  );
  return result;
}

module.exports = {
  name: 'profile',
  description: 'chaincode CPU profile per transaction on the chaincode’s in-memory test ledger (no network)',
  network: false,
  async run({ quick, log }) {
    registerTypeScript();
    const support = path.join(REPO_ROOT, 'chaincode', 'test', 'support');
    const { allianceLedger, createLot, gtin13, who } = require(path.join(support, 'alliance.ts'));
    const { deviceKeys, signedBatch } = require(path.join(support, 'compliance.ts'));
    const { generateGenealogy } = require(path.join(support, 'genealogy-generator.ts'));
    const n = quick ? 20 : 100;
    const ledger = await allianceLedger();
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    const results = [];

    // 1. RecordEvent: a 'storing' event on lots the producer holds (as the Caliper workload records).
    const lots = [];
    for (let i = 0; i < 10; i++) lots.push((await createLot(ledger, who.producer, `PRF-${i}`)).lotId);
    const event = {
      bizStep: 'storing',
      disposition: 'in_progress',
      readPoint: { gln: '6901234000016' },
      bizLocation: { region: '330183' },
      note: 'cold store 2, bay 14',
    };
    results.push(
      await measure(
        'lots:RecordEvent (storing)',
        n,
        (i) =>
          ledger.submit(who.producer, 'lots:RecordEvent', [
            JSON.stringify({ ...event, lotId: lots[i % lots.length] }),
          ]),
        log,
      ),
    );

    // 2. SubmitReadings: batches of 1,000 in-range chilled readings from one logger.
    const pork = await createLot(ledger, who.producer, 'PRF-PORK', {
      gtin: gtin13(2),
      product: 'Chilled pork',
      category: 'meat/pork',
      storageCategory: 'chilled',
    });
    const keys = deviceKeys();
    await ledger.submit(who.producer, 'devices:RegisterDevice', [
      JSON.stringify({
        deviceId: 'PRF-LOGGER',
        kind: 'cold_chain_logger',
        publicKeyPem: keys.publicKeyPem,
        attachedTo: { lotId: pork.lotId, storageCategory: 'chilled' },
      }),
    ]);
    const start = Date.parse('2026-02-27T00:00:00Z');
    results.push(
      await measure(
        'devices:SubmitReadings (1,000 readings)',
        quick ? 5 : 20,
        (i) => {
          const readings = Array.from({ length: 1000 }, (_, j) => ({
            time: new Date(start + (i * 1000 + j) * 1000).toISOString(),
            temperature: 2 + (j % 10) / 10,
            humidity: 85,
          }));
          return ledger.submit(who.producer, 'devices:SubmitReadings', [
            JSON.stringify(signedBatch(keys, 'PRF-LOGGER', i + 1, readings)),
          ]);
        },
        log,
      ),
    );

    // 3. Trace: the first page (500 lots) of a forward trace over a generated genealogy of 1,000 lots.
    const graph = await generateGenealogy(ledger, who.producer, gtin13(3), 1000);
    results.push(
      await measure(
        'trace:TraceForward (page of 500 of 1,000 lots)',
        quick ? 3 : 10,
        () => ledger.evaluate(who.producer, 'trace:TraceForward', [graph.root, '', '500', '']),
        log,
      ),
    );

    // 4. Recall: RecallLot marks the first 250 lots of the same genealogy's downstream scope.
    results.push(
      await measure(
        'recalls:RecallLot (first batch of 250 lots)',
        1,
        () =>
          ledger.submit(who.regulator, 'recalls:RecallLot', [
            JSON.stringify({ lotId: graph.root, reason: 'benchmark', severity: 'I', batchSize: 250 }),
          ]),
        log,
      ),
    );
    return {
      harness:
        'chaincode/test/support (FakeLedger: real contract dispatcher, in-memory stub), V8 sampling profiler',
      results,
    };
  },
};
