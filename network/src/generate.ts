/**
 * Generates the network's crypto material, channel configuration, genesis block and gateway configs from the
 * topology. Runs once; a marker file written last tells a finished generation from an interrupted one.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';
import { ordererLayout, ordererOrgLayout, peerOrgLayout } from './layout';
import { step, UserError } from './log';
import type { StatePaths } from './paths';
import type { Toolchain } from './toolchain';
import type { Topology } from './topology';

const SANS = ['127.0.0.1', 'localhost'];

/** The cryptogen configuration (JSON is valid YAML). */
export function cryptoConfig(t: Topology) {
  return {
    OrdererOrgs: t.ordererOrgs.map((o) => ({
      Name: o.mspId.replace(/MSP$/, ''),
      Domain: o.domain,
      EnableNodeOUs: true,
      Specs: o.nodes.map((n) => ({ Hostname: n.name, SANS })),
    })),
    PeerOrgs: t.peerOrgs.map((o) => ({
      Name: o.mspId.replace(/MSP$/, ''),
      Domain: o.domain,
      EnableNodeOUs: true,
      // The chaincode server gets a TLS certificate from the organisation's TLS CA like a peer does.
      Specs: [
        { Hostname: 'peer0', SANS },
        { Hostname: 'ccaas', SANS },
      ],
      Users: { Count: 1 },
    })),
  };
}

const sig = (rule: string) => ({ Type: 'Signature', Rule: rule });
const meta = (rule: string) => ({ Type: 'ImplicitMeta', Rule: rule });

