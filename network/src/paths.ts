/** Where the network keeps its generated state: all of it under one ignored folder. */
import * as path from 'node:path';

/** The repository root (network/dist/.. /..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The default topology file. */
export const DEFAULT_TOPOLOGY = path.join(REPO_ROOT, 'network', 'topology.json');

/** Every generated folder and file of the local network. */
export interface StatePaths {
  root: string;
  crypto: string;
  config: string;
  genesisBlock: string;
  ledgers: string;
  logs: string;
  pids: string;
  chaincode: string;
  gateway: string;
  credentials: string;
  /** Written last by `generate`; its absence means generation did not finish. */
  generatedMarker: string;
}

/** Paths under the state root (AGRITRACE_STATE_DIR or network/state). */
export function statePaths(
  root = process.env.AGRITRACE_STATE_DIR || path.join(REPO_ROOT, 'network', 'state'),
): StatePaths {
  const abs = path.resolve(root);
  return {
    root: abs,
    crypto: path.join(abs, 'crypto'),
    config: path.join(abs, 'config'),
    genesisBlock: path.join(abs, 'config', 'channel-genesis.block'),
    ledgers: path.join(abs, 'ledgers'),
    logs: path.join(abs, 'logs'),
    pids: path.join(abs, 'pids'),
    chaincode: path.join(abs, 'chaincode'),
    gateway: path.join(abs, 'gateway'),
    credentials: path.join(abs, 'gateway', 'credentials.json'),
    generatedMarker: path.join(abs, 'config', '.generated'),
  };
}
