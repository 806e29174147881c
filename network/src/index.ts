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
  deployChaincode,
  type NetworkContext,
  type StatusRow,
} from './network';
export { ensureToolchain, FABRIC_COMMIT, FABRIC_VERSION } from './toolchain';
export { peerOrgLayout } from './layout';
export type { AdditionalChaincode, AdditionalChaincodeRecord } from './additional-chaincode';
export { main } from './cli';