/** The configtxgen configuration for the application channel (Raft ordering, no system channel). */
export function channelConfig(t: Topology, s: StatePaths) {
  const ordererOrgs = t.ordererOrgs.map((o) => ({
    Name: o.mspId,
    ID: o.mspId,
    MSPDir: ordererOrgLayout(s, o).msp,
    Policies: {
      Readers: sig(`OR('${o.mspId}.member')`),
      Writers: sig(`OR('${o.mspId}.member')`),
      Admins: sig(`OR('${o.mspId}.admin')`),
    },
    OrdererEndpoints: o.nodes.map((n) => n.endpoint),
  }));
  const peerOrgs = t.peerOrgs.map((o) => ({
    Name: o.mspId,
    ID: o.mspId,
    MSPDir: peerOrgLayout(s, o).msp,
    Policies: {
      Readers: sig(`OR('${o.mspId}.admin', '${o.mspId}.peer', '${o.mspId}.client')`),
      Writers: sig(`OR('${o.mspId}.admin', '${o.mspId}.client')`),
      Admins: sig(`OR('${o.mspId}.admin')`),
      Endorsement: sig(`OR('${o.mspId}.peer')`),
    },
    AnchorPeers: [{ Host: t.host, Port: o.peer.port }],
  }));
  const channelPolicies = {
    Readers: meta('ANY Readers'),
    Writers: meta('ANY Writers'),
    Admins: meta('MAJORITY Admins'),
  };
  return {
    Profiles: {
      AllianceChannel: {
        Policies: channelPolicies,
        Capabilities: { V3_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: '500ms',
          BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' },
          EtcdRaft: {
            Consenters: t.orderers.map((n) => ({
              Host: t.host,
              Port: n.port,
              ClientTLSCert: ordererLayout(s, n).tls.cert,
              ServerTLSCert: ordererLayout(s, n).tls.cert,
            })),
            Options: {
              TickInterval: '500ms',
              ElectionTick: 10,
              HeartbeatTick: 1,
              MaxInflightBlocks: 5,
              SnapshotIntervalSize: '16 MB',
            },
          },
          Organizations: ordererOrgs,
          Policies: { ...channelPolicies, BlockValidation: meta('ANY Writers') },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: peerOrgs,
          Policies: {
            ...channelPolicies,
            LifecycleEndorsement: meta('MAJORITY Endorsement'),
            Endorsement: meta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

/** The config file one organisation's gateway reads (see gateway/src/config.ts). */
export function gatewayConfig(t: Topology, s: StatePaths, orgKey: string, tokenHash: string) {
  const org = t.peerOrgs.find((o) => o.key === orgKey)!;
  const l = peerOrgLayout(s, org);
  return {
    org: org.key,
    mspId: org.mspId,
    displayName: org.name,
    role: org.role,
    listen: { host: t.host, port: org.gatewayPort },
    channel: t.channel,
    chaincode: t.chaincode.name,
    peer: { endpoint: org.peerEndpoint, hostAlias: org.peerHostname, tlsRootCertPath: l.tlsCa },
    identity: { mspId: org.mspId, certPath: l.client.cert, keyPath: l.client.key },
    apiKeys: [{ id: `${org.key}-operator`, sha256: tokenHash }],
    peers: t.peerOrgs.map((o) => ({
      org: o.key,
      mspId: o.mspId,
      endpoint: o.peerEndpoint,
      operationsUrl: `http://${t.host}:${o.peer.opsPort}`,
    })),
    dataDir: l.gatewayData,
  };
}

function writeJson(file: string, value: unknown, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, mode ? { mode } : undefined);
}

/** Reads the per-organisation API tokens, creating any that are missing (kept across restarts). */
export function ensureCredentials(t: Topology, s: StatePaths): Record<string, string> {
  let tokens: Record<string, string> = {};
  try {
    tokens = JSON.parse(fs.readFileSync(s.credentials, 'utf8')) as Record<string, string>;
  } catch {
    tokens = {};
  }
  let changed = false;
  for (const o of t.peerOrgs) {
    if (!tokens[o.key]) {
      tokens[o.key] = `${o.key}.${crypto.randomBytes(24).toString('base64url')}`;
      changed = true;
    }
  }
  if (changed) writeJson(s.credentials, tokens, 0o600);
  return tokens;
}

/** Writes every gateway's config file (cheap; done on every `up` so port changes apply). */
export function writeGatewayConfigs(t: Topology, s: StatePaths): void {
  const tokens = ensureCredentials(t, s);
  for (const o of t.peerOrgs) {
    const hash = crypto.createHash('sha256').update(tokens[o.key]!).digest('hex');
    writeJson(peerOrgLayout(s, o).gatewayConfig, gatewayConfig(t, s, o.key, hash));
  }
}

/** True when a previous generation finished. */
export function isGenerated(s: StatePaths): boolean {
  return fs.existsSync(s.generatedMarker);
}

/** Generates crypto material, the channel configuration and the genesis block, unless already done. */
export async function generate(t: Topology, s: StatePaths, tc: Toolchain): Promise<void> {
  if (isGenerated(s)) return;
  if (fs.existsSync(s.ledgers) && fs.readdirSync(s.ledgers).length > 0) {
    throw new UserError(
      `ledgers exist in ${s.ledgers} but their crypto material is incomplete; run \`npm run network:purge\` to start over`,
    );
  }
  step('generating crypto material and channel configuration');
  fs.rmSync(s.crypto, { recursive: true, force: true });
  fs.rmSync(s.config, { recursive: true, force: true });
  fs.mkdirSync(s.config, { recursive: true });
  const cryptoFile = path.join(s.config, 'crypto-config.yaml');
  writeJson(cryptoFile, cryptoConfig(t));
  await run(path.join(tc.binDir, 'cryptogen'), [
    'generate',
    `--config=${cryptoFile}`,
    `--output=${s.crypto}`,
  ]);
  writeJson(path.join(s.config, 'configtx.yaml'), channelConfig(t, s));
  await run(path.join(tc.binDir, 'configtxgen'), [
    '-configPath',
    s.config,
    '-profile',
    'AllianceChannel',
    '-channelID',
    t.channel,
    '-outputBlock',
    s.genesisBlock,
  ]);
  fs.writeFileSync(s.generatedMarker, new Date().toISOString());
}
