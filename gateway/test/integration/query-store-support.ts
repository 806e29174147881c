/** Helpers of the query-store integration tests: waiting for a gateway's store, and checking it against the ledger. */
import { configPathForOrg, loadConfig } from '../../src/config';
import { checkGatewayStore } from '../../src/consistency';
import type { ConsistencyReport } from '../../src/follower/consistency-check';
import { api } from './support';

/** The store section of a gateway's /healthz. */
export interface StoreSection {
  checkpointBlock: number | null;
  ledgerHeight: number | null;
  behindBlocks: number | null;
}

/** Polls a gateway's /healthz until its store has caught up with the ledger; returns the last store section. */
export async function waitForStore(orgKey: string, timeoutMs = 60_000): Promise<StoreSection> {
  const deadline = Date.now() + timeoutMs;
  let last: StoreSection | undefined;
  for (;;) {
    const res = await api[orgKey]!.get('/healthz').catch(() => undefined);
    last = res?.body?.store as StoreSection | undefined;
    if (last && last.behindBlocks === 0) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `the query store of ${orgKey} did not catch up in ${timeoutMs} ms: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls `probe` until it returns a defined value. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs the consistency check on an organisation's gateway store (the gateway keeps running). */
export async function consistency(orgKey: string): Promise<ConsistencyReport> {
  const { report } = await checkGatewayStore(loadConfig(configPathForOrg(orgKey)), { waitMs: 30_000 });
  return report;
}
