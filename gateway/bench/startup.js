// Start-up benchmark (issue 7, item 6): `npm start` until every gateway answers /healthz with status ok, on a
// network of its own (network/state-bench/startup, ports +15000, so that it runs beside the benchmark network and
// the integration tests' one), with the Fabric binaries cached: from an empty state (crypto, channel, chaincode
// deployment) and again with the ledger it left (full run only). Without
// cached binaries `npm start` builds Fabric with `go install` of the pinned commit from the Go module proxy: the
// benchmark records what the proxy answers for that commit and what `npm start` does with an empty toolchain
// cache, and (full run, when a vendored Fabric source tree is at FABRIC_SRC_DIR, default /work/fabric-src) times a
// build of the same binaries from that tree with an empty Go build cache, the part of a cold start the proxy
// refusal keeps us from measuring directly.
'use strict';
/* global fetch, AbortSignal */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO_ROOT } = require('./support/bench-network');
const { msSince, sleep } = require('./support/stats');

const STARTUP_STATE = (bench) => path.join(bench.state.root, 'startup');
/** Ports of the start-up benchmark's network: the default ones plus this (tests use +10000, benchmarks +20000). */
const STARTUP_PORT_OFFSET = 15000;

/** The topology with the start-up network's ports (loadTopology reads the offset from the environment). */
function startupTopology(net) {
  const saved = process.env.AGRITRACE_PORT_OFFSET;
  process.env.AGRITRACE_PORT_OFFSET = String(STARTUP_PORT_OFFSET);
  try {
    return net.loadTopology(net.DEFAULT_TOPOLOGY);
  } finally {
    process.env.AGRITRACE_PORT_OFFSET = saved;
  }
}

/** Spawns a command in its own process group; collects its output; resolves {code, ms, output}. */
function runCommand(command, args, env, { timeoutMs = 900_000, onLine } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (d) => {
      output += d.toString();
      if (onLine) for (const line of d.toString().split('\n')) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: msSince(started), output });
    });
  });
}

/** True when every gateway of the topology answers /healthz 200 with status ok. */
async function allGatewaysReady(topology) {
  const answers = await Promise.all(
    topology.peerOrgs.map(async (o) => {
      try {
        const res = await fetch(`http://${topology.host}:${o.gatewayPort}/healthz`, {
          signal: AbortSignal.timeout(2000),
        });
        return res.status === 200 && (await res.json()).status === 'ok';
      } catch {
        return false;
      }
    }),
  );
  return answers.every(Boolean);
}

/**
 * `npm start` with the given environment: ms until every gateway is healthy, and until it printed its URLs;
 * then Ctrl-C (SIGINT to its process group) if it still runs, and `down` for whatever is left, timed. Also
 * records whether `npm start` stayed in the foreground (it should, until Ctrl-C).
 */
async function timeNpmStart(ctx, env, log, down) {
  const topology = ctx.topology;
  const started = process.hrtime.bigint();
  let printedMs = null;
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  const onData = (d) => {
    output += d.toString();
    if (printedMs === null && output.includes('AgriTrace is running')) printedMs = msSince(started);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exit = null;
  const closed = new Promise((resolve) => child.on('close', resolve));
  closed.then((code) => {
    exited = true;
    exit = { code, afterMs: Math.round(msSince(started)) };
  });
  let readyMs = null;
  const deadline = Date.now() + 600_000;
  // The processes it starts run detached: keep watching even if `npm start` itself has returned.
  while (
    Date.now() < deadline &&
    !(exited && exit.code !== 0 && exit.code !== 13 && !output.includes('AgriTrace is running'))
  ) {
    if (await allGatewaysReady(topology)) {
      readyMs = msSince(started);
      break;
    }
    await sleep(200);
  }
  if (readyMs === null) log(`npm start did not become ready; its output ends with:\n${output.slice(-2000)}`);
  const stayedInForeground = !exited;
  const stopStarted = process.hrtime.bigint();
  if (!exited) process.kill(-child.pid, 'SIGINT');
  let timer;
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 120_000)))]);
  clearTimeout(timer); // a pending timer would keep the runner alive for two minutes
  if (!exited) process.kill(-child.pid, 'SIGKILL');
  await down(ctx);
  return {
    readyMs: readyMs && Math.round(readyMs),
    urlsPrintedMs: printedMs && Math.round(printedMs),
    stayedInForeground,
    npmExit: exit,
    error: /^error: (.*)$/m.exec(output)?.[1] ?? null,
    stopMs: Math.round(msSince(stopStarted)),
    steps: [...output.matchAll(/^\[\s*([\d.]+)s\] (.*)$/gm)].map((m) => `${m[1]}s ${m[2]}`),
  };
}

/** What the Go module proxy answers for the pinned Fabric commit (with an empty module cache). */
async function proxyAnswer(commit) {
  const modcache = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-gomod-'));
  try {
    const r = await runCommand(
      'go',
      ['mod', 'download', '-json', `github.com/hyperledger/fabric@${commit}`],
      { ...process.env, GOMODCACHE: modcache, GOFLAGS: '-mod=mod' },
      { timeoutMs: 120_000 },
    );
    let answer;
    try {
      answer = JSON.parse(r.output.slice(r.output.indexOf('{'))).Error;
    } catch {
      answer = r.output.trim().split('\n').slice(-3).join(' ');
    }
    return {
      command: `go mod download -json github.com/hyperledger/fabric@${commit}`,
      ms: Math.round(r.ms),
      ok: r.code === 0,
      answer,
    };
  } finally {
    fs.rmSync(modcache, { recursive: true, force: true });
  }
}

