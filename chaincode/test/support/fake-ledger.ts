/**
 * A one-channel, one-chaincode ledger in memory for unit tests. Transactions go through the real
 * fabric-contract-api dispatcher (metadata, argument marshalling, ClientIdentity from real certificates), run on a
 * FakeStub, and commit only if they succeed and satisfy the key-level endorsement policies of the keys they write.
 */
import './quiet-logging';
import { createHash } from 'crypto';
import { ClientIdentity, KeyEndorsementPolicy } from 'fabric-shim';
import type { ChaincodeStub as RealStub } from 'fabric-shim';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { Context, JSONSerializer } from 'fabric-contract-api';
import type { Contract } from 'fabric-contract-api';
import { contracts } from '../../src';
import { bindOperator } from '../../src/lib/operator';
import { parseChaincodeError } from '../../src/shared/errors';
import type { ChaincodeErrorBody } from '../../src/shared/errors';
import { FakeStub, printable } from './fake-stub';
import { WorldState } from './world-state';
import identities from './fixtures/identities.json';

/** Test organisations: the key of each is used in fixture certificate names and its MSP ID. */
export const ORGS = {
  regulator: 'RegulatorMSP',
  regulator2: 'Regulator2MSP',
  inspector: 'InspectorMSP',
  producer: 'ProducerMSP',
  producer2: 'Producer2MSP',
  processor: 'ProcessorMSP',
  logistics: 'LogisticsMSP',
  retailer: 'RetailerMSP',
  outsider: 'OutsiderMSP',
} as const;

/** A test organisation's short name. */
export type OrgName = keyof typeof ORGS;

/** A signing identity: organisation, certificate and, for readability in failures, a label. */
export interface Identity {
  org: OrgName;
  mspId: string;
  certificate: string;
  label: string;
}

/** The admin (OU=admin) or client (OU=client) identity of a test organisation. */
export function identity(org: OrgName, kind: 'admin' | 'client' = 'client'): Identity {
  const certificate = (identities as Record<string, string>)[`${org}/${kind}`];
  if (!certificate) throw new Error(`no fixture certificate for ${org}/${kind}`);
  return { org, mspId: ORGS[org], certificate, label: `${org}/${kind}` };
}

/** An event committed on the ledger. */
export interface CommittedEvent {
  blockNumber: number;
  txId: string;
  name: string;
  payload: unknown;
}

/** A refused transaction: the chaincode's coded error (or a commit failure such as an endorsement policy). */
export class TransactionFailure extends Error {
  constructor(
    message: string,
    readonly body: ChaincodeErrorBody | undefined,
    readonly validationCode?: 'ENDORSEMENT_POLICY_FAILURE',
  ) {
    super(message);
    this.name = 'TransactionFailure';
  }
  /** The chaincode error code, if the chaincode refused. */
  get code(): string | undefined {
    return this.body?.code;
  }
}

/** Options of one submission. */
export interface SubmitOptions {
  /** Organisations whose peers endorse; default: every organisation the policies ask for. */
  endorsers?: string[];
  /** The organisation's user who acts: appended as the final `operator` argument (default '', none named). */
  operator?: string;
}

