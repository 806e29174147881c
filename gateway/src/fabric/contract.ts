/**
 * The one typed wrapper through which the gateway reads and writes the ledger. Routes call `evaluate` and
 * `submit`; this class owns argument encoding, JSON decoding, waiting for the commit, and the bounded retry of
 * conflicting writes. It talks to Fabric only through the small {@link FabricPort} interface, implemented over
 * @hyperledger/fabric-gateway in connection.ts (and by a fake in route unit tests).
 */
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { LedgerResponseError } from '../errors';
import { decodeChainHeight, decodeTransactionInBlock } from './ledger-decode';
import type { KvWrite, TransactionInfo } from './ledger-decode';

/** The named contracts of the agritrace chaincode. */
export type ContractName =
  | 'members'
  | 'lots'
  | 'transfers'
  | 'transformations'
  | 'trace'
  | 'recalls'
  | 'rules'
  | 'compliance'
  | 'devices';

/** One proposal: which chaincode (and contract in it), which transaction, its arguments. */
export interface ProposalRequest {
  readonly chaincode: string;
  /** Contract namespace inside the chaincode ('members'); none for system chaincodes. */
  readonly contract?: string;
  readonly transaction: string;
  readonly args: readonly string[];
  /** Organisations whose peers must endorse (submit) or may answer (evaluate); default: Fabric decides. */
  readonly endorsingOrganizations?: readonly string[];
}

/** Per-call options of an evaluation. */
export interface EvaluateCallOptions {
  /** Deadline for this call in milliseconds, instead of the connection's default. */
  readonly timeoutMs?: number;
}

/** What one endorse → submit → commit-status round produced. */
export interface SubmitAttempt {
  readonly transactionId: string;
  /** The chaincode's return value, from endorsement. */
  readonly result: Uint8Array;
  /** The transaction's timestamp (from its channel header; what the chaincode saw as the tx time). */
  readonly timestamp: Date;
  /** Commit status: validation code, block number, success. */
  readonly status: Readonly<{ code: number; blockNumber: bigint; successful: boolean }>;
  /** The transaction's writes to the chaincode's namespace, decoded from the endorsed transaction on demand. */
  readonly writes: () => readonly KvWrite[];
}

/** The Fabric-facing part of the gateway: everything that crosses the wire goes through these two calls. */
export interface FabricPort {
  /** Runs a proposal on one peer without ordering it. Throws the fabric-gateway GatewayError on failure. */
  evaluate(request: ProposalRequest, options?: EvaluateCallOptions): Promise<Uint8Array>;
  /**
   * Endorses a new proposal, submits it for ordering and waits for its commit status. Throws EndorseError,
   * SubmitError or CommitStatusError; an invalid commit is returned, not thrown.
   */
  submitOnce(request: ProposalRequest): Promise<SubmitAttempt>;
}

/** Options of a write. */
export interface SubmitOptions {
  /** Organisations that must endorse; by default the peer gateway picks a set satisfying the policy. */
  readonly endorsingOrganizations?: readonly string[];
  /**
   * The organisation's user who acts (a portal login). Every write transaction takes it as its last argument and
   * records it beside the organisation's certificate identity; '' when the caller is the organisation itself.
   */
  readonly operator?: string;
}

/** A committed write: the chaincode's answer and where the ledger recorded it. */
export interface Committed<T> {
  readonly result: T;
  readonly txId: string;
  readonly blockNumber: bigint;
  /** Transaction timestamp (the time the chaincode recorded). */
  readonly timestamp: Date;
  /** When the gateway saw the commit. */
  readonly committedAt: Date;
  /** How many proposals it took (more than 1 after write conflicts). */
  readonly attempts: number;
  /** What the committed transaction wrote to the chaincode's namespace (decoded on demand). */
  readonly writes: () => readonly KvWrite[];
}

/** Bounded retry of conflicting writes. */
export interface RetryPolicy {
  /** Total proposals per write, first one included. */
  readonly maxAttempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Five attempts, jittered exponential backoff from 50 ms up to 1 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1000 };

/** Options of {@link LedgerClient}. */
export interface LedgerClientOptions {
  readonly port: FabricPort;
  readonly channel: string;
  /** The agritrace chaincode's name. */
  readonly chaincode: string;
  readonly retry?: RetryPolicy;
  /** Waits between retries (replaced in tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told about each retried conflict (for logging). */
  readonly onRetry?: (
    info: Readonly<{ transaction: string; txId: string; code: number; attempt: number }>,
  ) => void;
}

/** Validation codes that mean "someone else wrote first": a new proposal may well succeed. */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  StatusCode.MVCC_READ_CONFLICT,
  StatusCode.PHANTOM_READ_CONFLICT,
]);

