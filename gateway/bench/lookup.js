// Consumer lookup benchmark: GET /01/{gtin}/10/{lot} (the GS1 Digital Link a QR code carries) against the real
// gateway application and query store, under 50, 200 and 1000 concurrent connections (autocannon), over a store
// of the traceability story plus 10,000 lots (1,000 with --quick). Reports throughput, median and p95 latency
// computed from every response's own latency, and counts of non-200 answers.
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { selfTimes } = require('./support/cpu-profile');

const CONNECTIONS = [50, 200, 1000];
/** Target of issue 7: p95 under this many ms at this many concurrent clients. */
const TARGET = { connections: 200, p95Ms: 50 };

/** The p-th percentile (0-100) of sorted values, in ms to 0.1 ms. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

function startServer(lots, env = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'lookup-server.js'), [], {
      env: { ...process.env, BENCH_LOTS: String(lots), ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (info) => resolve({ child, ...info }));
    child.once('exit', (code) => reject(new Error(`lookup server exited with code ${code}`)));
  });
}

function round(connections, port, paths, durationSeconds) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: durationSeconds,
        requests: paths.map((p) => ({ method: 'GET', path: p, headers: { accept: 'application/json' } })),
      },
      (err, result) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          connections,
          durationSeconds,
          requests: result.requests.total,
          requestsPerSecond: Math.round(result.requests.average),
          latencyMs: {
            median: percentile(latencies, 50),
            p95: percentile(latencies, 95),
            p99: percentile(latencies, 99),
            max: percentile(latencies, 100),
          },
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

module.exports = {
  name: 'lookup',
  description: 'consumer lookup by GS1 Digital Link, 50/200/1000 concurrent connections',
  network: false,
  async run({ quick, log }) {
    const lots = quick ? 1000 : 10000;
    const durationSeconds = quick ? 3 : 10;
    const server = await startServer(lots);
    log(
      `store: ${server.blocks} blocks, ${server.lotIds.length} lots, projected in ${Math.round(server.seedMs)} ms`,
    );
    // A spread of lots: the story's processed lots (longest journeys) and load lots across the store.
    const step = Math.max(1, Math.floor(server.lotIds.length / 200));
    const paths = server.lotIds
      .filter((_id, i) => i < 4 || i % step === 0)
      .map((lotId) => {
        const [gtin, lot] = [lotId.slice(0, 14), lotId.slice(15)];
        return `/01/${gtin}/10/${encodeURIComponent(lot)}`;
      });
    const rounds = [];
    try {
      await round(10, server.port, paths, 1); // warm-up
      for (const connections of CONNECTIONS) {
        const result = await round(connections, server.port, paths, durationSeconds);
        rounds.push(result);
        log(
          `${String(connections).padStart(4)} connections: ${result.requestsPerSecond} req/s, ` +
            `median ${result.latencyMs.median} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms, ` +
            `statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}, timeouts ${result.timeouts}`,
        );
      }
    } finally {
      server.child.send('stop');
    }
    // Where a request's time goes: one more round at 200 connections against a server under the CPU profiler.
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-lookup-prof-'));
    let profile;
    try {
      const profileFile = path.join(profileDir, 'lookup.cpuprofile');
      const profiled = await startServer(lots, { BENCH_CPU_PROFILE: profileFile });
      const exited = new Promise((resolve) => profiled.child.once('exit', resolve));
      let requests = 0;
      try {
        requests = (await round(TARGET.connections, profiled.port, paths, quick ? 3 : 5)).requests;
      } finally {
        profiled.child.send('stop');
        await exited;
      }
      if (fs.existsSync(profileFile) && requests > 0) {
        const cpu = selfTimes(JSON.parse(fs.readFileSync(profileFile, 'utf8')), requests, 10);
        profile = { connections: TARGET.connections, requests, ...cpu };
        log(
          `profile at ${TARGET.connections} connections: ${profile.cpuMsPerTransaction} ms CPU per request; ` +
            profile.byModule
              .slice(0, 5)
              .map((m) => `${m.module} ${m.share} %`)
              .join(', '),
        );
      }
    } finally {
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
    return {
      route: 'GET /01/{gtin}/10/{lot}',
      store: {
        engine: 'sqlite',
        lots: server.lotIds.length,
        blocks: server.blocks,
        seedMs: Math.round(server.seedMs),
      },
      distinctPaths: paths.length,
      note: 'rate limit raised to 1,000,000/min for the run (one client address generates all the load)',
      rounds,
      serverProfile: profile ?? null,
      target: (() => {
        const at = rounds.find((r) => r.connections === TARGET.connections);
        const measured = at?.latencyMs.p95 ?? null;
        return { ...TARGET, measuredP95Ms: measured, met: measured !== null && measured < TARGET.p95Ms };
      })(),
    };
  },
};
