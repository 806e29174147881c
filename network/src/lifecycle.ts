/**
 * Chaincode deployment as a service: packaged once (the package holds only a connection.json template),
 * installed on every peer, approved by every organisation and committed with the alliance's endorsement
 * policy. A code change is picked up by restarting the chaincode servers; a definition change (version,
 * policy) by raising `chaincode.sequence` in the topology.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withOrdererRetry } from './channel';
import { run } from './exec';
import { ordererOrgLayout, peerOrgLayout } from './layout';
import { detail, step, UserError } from './log';
import { peerAdminEnv } from './nodes';
import type { StatePaths } from './paths';
import type { Toolchain } from './toolchain';
import { endorsementPolicy, type PeerOrg, type Topology } from './topology';

/** A chaincode definition on the channel: what every organisation approves and one commits. */
export interface ChaincodeDefinition {
  name: string;
  version: string;
  sequence: number;
  /** Signature policy, e.g. `OutOf(2, 'AMSP.peer', 'BMSP.peer')`. */
  policy: string;
}

/** The alliance chaincode's definition, from the topology. */
export function allianceChaincode(t: Topology): ChaincodeDefinition {
  const { name, version, sequence } = t.chaincode;
  return { name, version, sequence, policy: endorsementPolicy(t) };
}

/** The chaincode package label: name and version. */
export function packageLabel(cc: Pick<ChaincodeDefinition, 'name' | 'version'>): string {
  return `${cc.name}_${cc.version}`;
}

/** An installable chaincode package: its file and its package ID (label and hash). */
export interface ChaincodePackage {
  file: string;
  id: string;
}

/** The connection.json template; each peer's builder fills it from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG. */
export const CONNECTION_TEMPLATE = {
  address: '{{.address}}',
  dial_timeout: '10s',
  tls_required: true,
  client_auth_required: true,
  root_cert: '{{.root_cert}}',
  client_cert: '{{.client_cert}}',
  client_key: '{{.client_key}}',
};

/**
 * Builds the package once (its ID is the hash of the file, so it is never rebuilt) and returns its ID. By default
 * the alliance chaincode's package; `options` give another label, connection.json or file name.
 */
