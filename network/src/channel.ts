/**
 * The application channel: created through the orderers' channel participation API (no system channel) and
 * joined by every peer. Each step checks first, so running it again changes nothing.
 */
import * as path from 'node:path';
import { run } from './exec';
import { ordererLayout, ordererOrgLayout } from './layout';
import { detail, step, UserError } from './log';
import { peerAdminEnv } from './nodes';
import type { StatePaths } from './paths';
import { httpGet } from './processes';
import type { Toolchain } from './toolchain';
import type { OrdererNode, PeerOrg, Topology } from './topology';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** osnadmin connection flags: mutual TLS with the orderer organisation's admin. */
function osnadminArgs(t: Topology, s: StatePaths, n: OrdererNode): string[] {
  const tls = ordererLayout(s, n).tls;
  const admin = ordererOrgLayout(s, n.org).adminTls;
  return [
    '-o',
    `${t.host}:${n.adminPort}`,
    '--ca-file',
    tls.ca,
    '--client-cert',
    admin.cert,
    '--client-key',
    admin.key,
  ];
}

/** Parses osnadmin's "Status: NNN" + JSON output. */
function osnadminJson(out: string): unknown {
  const i = out.indexOf('{');
  return i >= 0 ? JSON.parse(out.slice(i)) : undefined;
}

/** Joins every orderer to the channel with the genesis block, unless already joined. */
export async function joinOrderers(t: Topology, s: StatePaths, tc: Toolchain): Promise<void> {
  const osnadmin = path.join(tc.binDir, 'osnadmin');
  for (const n of t.orderers) {
    const args = osnadminArgs(t, s, n);
    const list = osnadminJson((await run(osnadmin, ['channel', 'list', ...args])).stdout) as
      { channels?: { name: string }[] | null } | undefined;
    if (list?.channels?.some((c) => c.name === t.channel)) continue;
    detail(`${n.id} joins channel ${t.channel}`);
    const out = await run(osnadmin, [
      'channel',
      'join',
      '--channelID',
      t.channel,
      '--config-block',
      s.genesisBlock,
      ...args,
    ]);
    if (!/Status: 201/.test(out.stdout)) {
      throw new UserError(`${n.id} refused to join ${t.channel}:\n${out.stdout}${out.stderr}`);
    }
  }
}

/** A per-channel gauge read from a node's Prometheus metrics (operations endpoint), if it answers. */
async function channelMetric(t: Topology, opsPort: number, metric: string): Promise<number | undefined> {
  const res = await httpGet(`http://${t.host}:${opsPort}/metrics`);
  if (!res || res.status !== 200) return undefined;
  const re = new RegExp(`^${metric}\\{channel="${t.channel.replace(/\./g, '\\.')}"\\} (\\d+)`, 'm');
  const m = re.exec(res.body);
  return m ? Number(m[1]) : 0;
}

/** The block height a peer reports, if it answers. */
export function peerHeight(t: Topology, org: PeerOrg): Promise<number | undefined> {
  return channelMetric(t, org.peer.opsPort, 'ledger_blockchain_height');
}

/**
 * Waits until the network can take transactions: a Raft leader exists, and every peer's gossip knows every other
 * member's peer (the peer gateways choose endorsers from gossip; right after a restart they know too few).
 */
export async function waitUntilServing(t: Topology, timeoutMs = 180000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const others = t.peerOrgs.length - 1;
  let announced = false;
  for (;;) {
    const leaders = await Promise.all(
      t.orderers.map((n) => channelMetric(t, n.opsPort, 'consensus_etcdraft_is_leader')),
    );
    const known = await Promise.all(
      t.peerOrgs.map((o) => channelMetric(t, o.peer.opsPort, 'gossip_membership_total_peers_known')),
    );
    const lonely = t.peerOrgs.filter((_, i) => (known[i] ?? 0) < others);
    const hasLeader = leaders.some((l) => l === 1);
    if (hasLeader && lonely.length === 0) return;
    if (Date.now() > deadline) {
      throw new UserError(
        `the network did not settle within ${timeoutMs / 1000}s: ` +
          `${hasLeader ? '' : 'no Raft leader was elected; '}` +
          `${lonely.map((o) => `${o.peerId} sees ${known[t.peerOrgs.indexOf(o)] ?? 0}/${others} peers`).join(', ')}; ` +
          'see the logs in network/state/logs',
      );
    }
    if (!announced) {
      detail('waiting for the Raft leader election and for every peer to discover the others');
      announced = true;
    }
    await sleep(1000);
  }
}

/** Joins every peer to the channel, unless already joined, and waits until each has the genesis block. */
export async function joinPeers(t: Topology, s: StatePaths, tc: Toolchain): Promise<void> {
  const peer = path.join(tc.binDir, 'peer');
  await Promise.all(
    t.peerOrgs.map(async (org) => {
      const env = peerAdminEnv(s, tc, org);
      const joined = (await run(peer, ['channel', 'list'], { env })).stdout;
      if (new RegExp(`^${t.channel.replace(/\./g, '\\.')}$`, 'm').test(joined)) return;
      detail(`${org.peerId} joins channel ${t.channel}`);
      await run(peer, ['channel', 'join', '-b', s.genesisBlock], { env });
    }),
  );
  const deadline = Date.now() + 60000;
  for (const org of t.peerOrgs) {
    while (((await peerHeight(t, org)) ?? 0) < 1) {
      if (Date.now() > deadline)
        throw new UserError(`${org.peerId} has not received the channel's first block`);
      await sleep(300);
    }
  }
}

/** Runs an orderer-bound command, retrying while the Raft cluster has no leader yet (after a restart). */
export async function withOrdererRetry<T>(what: string, fn: () => Promise<T>, timeoutMs = 90000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const msg = (e as Error).message;
      const transient =
        /no Raft leader|SERVICE_UNAVAILABLE|connection refused|Unavailable|failed to connect|deadline exceeded|not found in channel/i.test(
          msg,
        );
      if (!transient || Date.now() > deadline) throw e;
      if (!announced) {
        detail(`${what}: waiting for the ordering service to elect a leader`);
        announced = true;
      }
      await sleep(2000);
    }
  }
}

/** Announces the channel step. */
export function announceChannel(t: Topology): void {
  step(`channel ${t.channel}: ${t.orderers.length} Raft orderers, ${t.peerOrgs.length} member peers`);
}
