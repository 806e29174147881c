// Recording benchmark (issue 7, item 1), measured with Hyperledger Caliper 0.6 (bench/caliper, its own
// package.json): lots:RecordEvent on lots the invoking organisation holds, at increasing offered rates and at a
// fixed load, each round followed by the baseline chaincode's one-key write of the same size in the same run on
// the same network. Reports throughput, median and p95 latency per round, ours/baseline ratios, the knee of each
// series, and where the time went (endorsement, ordering and block cutting, validation, commit, CPU per process).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { REPO_ROOT, benchNetwork } = require('./support/bench-network');

const CALIPER_DIR = path.join(REPO_ROOT, 'bench', 'caliper');
/** Terminal colour codes in Caliper's log lines. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
/** Target of issue 7: our recording throughput at least this share of the baseline's. */
const TARGET_RATIO = 0.8;

/** Bytes under a directory (0 if it is missing). */
function directoryBytes(dir) {
  let total = 0;
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/**
 * The size of the invoking organisation's peer ledger when the run starts: its LevelDB state database and its block
 * files. Validation reads the state database for every key a transaction reads or writes, and those reads get
 * dearer as it outgrows goleveldb's 8 MiB block cache, so runs on ledgers of different sizes are not comparable.
 */
function ledgerSize(invoker) {
  const bench = benchNetwork();
  const org = bench.net.findPeerOrg(bench.topology, invoker);
  const data = path.join(bench.state.ledgers, org.peerId, 'ledgersData');
  return {
    peer: org.peerId,
    stateDatabaseBytes: directoryBytes(path.join(data, 'stateLeveldb')),
    blockFilesBytes: directoryBytes(path.join(data, 'chains')),
  };
}

/** Installs Caliper 0.6 and its bound Fabric SDK in bench/caliper when missing (from its own lockfile). */
function ensureCaliper(log) {
  const cli = path.join(CALIPER_DIR, 'node_modules', '@hyperledger', 'caliper-cli', 'package.json');
  const sdk = path.join(CALIPER_DIR, 'node_modules', '@hyperledger', 'fabric-gateway', 'package.json');
  if (fs.existsSync(cli) && fs.existsSync(sdk)) return;
  log('installing Hyperledger Caliper 0.6.0 in bench/caliper (npm ci; fabric-gateway 1.5.0 bound)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: CALIPER_DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci in bench/caliper failed');
}

/** Runs Caliper's manager; its log goes to <outDir>/caliper.log, round ends are echoed. */
function launchCaliper(args, outDir, log) {
  return new Promise((resolve, reject) => {
    const logFile = fs.openSync(path.join(outDir, 'caliper.log'), 'w');
    const child = spawn('npx', args, { cwd: CALIPER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk) => {
      fs.writeSync(logFile, chunk);
      for (const line of chunk.toString().split('\n')) {
        const m = /Finished round \d+ \(([^)]+)\) in ([\d.]+) seconds/.exec(line);
        if (m) log(`caliper: ${m[1]} done (${Math.round(Number(m[2]))} s)`);
        if (/error/i.test(line) && /\[caliper\]/.test(line) && !/Failed to perform submit/.test(line)) {
          log(`caliper: ${line.replace(ANSI_COLOUR, '').trim().slice(0, 300)}`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      fs.closeSync(logFile);
      if (code === 0) resolve();
      else reject(new Error(`caliper exited with code ${code}; see ${path.join(outDir, 'caliper.log')}`));
    });
  });
}

module.exports = {
  name: 'recording',
  description: 'life-cycle event recording vs a one-key baseline write, Caliper 0.6, stepped offered rate',
  network: true,
  async run({ quick, log, resultsDir, stamp }) {
    ensureCaliper(log);
    const { prepare, INVOKER } = require(path.join(CALIPER_DIR, 'prepare.js'));
    const { readRun } = require(path.join(CALIPER_DIR, 'report.js'));
    const outDir = path.join(resultsDir, 'caliper', stamp);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const prepared = await prepare({ quick, log, outDir });
    const ledger = ledgerSize(INVOKER);
    log(
      `ledger of ${ledger.peer}: state database ${(ledger.stateDatabaseBytes / 2 ** 20).toFixed(1)} MiB, ` +
        `blocks ${(ledger.blockFilesBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    log(
      `plan: ${prepared.plan.rates.join(', ')} TPS offered, then ${prepared.plan.inFlight} in flight; ` +
        `${prepared.plan.seconds} s per round, ${prepared.plan.workers} workers, ${prepared.lots} lots, ` +
        `baseline value ${prepared.eventRecordBytes} bytes`,
    );
    await launchCaliper(prepared.args, outDir, log);
    const run = readRun(outDir);
    for (const p of run.pairs) {
      log(
        `${p.load.padEnd(8)} ours ${p.ours.throughputTps} TPS, median ${p.ours.medianMs} ms, p95 ${p.ours.p95Ms} ms | ` +
          `baseline ${p.baseline.throughputTps} TPS, median ${p.baseline.medianMs} ms, p95 ${p.baseline.p95Ms} ms | ` +
          `ratio ${p.throughputRatio}`,
      );
    }
    const headline = run.headline?.ratio ?? null;
    log(
      `ours/baseline throughput at the knee: ${run.knee.ratio} (ours ${run.knee.ours?.offeredTps ?? '–'} TPS, ` +
        `baseline ${run.knee.baseline?.offeredTps ?? '–'} TPS); peak ${run.peak.ratio}; fixed load ` +
        `${run.capacity?.ratio}; headline (${run.headline?.measure}): ${headline} (target ≥ ${TARGET_RATIO})`,
    );
    return {
      tool: 'Hyperledger Caliper 0.6.0, fabric:fabric-gateway binding (fabric-gateway 1.5.0)',
      command:
        `node bench/caliper/prepare.js${quick ? ' --quick' : ''}, then in bench/caliper: ` +
        `npx ${prepared.args.map((a) => (path.isAbsolute(a) ? path.relative(CALIPER_DIR, a) || '.' : a)).join(' ')}`,
      plan: prepared.plan,
      eventRecordBytes: prepared.eventRecordBytes,
      lots: prepared.lots,
      ledger,
      report: path.relative(REPO_ROOT, path.join(outDir, 'report.html')),
      target: { ratio: TARGET_RATIO, measured: headline, met: headline !== null && headline >= TARGET_RATIO },
      ...run,
    };
  },
};
