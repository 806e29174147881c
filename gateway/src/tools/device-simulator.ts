/**
 * `npm run device:simulate`: a cold-chain logger that shows the IoT path end to end. It makes (or reuses) its own
 * P-256 key, registers itself through an organisation's gateway (attached to a lot, if one is named), then streams
 * signed batches of readings, optionally with a breach of the cold chain, and prints what the ledger made of each.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { DeviceRecord, ReadingBatch, ReadingsOutcome } from '@agritrace/chaincode/dist/shared/devices';
import { DEVICE_ID_PATTERN, MAX_READINGS_PER_BATCH } from '@agritrace/chaincode/dist/shared/devices';
import { ORG_KEY_PATTERN, REPO_ROOT, STATE_DIR_ENV, configPathForOrg, generatedConfigDir } from '../config';
import { loadOrCreateDeviceKey, readStoredSequence, sequenceFileOf, storeSequence } from './device-key';
import type { DeviceKey } from './device-key';
import {
  SIMULATED_CATEGORIES,
  batchReadings,
  planBreach,
  planTimeline,
  signBatch,
} from './simulated-readings';
import type { ReadingPlan, SimulatedCategory } from './simulated-readings';

/** The logistics firm's gateway, where a cold-chain logger usually belongs. */
export const DEFAULT_GATEWAY = 'http://127.0.0.1:3005';
/** The organisation whose API token is used when none is named. */
export const DEFAULT_ORG = 'logistics';
/** The device ID when none is given. */
export const DEFAULT_DEVICE_ID = 'SIM-LOGGER-001';

/** Help text. */
export const USAGE = `Usage: npm run device:simulate -- [options]
       node gateway/dist/tools/device-simulator.js [options]

A simulated cold-chain logger: it creates its P-256 key (kept in a file, mode 600), registers itself through an
organisation's gateway unless it is registered already, and streams batches of readings (time, temperature,
humidity, position) that it signs; the chaincode verifies every signature and checks the readings against the
cold-chain rules of the lot the device is attached to. Each batch prints whether it was accepted, the violations
it raised and the lot's status.

Options:
  --gateway <url>        the gateway to use (default ${DEFAULT_GATEWAY}, the logistics firm's; with --org,
                         that organisation's gateway from its generated configuration)
  --token <token>        API token of the gateway's organisation
  --org <orgKey>         read the token from network/state/gateway/credentials.json (default ${DEFAULT_ORG});
                         the state folder is $${STATE_DIR_ENV} when that is set
  --device-id <id>       the device (default ${DEFAULT_DEVICE_ID})
  --lot <lotId>          attach the device to this lot ("<GTIN-14>:<batch>"), held by the organisation
  --category <c>         how the lot is kept: ${SIMULATED_CATEGORIES.join(' | ')} (default chilled)
  --batches <n>          batches to send (default 3)
  --batch-size <n>       readings per batch, 1-${MAX_READINGS_PER_BATCH} (default 100)
  --interval-ms <ms>     pause between batches (default 1000)
  --sample-seconds <s>   time between two readings (default 60)
  --breach               inject a cold-chain breach: readings above the range for longer than tolerated
  --key-file <file>      the device's private key, PEM; created if missing
                         (default <state>/devices/<device-id>.pem)
  -h, --help             print this help

Example: npm run device:simulate -- --lot 06901234567892:L-1 --batches 4 --breach`;

/** What one run does. */
export interface SimulatorOptions {
  gateway: string;
  token: string;
  deviceId: string;
  lotId?: string;
  category: SimulatedCategory;
  batches: number;
  batchSize: number;
  intervalMs: number;
  sampleSeconds: number;
  breach: boolean;
  keyFile: string;
}

/** A command line that cannot be understood; the message says what to type instead. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = UsageError.name;
  }
}

/** A refusal from the gateway: its status and problem document. */
export class GatewayRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = GatewayRequestError.name;
  }
}

