/**
 * Helpers for compliance and device tests: running chaincode helpers (evaluateEvent, recordViolations) inside a
 * committed transaction as the lots contract would, and P-256 device keys that sign reading batches.
 */
import { createHash, generateKeyPairSync, sign } from 'crypto';
import type { KeyObject } from 'crypto';
import { ClientIdentity } from 'fabric-shim';
import type { ChaincodeStub as RealStub } from 'fabric-shim';
import { Context } from 'fabric-contract-api';
import type { DeviceReading, ReadingBatch } from '../../src/shared/devices';
import { signingPayload } from '../../src/devices/signature';
import { bindOperator } from '../../src/lib/operator';
import { FakeStub } from './fake-stub';
import type { FakeLedger, Identity } from './fake-ledger';

let helperTransactions = 0;

/** Time of the first helper transaction; each further one is a minute later. */
const HELPER_CLOCK_START = Date.UTC(2026, 2, 2, 8, 0, 0);

/**
 * Runs `work` as one transaction of `caller` (acting through `operator`, '' for none) and commits its writes if it
 * succeeds (a failure commits nothing, as on a peer). Helper transactions happen a minute apart from
 * 2026-03-02T08:00Z, after every ledger transaction of a test. Returns what `work` returned and the transaction ID.
 */
export async function runInTransaction<T>(
  ledger: FakeLedger,
  caller: Identity,
  work: (ctx: Context) => Promise<T>,
  operator = '',
): Promise<{ result: T; txId: string }> {
  const n = ++helperTransactions;
  const txId = createHash('sha256').update(`helper-${n}`).digest('hex');
  const time = new Date(HELPER_CLOCK_START + n * 60_000);
  const stub = new FakeStub(ledger.state, {
    txId,
    channelId: 'agritrace',
    timestamp: time,
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
  bindOperator(ctx, operator);
  const result = await work(ctx);
  ledger.state.apply(stub.writes, txId, time);
  return { result, txId };
}

/** A device's P-256 key pair and its public key as SPKI PEM. */
export interface DeviceKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** A fresh P-256 key pair, as a device would generate. */
export function deviceKeys(): DeviceKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A batch signed by the device's key (base64 DER ECDSA over the canonical JSON). */
export function signedBatch(
  keys: DeviceKeys,
  deviceId: string,
  sequence: number,
  readings: DeviceReading[],
): ReadingBatch {
  const signature = sign('sha256', signingPayload({ deviceId, sequence, readings }), {
    key: keys.privateKey,
    dsaEncoding: 'der',
  }).toString('base64');
  return { deviceId, sequence, readings, signature };
}

/** Readings every `stepMinutes` from `start`, one per temperature given. */
export function readingsFrom(start: string, stepMinutes: number, temperatures: number[]): DeviceReading[] {
  const t0 = Date.parse(start);
  return temperatures.map((temperature, i) => ({
    time: new Date(t0 + i * stepMinutes * 60_000).toISOString(),
    temperature,
  }));
}