/** The fake ledger. */
export class FakeLedger {
  readonly state = new WorldState('agritrace');
  readonly events: CommittedEvent[] = [];
  blockHeight = 0;
  /** What the last committed transaction wrote: key → value (undefined for a delete). */
  lastWrites: ReadonlyMap<string, Uint8Array | undefined> = new Map();
  private readonly chaincode = new ChaincodeFromContract(
    [...contracts] as (typeof Contract)[],
    { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
    {},
    'agritrace',
    'test',
  );
  private txCounter = 0;
  /** Ledger time advances one second per transaction, from 2026-03-01T08:00:00Z. */
  private clock = Date.UTC(2026, 2, 1, 8, 0, 0);

  /**
   * Endorses, orders and commits a transaction; resolves to its result or rejects with a TransactionFailure. Like
   * the gateway's contract wrapper, it appends the operator as every write's final argument.
   */
  async submit(
    caller: Identity,
    fn: string,
    args: string[] = [],
    options: SubmitOptions = {},
  ): Promise<string> {
    return this.submitArguments(caller, fn, [...args, options.operator ?? ''], options);
  }

  /** submit() with exactly these arguments, the operator included (tests of the argument itself). */
  async submitArguments(
    caller: Identity,
    fn: string,
    args: string[],
    options: SubmitOptions = {},
  ): Promise<string> {
    const { stub, txId, time, result } = await this.simulate(caller, fn, args);
    for (const key of stub.writes.keys()) {
      const policy = this.state.validationParameter(key);
      if (!policy || !options.endorsers) continue;
      const required = new KeyEndorsementPolicy(policy).listOrgs();
      const missing = required.filter((org) => !options.endorsers?.includes(org));
      if (missing.length > 0) {
        throw new TransactionFailure(
          `transaction ${txId} invalid: ENDORSEMENT_POLICY_FAILURE on ${printable(key)} (needs ${missing.join(', ')})`,
          undefined,
          'ENDORSEMENT_POLICY_FAILURE',
        );
      }
    }
    this.blockHeight++;
    this.state.apply(stub.writes, txId, time);
    this.lastWrites = new Map([...stub.writes].map(([key, write]) => [key, write.value]));
    if (stub.event) {
      this.events.push({
        blockNumber: this.blockHeight,
        txId,
        name: stub.event.name,
        payload: JSON.parse(Buffer.from(stub.event.payload).toString('utf8')),
      });
    }
    return result;
  }

  /** Runs a query on one peer without ordering it; a query that writes is a bug and fails. */
  async evaluate(caller: Identity, fn: string, args: string[] = []): Promise<string> {
    const { stub, result } = await this.simulate(caller, fn, args);
    if (stub.writes.size > 0 || stub.event)
      throw new Error(`${fn} was evaluated but wrote state or set an event`);
    return result;
  }

  /** submit() with the result parsed from JSON. */
  async submitJson<T = unknown>(
    caller: Identity,
    fn: string,
    args: string[] = [],
    options?: SubmitOptions,
  ): Promise<T> {
    return JSON.parse(await this.submit(caller, fn, args, options)) as T;
  }

  /** evaluate() with the result parsed from JSON. */
  async evaluateJson<T = unknown>(caller: Identity, fn: string, args: string[] = []): Promise<T> {
    return JSON.parse(await this.evaluate(caller, fn, args)) as T;
  }

  /**
   * A transaction context over committed state for calling chaincode helpers directly, bound to no operator;
   * nothing it writes is kept.
   */
  contextFor(caller: Identity): Context {
    const stub = new FakeStub(this.state, {
      txId: FakeLedger.txIdOf(0),
      channelId: 'agritrace',
      timestamp: new Date(this.clock),
      creator: { mspid: caller.mspId, idBytes: Buffer.from(caller.certificate, 'utf8') },
      peerMspId: caller.mspId,
      args: [],
    });
    const ctx = new Context() as Context & {
      setChaincodeStub(stub: FakeStub): void;
      setClientIdentity(identity: ClientIdentity): void;
    };
    ctx.setChaincodeStub(stub);
    ctx.setClientIdentity(new ClientIdentity(stub as unknown as RealStub));
    bindOperator(ctx, '');
    return ctx;
  }

  /** The last committed event. */
  lastEvent(): CommittedEvent | undefined {
    return this.events[this.events.length - 1];
  }

  /** A stored JSON value by key (tests inspecting state directly). */
  read<T = unknown>(key: string): T | undefined {
    const bytes = this.state.get(key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
  }

  /** A JSON value the last committed transaction wrote under the key, as a client reads it from the write set. */
  written<T = unknown>(key: string): T | undefined {
    const bytes = this.lastWrites.get(key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
  }

  /** Transaction ID of the n-th transaction (deterministic, hex like Fabric's). */
  static txIdOf(n: number): string {
    return createHash('sha256').update(`tx-${n}`).digest('hex');
  }

  /** Runs the chaincode for one proposal; throws a TransactionFailure if the chaincode refuses. */
  private async simulate(
    caller: Identity,
    fn: string,
    args: string[],
  ): Promise<{ stub: FakeStub; txId: string; time: Date; result: string }> {
    const txId = FakeLedger.txIdOf(++this.txCounter);
    this.clock += 1000;
    const time = new Date(this.clock);
    const stub = new FakeStub(this.state, {
      txId,
      channelId: 'agritrace',
      timestamp: time,
      creator: { mspid: caller.mspId, idBytes: Buffer.from(caller.certificate, 'utf8') },
      peerMspId: caller.mspId,
      args: [fn, ...args],
    });
    const response = await this.chaincode.Invoke(stub);
    if (response.status !== 200) {
      const message = response.message ?? '';
      throw new TransactionFailure(message, parseChaincodeError(message));
    }
    const result = response.payload ? Buffer.from(response.payload).toString('utf8') : '';
    return { stub, txId, time, result };
  }
}

/** Expects a promise to be refused with a chaincode error code, and returns the failure for further checks. */
export async function expectRefusal(promise: Promise<unknown>, code: string): Promise<TransactionFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TransactionFailure && error.code === code) return error;
    throw new Error(
      `expected refusal ${code}, got: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  throw new Error(`expected refusal ${code}, but the transaction succeeded`);
}
