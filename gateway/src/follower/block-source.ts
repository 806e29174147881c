/**
 * Where the follower reads blocks: the organisation's own peer, through the Fabric Gateway's block event service
 * (full blocks, so that write sets can be mirrored), resumed from the store's checkpoint; and the ledger height,
 * from qscc GetChainInfo. The source has its own gRPC client, so that a long-lived block stream never competes
 * with the request path's calls, and closes it on close().
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import type { Checkpoint, CloseableAsyncIterable, Gateway, Network } from '@hyperledger/fabric-gateway';
import type { common } from '@hyperledger/fabric-protos';
import type { FabricCredentials, GatewayConfig } from '../config';
import { decodeChainHeight } from '../fabric/ledger-decode';

/** A stream of blocks in order; close() ends it (the iteration then finishes or throws). */
export type BlockStream = CloseableAsyncIterable<common.Block>;

/** What the follower and the consistency check read the ledger through. */
export interface BlockSource {
  /**
   * Blocks from the one after `lastApplied` (from block 0 when null), in order, as they are committed. The stream
   * fails when the peer goes away; open a new one to resume.
   */
  openStream(lastApplied: number | null): Promise<BlockStream>;
  /** The channel's ledger height (number of blocks) on the organisation's peer. */
  height(timeoutMs?: number): Promise<number>;
  /** Closes the connection. Safe to call twice. */
  close(): void;
}

/** Options of {@link openFabricBlockSource}. */
export interface FabricBlockSourceOptions {
  /** Deadline of qscc calls; default 5 s. */
  readonly evaluateTimeoutMs?: number;
}

/** A block source on the organisation's peer, with the gateway's identity. No call is made yet. */
export function openFabricBlockSource(
  config: Pick<GatewayConfig, 'peer' | 'identity' | 'channel'>,
  credentials: FabricCredentials,
  options: Readonly<FabricBlockSourceOptions> = {},
): BlockSource {
  const evaluateTimeoutMs = options.evaluateTimeoutMs ?? 5_000;
  const client = new grpc.Client(config.peer.endpoint, grpc.credentials.createSsl(credentials.tlsRootCert), {
    'grpc.ssl_target_name_override': config.peer.hostAlias,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.keepalive_permit_without_calls': 1,
  });
  let gateway: Gateway;
  try {
    gateway = connect({
      client,
      identity: { mspId: config.identity.mspId, credentials: credentials.certificate },
      signer: signers.newPrivateKeySigner(credentials.privateKey),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + evaluateTimeoutMs }),
    });
  } catch (err) {
    client.close();
    throw err;
  }
  const network: Network = gateway.getNetwork(config.channel);
  let closed = false;
  return {
    openStream: (lastApplied) =>
      network.getBlockEvents({ startBlock: 0n, checkpoint: storeCheckpoint(lastApplied) }),
    height: async (timeoutMs = evaluateTimeoutMs) => {
      const bytes = await network
        .getContract('qscc')
        .newProposal('GetChainInfo', { arguments: [config.channel] })
        .evaluate({ deadline: Date.now() + timeoutMs });
      return Number(decodeChainHeight(bytes));
    },
    close: () => {
      if (closed) return;
      closed = true;
      try {
        gateway.close();
      } finally {
        client.close();
      }
    },
  };
}

/**
 * The store's checkpoint as a fabric-gateway Checkpoint: Fabric's block number is the next block to read, ours the
 * last block applied; no transaction ID, because the store applies whole blocks only.
 */
export function storeCheckpoint(lastApplied: number | null): Checkpoint {
  return {
    getBlockNumber: () => (lastApplied === null ? undefined : BigInt(lastApplied) + 1n),
    getTransactionId: () => undefined,
  };
}
