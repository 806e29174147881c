/** Programmatic access to the network for tests and tools. */
export * from './topology';
export * from './paths';
export {
  up,
  down,
  purge,
  status,
  startGateways,
  stopGateways,
  type NetworkContext,
  type StatusRow,
} from './network';
export { ensureToolchain, FABRIC_COMMIT, FABRIC_VERSION } from './toolchain';
export { peerOrgLayout } from './layout';
export { main } from './cli';
