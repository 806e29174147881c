/** Public surface of the gateway package: build, configure and connect a gateway programmatically. */
export { requireAuth, hashToken } from './auth';
export { ConfigError, loadConfig, readCredentials, validateConfig, configPathForOrg } from './config';
export type { GatewayConfig, FabricCredentials, ApiKeyConfig, AlliancePeerConfig } from './config';
export { ApiError, LedgerResponseError, errorHandler, problemSpecFor, toProblem } from './errors';
export type { Problem, ProblemSpec } from './errors';
export { connectToPeer, DEFAULT_DEADLINES } from './fabric/connection';
export type { FabricConnection, Deadlines } from './fabric/connection';
export { LedgerClient, DEFAULT_RETRY_POLICY } from './fabric/contract';
export type {
  Committed,
  ContractName,
  FabricPort,
  ProposalRequest,
  RetryPolicy,
  SubmitAttempt,
  SubmitOptions,
} from './fabric/contract';
export type { TransactionInfo } from './fabric/ledger-decode';
export type { HealthReport, PeerHealth } from './health';
export { newJsonLogger, silentLogger } from './logger';
export type { Logger } from './logger';
export type { Principal } from './request-context';
export { createServer, requestListener } from './server';
export type { ServerOptions } from './server';