const VALUE_OPTIONS = [
  '--gateway',
  '--token',
  '--org',
  '--device-id',
  '--lot',
  '--category',
  '--batches',
  '--batch-size',
  '--interval-ms',
  '--sample-seconds',
  '--key-file',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

/**
 * Parses the arguments (without node and script) into options, reading the token and the gateway address from the
 * generated network state when they are not given.
 * @throws {@link UsageError} for an unknown option, a bad value, or no token to be found.
 */
export function parseSimulatorArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  repoRoot: string = REPO_ROOT,
): SimulatorOptions | 'help' {
  const values = new Map<ValueOption, string>();
  let breach = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--breach') {
      breach = true;
      continue;
    }
    const at = arg.indexOf('=');
    const name = arg.startsWith('--') && at > 0 ? arg.slice(0, at) : arg;
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown option ${arg}`);
    const value = at > 0 && name !== arg ? arg.slice(at + 1) : argv[++i];
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new UsageError(`${name} needs a value`);
    values.set(name as ValueOption, value);
  }
  const deviceId = values.get('--device-id') ?? DEFAULT_DEVICE_ID;
  if (!DEVICE_ID_PATTERN.test(deviceId)) {
    throw new UsageError(
      `--device-id ${deviceId}: letters, digits and . _ : - (at most 128, starting alphanumeric)`,
    );
  }
  const category = values.get('--category') ?? 'chilled';
  if (!(SIMULATED_CATEGORIES as readonly string[]).includes(category)) {
    throw new UsageError(`--category must be ${SIMULATED_CATEGORIES.join(' or ')}`);
  }
  const lotId = values.get('--lot');
  if (lotId !== undefined && !/^\d{14}:\S{1,20}$/.test(lotId)) {
    throw new UsageError(`--lot ${lotId}: a lot ID is "<GTIN-14>:<batch>"`);
  }
  const explicitOrg = values.get('--org');
  const org = explicitOrg ?? DEFAULT_ORG;
  if (!ORG_KEY_PATTERN.test(org))
    throw new UsageError(`--org ${org}: not an organisation key (e.g. logistics)`);
  const stateDir = path.dirname(generatedConfigDir(env, repoRoot));
  return {
    gateway: gatewayUrl(values.get('--gateway'), explicitOrg, env, repoRoot),
    token: values.get('--token') ?? tokenOf(org, env, repoRoot),
    deviceId,
    lotId,
    category: category as SimulatedCategory,
    batches: integer(values, '--batches', 3, 1, 100_000),
    batchSize: integer(values, '--batch-size', 100, 1, MAX_READINGS_PER_BATCH),
    intervalMs: integer(values, '--interval-ms', 1000, 0, 3_600_000),
    sampleSeconds: integer(values, '--sample-seconds', 60, 1, 86_400),
    breach,
    keyFile: path.resolve(values.get('--key-file') ?? path.join(stateDir, 'devices', `${deviceId}.pem`)),
  };
}

/** The gateway's base URL: as given, else that of the named organisation's configuration, else the default. */
function gatewayUrl(
  given: string | undefined,
  org: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  repoRoot: string,
): string {
  if (given !== undefined) {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new UsageError(`--gateway ${given}: not a URL (e.g. ${DEFAULT_GATEWAY})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError('--gateway must be http(s)');
    return given.replace(/\/+$/, '');
  }
  if (org === undefined) return DEFAULT_GATEWAY;
  const file = configPathForOrg(org, env, repoRoot);
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as { listen?: { host?: string; port?: number } };
    const { host = '127.0.0.1', port } = config.listen ?? {};
    if (typeof port === 'number') return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  } catch {
    // no generated configuration for the organisation: fall back to the default gateway
  }
  return DEFAULT_GATEWAY;
}

/** The API token of an organisation from the generated credentials file. */
function tokenOf(org: string, env: Readonly<Record<string, string | undefined>>, repoRoot: string): string {
  const file = path.join(generatedConfigDir(env, repoRoot), 'credentials.json');
  if (!existsSync(file)) {
    throw new UsageError(`no API tokens at ${file}: start the network (npm start) or pass --token`);
  }
  const tokens = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const token = tokens[org];
  if (typeof token !== 'string' || token === '') {
    throw new UsageError(`${file} has no token for ${org}; it has ${Object.keys(tokens).sort().join(', ')}`);
  }
  return token;
}

