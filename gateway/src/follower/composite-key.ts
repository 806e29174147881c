/** Fabric composite keys: U+0000, the object type, then each attribute followed by U+0000. */

/** The parts of a composite key. */
export interface CompositeKey {
  readonly objectType: string;
  readonly attributes: readonly string[];
}

const SEPARATOR = '\u0000';

/** Splits a composite key into object type and attributes; undefined for a simple key. */
export function parseCompositeKey(key: string): CompositeKey | undefined {
  if (!key.startsWith(SEPARATOR) || !key.endsWith(SEPARATOR) || key.length < 3) return undefined;
  const parts = key.slice(1, -1).split(SEPARATOR);
  const [objectType, ...attributes] = parts;
  if (!objectType) return undefined;
  return { objectType, attributes };
}

/** Builds a composite key (the inverse of {@link parseCompositeKey}), as the chaincode's createCompositeKey does. */
export function compositeKey(objectType: string, attributes: readonly string[]): string {
  return SEPARATOR + objectType + SEPARATOR + attributes.map((attribute) => attribute + SEPARATOR).join('');
}
