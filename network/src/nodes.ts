/**
 * The process list: how each orderer, peer, chaincode server and gateway is started, every path and port an
 * explicit environment override (Fabric's sample config would otherwise resolve paths inside its own folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ordererLayout, ordererOrgLayout, peerOrgLayout } from './layout';
import { REPO_ROOT, type StatePaths } from './paths';
import { healthzReady, portOpen, type ProcessSpec } from './processes';
import type { Toolchain } from './toolchain';
import type { OrdererNode, PeerOrg, Topology } from './topology';

const LOGGING = process.env.FABRIC_LOGGING_SPEC || 'INFO';
/**
 * Log level of the Fabric libraries in the chaincode servers. At INFO fabric-shim writes a line for every
 * transaction ("Calling chaincode Invoke() succeeded"), about 7 % of a chaincode server's CPU, saying nothing the
 * peer's block log does not; warnings and errors are still written.
 */
const CHAINCODE_LOGGING = process.env.CORE_CHAINCODE_LOGGING_LEVEL || 'WARNING';

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...extra };
}

/** Distance from a peer's operations port to its Go profiling (pprof) port when AGRITRACE_PEER_PPROF=1. */
export const PEER_PPROF_PORT_DISTANCE = 1000;

/** Go's pprof server on each peer, for profiling the peers (benchmarks); off unless AGRITRACE_PEER_PPROF=1. */
function peerProfilingEnv(t: Topology, org: PeerOrg): NodeJS.ProcessEnv {
  if (process.env.AGRITRACE_PEER_PPROF !== '1') return {};
  return {
    CORE_PEER_PROFILE_ENABLED: 'true',
    CORE_PEER_PROFILE_LISTENADDRESS: `${t.host}:${org.peer.opsPort + PEER_PPROF_PORT_DISTANCE}`,
  };
}

/** How one ordering node runs. */
export function ordererProcess(t: Topology, s: StatePaths, tc: Toolchain, n: OrdererNode): ProcessSpec {
  const l = ordererLayout(s, n);
  const adminTlsCas = t.ordererOrgs.map((o) => ordererOrgLayout(s, o).tlsCa);
  return {
    name: n.id,
    kind: 'orderer',
    command: path.join(tc.binDir, 'orderer'),
    args: [],
    ports: [
      { label: 'orderer', port: n.port },
      { label: 'admin', port: n.adminPort },
      { label: 'operations', port: n.opsPort },
    ],
    // The operations endpoint answers before the admin (channel participation) listener opens; osnadmin needs both.
    ready: async () => (await healthzReady(n.opsPort, t.host)()) && (await portOpen(n.adminPort, t.host)),
    env: baseEnv({
      FABRIC_CFG_PATH: tc.configDir,
      FABRIC_LOGGING_SPEC: LOGGING,
      ORDERER_GENERAL_LISTENADDRESS: t.host,
      ORDERER_GENERAL_LISTENPORT: String(n.port),
      ORDERER_GENERAL_LOCALMSPID: n.org.mspId,
      ORDERER_GENERAL_LOCALMSPDIR: l.msp,
      ORDERER_GENERAL_TLS_ENABLED: 'true',
      ORDERER_GENERAL_TLS_PRIVATEKEY: l.tls.key,
      ORDERER_GENERAL_TLS_CERTIFICATE: l.tls.cert,
      ORDERER_GENERAL_TLS_ROOTCAS: `[${l.tls.ca}]`,
      ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
      ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
      ORDERER_FILELEDGER_LOCATION: path.join(l.ledger, 'blocks'),
      ORDERER_CONSENSUS_WALDIR: path.join(l.ledger, 'etcdraft', 'wal'),
      ORDERER_CONSENSUS_SNAPDIR: path.join(l.ledger, 'etcdraft', 'snapshot'),
      ORDERER_OPERATIONS_LISTENADDRESS: `${t.host}:${n.opsPort}`,
      ORDERER_METRICS_PROVIDER: 'prometheus',
      ORDERER_ADMIN_LISTENADDRESS: `${t.host}:${n.adminPort}`,
      ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_PRIVATEKEY: l.tls.key,
      ORDERER_ADMIN_TLS_CERTIFICATE: l.tls.cert,
      ORDERER_ADMIN_TLS_ROOTCAS: `[${l.tls.ca}]`,
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${adminTlsCas.join(',')}]`,
    }),
  };
}

/** What the peer's chaincode-as-a-service builder fills into the package's connection.json template. */
function builderConfig(s: StatePaths, org: PeerOrg): string {
  const l = peerOrgLayout(s, org);
  const read = (f: string) => fs.readFileSync(f, 'utf8');
  return JSON.stringify({
    address: org.chaincodeServerEndpoint,
    root_cert: read(l.tlsCa),
    client_cert: read(l.peer.tls.cert),
    client_key: read(l.peer.tls.key),
  });
}

/** How one member's peer runs. */
export function peerProcess(t: Topology, s: StatePaths, tc: Toolchain, org: PeerOrg): ProcessSpec {
  const l = peerOrgLayout(s, org);
  return {
    name: org.peerId,
    kind: 'peer',
    command: path.join(tc.binDir, 'peer'),
    args: ['node', 'start'],
    ports: [
      { label: 'peer', port: org.peer.port },
      { label: 'chaincode', port: org.peer.chaincodePort },
      { label: 'operations', port: org.peer.opsPort },
    ],
    // The operations server (healthz) listens while the peer still opens its ledgers; clients need the peer port.
    ready: async () =>
      (await healthzReady(org.peer.opsPort, t.host)()) && (await portOpen(org.peer.port, t.host)),
    env: baseEnv({
      FABRIC_CFG_PATH: tc.configDir,
      FABRIC_LOGGING_SPEC: LOGGING,
      CORE_PEER_ID: org.peerHostname,
      CORE_PEER_ADDRESS: org.peerEndpoint,
      CORE_PEER_LISTENADDRESS: org.peerEndpoint,
      CORE_PEER_CHAINCODEADDRESS: `${t.host}:${org.peer.chaincodePort}`,
      CORE_PEER_CHAINCODELISTENADDRESS: `${t.host}:${org.peer.chaincodePort}`,
      CORE_PEER_GOSSIP_BOOTSTRAP: org.peerEndpoint,
      CORE_PEER_GOSSIP_EXTERNALENDPOINT: org.peerEndpoint,
      // Loopback is cheap, but two cores starting twenty processes are slow: dial patiently, retry often.
      CORE_PEER_GOSSIP_DIALTIMEOUT: '10s',
      CORE_PEER_GOSSIP_CONNTIMEOUT: '10s',
      CORE_PEER_GOSSIP_RECONNECTINTERVAL: '5s',
      CORE_PEER_LOCALMSPID: org.mspId,
      CORE_PEER_MSPCONFIGPATH: l.peer.msp,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_CERT_FILE: l.peer.tls.cert,
      CORE_PEER_TLS_KEY_FILE: l.peer.tls.key,
      CORE_PEER_TLS_ROOTCERT_FILE: l.peer.tls.ca,
      CORE_PEER_FILESYSTEMPATH: l.ledger,
      CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(l.ledger, 'snapshots'),
      CORE_OPERATIONS_LISTENADDRESS: `${t.host}:${org.peer.opsPort}`,
      CORE_METRICS_PROVIDER: 'prometheus',
      // No Docker: chaincode runs as a service that the peer dials.
      CORE_VM_ENDPOINT: '',
      CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas_builder, path: ${tc.builderDir}, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]`,
      CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: builderConfig(s, org),
      CORE_CHAINCODE_STARTUPTIMEOUT: '60s',
      CORE_CHAINCODE_EXECUTETIMEOUT: '120s',
      CORE_PEER_GATEWAY_ENDORSEMENTTIMEOUT: '120s',
      ...peerProfilingEnv(t, org),
    }),
  };
}

