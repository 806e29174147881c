/**
 * class-validator looks up a class's validation metadata on every validate call: it walks every registered class
 * (an instanceof test against each) and filters their metadata, then groups the result by property. With this
 * chaincode's many argument classes that was about 40 % of validating a RecordEvent argument, on every endorsement.
 * The metadata is registered by decorators when the classes load and does not change afterwards, so both lookups
 * are memoized here per class and options; adding metadata (a class loaded later) forgets what was memoized.
 */
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

const PATCHED = Symbol.for('agritrace.classValidator.memoizedMetadata');

type Grouped = { [propertyName: string]: ValidationMetadata[] };
type Storage = MetadataStorage & { [PATCHED]?: true };

/** Memoizes class-validator's metadata lookups (idempotent). */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (storage[PATCHED]) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let byTarget = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = () => {
    byTarget = new Map();
    grouped = new WeakMap();
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let known = byTarget.get(target);
    if (!known) byTarget.set(target, (known = new Map()));
    let metadatas = known.get(options);
    if (!metadatas) known.set(options, (metadatas = lookup(target, schema, always, strictGroups, groups)));
    return metadatas;
  };
  storage.groupByPropertyName = (metadatas) => {
    let result = grouped.get(metadatas);
    if (!result) grouped.set(metadatas, (result = group(metadatas)));
    return result;
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = storage[method].bind(storage) as (argument: never) => void;
    (storage[method] as (argument: never) => void) = (argument) => {
      forget();
      add(argument);
    };
  }
  storage[PATCHED] = true;
}
