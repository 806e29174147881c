/**
 * Alliance health as this gateway sees it: for every peer of the alliance, whether its operations service says it
 * is healthy, and its block height asked of that peer through Fabric (qscc GetChainInfo targeted at its
 * organisation). All probes run in parallel, each under a short deadline.
 */
import type { AlliancePeerConfig, GatewayConfig } from './config';
import { problemSpecFor } from './errors';
import type { LedgerClient } from './fabric/contract';
import type { StoreHealth } from './follower/query-side';

/** One peer's health. */
export interface PeerHealth {
  org: string;
  mspId: string;
  endpoint: string;
  /** Its operations /healthz answered 200 {"status":"OK"}. */
  up: boolean;
  /** Ledger height of the channel on that peer; null if it could not be read. */
  blockHeight: number | null;
  /** Why the peer is not fully healthy, if it is not. */
  problems?: string[];
}

/** The alliance's health: 'ok' when every peer is up and answered its height, 'degraded' otherwise. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  org: string;
  mspId: string;
  channel: string;
  checkedAt: string;
  peers: PeerHealth[];
  /** The query store: its checkpoint, the ledger height and how many blocks it is behind. */
  store?: StoreHealth;
}

/** Options of {@link checkHealth}. */
export interface HealthOptions {
  /** Deadline of each probe; default 2 s. */
  readonly timeoutMs?: number;
  /** Reports the query store's state, when the gateway has one. */
  readonly store?: () => Promise<StoreHealth>;
}

/** Probes every peer in the configuration, in parallel. */
export async function checkHealth(
  config: Pick<GatewayConfig, 'org' | 'mspId' | 'channel' | 'peers'>,
  ledger: LedgerClient,
  options: Readonly<HealthOptions> = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const [peers, store] = await Promise.all([
    Promise.all(config.peers.map((peer) => checkPeer(peer, ledger, timeoutMs))),
    options.store?.().catch(() => undefined),
  ]);
  const healthy = peers.every((peer) => peer.up && peer.blockHeight !== null);
  return {
    status: healthy ? 'ok' : 'degraded',
    org: config.org,
    mspId: config.mspId,
    channel: config.channel,
    checkedAt: new Date().toISOString(),
    peers,
    ...(store ? { store } : {}),
  };
}

async function checkPeer(
  peer: AlliancePeerConfig,
  ledger: LedgerClient,
  timeoutMs: number,
): Promise<PeerHealth> {
  const [operations, height] = await Promise.all([
    probeOperations(peer.operationsUrl, timeoutMs),
    ledger.chainHeight(peer.mspId, { timeoutMs }).then(
      (info) => ({ height: Number(info.height), problem: undefined }),
      (err: unknown) => ({ height: null, problem: `block height: ${problemSpecFor(err).code}` }),
    ),
  ]);
  const problems = [operations.problem, height.problem].filter((problem): problem is string => !!problem);
  return {
    org: peer.org,
    mspId: peer.mspId,
    endpoint: peer.endpoint,
    up: operations.problem === undefined,
    blockHeight: height.height,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

/** GET <operationsUrl>/healthz: undefined problem when it answers 200 {"status":"OK"}. */
async function probeOperations(baseUrl: string, timeoutMs: number): Promise<{ problem?: string }> {
  try {
    const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (response.status === 200 && body?.status === 'OK') return {};
    return { problem: `operations: HTTP ${response.status} ${JSON.stringify(body?.status ?? null)}` };
  } catch (err) {
    // fetch rejects with the signal's reason, a DOMException named TimeoutError (not always instanceof Error).
    const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
    return {
      problem:
        name === 'TimeoutError' ? `operations: no answer within ${timeoutMs} ms` : 'operations: unreachable',
    };
  }
}
