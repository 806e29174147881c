#!/usr/bin/env node
// Benchmark runner: `npm run bench [-- --quick] [-- --only recording,trace]`. Runs each benchmark module of this
// folder (one file per benchmark) in order, on the benchmark network (ports +20000, network/state-bench, brought up
// and set up here when a benchmark needs it, stopped again afterwards unless it was running before or
// --keep-network is given), prints a summary, and writes every result as JSON to bench/results/ (ignored by git):
// <benchmark>-<time>.json and latest.json with the whole run. `node gateway/bench/report.js` turns latest.json into
// the Markdown table of docs/benchmarks.md. Needs the built packages (npm run build). A benchmark is not a test: it
// reports numbers and how far they are from the targets of issue 7, it does not fail on them.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { closeClients } = require('./support/api');
const { benchNetwork, ensureNetwork, stopNetwork, REPO_ROOT } = require('./support/bench-network');
const { machine } = require('./support/stats');

/**
 * The benchmarks, in run order. Each module exports { name, description, network, run(context) }: `network` is
 * true when it needs the benchmark network up and set up, 'exclusive' when it starts and stops networks itself;
 * run({ quick, log, bench, resultsDir }) resolves to its result (JSON).
 */
const BENCHMARKS = [
  require('./recording'),
  require('./trace'),
  require('./lookup'),
  require('./ingest'),
  require('./recall'),
  require('./profile'),
  require('./startup'),
];

const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

const USAGE = `Usage: npm run bench -- [--quick] [--only <name>[,<name>...]] [--keep-network] [--help]

Benchmarks (in run order):
${BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.description}`).join('\n')}

  --quick          a short run of every benchmark (smaller genealogies, shorter rounds): under 5 minutes
  --only <names>   run only these benchmarks (comma-separated)
  --keep-network   leave the benchmark network running afterwards
Network: ports +20000, state in network/state-bench (AGRITRACE_PORT_OFFSET and AGRITRACE_STATE_DIR override).
Results: bench/results/<benchmark>-<time>.json and bench/results/latest.json; Markdown: node gateway/bench/report.js`;

function parseArguments(argv) {
  const options = { quick: false, only: undefined, keepNetwork: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--keep-network') options.keepNetwork = true;
    else if (arg === '--only' && argv[i + 1]) options.only = argv[++i].split(',');
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** True when any process of the benchmark network is up (then the runner leaves it up). */
async function networkRunning(bench) {
  return (await bench.net.status(bench.ctx)).some((row) => row.up);
}

/** The code measured: the commit and how many files the working tree changes on top of it. */
function codeVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length,
    };
  } catch {
    return null;
  }
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (err) {
    console.error(`bench: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  for (const dist of ['chaincode', 'gateway', 'network']) {
    if (!fs.existsSync(path.join(REPO_ROOT, dist, 'dist', 'index.js'))) {
      console.error(`bench: ${dist} is not built; run \`npm run build\` first`);
      return 1;
    }
  }
  const unknown = (options.only ?? []).filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`bench: no benchmark named ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const selected = BENCHMARKS.filter((b) => !options.only || options.only.includes(b.name));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const runStarted = new Date();
  const stamp = runStarted.toISOString().replace(/[:.]/g, '-');
  const log = (line) => console.log(`   ${line}`);
  const run = {
    started: runStarted,
    quick: options.quick,
    machine: machine(),
    code: codeVersion(),
    results: {},
  };

  let bench = benchNetwork();
  const wasRunning = await networkRunning(bench);
  let networkReady = false;
  try {
    for (const benchmark of selected) {
      console.log(`\n== ${benchmark.name}: ${benchmark.description}${options.quick ? ' (quick)' : ''}`);
      if (benchmark.network === true && !networkReady) {
        bench = await ensureNetwork(log);
        networkReady = true;
      }
      if (benchmark.network === 'exclusive' && (await networkRunning(bench))) {
        log('stopping the benchmark network: this benchmark starts networks of its own');
        await stopNetwork(bench);
        networkReady = false;
      }
      const started = new Date();
      const machineBefore = machine();
      let result;
      try {
        result = await benchmark.run({ quick: options.quick, log, bench, resultsDir: RESULTS_DIR, stamp });
      } catch (err) {
        console.error(`   ${benchmark.name} failed: ${err.stack ?? err}`);
        result = { error: String(err.message ?? err) };
      }
      const record = {
        benchmark: benchmark.name,
        description: benchmark.description,
        started,
        seconds: Math.round((Date.now() - started.getTime()) / 100) / 10,
        quick: options.quick,
        machine: { ...machineBefore, loadAverageAfter: machine().loadAverage },
        ...result,
      };
      run.results[benchmark.name] = record;
      const file = path.join(RESULTS_DIR, `${benchmark.name}-${stamp}.json`);
      fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
      console.log(`   results: ${path.relative(process.cwd(), file)} (${record.seconds} s)`);
    }
  } finally {
    const leaveUp = wasRunning || options.keepNetwork;
    if (networkReady && !leaveUp) {
      console.log('\n== stopping the benchmark network (data kept; --keep-network leaves it up)');
      await stopNetwork(bench);
    } else if (!networkReady && wasRunning) {
      console.log('\n== starting the benchmark network again (it was running before)');
      await ensureNetwork(log);
    }
  }
  closeClients();
  run.seconds = Math.round((Date.now() - runStarted.getTime()) / 100) / 10;
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\nbench: ${selected.length} benchmark(s) in ${run.seconds} s; bench/results/latest.json`);
  return Object.values(run.results).some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error('bench: failed:', err);
    process.exitCode = 1;
  },
);
