/**
 * The gateway's query side at run time: opens the configured store (applying migrations), starts the ledger
 * follower on its own connection to the peer, reports the store's lag for /healthz, and closes it all in order.
 */
import type { FabricCredentials, GatewayConfig } from '../config';
import type { Logger } from '../logger';
import { openStore } from '../store/open-store';
import { resolveQueryConfig } from '../store/resolve-query-config';
import type { Store, StoreEngine } from '../store/store';
import { openFabricBlockSource } from './block-source';
import type { BlockSource } from './block-source';
import { readCheckpoint } from './checkpoint';
import { LedgerFollower } from './follower';
import type { FollowerStatus, StoreLag } from './follower';

/** The store section of /healthz. */
export interface StoreHealth extends StoreLag {
  engine: StoreEngine;
  location: string;
  /** Whether this gateway follows the ledger (configuration key follower.enabled). */
  following: boolean;
  follower?: FollowerStatus;
}

/** The running query side. */
export interface QuerySide {
  readonly store: Store;
  readonly follower?: LedgerFollower;
  /** The store section of /healthz. */
  health(): Promise<StoreHealth>;
  /** Stops the follower, then closes the block source and the store. */
  close(): Promise<void>;
}

/** Opens the store and starts following the ledger (unless follower.enabled is false). */
export async function startQuerySide(
  config: GatewayConfig,
  credentials: FabricCredentials,
  logger: Logger,
): Promise<QuerySide> {
  const query = resolveQueryConfig(config);
  const store = await openStore(query.store);
  let source: BlockSource | undefined;
  let follower: LedgerFollower | undefined;
  try {
    source = openFabricBlockSource(config, credentials);
    if (query.followLedger) {
      follower = new LedgerFollower({
        store,
        source,
        followed: { channel: config.channel, chaincode: config.chaincode },
        logger,
      });
      await follower.start();
    }
  } catch (err) {
    source?.close();
    await store.close();
    throw err;
  }
  logger.info('query store open', { engine: store.engine, location: store.location, following: !!follower });
  const blockSource = source;
  return {
    store,
    ...(follower ? { follower } : {}),
    health: async () => {
      const lag = follower ? await follower.lag() : await storeLag(store, blockSource);
      return {
        engine: store.engine,
        location: store.location,
        following: !!follower,
        ...lag,
        ...(follower ? { follower: follower.status() } : {}),
      };
    },
    close: async () => {
      await follower?.stop();
      blockSource.close();
      await store.close();
    },
  };
}

async function storeLag(store: Store, source: BlockSource): Promise<StoreLag> {
  const checkpointBlock = await readCheckpoint(store);
  const ledgerHeight = await source.height(2_000).catch(() => null);
  return {
    checkpointBlock,
    ledgerHeight,
    behindBlocks:
      ledgerHeight === null
        ? null
        : Math.max(0, ledgerHeight - (checkpointBlock === null ? 0 : checkpointBlock + 1)),
  };
}
