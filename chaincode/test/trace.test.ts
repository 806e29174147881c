/** Forward and backward trace over a real supply chain, and the trace arguments. */
import './support/quiet-logging';
import type { LotRecord } from '../src/shared/lots';
import type { TracePage, TraceStep } from '../src/shared/trace';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, who } from './support/alliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';

const RICE = gtin13(1);
const BOXED = gtin13(2);
const FARM_A = lotIdOf(RICE, 'FARM-A');
const FARM_B = lotIdOf(RICE, 'FARM-B');
const MERGED = lotIdOf(RICE, 'MIX-1');
const PACKED_1 = lotIdOf(BOXED, 'PK-1');
const PACKED_2 = lotIdOf(BOXED, 'PK-2');
const RETAIL_1 = lotIdOf(BOXED, 'PK-1-S1');

/** Every step of a trace, following cursors. */
async function fullTrace(
  ledger: FakeLedger,
  fn: 'TraceForward' | 'TraceBackward',
  lotId: string,
  pageSize = '',
): Promise<{ steps: TraceStep[]; pages: TracePage[] }> {
  const pages: TracePage[] = [];
  let cursor = '';
  do {
    const page = await ledger.evaluateJson<TracePage>(who.retailer, `trace:${fn}`, [
      lotId,
      '',
      pageSize,
      cursor,
    ]);
    pages.push(page);
    cursor = page.cursor;
  } while (cursor !== '');
  return { steps: pages.flatMap((page) => page.steps), pages };
}

/**
 * The walk: a cooperative harvests two lots, the inspection centre inspects one, the processor receives
 * both, merges and processes them into two packaged lots, logistics carries one, the retailer receives it, splits
 * off a shelf lot and sells from it.
 */
async function supplyChain(): Promise<FakeLedger> {
  const ledger = await allianceLedger();
  await createLot(ledger, who.producer, 'FARM-A', { quantity: 600 });
  await createLot(ledger, who.producer, 'FARM-B', { quantity: 400, origin: { region: '370112' } });
  await ledger.submit(who.inspector, 'lots:RecordEvent', [
    JSON.stringify({ lotId: FARM_A, bizStep: 'inspecting', disposition: 'conformant' }),
  ]);
  await handOver(ledger, who.producer, who.processor, FARM_A);
  await handOver(ledger, who.producer, who.processor, FARM_B);
  await ledger.submit(who.processor, 'transformations:MergeLots', [
    JSON.stringify({ inputs: [{ lotId: FARM_A }, { lotId: FARM_B }], output: { lot: 'MIX-1' } }),
  ]);
  await ledger.submit(who.processor, 'transformations:ProcessLots', [
    JSON.stringify({
      inputs: [{ lotId: MERGED }],
      outputs: [
        {
          gtin: BOXED,
          lot: 'PK-1',
          product: 'Rice 5 kg',
          quantity: 100,
          unit: 'bag',
          netContent: { quantity: 5, unit: 'kg' },
        },
        {
          gtin: BOXED,
          lot: 'PK-2',
          product: 'Rice 5 kg',
          quantity: 90,
          unit: 'bag',
          netContent: { quantity: 5, unit: 'kg' },
        },
      ],
      declaredYield: 0.97,
    }),
  ]);
  await handOver(ledger, who.processor, who.logistics, PACKED_1);
  await ledger.submit(who.logistics, 'lots:RecordEvent', [
    JSON.stringify({
      lotId: PACKED_1,
      bizStep: 'shipping',
      disposition: 'in_transit',
      sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 18, uom: 'CEL' }] }],
    }),
  ]);
  await handOver(ledger, who.logistics, who.retailer, PACKED_1);
  await ledger.submit(who.retailer, 'transformations:SplitLot', [
    JSON.stringify({
      lotId: PACKED_1,
      outputs: [{ lot: 'PK-1-S1', quantity: 20, unit: 'bag', netContent: { quantity: 5, unit: 'kg' } }],
    }),
  ]);
  await ledger.submit(who.retailer, 'lots:RecordEvent', [
    JSON.stringify({
      lotId: RETAIL_1,
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      quantity: 2,
      unit: 'bag',
    }),
  ]);
  return ledger;
}

