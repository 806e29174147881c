// Summary statistics of latency samples and the machine they were measured on.
'use strict';
const os = require('node:os');

/** The p-th percentile (0-100, nearest rank) of ascending values, or null when there are none. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const round1 = (v) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);

/** Count, median, p95, p99, min, max and mean of samples (ms), each to 0.1. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    median: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
    min: round1(sorted[0] ?? null),
    max: round1(sorted[sorted.length - 1] ?? null),
    mean: round1(sorted.length ? sum / sorted.length : null),
  };
}

/** Milliseconds since `started` (a process.hrtime.bigint()). */
function msSince(started) {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The machine: cores, memory, CPU model, load average, Node version (recorded with every result). */
function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((os.freemem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
  };
}

/** Runs `fn` over items with at most `concurrency` in flight. */
async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { percentile, summarize, msSince, machine, pool, sleep };
