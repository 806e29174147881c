/**
 * The ledger follower: reads the channel's blocks from the organisation's peer and applies each to the query store
 * in one database transaction with the checkpoint. On start it resumes after the checkpoint (catching up on what
 * was committed while it was down); when the stream fails (the peer restarted, the network dropped) it reconnects
 * with exponential backoff and resumes from the checkpoint again. Nothing is lost and nothing applied twice.
 */
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { Store } from '../store/store';
import { applyBlock } from './apply-block';
import type { FollowedChaincode } from './apply-block';
import { decodeBlock } from './block-decode';
import type { BlockSource, BlockStream } from './block-source';
import { readCheckpoint, readFollowed } from './checkpoint';

/** How far the store is behind the ledger. */
export interface StoreLag {
  /** The last block applied to the store; null before the first. */
  checkpointBlock: number | null;
  /** The ledger's height on the peer (blocks 0 .. height - 1); null if the peer could not be asked. */
  ledgerHeight: number | null;
  /** Blocks committed on the ledger that the store has not applied yet; null if unknown. */
  behindBlocks: number | null;
}

/** The follower's state, for /healthz and logs. */
export interface FollowerStatus {
  /** True while a block stream is open. */
  streaming: boolean;
  /** Streams opened after the first (reconnections). */
  reconnects: number;
  lastAppliedAt: string | null;
  lastError: string | null;
}

/** Options of {@link LedgerFollower}. */
export interface FollowerOptions {
  readonly store: Store;
  readonly source: BlockSource;
  readonly followed: FollowedChaincode;
  readonly logger?: Logger;
  /** First wait after a failure; doubles up to maxBackoffMs. Defaults 500 ms and 15 s. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** A follower that fails to start: the store follows another channel or chaincode. */
export class FollowerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = FollowerConfigError.name;
  }
}

/** Follows the ledger into the store until stopped. */
export class LedgerFollower {
  readonly #store: Store;
  readonly #source: BlockSource;
  readonly #followed: FollowedChaincode;
  readonly #logger: Logger;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  #loop: Promise<void> | undefined;
  #stream: BlockStream | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #status: FollowerStatus = { streaming: false, reconnects: 0, lastAppliedAt: null, lastError: null };
  readonly #waiters = new Set<{ block: number; resolve: (reached: boolean) => void }>();
  #lastApplied: number | null = null;

  constructor(options: Readonly<FollowerOptions>) {
    this.#store = options.store;
    this.#source = options.source;
    this.#followed = options.followed;
    this.#logger = options.logger ?? silentLogger;
    this.#minBackoffMs = options.minBackoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 15_000;
  }

  /**
   * Checks that the store follows this channel and chaincode, then starts following in the background.
   * @throws {@link FollowerConfigError} if the store was filled from another channel or chaincode.
   */
  async start(): Promise<void> {
    if (this.#loop) return;
    const followed = await readFollowed(this.#store);
    if (
      followed &&
      (followed.channel !== this.#followed.channel || followed.chaincode !== this.#followed.chaincode)
    ) {
      throw new FollowerConfigError(
        `the query store ${this.#store.location} holds channel ${followed.channel}, chaincode ${followed.chaincode}; ` +
          `this gateway follows ${this.#followed.channel}, ${this.#followed.chaincode}: use another store`,
      );
    }
    this.#lastApplied = await readCheckpoint(this.#store);
    this.#loop = this.#run();
  }

  /** Stops following: closes the stream and waits for the block being applied, if any, to finish. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stream?.close();
    this.#wake?.();
    await this.#loop;
    for (const waiter of this.#waiters) waiter.resolve(false);
    this.#waiters.clear();
  }

  /** The follower's state. */
  status(): FollowerStatus {
    return { ...this.#status };
  }

  /** The last block applied, as this follower knows it. */
  get checkpointBlock(): number | null {
    return this.#lastApplied;
  }

  /** How far the store is behind the ledger (asks the peer for its height). */
  async lag(timeoutMs = 2_000): Promise<StoreLag> {
    const checkpointBlock = await readCheckpoint(this.#store);
    const ledgerHeight = await this.#source.height(timeoutMs).catch(() => null);
    const behindBlocks =
      ledgerHeight === null
        ? null
        : Math.max(0, ledgerHeight - (checkpointBlock === null ? 0 : checkpointBlock + 1));
    return { checkpointBlock, ledgerHeight, behindBlocks };
  }

  /** Resolves true once block `block` is applied, false on timeout or stop. */
  waitForBlock(block: number, timeoutMs: number): Promise<boolean> {
    if (this.#lastApplied !== null && this.#lastApplied >= block) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        block,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
    });
  }

  async #run(): Promise<void> {
    let backoff = this.#minBackoffMs;
    let opened = 0;
    while (!this.#stopping) {
      try {
        const lastApplied = await readCheckpoint(this.#store);
        this.#stream = await this.#source.openStream(lastApplied);
        if (opened++ > 0) this.#status.reconnects += 1;
        this.#status.streaming = true;
        this.#logger.info('following the ledger', {
          fromBlock: lastApplied === null ? 0 : lastApplied + 1,
          store: this.#store.location,
        });
        for await (const block of this.#stream) {
          if (this.#stopping) break;
          const decoded = decodeBlock(block, this.#followed.chaincode);
          const outcome = await applyBlock(this.#store, decoded, this.#followed, this.#logger);
          if (outcome.applied) this.#applied(outcome.blockNumber);
          backoff = this.#minBackoffMs;
        }
      } catch (err) {
        if (this.#stopping) break;
        this.#status.lastError = describe(err);
        this.#logger.warn('ledger follower interrupted; resuming from the checkpoint', {
          error: this.#status.lastError,
          retryInMs: backoff,
        });
      } finally {
        this.#status.streaming = false;
        this.#stream?.close();
        this.#stream = undefined;
      }
      if (this.#stopping) break;
      await this.#sleep(backoff);
      backoff = Math.min(this.#maxBackoffMs, backoff * 2);
    }
  }

  #applied(blockNumber: number): void {
    this.#lastApplied = blockNumber;
    this.#status.lastAppliedAt = new Date().toISOString();
    this.#status.lastError = null;
    for (const waiter of [...this.#waiters]) if (waiter.block <= blockNumber) waiter.resolve(true);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