/** The environment for `peer` admin commands run as an organisation's admin against its peer. */
export function peerAdminEnv(s: StatePaths, tc: Toolchain, org: PeerOrg): NodeJS.ProcessEnv {
  const l = peerOrgLayout(s, org);
  return baseEnv({
    FABRIC_CFG_PATH: tc.configDir,
    FABRIC_LOGGING_SPEC: 'WARNING',
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: l.peer.tls.ca,
    CORE_PEER_ADDRESS: org.peerEndpoint,
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: l.admin.msp,
  });
}

/** Which chaincode server runs for an organisation: its process name, Node module folder and listening port. */
export interface ChaincodeServer {
  name: string;
  modulePath: string;
  port: number;
}

/** The alliance chaincode's server of an organisation (chaincode/, on the topology's chaincode server port). */
export function allianceChaincodeServer(org: PeerOrg): ChaincodeServer {
  return {
    name: `ccaas.${org.key}`,
    modulePath: path.join(REPO_ROOT, 'chaincode'),
    port: org.chaincodeServerPort,
  };
}

/**
 * How one member's chaincode server (a TypeScript contract, as a service) runs: by default the alliance
 * chaincode; `server` names another module and port. It presents the organisation's chaincode server TLS
 * certificate and accepts only the organisation's peer (mutual TLS).
 */
export function chaincodeProcess(
  t: Topology,
  s: StatePaths,
  org: PeerOrg,
  packageId: string,
  server: ChaincodeServer = allianceChaincodeServer(org),
): ProcessSpec {
  const l = peerOrgLayout(s, org);
  const chaincodeDir = server.modulePath;
  return {
    name: server.name,
    kind: 'chaincode',
    command: process.execPath,
    args: [
      require.resolve('fabric-shim/cli', { paths: [chaincodeDir] }),
      'server',
      '--chaincode-address',
      `${t.host}:${server.port}`,
      '--chaincode-id',
      packageId,
      '--chaincode-tls-cert-file',
      l.chaincodeServer.tls.cert,
      '--chaincode-tls-key-file',
      l.chaincodeServer.tls.key,
      '--chaincode-tls-client-cacert-file',
      l.tlsCa,
      '--module-path',
      chaincodeDir,
    ],
    cwd: chaincodeDir,
    ports: [{ label: 'chaincode server', port: server.port }],
    ready: () => portOpen(server.port, t.host),
    env: baseEnv({
      CORE_PEER_LOCALMSPID: org.mspId,
      CORE_CHAINCODE_LOGGING_LEVEL: CHAINCODE_LOGGING,
      NODE_ENV: 'production',
    }),
  };
}

/** How one member's REST gateway runs. */
export function gatewayProcess(t: Topology, s: StatePaths, org: PeerOrg): ProcessSpec {
  const l = peerOrgLayout(s, org);
  return {
    name: `gateway.${org.key}`,
    kind: 'gateway',
    command: process.execPath,
    args: [path.join(REPO_ROOT, 'gateway', 'dist', 'start.js'), '--config', l.gatewayConfig],
    cwd: REPO_ROOT,
    ports: [{ label: 'http', port: org.gatewayPort }],
    ready: () => portOpen(org.gatewayPort, t.host),
    env: { ...process.env, NODE_ENV: 'production', AGRITRACE_GATEWAY_CONFIG: l.gatewayConfig },
  };
}
