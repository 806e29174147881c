/**
 * The alliance topology: one JSON file describes every organisation, node and port, and everything else
 * (crypto, channel configuration, the process list, gateway configs) is derived from it here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Roles a member organisation can hold in the alliance. */
export const MEMBER_ROLES = [
  'regulator',
  'inspector',
  'producer',
  'processor',
  'logistics',
  'retailer',
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** An ordering node as written in the topology file. */
export interface OrdererSpec {
  name: string;
  port: number;
  adminPort: number;
  opsPort: number;
}

/** An organisation that runs ordering nodes (the ministries). */
export interface OrdererOrgSpec {
  key: string;
  name: string;
  mspId: string;
  orderers: OrdererSpec[];
}

/** A member organisation with one peer, one chaincode server and one gateway. */
export interface PeerOrgSpec {
  key: string;
  name: string;
  mspId: string;
  role: MemberRole;
  region: string;
  businessLicence: string;
  foodProductionLicence?: string;
  peer: { port: number; chaincodePort: number; opsPort: number };
  chaincodeServerPort: number;
  gatewayPort: number;
}

/** The whole topology file. */
export interface TopologySpec {
  name: string;
  domain: string;
  host: string;
  channel: string;
  chaincode: { name: string; version: string; sequence: number; endorsement: { outOf: number } };
  ordererOrgs: OrdererOrgSpec[];
  peerOrgs: PeerOrgSpec[];
}

/** An ordering node with every derived name and address. */
export interface OrdererNode extends OrdererSpec {
  /** Process name, e.g. `orderer0.mofcom-os`. */
  id: string;
  org: OrdererOrg;
  /** TLS host name, e.g. `orderer0.mofcom-os.alliance.local`. */
  hostname: string;
  endpoint: string;
}

/** An orderer organisation with derived names. */
export interface OrdererOrg extends Omit<OrdererOrgSpec, 'orderers'> {
  domain: string;
  nodes: OrdererNode[];
}

/** A peer organisation with derived names and addresses. */
export interface PeerOrg extends PeerOrgSpec {
  domain: string;
  peerId: string;
  peerHostname: string;
  peerEndpoint: string;
  chaincodeServerHostname: string;
  chaincodeServerEndpoint: string;
}

/** The validated topology with everything derived. */
export interface Topology {
  spec: TopologySpec;
  file: string;
  name: string;
  host: string;
  channel: string;
  chaincode: TopologySpec['chaincode'];
  ordererOrgs: OrdererOrg[];
  orderers: OrdererNode[];
  peerOrgs: PeerOrg[];
}

/** Raised when the topology file is missing or wrong; the message names the field. */
export class TopologyError extends Error {}

const KEY_RE = /^[a-z][a-z0-9-]{0,30}$/;
const MSP_RE = /^[A-Za-z][A-Za-z0-9]{0,62}MSP$/;
const CHANNEL_RE = /^[a-z][a-z0-9.-]{0,248}$/;
const CC_NAME_RE = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;

function fail(file: string, where: string, what: string): never {
  throw new TopologyError(`${file}: ${where}: ${what}`);
}

function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1024 && n <= 65535;
}

function requireString(file: string, where: string, v: unknown, re?: RegExp, hint?: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(file, where, 'must be a non-empty string');
  if (re && !re.test(v)) fail(file, where, `"${v}" is not valid${hint ? ` (${hint})` : ''}`);
  return v;
}

function requirePort(file: string, where: string, v: unknown, used: Map<number, string>): number {
  if (!isPort(v)) fail(file, where, `must be a port number between 1024 and 65535, got ${JSON.stringify(v)}`);
  const other = used.get(v);
  if (other) fail(file, where, `port ${v} is already used by ${other}`);
  used.set(v, where);
  return v;
}

