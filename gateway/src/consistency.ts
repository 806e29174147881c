/**
 * `node gateway/dist/consistency.js --config <gateway config>`: checks that the gateway's query store holds exactly
 * what the ledger holds. Waits (up to --wait seconds) for the store to catch up with the ledger, replays the
 * ledger from block 0, compares, prints every difference, and exits 1 if there is any (or if the store is still
 * behind), 0 otherwise.
 */
import { ConfigError, configPathForOrg, loadConfig, readCredentials } from './config';
import type { GatewayConfig } from './config';
import { checkConsistency } from './follower/consistency-check';
import type { ConsistencyReport } from './follower/consistency-check';
import { openFabricBlockSource } from './follower/block-source';
import type { BlockSource } from './follower/block-source';
import { readCheckpoint } from './follower/checkpoint';
import { openPostgresStore } from './store/postgres-store';
import { resolveQueryConfig } from './store/resolve-query-config';
import { openSqliteStore } from './store/sqlite-store';
import { StoreError } from './store/store';
import type { Store } from './store/store';

/** Help text. */
export const CONSISTENCY_USAGE = `Usage: node gateway/dist/consistency.js (--config <path> | --org <orgKey>) [--wait <seconds>] [--json]

Compares the gateway's query store with the ledger: replays every block of the channel from block 0 and checks
every key's latest value and version, every transaction and every projected record against the store.

Options:
  --config <path>    the gateway configuration (its store, peer and identity are used)
  --org <orgKey>     the generated configuration of an organisation (network/state/gateway/<orgKey>.json)
  --wait <seconds>   how long to wait for the store to catch up with the ledger first (default 30)
  --json             print the report as JSON
  -h, --help         print this help

Exit code: 0 when the store matches the ledger, 1 when it does not (or is still behind), 2 for a usage error.`;

interface Options {
  configPath: string;
  waitSeconds: number;
  json: boolean;
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArguments(argv);
  } catch (err) {
    console.error(`consistency: ${(err as Error).message}\n\n${CONSISTENCY_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(CONSISTENCY_USAGE);
    return 0;
  }
  try {
    const { report, location } = await checkGatewayStore(loadConfig(options.configPath), {
      waitMs: options.waitSeconds * 1000,
    });
    console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report, location));
    return report.differences.length === 0 && report.behindBlocks === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StoreError) console.error(`consistency: ${err.message}`);
    else console.error('consistency: the check failed:', err);
    return 1;
  }
}

/**
 * Checks a gateway's query store against the ledger: opens the store (without migrating it) and a connection to
 * the gateway's peer, waits up to `waitMs` for the store to catch up, then compares.
 */
export async function checkGatewayStore(
  config: GatewayConfig,
  options: Readonly<{ waitMs: number }>,
): Promise<{ report: ConsistencyReport; location: string }> {
  const query = resolveQueryConfig(config);
  const store =
    query.store.engine === 'sqlite'
      ? openSqliteStore(query.store.file, { mustExist: true })
      : await openPostgresStore(query.store.url);
  let source: BlockSource | undefined;
  try {
    await readCheckpoint(store).catch((err: unknown) => {
      throw new StoreError(
        `${store.location} is not a query store yet (${err instanceof Error ? err.message : String(err)}); ` +
          'start the gateway once so that it creates and fills it',
      );
    });
    source = openFabricBlockSource(config, readCredentials(config));
    await waitForCatchUp(store, source, options.waitMs);
    return {
      report: await checkConsistency(store, source, { chaincode: config.chaincode }),
      location: store.location,
    };
  } finally {
    source?.close();
    await store.close();
  }
}

/** Waits until the store's checkpoint reaches the ledger's last block, or the time is up. */
async function waitForCatchUp(store: Store, source: BlockSource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [checkpoint, height] = await Promise.all([readCheckpoint(store), source.height()]);
    if (checkpoint !== null && checkpoint >= height - 1) return;
    if (Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The report as text, one line per difference. */
export function formatReport(report: ConsistencyReport, location: string): string {
  const lines = [
    `store ${location}`,
    `ledger height ${report.ledgerHeight}; compared at block ${report.checkedBlock ?? '(none)'}; ` +
      `${report.keys} keys, ${report.transactions} transactions`,
  ];
  if (report.behindBlocks > 0) {
    lines.push(`the store is ${report.behindBlocks} block(s) behind the ledger (is its gateway running?)`);
  }
  for (const difference of report.differences) {
    const detail = [
      difference.ledger ? `ledger: ${difference.ledger}` : '',
      difference.store ? `store: ${difference.store}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(
      `${difference.kind.toUpperCase()} ${difference.subject} ${difference.id}${detail ? ` (${detail})` : ''}`,
    );
  }
  lines.push(
    report.differences.length === 0
      ? 'no differences: the store matches the ledger'
      : `${report.differences.length} difference(s)`,
  );
  return lines.join('\n');
}

function parseArguments(argv: readonly string[]): Options | 'help' {
  let configPath: string | undefined;
  let waitSeconds = 30;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') {
      json = true;
      continue;
    }
    const value = argv[i + 1];
    if (arg !== '--config' && arg !== '--org' && arg !== '--wait') throw new Error(`unknown option ${arg}`);
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
    i += 1;
    if (arg === '--config') configPath = value;
    else if (arg === '--org') configPath = configPathForOrg(value);
    else {
      waitSeconds = Number(value);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
        throw new Error('--wait needs a number of seconds');
    }
  }
  if (!configPath) throw new Error('pass --config <path> or --org <orgKey>');
  return { configPath, waitSeconds, json };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('consistency: failed:', err);
      process.exitCode = 1;
    },
  );
}
