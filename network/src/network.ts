/** The network's commands: up, down, purge, status, and the gateways that `npm start` adds. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allAdditionalChaincodeSpecs,
  deployAdditionalChaincode,
  type AdditionalChaincode,
  type AdditionalChaincodeRecord,
} from './additional-chaincode';
import { announceChannel, joinOrderers, joinPeers, peerHeight, waitUntilServing } from './channel';
import { generate, writeGatewayConfigs } from './generate';
import { approveAndCommit, bootstrapAlliance, ensurePackage, installEverywhere } from './lifecycle';
import { detail, step, UserError } from './log';
import { chaincodeProcess, gatewayProcess, ordererProcess, peerProcess } from './nodes';
import { REPO_ROOT, type StatePaths } from './paths';
import { portOpen, runningPid, startProcess, stopProcess, type ProcessSpec } from './processes';
import { ensureToolchain, type Toolchain } from './toolchain';
import type { Topology } from './topology';

/** What every command works on. */
export interface NetworkContext {
  topology: Topology;
  state: StatePaths;
}

function packageIdFile(s: StatePaths): string {
  return path.join(s.chaincode, 'package-id');
}

async function startAll(s: StatePaths, specs: ProcessSpec[], timeoutMs?: number): Promise<void> {
  await Promise.all(
    specs.map(async (spec) => {
      if (await startProcess(s, spec, timeoutMs)) detail(`${spec.name} up on port ${spec.ports[0]!.port}`);
    }),
  );
}

/**
 * The chaincode server specs: the alliance chaincode's (once packaged: they need the package ID) and those of
 * every additional chaincode deployed on this network.
 */
function chaincodeSpecs(ctx: NetworkContext): ProcessSpec[] {
  const additional = allAdditionalChaincodeSpecs(ctx.topology, ctx.state);
  let id: string;
  try {
    id = fs.readFileSync(packageIdFile(ctx.state), 'utf8').trim();
  } catch {
    return additional;
  }
  return [
    ...ctx.topology.peerOrgs.map((o) => chaincodeProcess(ctx.topology, ctx.state, o, id)),
    ...additional,
  ];
}

function assertBuilt(file: string): void {
  if (!fs.existsSync(path.join(REPO_ROOT, file))) {
    throw new UserError(`${file} is missing: run \`npm run build\` (npm start and npm test do it for you)`);
  }
}

/** Brings the network up: toolchain, crypto, orderers, channel, peers, chaincode. Idempotent. */
export async function up(ctx: NetworkContext): Promise<Toolchain> {
  const { topology: t, state: s } = ctx;
  assertBuilt('chaincode/dist/index.js');
  const tc = await ensureToolchain();
  step(`Fabric toolchain: ${tc.binDir} (${tc.origin})`);
  await generate(t, s, tc);
  writeGatewayConfigs(t, s);
  announceChannel(t);
  step('starting orderers');
  await startAll(
    s,
    t.orderers.map((n) => ordererProcess(t, s, tc, n)),
  );
  await joinOrderers(t, s, tc);
  step('starting peers');
  await startAll(
    s,
    t.peerOrgs.map((o) => peerProcess(t, s, tc, o)),
  );
  await joinPeers(t, s, tc);
  step(`deploying chaincode ${t.chaincode.name} as a service`);
  const pkg = await ensurePackage(t, s, tc);
  fs.writeFileSync(packageIdFile(s), pkg.id);
  await installEverywhere(t, s, tc, pkg);
  step('starting chaincode servers');
  await startAll(s, chaincodeSpecs(ctx));
  await approveAndCommit(t, s, tc, pkg.id);
  await waitUntilServing(t);
  await bootstrapAlliance(t, s, tc);
  step('network is up');
  return tc;
}

/**
 * Deploys an additional chaincode (a benchmark baseline, say) on the running network as a service beside the
 * alliance's, and starts its servers; `up`, `down` and `status` handle them from then on.
 */