/** Checks a parsed topology file and throws a TopologyError naming the first wrong value. */
export function validateTopology(raw: unknown, file = 'topology.json'): TopologySpec {
  if (!raw || typeof raw !== 'object') fail(file, '(root)', 'must be a JSON object');
  const t = raw as Record<string, unknown>;
  const ports = new Map<number, string>();
  const keys = new Set<string>();
  const msps = new Set<string>();
  requireString(file, 'name', t.name, KEY_RE, 'lower-case letters, digits and dashes');
  requireString(file, 'domain', t.domain, /^[a-z0-9.-]+$/, 'a DNS domain');
  requireString(file, 'host', t.host, /^127\.\d+\.\d+\.\d+$/, 'a loopback IPv4 address');
  requireString(file, 'channel', t.channel, CHANNEL_RE, 'lower-case channel name');
  const cc = t.chaincode as Record<string, unknown> | undefined;
  if (!cc || typeof cc !== 'object') fail(file, 'chaincode', 'is required');
  requireString(file, 'chaincode.name', cc.name, CC_NAME_RE, 'letters, digits, - and _');
  requireString(file, 'chaincode.version', cc.version);
  if (!Number.isInteger(cc.sequence) || (cc.sequence as number) < 1) {
    fail(file, 'chaincode.sequence', 'must be an integer >= 1');
  }
  const outOf = (cc.endorsement as Record<string, unknown> | undefined)?.outOf;
  const uniqueName = (where: string, key: string, msp: string) => {
    if (keys.has(key)) fail(file, where, `key "${key}" is used twice`);
    if (msps.has(msp)) fail(file, where, `mspId "${msp}" is used twice`);
    keys.add(key);
    msps.add(msp);
  };
  if (!Array.isArray(t.ordererOrgs) || t.ordererOrgs.length === 0) {
    fail(file, 'ordererOrgs', 'must list at least one ordering organisation');
  }
  let ordererCount = 0;
  t.ordererOrgs.forEach((o: Record<string, unknown>, i: number) => {
    const where = `ordererOrgs[${i}]`;
    const key = requireString(file, `${where}.key`, o.key, KEY_RE, 'lower-case letters, digits and dashes');
    requireString(file, `${where}.name`, o.name);
    const msp = requireString(file, `${where}.mspId`, o.mspId, MSP_RE, 'letters and digits ending in MSP');
    uniqueName(where, key, msp);
    if (!Array.isArray(o.orderers) || o.orderers.length === 0)
      fail(file, `${where}.orderers`, 'must not be empty');
    const names = new Set<string>();
    o.orderers.forEach((n: Record<string, unknown>, j: number) => {
      const w = `${where}.orderers[${j}]`;
      const name = requireString(file, `${w}.name`, n.name, KEY_RE);
      if (names.has(name)) fail(file, `${w}.name`, `"${name}" is used twice`);
      names.add(name);
      requirePort(file, `${w}.port`, n.port, ports);
      requirePort(file, `${w}.adminPort`, n.adminPort, ports);
      requirePort(file, `${w}.opsPort`, n.opsPort, ports);
      ordererCount++;
    });
  });
  if (ordererCount % 2 === 0)
    fail(file, 'ordererOrgs', `Raft needs an odd number of orderers, found ${ordererCount}`);
  if (!Array.isArray(t.peerOrgs) || t.peerOrgs.length < 2) {
    fail(file, 'peerOrgs', 'must list at least two member organisations');
  }
  t.peerOrgs.forEach((o: Record<string, unknown>, i: number) => {
    const where = `peerOrgs[${i}]`;
    const key = requireString(file, `${where}.key`, o.key, KEY_RE, 'lower-case letters, digits and dashes');
    requireString(file, `${where}.name`, o.name);
    const msp = requireString(file, `${where}.mspId`, o.mspId, MSP_RE, 'letters and digits ending in MSP');
    uniqueName(where, key, msp);
    if (!MEMBER_ROLES.includes(o.role as MemberRole)) {
      fail(file, `${where}.role`, `must be one of ${MEMBER_ROLES.join(', ')}`);
    }
    requireString(file, `${where}.region`, o.region, /^\d{6}$/, 'a 6-digit GB/T 2260 region code');
    requireString(file, `${where}.businessLicence`, o.businessLicence, /^[0-9A-Z]{18}$/, '18-character code');
    if (o.foodProductionLicence !== undefined) {
      requireString(
        file,
        `${where}.foodProductionLicence`,
        o.foodProductionLicence,
        /^SC\d{14}$/,
        'SC + 14 digits',
      );
    }
    const peer = o.peer as Record<string, unknown> | undefined;
    if (!peer || typeof peer !== 'object') fail(file, `${where}.peer`, 'is required');
    requirePort(file, `${where}.peer.port`, peer.port, ports);
    requirePort(file, `${where}.peer.chaincodePort`, peer.chaincodePort, ports);
    requirePort(file, `${where}.peer.opsPort`, peer.opsPort, ports);
    requirePort(file, `${where}.chaincodeServerPort`, o.chaincodeServerPort, ports);
    requirePort(file, `${where}.gatewayPort`, o.gatewayPort, ports);
  });
  if (!t.peerOrgs.some((o: Record<string, unknown>) => o.role === 'regulator')) {
    fail(file, 'peerOrgs', 'at least one organisation must have the role "regulator"');
  }
  if (!Number.isInteger(outOf) || (outOf as number) < 2 || (outOf as number) > t.peerOrgs.length) {
    fail(
      file,
      'chaincode.endorsement.outOf',
      `must be an integer from 2 to ${t.peerOrgs.length} so that no single member can write alone`,
    );
  }
  return raw as TopologySpec;
}

