/**
 * Additional chaincodes beside the alliance's (a benchmark's baseline contract, say), deployed the same way: as a
 * service, one server per organisation, installed on every peer, approved by every organisation and committed
 * with the alliance's endorsement policy unless told otherwise. Each organisation installs its own package, whose
 * connection.json names its own server's port (the peer's builder still fills in the TLS material), and the
 * deployment is recorded in the state folder so that `down`, `status` and `up` handle its servers too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  approveAndCommit,
  CONNECTION_TEMPLATE,
  ensurePackage,
  installEverywhere,
  packageLabel,
  type ChaincodeDefinition,
} from './lifecycle';
import { detail, step, UserError } from './log';
import { chaincodeProcess } from './nodes';
import type { StatePaths } from './paths';
import { startProcess, type ProcessSpec } from './processes';
import type { Toolchain } from './toolchain';
import { endorsementPolicy, type PeerOrg, type Topology } from './topology';

/** What to deploy: a definition, the Node module that implements it, and where its servers listen. */
export interface AdditionalChaincode {
  name: string;
  version: string;
  sequence: number;
  /** Folder of the chaincode's Node module (package.json `main` exports the contracts); absolute. */
  modulePath: string;
  /** Port of the first organisation's server; the i-th organisation of the topology listens on port + i. */
  port: number;
  /** Signature policy; default the alliance chaincode's (`OutOf(n, every member's peer)`). */
  policy?: string;
}

/** A deployment as recorded in the state folder: enough to restart and stop its servers. */
export interface AdditionalChaincodeRecord {
  name: string;
  version: string;
  sequence: number;
  policy: string;
  modulePath: string;
  port: number;
  /** Package ID installed and approved by each organisation, by organisation key. */
  packageIds: Record<string, string>;
}

/** The file that records every additional chaincode deployed on this network. */
export function additionalChaincodeFile(s: StatePaths): string {
  return path.join(s.chaincode, 'additional.json');
}

/** The recorded deployments (none when the file does not exist). */
export function readAdditionalChaincodes(s: StatePaths): AdditionalChaincodeRecord[] {
  try {
    return JSON.parse(fs.readFileSync(additionalChaincodeFile(s), 'utf8')) as AdditionalChaincodeRecord[];
  } catch {
    return [];
  }
}

function recordDeployment(s: StatePaths, record: AdditionalChaincodeRecord): void {
  const others = readAdditionalChaincodes(s).filter((r) => r.name !== record.name);
  fs.mkdirSync(s.chaincode, { recursive: true });
  fs.writeFileSync(additionalChaincodeFile(s), `${JSON.stringify([...others, record], null, 2)}\n`);
}

/** The port organisation `org`'s server of a chaincode listens on. */
export function serverPort(t: Topology, cc: Pick<AdditionalChaincode, 'port'>, org: PeerOrg): number {
  return cc.port + t.peerOrgs.indexOf(org);
}

/** Refuses a definition whose name is the alliance chaincode's, or whose ports collide with the topology's. */
export function checkAdditionalChaincode(t: Topology, cc: AdditionalChaincode): void {
  if (cc.name === t.chaincode.name) {
    throw new UserError(
      `chaincode ${cc.name} is the alliance chaincode; give the additional one another name`,
    );
  }
  if (!path.isAbsolute(cc.modulePath)) {
    throw new UserError(`modulePath of chaincode ${cc.name} must be absolute, got ${cc.modulePath}`);
  }
  const taken = new Map<number, string>();
  for (const n of t.orderers) {
    for (const [label, port] of [
      ['', n.port],
      [' admin', n.adminPort],
      [' operations', n.opsPort],
    ] as const) {
      taken.set(port, `${n.id}${label}`);
    }
  }
  for (const o of t.peerOrgs) {
    taken.set(o.peer.port, o.peerId);
    taken.set(o.peer.chaincodePort, `${o.peerId} chaincode`);
    taken.set(o.peer.opsPort, `${o.peerId} operations`);
    taken.set(o.chaincodeServerPort, `ccaas.${o.key}`);
    taken.set(o.gatewayPort, `gateway.${o.key}`);
  }
  for (const org of t.peerOrgs) {
    const port = serverPort(t, cc, org);
    const user = taken.get(port);
    if (port < 1024 || port > 65535 || user) {
      throw new UserError(
        `chaincode ${cc.name}: port ${port} for ${org.key} is ${user ? `used by ${user}` : 'out of range'}; ` +
          `choose another first port (${t.peerOrgs.length} consecutive ports are needed)`,
      );
    }
  }
}

