/**
 * The one serializer for state, events and transaction results. Every endorsing peer must produce identical bytes,
 * so keys are sorted at every depth and undefined fields are dropped: the text json-stringify-deterministic gives,
 * which this module wrote before (the unit tests hold the two to the same output). That package stringifies every
 * value twice (once whole to detect cycles) and builds arrays of parts at each level; writing the text in one pass
 * costs a fraction of it, and every recording transaction serializes its records, its event and its answer.
 */

/** Objects nested deeper than this are refused (a cycle ends here too, instead of overflowing the stack). */
const MAX_DEPTH = 256;

/** Deterministic JSON text of a value (keys sorted at every depth, undefined fields dropped). */
export function toJson(value: unknown): string {
  const text = write(value, 0);
  if (text === undefined) throw new TypeError(`cannot serialize ${typeof value} to JSON`);
  return text;
}

/** Deterministic JSON bytes of a value, for putState and setEvent. */
export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(toJson(value), 'utf8');
}

/** Parses bytes written by toBytes. */
export function fromBytes<T>(bytes: Uint8Array): T {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return JSON.parse(buffer.toString('utf8')) as T;
}

/** JSON text of a value, or undefined for what JSON leaves out (undefined, functions, symbols). */
function write(input: unknown, depth: number): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as ToJson).toJSON === 'function') {
    value = (value as ToJson).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('cannot serialize a BigInt to JSON');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (depth >= MAX_DEPTH)
    throw new TypeError(`cannot serialize to JSON: nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], depth + 1) ?? 'null';
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const text = write(record[key], depth + 1);
    if (text === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + text;
    first = false;
  }
  return out + '}';
}

interface ToJson {
  toJSON(): unknown;
}
