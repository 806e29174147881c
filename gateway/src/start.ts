/**
 * Entry point: `node gateway/dist/start.js --org coop`. Reads and checks the configuration, connects to the peer,
 * listens, prints its URL, and on SIGINT/SIGTERM closes the HTTP server, then the Gateway and the gRPC client.
 */
import { mkdirSync } from 'fs';
import { createServer as createHttpServer } from 'http';
import type { Server } from 'http';
import { parseCommandLine, USAGE, UsageError } from './cli';
import { ConfigError, loadConfig, readCredentials } from './config';
import type { GatewayConfig } from './config';
import { connectToPeer } from './fabric/connection';
import { startQuerySide } from './follower/query-side';
import type { QuerySide } from './follower/query-side';
import { LedgerClient } from './fabric/contract';
import { logLevelFrom, newJsonLogger } from './logger';
import type { Logger } from './logger';
import { createServer, requestListener } from './server';
import { openAccounts } from './users/open-accounts';

/** How long open HTTP connections may take to finish after a stop signal. */
const DRAIN_MS = 5_000;

/** Runs the gateway until a stop signal; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let config: GatewayConfig;
  try {
    const command = parseCommandLine(argv);
    if (command.kind === 'help') {
      console.log(USAGE);
      return 0;
    }
    config = loadConfig(command.configPath);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`agritrace gateway: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(`agritrace gateway: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const logger = newJsonLogger({ level: logLevelFrom(process.env.LOG_LEVEL), base: { org: config.org } });
  mkdirSync(config.dataDir, { recursive: true });
  const credentials = readCredentials(config);
  const connection = connectToPeer(config, { credentials });
  const ledger = new LedgerClient({
    port: connection.port,
    channel: config.channel,
    chaincode: config.chaincode,
    onRetry: (info) => logger.warn('write conflict, retrying with a new proposal', info),
  });
  let query: QuerySide;
  try {
    query = await startQuerySide(config, credentials, logger);
  } catch (err) {
    connection.close();
    console.error(`agritrace gateway: query store: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const accounts = openAccounts(config);
  const app = createServer(config, ledger, {
    logger,
    store: query.store,
    health: { store: query.health },
    accounts,
    // Once the gateway is up, carry on the recalls its organisation started that a restart interrupted.
    resumeRecallsAfterMs: 3_000,
  });

  let server: Server;
  try {
    server = await listen(app, config);
  } catch (err) {
    await query.close();
    accounts.store.close();
    connection.close();
    console.error(`agritrace gateway: ${listenProblem(err, config)}`);
    return 1;
  }
  const url = `http://${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}`;
  console.log(`agritrace gateway ${config.org} (${config.mspId}) listening on ${url}`);
  logger.info('listening', {
    url,
    peer: config.peer.endpoint,
    channel: config.channel,
    chaincode: config.chaincode,
  });
  let stopping = false;
  void connection.waitForReady(5_000).then((ready) => {
    if (!ready && !stopping) {
      logger.warn('peer not reachable yet; requests fail until it is', { peer: config.peer.endpoint });
    }
  });

  await stopSignal(logger);
  stopping = true;
  await closeServer(server);
  await query.close();
  accounts.store.close();
  connection.close();
  logger.info('stopped');
  return 0;
}

function listen(app: ReturnType<typeof createServer>, config: GatewayConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer(requestListener(app));
    server.listen(config.listen.port, config.listen.host);
    // Keep idle connections longer than clients and proxies do (Node's 5 s default races their reuse of a
    // connection the server is just closing: "other side closed").
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function listenProblem(err: unknown, config: GatewayConfig): string {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${config.listen.host}:${config.listen.port}`;
  if (code === 'EADDRINUSE') {
    return `port ${where} is already in use (another gateway running? see \`npm run network:status\`), or change listen.port in ${config.source}`;
  }
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on ${where}: no such local address (listen.host in ${config.source})`;
  if (code === 'EACCES') return `not allowed to listen on ${where}`;
  return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      logger.info('stopping', { signal });
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Stops accepting connections, lets open requests finish for a while, then cuts the rest. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('agritrace gateway: failed to start:', err);
      process.exitCode = 1;
    },
  );
}
