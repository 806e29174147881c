/**
 * Device signatures: a device signs the canonical JSON of {deviceId, sequence, readings} (keys sorted at every
 * depth by the project's serializer) with ECDSA P-256 over SHA-256, DER-encoded and base64'd. ECDSA verification
 * is deterministic, so every endorsing peer reaches the same verdict. No Fabric imports: the device simulator
 * signs with signingPayload() from here.
 */
import { createPublicKey, verify } from 'crypto';
import type { KeyObject } from 'crypto';
import type { SignedReadings } from '../shared/devices';
import { ChaincodeError } from '../shared/errors';
import { toBytes } from '../lib/serializer';

/** Base64 of a DER ECDSA P-256 signature (at most 72 bytes, so at most 96 characters). */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{8,96}={0,2}$/;

/** The bytes a device signs: the canonical JSON of exactly these three fields. */
export function signingPayload(batch: SignedReadings): Uint8Array {
  return toBytes({ deviceId: batch.deviceId, sequence: batch.sequence, readings: batch.readings });
}

/** The P-256 public key of an SPKI PEM; MALFORMED_PUBLIC_KEY if it is not one. */
export function parseP256PublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----'))
      throw new Error('not SPKI PEM');
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new ChaincodeError('MALFORMED_PUBLIC_KEY', 'publicKeyPem must be an SPKI PEM public key', {
      field: 'publicKeyPem',
    });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ChaincodeError('MALFORMED_PUBLIC_KEY', 'publicKeyPem must be an EC P-256 (prime256v1) key', {
      field: 'publicKeyPem',
      type: key.asymmetricKeyType ?? null,
      curve: key.asymmetricKeyDetails?.namedCurve ?? null,
    });
  }
  return key;
}

/** True if `signature` (base64 DER) is the device key's signature of the batch. */
export function verifyBatchSignature(
  publicKeyPem: string,
  batch: SignedReadings,
  signature: string,
): boolean {
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) return false;
  try {
    const key = parseP256PublicKey(publicKeyPem);
    return verify(
      'sha256',
      signingPayload(batch),
      { key, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