describe('trace over a supply chain', () => {
  let ledger: FakeLedger;
  beforeAll(async () => {
    ledger = await supplyChain();
  });

  it('goes backward from a retail lot to both farm lots, with every step and who is responsible', async () => {
    const { steps, pages } = await fullTrace(ledger, 'TraceBackward', RETAIL_1);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ truncated: false, totalLots: 5, cursor: '' });
    expect(steps.map((step) => [step.lotId, step.depth, step.custodian, step.producer])).toEqual([
      [RETAIL_1, 0, 'RetailerMSP', 'ProcessorMSP'],
      [PACKED_1, 1, 'RetailerMSP', 'ProcessorMSP'],
      [MERGED, 2, 'ProcessorMSP', 'ProcessorMSP'],
      [FARM_A, 3, 'ProcessorMSP', 'ProducerMSP'],
      [FARM_B, 3, 'ProcessorMSP', 'ProducerMSP'],
    ]);
    const farmA = steps.find((step) => step.lotId === FARM_A) as TraceStep;
    expect(farmA.events.map((event) => [event.bizStep, event.responsible.mspId])).toEqual([
      ['commissioning', 'ProducerMSP'],
      ['inspecting', 'InspectorMSP'],
      ['consigning', 'ProducerMSP'],
      ['accepting', 'ProcessorMSP'],
      ['commissioning', 'ProcessorMSP'],
    ]);
    expect(farmA).toMatchObject({
      region: '370102',
      createdBy: { mspId: 'ProducerMSP' },
      links: [],
      eventsTruncated: false,
    });
    expect(farmA.createdTxId).toMatch(/^[0-9a-f]{64}$/);
    const merged = steps.find((step) => step.lotId === MERGED) as TraceStep;
    expect(merged.links.map((link) => [link.input, link.output, link.kind])).toEqual([
      [FARM_A, MERGED, 'merge'],
      [FARM_B, MERGED, 'merge'],
    ]);
    const packed = steps.find((step) => step.lotId === PACKED_1) as TraceStep;
    expect(packed.events.map((event) => event.bizStep)).toContain('shipping');
  });

  it('goes forward from a farm lot to every downstream lot and its current custodian', async () => {
    const { steps } = await fullTrace(ledger, 'TraceForward', FARM_B);
    expect(steps.map((step) => [step.lotId, step.depth, step.custodian])).toEqual([
      [FARM_B, 0, 'ProcessorMSP'],
      [MERGED, 1, 'ProcessorMSP'],
      [PACKED_1, 2, 'RetailerMSP'],
      [PACKED_2, 2, 'ProcessorMSP'],
      [RETAIL_1, 3, 'RetailerMSP'],
    ]);
    expect(steps[2]?.links.map((link) => link.output)).toEqual([RETAIL_1]);
    expect(steps[4]).toMatchObject({ remaining: 18, status: 'active' });
  });

  it('pages with a cursor and gives the total on the last page', async () => {
    const { steps, pages } = await fullTrace(ledger, 'TraceForward', FARM_A, '2');
    expect(pages.map((page) => [page.steps.length, page.totalLots, page.cursor === ''])).toEqual([
      [2, null, false],
      [2, null, false],
      [1, 5, true],
    ]);
    expect(new Set(steps.map((step) => step.lotId)).size).toBe(5);
  });

  it('says truncated when maxLots is reached', async () => {
    const page = await ledger.evaluateJson<TracePage>(who.retailer, 'trace:TraceForward', [
      FARM_A,
      '3',
      '',
      '',
    ]);
    expect(page.steps.map((step) => step.lotId)).toEqual([FARM_A, MERGED, PACKED_1]);
    expect(page).toMatchObject({ truncated: true, totalLots: 3, cursor: '' });
    const exact = await ledger.evaluateJson<TracePage>(who.retailer, 'trace:TraceForward', [
      FARM_A,
      '5',
      '',
      '',
    ]);
    expect(exact).toMatchObject({ truncated: false, totalLots: 5 });
  });

  it('refuses unknown lots, foreign or garbled cursors and bad numbers', async () => {
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [lotIdOf(RICE, 'NOPE'), '', '', '']),
      'LOT_NOT_FOUND',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceBackward', ['nope', '', '', '']),
      'INVALID_ARGUMENT',
    );
    const first = await ledger.evaluateJson<TracePage>(who.retailer, 'trace:TraceForward', [
      FARM_A,
      '',
      '1',
      '',
    ]);
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [FARM_B, '', '1', first.cursor]),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceBackward', [FARM_A, '', '1', first.cursor]),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [FARM_A, '', '1', 'garbage']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [FARM_A, '0', '', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [FARM_A, 'x', '', '']),
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      ledger.evaluate(who.retailer, 'trace:TraceForward', [FARM_A, '', '-3', '']),
      'INVALID_ARGUMENT',
    );
  });

  it('caps maxLots at 10000 and the page size at 500', async () => {
    const page = await ledger.evaluateJson<TracePage>(who.retailer, 'trace:TraceForward', [
      FARM_A,
      '99999999',
      '100000',
      '',
    ]);
    expect(page).toMatchObject({ truncated: false, totalLots: 5 });
    const lot = await ledger.evaluateJson<LotRecord>(who.retailer, 'lots:ReadLot', [RETAIL_1]);
    expect(lot.derivation.inputs).toEqual([{ lotId: PACKED_1, quantity: 20, unit: 'bag' }]);
  });
});
