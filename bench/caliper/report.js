// Reads a Caliper run: the summary table of Caliper's report.html (succeeded, failed, send rate, latency
// max/min/avg, throughput per round) joined with what the workloads kept per round (every transaction's latency,
// hence median and p95, and the Fabric metrics and CPU breakdown of worker 0), and compares our recording with
// the baseline at each offered rate and at fixed load.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { summarize } = require('../../gateway/bench/support/stats');

/** Rows of the summary table of Caliper's HTML report. */
function parseReportHtml(html) {
  const start = html.indexOf('Summary of performance metrics');
  if (start < 0) throw new Error('no summary table in the Caliper report');
  const table = html.slice(start, html.indexOf('</table>', start));
  const rows = [];
  for (const tr of table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const cells = [...tr[1].matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1].trim());
    if (cells.length !== 8) continue;
    const [name, succ, fail, sendRate, maxLat, minLat, avgLat, throughput] = cells;
    rows.push({
      name,
      succeeded: Number(succ),
      failed: Number(fail),
      sendRateTps: Number(sendRate),
      latencySeconds: { max: Number(maxLat), min: Number(minLat), avg: Number(avgLat) },
      throughputTps: Number(throughput),
    });
  }
  return rows;
}

/** Per-round files written by the workloads, merged across workers. */
function readRounds(dir) {
  const rounds = {};
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!f.endsWith('.json')) continue;
    const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const round = (rounds[r.round] ??= { latenciesMs: [], sent: 0, failures: 0 });
    round.latenciesMs.push(...r.latenciesMs);
    round.sent += r.sent;
    round.failures += r.failures;
    if (r.metrics) round.metrics = r.metrics;
    if (r.cpu) round.cpu = r.cpu;
  }
  return rounds;
}

const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);

/** The run as JSON: rounds, our/baseline pairs per load, and the knee of each. */
function readRun(outDir) {
  const rows = parseReportHtml(fs.readFileSync(path.join(outDir, 'report.html'), 'utf8'));
  const kept = readRounds(path.join(outDir, 'rounds'));
  const rounds = rows.map((row) => {
    const k = kept[row.name] ?? { latenciesMs: [] };
    return { ...row, latencyMs: summarize(k.latenciesMs), metrics: k.metrics ?? null, cpu: k.cpu ?? null };
  });
  const byName = new Map(rounds.map((r) => [r.name, r]));
  const loads = [...new Set(rounds.map((r) => r.name.replace(/^(record|baseline)-/, '')))];
  const pairs = loads.map((load) => {
    const ours = byName.get(`record-${load}`);
    const base = byName.get(`baseline-${load}`);
    return {
      load,
      ours: ours && brief(ours),
      baseline: base && brief(base),
      throughputRatio: ratio(ours?.throughputTps, base?.throughputTps),
      // What a transaction costs the network's own processes: robust to the machine's other users.
      networkCpuRatio: ratio(networkCpu(base), networkCpu(ours)),
      medianLatencyRatio: ratio(ours?.latencyMs.median, base?.latencyMs.median),
      p95LatencyRatio: ratio(ours?.latencyMs.p95, base?.latencyMs.p95),
    };
  });
  const rate = pairs.filter((p) => p.load.startsWith('rate-'));
  const fixedLoad = pairs.find((p) => p.load.startsWith('load-'));
  const kneeOurs = knee(rate.map((p) => p.ours));
  const kneeBase = knee(rate.map((p) => p.baseline));
  const topRate = rate[rate.length - 1]?.baseline?.offeredTps ?? null;
  const peak = (side) => Math.max(0, ...rate.map((p) => p[side]?.throughputTps ?? 0)) || null;
  const capacity = fixedLoad
    ? {
        load: fixedLoad.load,
        ours: fixedLoad.ours?.throughputTps ?? null,
        baseline: fixedLoad.baseline?.throughputTps ?? null,
        ratio: fixedLoad.throughputRatio,
      }
    : null;
  // The measure: offered rate raised until latency climbs. The knee ratio stands when the baseline's
  // latency climbed too (its knee below the top rate); otherwise the highest throughput each reached in any round,
  // whose ratio is then an upper bound (the baseline had more to give).
  const kneeFound = !!kneeOurs && !!kneeBase && topRate !== null && kneeBase.offeredTps < topRate;
  const headline = kneeFound
    ? {
        measure: 'knee',
        ratio: ratio(kneeOurs.throughputTps, kneeBase.throughputTps),
        ours: kneeOurs.throughputTps,
        baseline: kneeBase.throughputTps,
        bound: 'exact',
      }
    : rate.length > 0
      ? {
          measure: 'peak',
          ratio: ratio(peak('ours'), peak('baseline')),
          ours: peak('ours'),
          baseline: peak('baseline'),
          bound: 'at most (the baseline kept up at the top offered rate)',
        }
      : capacity && {
          measure: 'fixed-load',
          ratio: capacity.ratio,
          ours: capacity.ours,
          baseline: capacity.baseline,
          bound: 'exact',
        };
  return {
    rounds,
    pairs,
    knee: {
      rule: 'highest offered rate whose throughput is at least 95% of it and whose p95 latency is at most twice the lowest rate’s',
      ours: kneeOurs,
      baseline: kneeBase,
      ratio: ratio(kneeOurs?.throughputTps, kneeBase?.throughputTps),
    },
    peak: { ours: peak('ours'), baseline: peak('baseline'), ratio: ratio(peak('ours'), peak('baseline')) },
    capacity,
    headline,
  };
}

/** CPU ms per committed transaction of the network's own processes (chaincode servers, peers, orderers). */
function networkCpu(r) {
  if (!r?.cpu) return null;
  return Math.round(Object.values(r.cpu.groups).reduce((a, b) => a + b, 0) * 10) / 10;
}

/** One round in brief. */
function brief(r) {
  return {
    networkCpuMsPerTx: networkCpu(r),
    offeredTps: Number(/rate-(\d+)/.exec(r.name)?.[1] ?? NaN) || null,
    sendRateTps: r.sendRateTps,
    throughputTps: r.throughputTps,
    succeeded: r.succeeded,
    failed: r.failed,
    medianMs: r.latencyMs.median,
    p95Ms: r.latencyMs.p95,
    avgMs: Math.round(r.latencySeconds.avg * 1000),
  };
}

/** The knee of a series of fixed-rate rounds (ascending offered rate); see readRun. */
function knee(series) {
  const rounds = series.filter(Boolean);
  if (rounds.length === 0) return null;
  const floor = rounds[0].p95Ms;
  let best = null;
  for (const r of rounds) {
    const keepsUp = r.throughputTps >= 0.95 * r.offeredTps;
    const flat = floor !== null && r.p95Ms !== null && r.p95Ms <= 2 * floor;
    if (keepsUp && flat && r.failed === 0) best = r;
  }
  return best;
}

module.exports = { readRun, parseReportHtml };

if (require.main === module) {
  const dir = process.argv[2] ?? path.join(__dirname, '..', 'results', 'caliper', 'latest');
  console.log(JSON.stringify(readRun(dir), null, 2));
}
