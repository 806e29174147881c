/**
 * The one serializer for state, events and transaction results. Every endorsing peer must produce identical bytes,
 * so keys are sorted recursively (json-stringify-deterministic does this) and undefined fields are dropped.
 */
import stringify from 'json-stringify-deterministic';

/** Deterministic JSON text of a value (keys sorted at every depth). */
export function toJson(value: unknown): string {
  return stringify(value);
}

/** Deterministic JSON bytes of a value, for putState and setEvent. */
export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(toJson(value), 'utf8');
}

/** Parses bytes written by toBytes. */
export function fromBytes<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
