/**
 * The simulated device's own P-256 key, persisted as a PKCS#8 PEM file readable by its owner only (mode 600), so
 * that the device keeps its identity, and its registration stays valid, from one run to the next. Beside it, the
 * sequence number of the last batch the ledger accepted.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'crypto';
import type { KeyObject } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';

/** A device's key pair, and its public key as the registry wants it (SPKI PEM). */
export interface DeviceKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** True if the key was made by this call (and written to the file). */
  created: boolean;
}

/** Reads the device key from `file`, or makes a new P-256 key and writes it there (mode 600, folder mode 700). */
export function loadOrCreateDeviceKey(file: string): DeviceKey {
  if (existsSync(file)) {
    const privateKey = createPrivateKey({ key: readFileSync(file, 'utf8'), format: 'pem' });
    if (
      privateKey.asymmetricKeyType !== 'ec' ||
      privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
    ) {
      throw new Error(`${file} does not hold an EC P-256 private key`);
    }
    return { privateKey, publicKeyPem: publicPemOf(privateKey), created: false };
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  // The mode given to writeFileSync is filtered by the umask; the key must not be readable by others whatever it is.
  chmodSync(file, 0o600);
  return { privateKey, publicKeyPem: publicPemOf(privateKey), created: true };
}

/** The SPKI PEM of a private key's public half. */
export function publicPemOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** Where the last accepted sequence of the device whose key is `keyFile` is kept: `<key file without .pem>.json`. */
export function sequenceFileOf(keyFile: string): string {
  return `${keyFile.replace(/\.pem$/, '')}.json`;
}

/** The last sequence stored for the device, or undefined if none (or the file is unreadable). */
export function readStoredSequence(file: string): number | undefined {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { lastSequence?: unknown };
    return typeof stored.lastSequence === 'number' && Number.isSafeInteger(stored.lastSequence)
      ? stored.lastSequence
      : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the last accepted sequence of a device. */
export function storeSequence(file: string, deviceId: string, lastSequence: number): void {
  writeFileSync(file, `${JSON.stringify({ deviceId, lastSequence }, null, 2)}\n`, { mode: 0o600 });
}
