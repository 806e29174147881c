/** Stops what global-setup.ts started; a network that was already running stays up. */
import * as fs from 'node:fs';
import { down, loadTopology, DEFAULT_TOPOLOGY, statePaths, stopGateways } from '../../../network/src';
import { STARTED_FILE } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  let started = { network: false, gateways: false };
  try {
    started = JSON.parse(fs.readFileSync(STARTED_FILE, 'utf8')) as typeof started;
  } catch {
    return;
  }
  fs.rmSync(STARTED_FILE, { force: true });
  if (started.network) {
    await down({ topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() });
  } else if (started.gateways) {
    await stopGateways({ topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() });
  }
}