/** Block height of one organisation's peer. */
export interface ChainHeight {
  readonly mspId: string;
  readonly height: bigint;
}

/** Typed access to the agritrace chaincode and to the ledger's own records (qscc). */
export class LedgerClient {
  readonly #port: FabricPort;
  readonly #channel: string;
  readonly #chaincode: string;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRetry: NonNullable<LedgerClientOptions['onRetry']>;

  constructor(options: Readonly<LedgerClientOptions>) {
    this.#port = options.port;
    this.#channel = options.channel;
    this.#chaincode = options.chaincode;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#onRetry = options.onRetry ?? (() => undefined);
  }

  /** The channel this client reads and writes. */
  get channel(): string {
    return this.#channel;
  }

  /** Runs a read-only transaction and returns its decoded JSON answer. */
  async evaluate<T>(
    contract: ContractName,
    transaction: string,
    args: readonly string[],
    options: EvaluateCallOptions = {},
  ): Promise<T> {
    const bytes = await this.#port.evaluate(
      { chaincode: this.#chaincode, contract, transaction, args },
      options,
    );
    return decodeJson<T>(bytes, `${contract}:${transaction}`);
  }

  /**
   * Runs a write and waits until it is committed. A commit that fails with an MVCC or phantom read conflict is
   * retried with a new proposal (new transaction ID), at most `maxAttempts` times in all; any other failure
   * (endorsement refused, policy failure, ...) is thrown at once.
   * @throws EndorseError, SubmitError, CommitStatusError from fabric-gateway, or {@link CommitError}.
   */
  async submit<T>(
    contract: ContractName,
    transaction: string,
    args: readonly string[],
    options: SubmitOptions = {},
  ): Promise<Committed<T>> {
    const request: ProposalRequest = {
      chaincode: this.#chaincode,
      contract,
      transaction,
      args: [...args, options.operator ?? ''],
      ...(options.endorsingOrganizations ? { endorsingOrganizations: options.endorsingOrganizations } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#port.submitOnce(request);
      const { code, successful, blockNumber } = outcome.status;
      if (successful) {
        return {
          result: decodeJson<T>(outcome.result, `${contract}:${transaction}`),
          txId: outcome.transactionId,
          blockNumber,
          timestamp: outcome.timestamp,
          committedAt: new Date(),
          attempts: attempt,
          writes: outcome.writes,
        };
      }
      if (!RETRYABLE_CODES.has(code) || attempt >= this.#retry.maxAttempts) {
        throw new CommitError({
          code: code as CommitError['code'],
          transactionId: outcome.transactionId,
          message: `transaction ${outcome.transactionId} failed to commit with status code ${code} after ${attempt} attempt(s)`,
        });
      }
      this.#onRetry({
        transaction: `${contract}:${transaction}`,
        txId: outcome.transactionId,
        code,
        attempt,
      });
      await this.#sleep(this.#backoff(attempt));
    }
  }

  /**
   * The block height of one organisation's peer, asked of that peer itself (qscc GetChainInfo targeted at the
   * organisation).
   */
  async chainHeight(mspId: string, options: EvaluateCallOptions = {}): Promise<ChainHeight> {
    const bytes = await this.#port.evaluate(
      {
        chaincode: 'qscc',
        transaction: 'GetChainInfo',
        args: [this.#channel],
        endorsingOrganizations: [mspId],
      },
      options,
    );
    return { mspId, height: decodeChainHeight(bytes) };
  }

  /**
   * What the ledger says about a transaction: its block, validation code, endorsing organisations and time, read
   * with qscc GetBlockByTxID. Throws the peer's GatewayError if the ledger has no such transaction.
   */
  async transaction(txId: string): Promise<TransactionInfo> {
    const block = await this.#port.evaluate({
      chaincode: 'qscc',
      transaction: 'GetBlockByTxID',
      args: [this.#channel, txId],
    });
    const info = decodeTransactionInBlock(block, txId);
    if (!info) {
      throw new LedgerResponseError({
        transaction: 'qscc:GetBlockByTxID',
        message: `the block returned for transaction ${txId} does not contain it`,
      });
    }
    return info;
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(Math.random() * (ceiling + 1));
  }
}

const utf8 = new TextDecoder();

/** Decodes a chaincode answer: empty means null, anything else must be JSON. */
function decodeJson<T>(bytes: Uint8Array, transaction: string): T {
  if (bytes.length === 0) return null as T;
  const text = utf8.decode(bytes);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new LedgerResponseError({
      transaction,
      message: `${transaction} answered with something that is not JSON`,
      cause: err,
    });
  }
}
