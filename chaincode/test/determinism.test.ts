/**
 * Endorsing peers must produce identical bytes: the same transactions on two ledgers give byte-identical state,
 * results and events, and every stored JSON value has its keys sorted. The serializer writes the very text
 * json-stringify-deterministic (which it replaced) writes, so records written before and after read the same.
 */
import './support/quiet-logging';
import stringifyDeterministic from 'json-stringify-deterministic';
import { fromBytes, toBytes, toJson } from '../src/lib/serializer';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, who } from './support/alliance';
import type { FakeLedger } from './support/fake-ledger';

/** A short chain of every kind of write, checked against the default rule set; returns every result. */
async function scenario(ledger: FakeLedger): Promise<string[]> {
  const results: string[] = [];
  const farm = lotIdOf(gtin13(1), 'D-1');
  results.push(await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet', [], { operator: 'li.na' }));
  await createLot(ledger, who.producer, 'D-1');
  await handOver(ledger, who.producer, who.processor, farm);
  results.push(
    await ledger.submit(
      who.processor,
      'transformations:ProcessLots',
      [
        JSON.stringify({
          inputs: [{ lotId: farm, quantity: 300, unit: 'kg' }],
          outputs: [
            {
              gtin: gtin13(2),
              lot: 'D-P',
              quantity: 500,
              unit: 'bag',
              netContent: { quantity: 0.5, unit: 'kg' },
            },
          ],
        }),
      ],
      { operator: 'plant-operator-3' },
    ),
  );
  results.push(
    await ledger.submit(who.inspector, 'lots:RecordEvent', [
      JSON.stringify({
        lotId: farm,
        bizStep: 'inspecting',
        disposition: 'conformant',
        sensorElementList: [
          {
            sensorReport: [
              { value: 3, type: 'Temperature', uom: 'CEL' },
              { type: 'MassConcentration', chemicalSubstance: 'methamidophos', value: 0.01, uom: 'mg/kg' },
            ],
          },
        ],
      }),
    ]),
  );
  results.push(
    await ledger.submit(who.regulator, 'recalls:RecallLot', [
      JSON.stringify({ severity: 'II', reason: 'test', lotId: farm, batchSize: 1 }),
    ]),
  );
  results.push(await ledger.evaluate(who.retailer, 'trace:TraceForward', [farm, '', '', '']));
  return results;
}

describe('determinism', () => {
  it('gives byte-identical state, results and events for the same transactions', async () => {
    const [a, b] = [await allianceLedger(), await allianceLedger()];
    expect(await scenario(a)).toEqual(await scenario(b));
    expect(a.state.keys()).toEqual(b.state.keys());
    for (const key of a.state.keys()) {
      expect(
        Buffer.from(a.state.get(key) as Uint8Array).equals(Buffer.from(b.state.get(key) as Uint8Array)),
      ).toBe(true);
    }
    expect(a.events).toEqual(b.events);
  });

  it('stores every JSON value with sorted keys', async () => {
    const ledger = await allianceLedger();
    await scenario(ledger);
    let checked = 0;
    for (const key of ledger.state.keys()) {
      const text = Buffer.from(ledger.state.get(key) as Uint8Array).toString('utf8');
      if (!text.startsWith('{')) continue;
      expect(text).toBe(toJson(JSON.parse(text)));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('writes what json-stringify-deterministic writes, for every record and for awkward values', async () => {
    const ledger = await allianceLedger();
    await scenario(ledger);
    const records = ledger.state
      .keys()
      .map((key) => Buffer.from(ledger.state.get(key) as Uint8Array).toString('utf8'))
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as unknown);
    const awkward = {
      'z key': 'line\nbreak "quoted" \u2028 \ud83c\udf3e 稻米',
      Z: [undefined, null, () => 1, { b: undefined, a: [] }, [[], {}]],
      a: { c: 1e21, b: -0, a: 0.1 + 0.2, d: Number.NaN, e: Number.POSITIVE_INFINITY, f: -5e-7 },
      ä: true,
      '10': false,
      '9': new Date(Date.UTC(2026, 10, 26, 1, 2, 3)),
      skipped: undefined,
      buffer: Buffer.from('ab'),
    };
    for (const value of [
      ...records,
      ...ledger.events.map((e) => e.payload),
      awkward,
      [awkward],
      'text',
      42,
      null,
    ]) {
      expect(toJson(value)).toBe(stringifyDeterministic(value));
    }
    expect(records.length).toBeGreaterThan(20);
  });

  it('refuses what JSON cannot hold and reads back what it wrote', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(() => toJson(cycle)).toThrow(TypeError);
    expect(() => toJson({ n: BigInt(1) })).toThrow(TypeError);
    expect(() => toJson(undefined)).toThrow(TypeError);
    const value = { b: [1, 'two', { c: null }], a: '稻米' };
    const bytes = toBytes(value);
    expect(fromBytes(bytes)).toEqual(value);
    expect(fromBytes(Uint8Array.from(bytes).subarray(0))).toEqual(value);
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes, 2);
    expect(fromBytes(padded.subarray(2, 2 + bytes.length))).toEqual(value);
  });
});
