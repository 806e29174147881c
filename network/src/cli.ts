/** The `agritrace` command behind the root npm scripts. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { step, UserError } from './log';
import { down, purge, startGateways, status, up, type NetworkContext } from './network';
import { DEFAULT_TOPOLOGY, REPO_ROOT, statePaths } from './paths';
import { runningPid } from './processes';
import { ensureToolchain, FABRIC_COMMIT, FABRIC_VERSION } from './toolchain';
import { loadTopology, TopologyError } from './topology';

const HELP = `agritrace: build, start and govern the local AgriTrace alliance network

Usage: node network/bin/agritrace.mjs <command> [options]   (or the npm script in brackets)

Commands:
  start          everything: network, chaincode servers, one gateway per member; prints the URLs and
                 stays in the foreground; Ctrl-C stops it all, data kept          [npm start]
  stop           stops everything a \`start\` or \`up\` started                       [npm stop]
  up             orderers, channel, peers, chaincode (idempotent; reuses ledgers) [npm run network:up]
  down           stops every process, keeps all data                             [npm run network:down]
  purge          stops everything and deletes all generated state                [npm run network:purge]
  status         every process with its port, up or down, and peer block heights [npm run network:status]
  build-fabric   builds Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT.slice(0, 12)}) into the cache if missing  [npm run fabric:build]
  test           lint, unit tests, then integration tests on the live network   [npm test]

Options:
  --topology <file>   topology file (default network/topology.json)
  --json              status as JSON
  --rebuild           build-fabric: rebuild even if the cache is complete
  -h, --help          this text

Environment:
  AGRITRACE_STATE_DIR   generated state (default network/state)
  AGRITRACE_PORT_OFFSET added to every port of the topology (to run a second network)
  AGRITRACE_CACHE_DIR   toolchain cache (default ~/.cache/agritrace)
  FABRIC_BIN_DIR        use Fabric binaries from this folder instead of building them
  FABRIC_LOGGING_SPEC   log level of peers and orderers (default INFO)
  CORE_CHAINCODE_LOGGING_LEVEL  log level of the chaincode servers' Fabric libraries (default WARNING)
  AGRITRACE_PEER_PPROF  1 = each peer serves Go's pprof on its operations port + 1000
`;

interface Args {
  command: string;
  topology: string;
  json: boolean;
  rebuild: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { command: 'help', topology: DEFAULT_TOPOLOGY, json: false, rebuild: false };
  const rest = [...argv];
  let commandSeen = false;
  while (rest.length) {
    const a = rest.shift()!;
    if (a === '-h' || a === '--help') args.command = 'help';
    else if (a === '--json') args.json = true;
    else if (a === '--rebuild') args.rebuild = true;
    else if (a === '--topology') {
      const v = rest.shift();
      if (!v) throw new UserError('--topology needs a file');
      args.topology = v;
    } else if (a.startsWith('-')) throw new UserError(`unknown option ${a}; see --help`);
    else if (!commandSeen) {
      args.command = a;
      commandSeen = true;
    } else throw new UserError(`unexpected argument ${a}; see --help`);
  }
  return args;
}

function context(args: Args): NetworkContext {
  return { topology: loadTopology(args.topology), state: statePaths() };
}

function supervisorPidFile(ctx: NetworkContext): string {
  return path.join(ctx.state.pids, 'supervisor.pid');
}

function printStatus(rows: Awaited<ReturnType<typeof status>>): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'PROCESS'.padEnd(w)}  KIND       PORT   STATE  PID      BLOCK HEIGHT`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(w)}  ${r.kind.padEnd(9)}  ${String(r.port).padEnd(5)}  ${(r.up ? 'up' : 'down').padEnd(5)}  ` +
        `${String(r.pid ?? '-').padEnd(7)}  ${r.blockHeight ?? (r.kind === 'peer' ? '-' : '')}`,
    );
  }
}

function printUrls(ctx: NetworkContext): void {
  let tokens: Record<string, string> = {};
  try {
    tokens = JSON.parse(fs.readFileSync(ctx.state.credentials, 'utf8')) as Record<string, string>;
  } catch {
    /* printed below as missing */
  }
  console.log('\nAgriTrace is running. Gateways (REST API, one per member organisation):');
  for (const o of ctx.topology.peerOrgs) {
    console.log(
      `  ${o.name.padEnd(58)} http://${ctx.topology.host}:${o.gatewayPort}  (${o.mspId}, ${o.role})`,
    );
  }
  console.log(
    `\nHealth:       curl http://${ctx.topology.host}:${ctx.topology.peerOrgs[0]!.gatewayPort}/healthz`,
  );
  console.log(`API tokens:   ${ctx.state.credentials} (${Object.keys(tokens).length} organisations)`);
  console.log(`Logs:         ${ctx.state.logs}`);
  console.log('Stop:         Ctrl-C here, or `npm stop` from another terminal\n');
}

