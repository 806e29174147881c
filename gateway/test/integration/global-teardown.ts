/** Stops the test network that global-setup.ts started; its state stays in network/state-test for inspection. */
import { unlockTestNetwork, useTestNetwork } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  useTestNetwork();
  const { DEFAULT_TOPOLOGY, down, loadTopology, statePaths } = await import('../../../network/src');
  try {
    await down({ topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() });
  } finally {
    unlockTestNetwork();
  }
}
