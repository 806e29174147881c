/** Stops the test network that global-setup.ts started; its state stays in network/state-test for inspection. */
import { useTestNetwork } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  useTestNetwork();
  const { DEFAULT_TOPOLOGY, down, loadTopology, statePaths } = await import('../../../network/src');
  await down({ topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() });
}