/** The connection.json of one organisation's package: its own server's address, TLS filled in by the builder. */
export function additionalConnection(t: Topology, cc: Pick<AdditionalChaincode, 'port'>, org: PeerOrg) {
  return { ...CONNECTION_TEMPLATE, address: `${t.host}:${serverPort(t, cc, org)}` };
}

/** The process specs of a recorded deployment's servers, one per organisation. */
export function additionalChaincodeSpecs(
  t: Topology,
  s: StatePaths,
  record: AdditionalChaincodeRecord,
): ProcessSpec[] {
  return t.peerOrgs
    .filter((org) => record.packageIds[org.key])
    .map((org) =>
      chaincodeProcess(t, s, org, record.packageIds[org.key]!, {
        name: `ccaas-${record.name}.${org.key}`,
        modulePath: record.modulePath,
        port: serverPort(t, record, org),
      }),
    );
}

/** The process specs of every additional chaincode deployed on this network. */
export function allAdditionalChaincodeSpecs(t: Topology, s: StatePaths): ProcessSpec[] {
  return readAdditionalChaincodes(s).flatMap((record) => additionalChaincodeSpecs(t, s, record));
}

/**
 * Deploys an additional chaincode on a running network and starts its servers: packages (one per organisation),
 * installs, records the deployment, starts the servers, approves and commits. Idempotent: what is done already is
 * skipped. The module must be built (its package.json `main` must exist).
 */
export async function deployAdditionalChaincode(
  t: Topology,
  s: StatePaths,
  tc: Toolchain,
  cc: AdditionalChaincode,
): Promise<AdditionalChaincodeRecord> {
  checkAdditionalChaincode(t, cc);
  const main = (
    JSON.parse(fs.readFileSync(path.join(cc.modulePath, 'package.json'), 'utf8')) as { main?: string }
  ).main;
  if (!main || !fs.existsSync(path.join(cc.modulePath, main))) {
    throw new UserError(
      `chaincode ${cc.name}: ${path.join(cc.modulePath, main ?? '(no main)')} is missing; build it`,
    );
  }
  const definition: ChaincodeDefinition = {
    name: cc.name,
    version: cc.version,
    sequence: cc.sequence,
    policy: cc.policy ?? endorsementPolicy(t),
  };
  step(`deploying additional chaincode ${cc.name} ${cc.version} from ${cc.modulePath}`);
  const label = packageLabel(definition);
  const packages = new Map(
    await Promise.all(
      t.peerOrgs.map(
        async (org) =>
          [
            org.key,
            await ensurePackage(t, s, tc, {
              label,
              connection: additionalConnection(t, cc, org),
              fileName: `${label}.${org.key}.tgz`,
            }),
          ] as const,
      ),
    ),
  );
  const pkgOf = (org: PeerOrg) => packages.get(org.key)!;
  await installEverywhere(t, s, tc, pkgOf);
  const record: AdditionalChaincodeRecord = {
    ...definition,
    modulePath: cc.modulePath,
    port: cc.port,
    packageIds: Object.fromEntries(t.peerOrgs.map((o) => [o.key, pkgOf(o).id])),
  };
  recordDeployment(s, record);
  await Promise.all(
    additionalChaincodeSpecs(t, s, record).map(async (spec) => {
      if (await startProcess(s, spec)) detail(`${spec.name} up on port ${spec.ports[0]!.port}`);
    }),
  );
  await approveAndCommit(t, s, tc, (org) => pkgOf(org).id, definition);
  return record;
}