export async function ensurePackage(
  t: Topology,
  s: StatePaths,
  tc: Toolchain,
  options: { label?: string; connection?: object; fileName?: string } = {},
): Promise<ChaincodePackage> {
  const label = options.label ?? packageLabel(t.chaincode);
  const file = path.join(s.chaincode, options.fileName ?? `${label}.tgz`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(s.chaincode, { recursive: true });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-pkg-'));
    try {
      const connection = options.connection ?? CONNECTION_TEMPLATE;
      fs.writeFileSync(path.join(work, 'connection.json'), JSON.stringify(connection, null, 2));
      fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
      await run('tar', ['-C', work, '-czf', path.join(work, 'code.tar.gz'), 'connection.json']);
      await run('tar', ['-C', work, '-czf', `${file}.partial`, 'metadata.json', 'code.tar.gz']);
      fs.renameSync(`${file}.partial`, file);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const out = await run(
    path.join(tc.binDir, 'peer'),
    ['lifecycle', 'chaincode', 'calculatepackageid', file],
    {
      env: { ...process.env, FABRIC_CFG_PATH: tc.configDir },
    },
  );
  return { file, id: out.stdout.trim() };
}

/**
 * Installs the package on every peer that does not have it yet; `pkg` may name a different package per
 * organisation (each organisation approves its own package ID, e.g. one with its own chaincode server address).
 */
export async function installEverywhere(
  t: Topology,
  s: StatePaths,
  tc: Toolchain,
  pkg: ChaincodePackage | ((org: PeerOrg) => ChaincodePackage),
) {
  const peer = path.join(tc.binDir, 'peer');
  await Promise.all(
    t.peerOrgs.map(async (org) => {
      const env = peerAdminEnv(s, tc, org);
      const own = typeof pkg === 'function' ? pkg(org) : pkg;
      const out = await run(peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], { env });
      const installed = (
        JSON.parse(out.stdout || '{}') as { installed_chaincodes?: { package_id: string }[] }
      ).installed_chaincodes;
      if (installed?.some((c) => c.package_id === own.id)) return;
      detail(`installing ${own.id.split(':')[0]} on ${org.peerId}`);
      await run(peer, ['lifecycle', 'chaincode', 'install', own.file], { env, timeoutMs: 120000 });
    }),
  );
}

function ordererFlags(t: Topology, s: StatePaths): string[] {
  const first = t.orderers[0]!;
  return ['-o', first.endpoint, '--tls', '--cafile', ordererOrgLayout(s, first.org).tlsCa];
}

function definitionFlags(t: Topology, cc: ChaincodeDefinition): string[] {
  return [
    '--channelID',
    t.channel,
    '--name',
    cc.name,
    '--version',
    cc.version,
    '--sequence',
    String(cc.sequence),
    '--signature-policy',
    cc.policy,
  ];
}

function peerTargets(s: StatePaths, orgs: PeerOrg[]): string[] {
  return orgs.flatMap((o) => [
    '--peerAddresses',
    o.peerEndpoint,
    '--tlsRootCertFiles',
    peerOrgLayout(s, o).tlsCa,
  ]);
}

/** The committed definition's sequence, or 0 when the chaincode (default: the alliance's) is not committed yet. */
export async function committedSequence(
  t: Topology,
  s: StatePaths,
  tc: Toolchain,
  name = t.chaincode.name,
): Promise<number> {
  const org = t.peerOrgs[0]!;
  try {
    const out = await run(
      path.join(tc.binDir, 'peer'),
      [
        'lifecycle',
        'chaincode',
        'querycommitted',
        '--channelID',
        t.channel,
        '--name',
        name,
        '--output',
        'json',
      ],
      { env: peerAdminEnv(s, tc, org) },
    );
    return (JSON.parse(out.stdout) as { sequence: number }).sequence;
  } catch (e) {
    if (/not defined|not found|404/i.test((e as Error).message)) return 0;
    throw e;
  }
}

/**
 * Approves the definition (default: the alliance chaincode's) for every organisation that has not, then commits
 * it. `packageId` may differ per organisation.
 */
export async function approveAndCommit(
  t: Topology,
  s: StatePaths,
  tc: Toolchain,
  packageId: string | ((org: PeerOrg) => string),
  cc: ChaincodeDefinition = allianceChaincode(t),
): Promise<void> {
  const peer = path.join(tc.binDir, 'peer');
  const committed = await committedSequence(t, s, tc, cc.name);
  if (committed > cc.sequence) {
    throw new UserError(
      `the channel has chaincode ${cc.name} at sequence ${committed}, but its definition says ` +
        `${cc.sequence}; raise its sequence${cc.name === t.chaincode.name ? ` (chaincode.sequence in ${t.file})` : ''}`,
    );
  }
  if (committed === cc.sequence) return;
  step(`chaincode ${cc.name} ${cc.version}: approving sequence ${cc.sequence} (${cc.policy})`);
  const readiness = async (): Promise<Record<string, boolean>> => {
    const out = await run(
      peer,
      ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definitionFlags(t, cc), '--output', 'json'],
      { env: peerAdminEnv(s, tc, t.peerOrgs[0]!) },
    );
    return (JSON.parse(out.stdout) as { approvals: Record<string, boolean> }).approvals;
  };
  const approvals = await readiness();
  for (const org of t.peerOrgs) {
    if (approvals[org.mspId]) continue;
    detail(`${org.mspId} approves`);
    await withOrdererRetry(`approval by ${org.mspId}`, () =>
      run(
        peer,
        [
          'lifecycle',
          'chaincode',
          'approveformyorg',
          ...ordererFlags(t, s),
          ...definitionFlags(t, cc),
          '--package-id',
          typeof packageId === 'function' ? packageId(org) : packageId,
          '--waitForEvent',
        ],
        { env: peerAdminEnv(s, tc, org), timeoutMs: 120000 },
      ),
    );
  }
  // Every peer must see every approval before the commit is endorsed.
  const deadline = Date.now() + 60000;
  while (Object.values(await readiness()).some((v) => !v)) {
    if (Date.now() > deadline) throw new UserError('approvals did not reach every peer within 60s');
    await new Promise((r) => setTimeout(r, 1000));
  }
  step(`committing chaincode ${cc.name} sequence ${cc.sequence}`);
  await withOrdererRetry('chaincode commit', () =>
    run(
      peer,
      [
        'lifecycle',
        'chaincode',
        'commit',
        ...ordererFlags(t, s),
        ...definitionFlags(t, cc),
        ...peerTargets(s, t.peerOrgs),
        '--waitForEvent',
      ],
      { env: peerAdminEnv(s, tc, t.peerOrgs[0]!), timeoutMs: 120000 },
    ),
  );
}

/** Registers the first regulator (the alliance's founding ministry) in the member registry, once. */
export async function bootstrapAlliance(t: Topology, s: StatePaths, tc: Toolchain): Promise<void> {
  const regulator = t.peerOrgs.find((o) => o.role === 'regulator')!;
  const peer = path.join(tc.binDir, 'peer');
  const env = peerAdminEnv(s, tc, regulator);
  const query = JSON.stringify({ Args: ['members:ReadMember', regulator.mspId] });
  const deadline = Date.now() + 90000;
  for (;;) {
    try {
      await run(peer, ['chaincode', 'query', '-C', t.channel, '-n', t.chaincode.name, '-c', query], { env });
      return; // already registered
    } catch (e) {
      const msg = (e as Error).message;
      if (/MEMBER_NOT_FOUND/.test(msg)) break;
      // The chaincode server may still be connecting to the peer.
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  step(`bootstrapping the alliance: ${regulator.name} (${regulator.mspId}) is the founding regulator`);
  const particulars = {
    name: regulator.name,
    role: 'regulator',
    businessLicence: regulator.businessLicence,
    region: regulator.region,
  };
  const other = t.peerOrgs.find((o) => o !== regulator)!;
  await withOrdererRetry('alliance bootstrap', () =>
    run(
      peer,
      [
        'chaincode',
        'invoke',
        ...ordererFlags(t, s),
        '-C',
        t.channel,
        '-n',
        t.chaincode.name,
        ...peerTargets(s, [regulator, other]),
        '-c',
        // The last argument of every write is the operator (the organisation's user who acted): none here.
        JSON.stringify({ Args: ['members:BootstrapAlliance', JSON.stringify(particulars), ''] }),
        '--waitForEvent',
      ],
      { env, timeoutMs: 120000 },
    ),
  );
}
