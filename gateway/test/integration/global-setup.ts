/**
 * Integration tests run against the real network: started here if it is not running (and stopped again by
 * global-teardown.ts), reused as is when a developer already has it up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTopology, DEFAULT_TOPOLOGY, startGateways, status, statePaths, up } from '../../../network/src';

/** Records what this run started, so that teardown stops only that. */
export const STARTED_FILE = path.join(statePaths().root, 'test-started.json');

export default async function globalSetup(): Promise<void> {
  const ctx = { topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() };
  const before = await status(ctx);
  const fabricUp = before.filter((r) => r.kind !== 'gateway').every((r) => r.up);
  const gatewaysUp = before.filter((r) => r.kind === 'gateway').every((r) => r.up);
  console.log(`\nintegration: network ${fabricUp ? 'already running' : 'starting'}`);
  await up(ctx);
  if (!gatewaysUp) await startGateways(ctx);
  fs.mkdirSync(ctx.state.root, { recursive: true });
  fs.writeFileSync(STARTED_FILE, JSON.stringify({ network: !fabricUp, gateways: !gatewaysUp }));
}