export async function deployChaincode(
  ctx: NetworkContext,
  cc: AdditionalChaincode,
): Promise<AdditionalChaincodeRecord> {
  return deployAdditionalChaincode(ctx.topology, ctx.state, await ensureToolchain(), cc);
}

/** Starts one REST gateway per member organisation. */
export async function startGateways(ctx: NetworkContext): Promise<void> {
  const { topology: t, state: s } = ctx;
  assertBuilt('gateway/dist/start.js');
  step('starting gateways');
  await startAll(
    s,
    t.peerOrgs.map((o) => gatewayProcess(t, s, o)),
    60000,
  );
}

/** Stops the gateways only (the network stays up). */
export async function stopGateways(ctx: NetworkContext): Promise<void> {
  const { topology: t, state: s } = ctx;
  await Promise.all(t.peerOrgs.map((o) => stopProcess(s, gatewayProcess(t, s, o))));
}

/**
 * Stops every process (gateways first, orderers last); keeps all data. `quietIfNone` leaves out "nothing was
 * running" (after a running `npm start` stopped them itself). Returns how many were running.
 */
export async function down(ctx: NetworkContext, options: { quietIfNone?: boolean } = {}): Promise<number> {
  const specs = allSpecsForStop(ctx).reverse();
  const stopped: string[] = [];
  for (const kind of ['gateway', 'chaincode', 'peer', 'orderer'] as const) {
    await Promise.all(
      specs
        .filter((p) => p.kind === kind)
        .map(async (p) => {
          if (await stopProcess(ctx.state, p)) stopped.push(p.name);
        }),
    );
  }
  if (stopped.length) step(`stopped ${stopped.length} processes; data kept in ${ctx.state.root}`);
  else if (!options.quietIfNone) step('nothing was running');
  return stopped.length;
}

/** Specs for stopping: works without a toolchain (the binary paths only need to match by name). */
function allSpecsForStop(ctx: NetworkContext): ProcessSpec[] {
  const fake: Toolchain = { binDir: '/nonexistent', configDir: '', builderDir: '', origin: '' };
  const { topology: t, state: s } = ctx;
  return [
    ...t.orderers.map((n) => ordererProcess(t, s, fake, n)),
    ...peerSpecsForStop(ctx, fake),
    ...chaincodeSpecs(ctx),
    ...t.peerOrgs.map((o) => gatewayProcess(t, s, o)),
  ];
}

function peerSpecsForStop(ctx: NetworkContext, fake: Toolchain): ProcessSpec[] {
  // peerProcess reads TLS material for its environment; stopping needs only the name and command.
  return ctx.topology.peerOrgs.map((o) => ({
    name: o.peerId,
    kind: 'peer' as const,
    command: path.join(fake.binDir, 'peer'),
    args: ['node', 'start'],
    env: {},
    ports: [{ label: 'peer', port: o.peer.port }],
    ready: async () => true,
  }));
}

/** Stops everything and deletes all generated state (crypto, ledgers, logs, credentials). */
export async function purge(ctx: NetworkContext): Promise<void> {
  await down(ctx);
  fs.rmSync(ctx.state.root, { recursive: true, force: true });
  step(`removed ${ctx.state.root}`);
}

/** One row of `network:status`. */
export interface StatusRow {
  name: string;
  kind: string;
  port: number;
  up: boolean;
  pid?: number;
  blockHeight?: number;
}

/** Every process with its port, whether it is up, and each peer's block height. */
export async function status(ctx: NetworkContext): Promise<StatusRow[]> {
  const { topology: t } = ctx;
  const rows = await Promise.all(
    allSpecsForStop(ctx).map(async (p): Promise<StatusRow> => {
      const port = p.ports[0]!.port;
      const pid = runningPid(ctx.state, p);
      const up = (await portOpen(port, t.host)) && pid !== undefined;
      const row: StatusRow = { name: p.name, kind: p.kind, port, up, pid };
      if (p.kind === 'peer' && up) {
        const org = t.peerOrgs.find((o) => o.peerId === p.name)!;
        row.blockHeight = await peerHeight(t, org);
      }
      return row;
    }),
  );
  return rows;
}
