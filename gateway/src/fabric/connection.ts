/**
 * The connection to the organisation's peer: one gRPC client (TLS, pinned to the peer's certificate name), one
 * Fabric Gateway session with the organisation's identity, a deadline on every call, and an explicit close.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import type { Gateway, Network, Proposal } from '@hyperledger/fabric-gateway';
import { readCredentials } from '../config';
import type { FabricCredentials, GatewayConfig } from '../config';
import type { EvaluateCallOptions, FabricPort, ProposalRequest, SubmitAttempt } from './contract';
import { decodePreparedTransaction } from './ledger-decode';

/** Deadlines of the four kinds of Fabric Gateway call, in milliseconds. */
export interface Deadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitStatusMs: number;
}

/** Evaluate 5 s, endorse 15 s, submit 5 s, commit status 60 s. */
export const DEFAULT_DEADLINES: Deadlines = {
  evaluateMs: 10_000,
  // A transformation with a hundred output lots, each checked against the rules, takes seconds to simulate.
  endorseMs: 60_000,
  submitMs: 15_000,
  commitStatusMs: 60_000,
};

/** An open connection to the organisation's peer. */
export interface FabricConnection {
  /** The Fabric-facing port a {@link LedgerClient} works through. */
  readonly port: FabricPort;
  /** Resolves true once the gRPC channel is ready, false if it is not within `timeoutMs`. */
  waitForReady(timeoutMs: number): Promise<boolean>;
  /** Closes the Gateway session, then the gRPC client. Safe to call twice. */
  close(): void;
}

/** Options of {@link connectToPeer}. */
export interface ConnectionOptions {
  readonly deadlines?: Partial<Deadlines>;
  /** Key material, if already read; read from the configured files otherwise. */
  readonly credentials?: FabricCredentials;
}

/** Opens the gRPC client and Gateway session described by the configuration. No call is made yet. */
export function connectToPeer(
  config: GatewayConfig,
  options: Readonly<ConnectionOptions> = {},
): FabricConnection {
  const credentials = options.credentials ?? readCredentials(config);
  const deadlines: Deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  const client = new grpc.Client(config.peer.endpoint, grpc.credentials.createSsl(credentials.tlsRootCert), {
    'grpc.ssl_target_name_override': config.peer.hostAlias,
    'grpc.keepalive_time_ms': 120_000,
    'grpc.keepalive_timeout_ms': 20_000,
    // A trace page of hundreds of lots with their events is many megabytes; gRPC's default limit is 4 MiB.
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
  });
  let gateway: Gateway;
  try {
    gateway = connect({
      client,
      identity: { mspId: config.identity.mspId, credentials: credentials.certificate },
      signer: signers.newPrivateKeySigner(credentials.privateKey),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + deadlines.evaluateMs }),
      endorseOptions: () => ({ deadline: Date.now() + deadlines.endorseMs }),
      submitOptions: () => ({ deadline: Date.now() + deadlines.submitMs }),
      commitStatusOptions: () => ({ deadline: Date.now() + deadlines.commitStatusMs }),
    });
  } catch (err) {
    client.close();
    throw err;
  }
  const network = gateway.getNetwork(config.channel);
  let closed = false;
  return {
    port: new GatewayPort(network),
    waitForReady: (timeoutMs) => {
      // Polls with unref'd timers instead of client.waitForReady, whose deadline timer would keep a stopping
      // process alive; resolves false at once when the connection is closed.
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve) => {
        const check = (): void => {
          if (closed) return resolve(false);
          if (client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY)
            return resolve(true);
          if (Date.now() >= deadline) return resolve(false);
          setTimeout(check, 100).unref();
        };
        check();
      });
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

/** {@link FabricPort} over a fabric-gateway Network. */
class GatewayPort implements FabricPort {
  readonly #network: Network;

  constructor(network: Network) {
    this.#network = network;
  }

  async evaluate(request: ProposalRequest, options: EvaluateCallOptions = {}): Promise<Uint8Array> {
    const proposal = this.#proposal(request);
    return options.timeoutMs === undefined
      ? proposal.evaluate()
      : proposal.evaluate({ deadline: Date.now() + options.timeoutMs });
  }

  async submitOnce(request: ProposalRequest): Promise<SubmitAttempt> {
    const transaction = await this.#proposal(request).endorse();
    const commit = await transaction.submit();
    const status = await commit.getStatus();
    const prepared = decodePreparedTransaction(transaction.getBytes());
    return {
      transactionId: transaction.getTransactionId(),
      result: transaction.getResult(),
      timestamp: prepared.timestamp,
      status: { code: status.code, blockNumber: status.blockNumber, successful: status.successful },
      writes: () => prepared.writes(request.chaincode),
    };
  }

  #proposal(request: ProposalRequest): Proposal {
    const contract = this.#network.getContract(request.chaincode, request.contract);
    return contract.newProposal(request.transaction, {
      arguments: [...request.args],
      ...(request.endorsingOrganizations
        ? { endorsingOrganizations: [...request.endorsingOrganizations] }
        : {}),
    });
  }
}
