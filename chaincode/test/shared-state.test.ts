/** readSharedState: records most transactions read (rule-set catalog, members), parsed once per distinct bytes. */
import type { Context } from 'fabric-contract-api';
import { readSharedState } from '../src/lib/state';
import { toBytes } from '../src/lib/serializer';

/** A transaction context whose reads answer `values` (each transaction has its own stub). */
function transaction(values: Record<string, unknown>): Context {
  const stub = {
    getState: async (key: string) => (key in values ? toBytes(values[key]) : new Uint8Array()),
  };
  return { stub } as unknown as Context;
}

const KEY = '\u0000ruleSetCatalog\u0000';

describe('readSharedState', () => {
  it('gives every transaction that reads the same bytes the same frozen record', async () => {
    const catalog = {
      docType: 'ruleSetCatalog',
      entries: [{ id: 'cn-baseline', versions: [{ version: 1 }] }],
    };
    const first = await readSharedState<typeof catalog>(transaction({ [KEY]: catalog }), KEY);
    const second = await readSharedState<typeof catalog>(transaction({ [KEY]: catalog }), KEY);
    expect(first).toEqual(catalog);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.entries[0]?.versions[0])).toBe(true);
    expect(() => {
      (first as { entries: unknown[] }).entries.push({ id: 'x' });
    }).toThrow(TypeError);
  });

  it('parses again when the bytes change, and answers undefined for an absent key', async () => {
    const v1 = await readSharedState(transaction({ [KEY]: { docType: 'ruleSetCatalog', entries: [] } }), KEY);
    const v2 = await readSharedState(
      transaction({ [KEY]: { docType: 'ruleSetCatalog', entries: [{ id: 'new' }] } }),
      KEY,
    );
    expect(v2).not.toBe(v1);
    expect(v2).toEqual({ docType: 'ruleSetCatalog', entries: [{ id: 'new' }] });
    expect(await readSharedState(transaction({}), KEY)).toBeUndefined();
  });
});