async function start(ctx: NetworkContext): Promise<void> {
  const pidFile = supervisorPidFile(ctx);
  const existing = runningPid(ctx.state, { name: 'supervisor', command: process.execPath, args: [] });
  if (existing && existing !== process.pid) {
    throw new UserError(
      `AgriTrace is already running in the foreground (pid ${existing}); use \`npm stop\` first`,
    );
  }
  await up(ctx);
  await startGateways(ctx);
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, String(process.pid));
  printUrls(ctx);
  // Stay in the foreground (the processes are detached) and say when one of them stops.
  const reported = new Set<string>();
  const watch = setInterval(() => {
    void status(ctx).then((rows) => {
      for (const r of rows.filter((row) => !row.up && !reported.has(row.name))) {
        reported.add(r.name);
        step(`${r.name} is down; see ${path.join(ctx.state.logs, `${r.name}.log`)}`);
      }
    });
  }, 10_000);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(watch);
      step(`${signal}: stopping AgriTrace`);
      await down(ctx);
      fs.rmSync(pidFile, { force: true });
      resolve();
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });
}

async function stop(ctx: NetworkContext): Promise<void> {
  const pidFile = supervisorPidFile(ctx);
  const pid = runningPid(ctx.state, { name: 'supervisor', command: process.execPath, args: [] });
  if (pid) {
    process.kill(pid, 'SIGTERM');
    step(`asked the running \`npm start\` (pid ${pid}) to stop`);
    const deadline = Date.now() + 60000;
    while (fs.existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (!fs.existsSync(pidFile)) step(`it stopped every process; data kept in ${ctx.state.root}`);
  }
  // Whatever is still running (the supervisor timed out, or processes were started by `up` alone).
  await down(ctx, { quietIfNone: pid !== undefined });
}

function sh(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: REPO_ROOT });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function test(): Promise<number> {
  const npx = 'npx';
  step('lint: eslint and prettier');
  if ((await sh(npx, ['eslint', '.'])) !== 0) return 1;
  if ((await sh(npx, ['prettier', '--check', '.'])) !== 0) return 1;
  step('unit tests: chaincode, gateway, network');
  if ((await sh(npx, ['jest', '--selectProjects', 'chaincode', 'gateway', 'network'])) !== 0) return 1;
  step('integration tests on the live network (started if not running, stopped after)');
  return sh(npx, ['jest', '--selectProjects', 'integration', '--runInBand']);
}

/** Runs one command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'help':
        console.log(HELP);
        return 0;
      case 'build-fabric': {
        const tc = await ensureToolchain({ rebuild: args.rebuild });
        step(`Fabric ${FABRIC_VERSION} binaries: ${tc.binDir} (${tc.origin})`);
        return 0;
      }
      case 'up':
        await up(context(args));
        return 0;
      case 'down':
        await down(context(args));
        return 0;
      case 'purge':
        await purge(context(args));
        return 0;
      case 'status': {
        const rows = await status(context(args));
        if (args.json) console.log(JSON.stringify(rows, null, 2));
        else printStatus(rows);
        return 0;
      }
      case 'start':
        await start(context(args));
        return 0;
      case 'stop':
        await stop(context(args));
        return 0;
      case 'test':
        return await test();
      default:
        throw new UserError(`unknown command "${args.command}"; see --help`);
    }
  } catch (e) {
    if (e instanceof UserError || e instanceof TopologyError) {
      console.error(`\nerror: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}
