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

/** Held while a run uses the test network, so that two runs on one machine take turns instead of clobbering. */
export const TEST_LOCK = `${TEST_STATE_DIR}.lock`;

function holder(): number | undefined {
  try {
    const pid = Number(fs.readFileSync(TEST_LOCK, 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Takes the test-network lock, waiting (up to an hour) while another live test run holds it. */
async function lockTestNetwork(): Promise<void> {
  const deadline = Date.now() + 3_600_000;
  let said = false;
  for (;;) {
    try {
      fs.writeFileSync(TEST_LOCK, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const pid = holder();
      if (pid === undefined) {
        fs.rmSync(TEST_LOCK, { force: true }); // left by a run that died
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the test network is still in use by process ${pid}`);
      if (!said) console.log(`integration: waiting for the test run of process ${pid} to finish`);
      said = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

/** Releases the lock if this process holds it. */
export function unlockTestNetwork(): void {
  if (holder() === process.pid) fs.rmSync(TEST_LOCK, { force: true });
}

/** Points this process (and the test workers it starts) at the test network. */
export function useTestNetwork(): void {
  process.env.AGRITRACE_PORT_OFFSET = String(TEST_PORT_OFFSET);
  process.env.AGRITRACE_STATE_DIR = TEST_STATE_DIR;
}

export default async function globalSetup(): Promise<void> {
  useTestNetwork();
  await lockTestNetwork();
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