/** Derives names, host names and endpoints for every node of a validated topology. */
export function deriveTopology(spec: TopologySpec, file: string): Topology {
  const host = spec.host;
  const ordererOrgs: OrdererOrg[] = spec.ordererOrgs.map((o) => {
    const domain = `${o.key}.${spec.domain}`;
    const org: OrdererOrg = { key: o.key, name: o.name, mspId: o.mspId, domain, nodes: [] };
    org.nodes = o.orderers.map((n) => ({
      ...n,
      id: `${n.name}.${o.key}`,
      org,
      hostname: `${n.name}.${domain}`,
      endpoint: `${host}:${n.port}`,
    }));
    return org;
  });
  const peerOrgs: PeerOrg[] = spec.peerOrgs.map((o) => {
    const domain = `${o.key}.${spec.domain}`;
    return {
      ...o,
      domain,
      peerId: `peer0.${o.key}`,
      peerHostname: `peer0.${domain}`,
      peerEndpoint: `${host}:${o.peer.port}`,
      chaincodeServerHostname: `ccaas.${domain}`,
      chaincodeServerEndpoint: `${host}:${o.chaincodeServerPort}`,
    };
  });
  return {
    spec,
    file,
    name: spec.name,
    host,
    channel: spec.channel,
    chaincode: spec.chaincode,
    ordererOrgs,
    orderers: ordererOrgs.flatMap((o) => o.nodes),
    peerOrgs,
  };
}

/** Moves every port of a topology by an offset, so a second network (the tests') can run beside the first. */
export function offsetPorts(spec: TopologySpec, offset: number): TopologySpec {
  if (!offset) return spec;
  const copy = JSON.parse(JSON.stringify(spec)) as TopologySpec;
  for (const o of copy.ordererOrgs) {
    for (const n of o.orderers) {
      n.port += offset;
      n.adminPort += offset;
      n.opsPort += offset;
    }
  }
  for (const o of copy.peerOrgs) {
    o.peer.port += offset;
    o.peer.chaincodePort += offset;
    o.peer.opsPort += offset;
    o.chaincodeServerPort += offset;
    o.gatewayPort += offset;
  }
  return copy;
}

/** The port offset from AGRITRACE_PORT_OFFSET (0 when unset). */
export function portOffsetFromEnv(): number {
  const raw = process.env.AGRITRACE_PORT_OFFSET;
  if (!raw) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 50000) {
    throw new TopologyError(`AGRITRACE_PORT_OFFSET must be an integer from 0 to 50000, got "${raw}"`);
  }
  return n;
}

/** Reads, validates and derives the topology file (ports moved by AGRITRACE_PORT_OFFSET, if set). */
export function loadTopology(file: string): Topology {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    throw new TopologyError(`topology file not found: ${abs}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TopologyError(`${abs}: not valid JSON: ${(e as Error).message}`);
  }
  const offset = portOffsetFromEnv();
  const spec = offsetPorts(validateTopology(raw, abs), offset);
  return deriveTopology(offset ? validateTopology(spec, `${abs} (ports +${offset})`) : spec, abs);
}

/** The chaincode endorsement policy: any `outOf` distinct member peers must endorse. */
export function endorsementPolicy(t: Topology): string {
  const members = t.peerOrgs.map((o) => `'${o.mspId}.peer'`).join(', ');
  return `OutOf(${t.chaincode.endorsement.outOf}, ${members})`;
}

/** Finds a peer organisation by key or MSP ID, with a message listing the known ones. */
export function findPeerOrg(t: Topology, keyOrMsp: string): PeerOrg {
  const org = t.peerOrgs.find((o) => o.key === keyOrMsp || o.mspId === keyOrMsp);
  if (!org) {
    throw new TopologyError(
      `unknown organisation "${keyOrMsp}"; known: ${t.peerOrgs.map((o) => o.key).join(', ')}`,
    );
  }
  return org;
}