/** The vendored Fabric source tree to time a cold build from, if there is one. */
function fabricSource() {
  const dir = process.env.FABRIC_SRC_DIR || '/work/fabric-src';
  try {
    const mod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
    if (/^module github\.com\/hyperledger\/fabric$/m.test(mod) && fs.existsSync(path.join(dir, 'vendor')))
      return dir;
  } catch {
    /* none */
  }
  return undefined;
}

/**
 * Builds peer, orderer and the tools (Fabric's main module, from its vendor folder) and the ccaas builder (its own
 * module, ccaas_builder/) from `src` with an empty Go build cache; ms and whether it worked.
 */
async function coldBuild(src, tools, builder, log) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-coldbuild-'));
  const build = (cwd, pkgs, mod) =>
    new Promise((resolve) => {
      const env = { ...process.env, GOCACHE: path.join(tmp, 'gocache'), GOFLAGS: mod, CGO_ENABLED: '0' };
      const child = spawn('go', ['build', '-o', path.join(tmp, 'bin') + path.sep, ...pkgs], { cwd, env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d.toString()));
      child.on('close', (code) =>
        resolve({ ok: code === 0, error: code === 0 ? null : stderr.trim().slice(-500) }),
      );
    });
  try {
    log(`building Fabric from ${src} with an empty Go build cache (several minutes)`);
    const started = process.hrtime.bigint();
    const main = await build(
      src,
      tools.map((t) => `./cmd/${t}`),
      '-mod=vendor',
    );
    const ccaas = main.ok
      ? await build(
          path.join(src, 'ccaas_builder'),
          builder.map((t) => `./cmd/${t}`),
          '-mod=mod',
        )
      : { ok: false, error: null };
    return {
      ok: main.ok && ccaas.ok,
      ms: Math.round(msSince(started)),
      binaries: tools.length + builder.length,
      error: main.error ?? ccaas.error,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = {
  name: 'startup',
  description:
    '`npm start` to every gateway healthy: from an empty state and with the ledger kept; without binaries',
  network: false,
  async run({ quick, log, bench }) {
    const { net } = bench;
    const dir = STARTUP_STATE(bench);
    const ctx = { topology: startupTopology(net), state: net.statePaths(dir) };
    const env = {
      ...process.env,
      AGRITRACE_STATE_DIR: dir,
      AGRITRACE_PORT_OFFSET: String(STARTUP_PORT_OFFSET),
    };
    const toolchain = await net.ensureToolchain();
    if (fs.existsSync(dir)) await net.purge(ctx);
    log(
      `npm start from an empty state (${path.relative(REPO_ROOT, dir)}, binaries cached: ${toolchain.binDir})`,
    );
    const down = (c) => net.down(c);
    const fromEmpty = await timeNpmStart(ctx, env, log, down);
    log(`  ready after ${fromEmpty.readyMs} ms (stopped in ${fromEmpty.stopMs} ms)`);
    if (!fromEmpty.stayedInForeground) {
      log(
        `  note: npm start returned by itself (exit ${fromEmpty.npmExit?.code}) instead of waiting for Ctrl-C`,
      );
    }
    let withLedger = null;
    if (!quick) {
      log('npm start again, with the ledger it left');
      withLedger = await timeNpmStart(ctx, env, log, down);
      log(`  ready after ${withLedger.readyMs} ms (stopped in ${withLedger.stopMs} ms)`);
    }
    await net.purge(ctx);

    log('without cached binaries: what the Go module proxy answers for the pinned commit');
    const proxy = await proxyAnswer(net.FABRIC_COMMIT);
    log(`  ${proxy.ok ? 'served' : `refused: ${proxy.answer}`}`);
    const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-nocache-'));
    let noBinaries;
    try {
      const r = await runCommand('node', ['network/bin/agritrace.mjs', 'build-fabric'], {
        ...env,
        AGRITRACE_CACHE_DIR: emptyCache,
        FABRIC_BIN_DIR: '',
      });
      const error = /error: ([\s\S]*?)(\n\n|$)/.exec(r.output)?.[1]?.split('\n').slice(0, 3).join(' ');
      noBinaries = {
        exitCode: r.code,
        ms: Math.round(r.ms),
        error: error ?? r.output.trim().split('\n').slice(-3).join(' '),
      };
    } finally {
      fs.rmSync(emptyCache, { recursive: true, force: true });
    }
    log(
      `  npm start's Fabric build with an empty cache: exit ${noBinaries.exitCode} after ${noBinaries.ms} ms`,
    );
    let build = null;
    const src = fabricSource();
    if (!quick && src) {
      build = {
        source: src,
        ...(await coldBuild(
          src,
          ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen', 'configtxlator'],
          ['detect', 'build', 'release'],
          log,
        )),
      };
      log(
        `  cold build from the vendored tree: ${build.ok ? `${Math.round(build.ms / 1000)} s` : `failed: ${build.error}`}`,
      );
    }
    return {
      command: `npm start (AGRITRACE_STATE_DIR=network/state-bench/startup, AGRITRACE_PORT_OFFSET=${STARTUP_PORT_OFFSET})`,
      readiness: 'every gateway answers GET /healthz 200 with status ok',
      fromEmptyState: fromEmpty,
      withExistingLedger: withLedger,
      withoutBinaries: {
        goModuleProxy: proxy,
        npmStartBuild: noBinaries,
        coldBuildFromVendoredSource: build,
        estimatedReadyMs: build?.ok && fromEmpty.readyMs ? build.ms + fromEmpty.readyMs : null,
      },
    };
  },
};
