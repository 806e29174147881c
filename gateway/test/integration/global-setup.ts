/**
 * Integration tests run against a real Fabric network of their own: the default topology with every port moved
 * by TEST_PORT_OFFSET and its state in network/state-test, so that a developer's running network (npm start)
 * is left alone and every run starts from an empty ledger. global-teardown.ts stops it again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Ports of the test network are the default ones plus this. */
export const TEST_PORT_OFFSET = 10000;
/** State of the test network. */
export const TEST_STATE_DIR = path.resolve(__dirname, '..', '..', '..', 'network', 'state-test');

/** Points this process (and the test workers it starts) at the test network. */
export function useTestNetwork(): void {
  process.env.AGRITRACE_PORT_OFFSET = String(TEST_PORT_OFFSET);
  process.env.AGRITRACE_STATE_DIR = TEST_STATE_DIR;
}

export default async function globalSetup(): Promise<void> {
  useTestNetwork();
  // Imported after the environment is set: paths and ports are read from it.
  const { DEFAULT_TOPOLOGY, loadTopology, purge, startGateways, statePaths, up } =
    await import('../../../network/src');
  const ctx = { topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() };
  console.log(
    `\nintegration: starting a fresh test network in ${ctx.state.root} (ports +${TEST_PORT_OFFSET})`,
  );
  if (fs.existsSync(ctx.state.root)) await purge(ctx);
  await up(ctx);
  await startGateways(ctx);
}