/** An integer option within [min, max], or its default. */
function integer(
  values: ReadonlyMap<ValueOption, string>,
  name: ValueOption,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** The device routes of one gateway, as one organisation (answers are {data} for reads, {data, tx} for writes). */
export class DeviceApi {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 60_000,
  ) {}

  /** The device's record, or undefined if it is not registered. */
  async findDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const response = await this.request('GET', `/api/v1/devices/${encodeURIComponent(deviceId)}`);
    if (response.status === 404) return undefined;
    return (await this.answer<{ data: DeviceRecord }>(response)).data;
  }

  /** Registers a cold-chain logger, attached to a lot when one is given. */
  async registerDevice(
    deviceId: string,
    publicKeyPem: string,
    attachedTo?: { lotId: string; storageCategory: string },
  ): Promise<Written<DeviceRecord>> {
    const body = { deviceId, kind: 'cold_chain_logger', publicKeyPem, ...(attachedTo ? { attachedTo } : {}) };
    return this.answer(await this.request('POST', '/api/v1/devices', body));
  }

  /** Attaches the device to another lot. */
  async attachDevice(
    deviceId: string,
    attachedTo: { lotId: string; storageCategory: string },
  ): Promise<Written<DeviceRecord>> {
    return this.answer(
      await this.request('POST', `/api/v1/devices/${encodeURIComponent(deviceId)}/attach`, attachedTo),
    );
  }

  /** Submits a signed batch, exactly as signed. */
  async submitReadings(batch: ReadingBatch): Promise<Written<ReadingsOutcome>> {
    const url = `/api/v1/devices/${encodeURIComponent(batch.deviceId)}/readings`;
    return this.answer(await this.request('POST', url, batch));
  }

  private request(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Response> {
    return this.fetchImpl(`${this.base}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  /** The JSON answer of a successful response; a GatewayRequestError with the problem's code and detail otherwise. */
  private async answer<T>(response: Response): Promise<T> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed as T;
    const problem = (parsed ?? {}) as { code?: string; detail?: string };
    const detail = problem.detail ?? (text.slice(0, 200) || response.statusText);
    throw new GatewayRequestError(
      `${response.status}${problem.code ? ` ${problem.code}` : ''}: ${detail}`,
      response.status,
      problem.code,
    );
  }
}

/** A committed write as the gateway answers it. */
export interface Written<T> {
  data: T;
  tx: { txId: string; blockNumber: number };
}

/** What the run needs from its surroundings (replaced in tests). */
export interface SimulatorIo {
  api: DeviceApi;
  log: (line: string) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Runs the simulator: key, registration (or re-attachment), then the batches. Stops at the first refused batch.
 * Returns the number of batches the ledger accepted.
 */
export async function runSimulator(options: SimulatorOptions, io: SimulatorIo): Promise<number> {
  const key = loadOrCreateDeviceKey(options.keyFile);
  io.log(`${key.created ? 'created' : 'using'} device key ${options.keyFile}`);
  const device = await ensureRegistered(options, key, io);
  const sequenceFile = sequenceFileOf(options.keyFile);
  const stored = readStoredSequence(sequenceFile);
  let sequence = Math.max(device.lastSequence ?? 0, stored ?? 0) + 1;
  const total = options.batches * options.batchSize;
  const after = device.lastBatch ? Date.parse(device.lastBatch.lastTime) : undefined;
  const timeline = planTimeline(io.now(), total, options.sampleSeconds * 1000, after);
  const plan: ReadingPlan = {
    ...timeline,
    category: options.category,
    breach: options.breach ? planBreach(timeline) : undefined,
  };
  if (plan.breach) {
    const first = new Date(plan.start + plan.breach.from * plan.stepMs).toISOString();
    io.log(
      `breach: readings ${plan.breach.from + 1}-${plan.breach.from + plan.breach.length} of ${total}, from ${first}`,
    );
  }
  let accepted = 0;
  for (let batch = 0; batch < options.batches; batch++, sequence++) {
    if (batch > 0 && options.intervalMs > 0) await io.sleep(options.intervalMs);
    const signed = signBatch(
      key.privateKey,
      options.deviceId,
      sequence,
      batchReadings(plan, batch, options.batchSize),
    );
    const { data, tx } = await io.api.submitReadings(signed);
    storeSequence(sequenceFile, options.deviceId, sequence);
    accepted++;
    io.log(describeBatch(batch + 1, options.batches, data, tx));
  }
  return accepted;
}

/** The device's record after making sure it is registered with this key and attached as asked. */
async function ensureRegistered(
  options: SimulatorOptions,
  key: DeviceKey,
  io: SimulatorIo,
): Promise<DeviceRecord> {
  const attachment = options.lotId ? { lotId: options.lotId, storageCategory: options.category } : undefined;
  const existing = await io.api.findDevice(options.deviceId);
  if (!existing) {
    const { data, tx } = await io.api.registerDevice(options.deviceId, key.publicKeyPem, attachment);
    io.log(
      `registered ${data.deviceId} for ${data.owner}${where(data)} (block ${tx.blockNumber}, tx ${short(tx.txId)})`,
    );
    return data;
  }
  if (normalizePem(existing.publicKeyPem) !== normalizePem(key.publicKeyPem)) {
    throw new Error(
      `device ${options.deviceId} is registered with another public key: use its key file, or another --device-id`,
    );
  }
  if (existing.status === 'retired')
    throw new Error(`device ${options.deviceId} is retired: use another --device-id`);
  io.log(
    `device ${existing.deviceId} is registered to ${existing.owner}${where(existing)}, last sequence ${existing.lastSequence ?? 'none'}`,
  );
  const attached = existing.attachedTo;
  if (
    attachment &&
    (attached?.lotId !== attachment.lotId || attached.storageCategory !== attachment.storageCategory)
  ) {
    const { data, tx } = await io.api.attachDevice(options.deviceId, attachment);
    io.log(`re-attached ${data.deviceId}${where(data)} (block ${tx.blockNumber}, tx ${short(tx.txId)})`);
    return data;
  }
  return existing;
}

/** One line of progress for an accepted batch. */
export function describeBatch(
  number: number,
  of: number,
  outcome: ReadingsOutcome,
  tx: { txId: string; blockNumber: number },
): string {
  const { batch, violations, lotStatus } = outcome;
  const parts = [
    `batch ${number}/${of} seq ${batch.sequence}: ${batch.count} readings ${batch.firstTime} → ${batch.lastTime}, ${batch.minCelsius} to ${batch.maxCelsius} °C`,
    `accepted in block ${tx.blockNumber} (tx ${short(tx.txId)})`,
    violations.length === 0
      ? 'no violation'
      : `${violations.length} violation(s): ${violations.map((v) => `${v.ruleId} (${v.message})`).join('; ')}`,
  ];
  if (batch.lotId) parts.push(`lot ${batch.lotId} ${lotStatus ?? 'unknown'}`);
  return parts.join(' | ');
}

/** ' attached to lot X (chilled)' or ''. */
function where(device: DeviceRecord): string {
  const to = device.attachedTo;
  if (to?.lotId) return ` attached to lot ${to.lotId} (${to.storageCategory ?? 'no category'})`;
  if (to?.shipmentId) return ` attached to shipment ${to.shipmentId}`;
  return ' (not attached: readings are stored, not checked)';
}

/** The first 12 characters of a transaction ID. */
function short(txId: string): string {
  return txId.slice(0, 12);
}

/** A PEM without line-break differences. */
function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

/** The command: parse, run, report; exit code 2 for usage errors, 1 for failures. */
async function main(argv: readonly string[]): Promise<void> {
  let options: SimulatorOptions | 'help';
  try {
    options = parseSimulatorArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`device-simulator: ${err.message}\nTry --help.`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const io: SimulatorIo = {
    api: new DeviceApi(options.gateway, options.token),
    log: (line) => console.log(line),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  console.log(`gateway ${options.gateway}, device ${options.deviceId}`);
  try {
    const accepted = await runSimulator(options, io);
    console.log(`done: ${accepted} batch(es) accepted`);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const hint =
      err instanceof TypeError && /fetch failed/.test(reason)
        ? ` (is the gateway at ${options.gateway} running?)`
        : '';
    console.error(`device-simulator: ${reason}${hint}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main(process.argv.slice(2));
