/**
 * Endorsing peers must produce identical bytes: the same transactions on two ledgers give byte-identical state,
 * results and events, and every stored JSON value has its keys sorted.
 */
import './support/quiet-logging';
import { toJson } from '../src/lib/serializer';
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
});
