/** Transformation: SplitLot, MergeLots and ProcessLots with quantities, units, mass balance and genealogy links. */
import './support/quiet-logging';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { LotEventRecord } from '../src/shared/epcis';
import type { OutputCompliance } from '../src/shared/events';
import type { LotRecord } from '../src/shared/lots';
import type { GenealogyLink } from '../src/shared/trace';
import { allianceLedger, createLot, gtin13, handOver, lotIdOf, readLot, who } from './support/alliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import type { Identity } from './support/fake-ledger';

type Result = { event: LotEventRecord; inputs: LotRecord[]; outputs: LotRecord[] };

const RICE_GTIN = gtin13(1);
const BOXED_GTIN = gtin13(2);
const RICE = lotIdOf(RICE_GTIN, 'R-001');
const RICE2 = lotIdOf(RICE_GTIN, 'R-002');

/** Submits a transformation. */
function run(ledger: FakeLedger, caller: Identity, fn: string, input: object): Promise<Result> {
  return ledger.submitJson<Result>(caller, `transformations:${fn}`, [JSON.stringify(input)]);
}

/** Expects a refusal that changed nothing. */
async function refusedUnchanged(ledger: FakeLedger, attempt: Promise<unknown>, code: string): Promise<void> {
  const size = ledger.state.size;
  const events = ledger.events.length;
  await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
}

/** The stored genealogy link between two lots, read from the key of one direction. */
function link(
  ledger: FakeLedger,
  direction: 'linkForward' | 'linkBackward',
  from: string,
  to: string,
): GenealogyLink | undefined {
  return ledger.read<GenealogyLink>(`\u0000${direction}\u0000${from}\u0000${to}\u0000`);
}

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await allianceLedger();
  await createLot(ledger, who.producer, 'R-001');
});

describe('SplitLot', () => {
  it('splits a lot into new lots that keep its provenance, and links them both ways', async () => {
    const { event, inputs, outputs } = await run(ledger, who.producer, 'SplitLot', {
      lotId: RICE,
      outputs: [
        { lot: 'R-001-A', quantity: 400, unit: 'kg' },
        { lot: 'R-001-B', quantity: 0.5, unit: 't' },
      ],
    });
    expect(inputs).toEqual([expect.objectContaining({ lotId: RICE, remaining: 100, status: 'active' })]);
    expect(outputs.map((lot) => [lot.lotId, lot.quantity, lot.unit, lot.producer, lot.custodian])).toEqual([
      [lotIdOf(RICE_GTIN, 'R-001-A'), 400, 'kg', 'ProducerMSP', 'ProducerMSP'],
      [lotIdOf(RICE_GTIN, 'R-001-B'), 0.5, 't', 'ProducerMSP', 'ProducerMSP'],
    ]);
    expect(outputs[0]).toMatchObject({
      product: 'Japonica rice',
      origin: { region: '370102' },
      harvestDate: '2026-02-20',
      expiryDate: '2027-02-20',
      derivation: {
        kind: 'split',
        transformationId: event.eventId,
        inputs: [{ lotId: RICE, quantity: 400, unit: 'kg' }],
      },
    });
    expect(event).toMatchObject({
      eventType: 'TransformationEvent',
      bizStep: 'commissioning',
      transformationId: event.eventId,
      inputQuantityList: [{ lotId: RICE, quantity: 900, unit: 'kg' }],
      outputQuantityList: [
        { lotId: lotIdOf(RICE_GTIN, 'R-001-A'), quantity: 400, unit: 'kg' },
        { lotId: lotIdOf(RICE_GTIN, 'R-001-B'), quantity: 0.5, unit: 't', uom: 'TNE' },
      ],
    });
    expect(event.action).toBeUndefined();
    expect(ledger.lastEvent()).toEqual(
      expect.objectContaining({
        name: 'LotSplit',
        payload: {
          eventId: event.eventId,
          inputLotIds: inputs.map((lot) => lot.lotId),
          outputLotIds: outputs.map((lot) => lot.lotId),
        },
      }),
    );
    const forward = link(ledger, 'linkForward', RICE, lotIdOf(RICE_GTIN, 'R-001-B'));
    expect(forward).toMatchObject({
      input: RICE,
      output: lotIdOf(RICE_GTIN, 'R-001-B'),
      kind: 'split',
      quantity: 500,
      unit: 'kg',
    });
    expect(link(ledger, 'linkBackward', lotIdOf(RICE_GTIN, 'R-001-B'), RICE)).toEqual(forward);
    const policy = ledger.state.validationParameter(
      `\u0000lot\u0000${lotIdOf(RICE_GTIN, 'R-001-A')}\u0000`,
    ) as Uint8Array;
    expect(new KeyEndorsementPolicy(policy).listOrgs()).toEqual(['ProducerMSP']);
  });

  it('consumes the input when the outputs take all of it', async () => {
    const { inputs } = await run(ledger, who.producer, 'SplitLot', {
      lotId: RICE,
      outputs: [{ lot: 'ALL', quantity: 1000 }],
    });
    expect(inputs[0]).toMatchObject({ remaining: 0, status: 'consumed' });
    await refusedUnchanged(
      ledger,
      run(ledger, who.producer, 'SplitLot', { lotId: RICE, outputs: [{ lot: 'MORE', quantity: 1 }] }),
      'LOT_CONSUMED',
    );
  });

  it.each([
    [
      'more than remains',
      {
        outputs: [
          { lot: 'A', quantity: 600 },
          { lot: 'B', quantity: 401 },
        ],
      },
      'QUANTITY_EXCEEDED',
    ],
    ['an output without quantity', { outputs: [{ lot: 'A' }] }, 'INVALID_ARGUMENT'],
    ['no outputs', { outputs: [] }, 'INVALID_ARGUMENT'],
    ['an output named like its input', { outputs: [{ lot: 'R-001', quantity: 1 }] }, 'INVALID_ARGUMENT'],
    [
      'two outputs with one code',
      {
        outputs: [
          { lot: 'A', quantity: 1 },
          { lot: 'A', quantity: 1 },
        ],
      },
      'INVALID_ARGUMENT',
    ],
    ['an output in another unit class', { outputs: [{ lot: 'A', quantity: 1, unit: 'L' }] }, 'UNIT_MISMATCH'],
    ['items without net content', { outputs: [{ lot: 'A', quantity: 10, unit: 'box' }] }, 'UNIT_MISMATCH'],
    ['a malformed output batch', { outputs: [{ lot: 'A B', quantity: 1 }] }, 'MALFORMED_LOT_NUMBER'],
    [
      'an output GTIN with a bad check digit',
      {
        outputs: [
          {
            gtin: `${gtin13(5).slice(0, 12)}${(Number(gtin13(5).slice(-1)) + 1) % 10}`,
            lot: 'A',
            quantity: 1,
          },
        ],
      },
      'BAD_CHECK_DIGIT',
    ],
  ])('refuses %s', async (_label, split, code) => {
    await refusedUnchanged(ledger, run(ledger, who.producer, 'SplitLot', { lotId: RICE, ...split }), code);
  });

  it('refuses an output code that already exists, a lot the caller does not hold, or one on offer', async () => {
    await createLot(ledger, who.producer, 'R-002');
    await refusedUnchanged(
      ledger,
      run(ledger, who.producer, 'SplitLot', { lotId: RICE, outputs: [{ lot: 'R-002', quantity: 1 }] }),
      'LOT_EXISTS',
    );
    await refusedUnchanged(
      ledger,
      run(ledger, who.processor, 'SplitLot', { lotId: RICE, outputs: [{ lot: 'A', quantity: 1 }] }),
      'NOT_CUSTODIAN',
    );
    await ledger.submit(who.producer, 'transfers:OfferTransfer', [
      JSON.stringify({ lotId: RICE, to: 'ProcessorMSP' }),
    ]);
    await refusedUnchanged(
      ledger,
      run(ledger, who.producer, 'SplitLot', { lotId: RICE, outputs: [{ lot: 'A', quantity: 1 }] }),
      'TRANSFER_PENDING',
    );
  });

  it('splits items with a net content into a mass', async () => {
    await createLot(ledger, who.producer, 'BOX-1', {
      gtin: BOXED_GTIN,
      quantity: 100,
      unit: 'box',
      netContent: { quantity: 5, unit: 'kg' },
    });
    const { inputs, outputs } = await run(ledger, who.producer, 'SplitLot', {
      lotId: lotIdOf(BOXED_GTIN, 'BOX-1'),
      outputs: [{ lot: 'BOX-1-A', quantity: 20, unit: 'box', netContent: { quantity: 5, unit: 'kg' } }],
    });
    expect(inputs[0]).toMatchObject({ remaining: 80, unit: 'box' });
    expect(outputs[0]).toMatchObject({ quantity: 20, unit: 'box', netContent: { quantity: 5, unit: 'kg' } });
  });
});

describe('MergeLots', () => {
  beforeEach(async () => {
    await createLot(ledger, who.producer2, 'R-002', { quantity: 2, unit: 't', expiryDate: '2026-12-31' });
    await handOver(ledger, who.producer, who.processor, RICE);
    await handOver(ledger, who.producer2, who.processor, RICE2);
  });

  it('merges lots into one holding their sum, produced by the merger, expiring with the earliest input', async () => {
    const { event, inputs, outputs } = await run(ledger, who.processor, 'MergeLots', {
      inputs: [{ lotId: RICE }, { lotId: RICE2 }],
      output: { lot: 'M-1', unit: 't' },
      bizLocation: { region: '330106' },
    });
    expect(inputs.map((lot) => [lot.lotId, lot.remaining, lot.status])).toEqual([
      [RICE, 0, 'consumed'],
      [RICE2, 0, 'consumed'],
    ]);
    expect(outputs).toEqual([
      expect.objectContaining({
        lotId: lotIdOf(RICE_GTIN, 'M-1'),
        quantity: 3,
        unit: 't',
        producer: 'ProcessorMSP',
        custodian: 'ProcessorMSP',
        origin: { region: '330106' },
        expiryDate: '2026-12-31',
        derivation: {
          kind: 'merge',
          transformationId: event.eventId,
          inputs: [
            { lotId: RICE, quantity: 1000, unit: 'kg' },
            { lotId: RICE2, quantity: 2, unit: 't' },
          ],
        },
      }),
    ]);
    expect(event.stage).toBe('processing');
    expect(ledger.lastEvent()?.name).toBe('LotsMerged');
    expect(link(ledger, 'linkBackward', lotIdOf(RICE_GTIN, 'M-1'), RICE2)).toMatchObject({
      quantity: 2,
      unit: 't',
      kind: 'merge',
    });
  });

  it('merges part of each input when quantities are given', async () => {
    const { inputs, outputs } = await run(ledger, who.processor, 'MergeLots', {
      inputs: [
        { lotId: RICE, quantity: 250, unit: 'kg' },
        { lotId: RICE2, quantity: 750, unit: 'kg' },
      ],
      output: { lot: 'M-2' },
    });
    expect(inputs.map((lot) => lot.remaining)).toEqual([750, 1.25]);
    expect(outputs[0]).toMatchObject({ quantity: 1000, unit: 'kg' });
  });

  it.each([
    [
      'an output larger than its inputs',
      { inputs: [{ lotId: RICE }, { lotId: RICE2 }], output: { lot: 'M', quantity: 3001, unit: 'kg' } },
      'MASS_BALANCE_VIOLATED',
    ],
    ['one input', { inputs: [{ lotId: RICE }], output: { lot: 'M' } }, 'INVALID_ARGUMENT'],
    [
      'an input listed twice',
      { inputs: [{ lotId: RICE }, { lotId: RICE }], output: { lot: 'M' } },
      'INVALID_ARGUMENT',
    ],
    [
      'more of an input than remains',
      { inputs: [{ lotId: RICE, quantity: 1001, unit: 'kg' }, { lotId: RICE2 }], output: { lot: 'M' } },
      'QUANTITY_EXCEEDED',
    ],
    [
      'an input quantity in another unit class',
      { inputs: [{ lotId: RICE, quantity: 1, unit: 'L' }, { lotId: RICE2 }], output: { lot: 'M' } },
      'UNIT_MISMATCH',
    ],
    [
      'an input unit without quantity',
      { inputs: [{ lotId: RICE, unit: 'kg' }, { lotId: RICE2 }], output: { lot: 'M' } },
      'INVALID_ARGUMENT',
    ],
    [
      'an unknown input',
      { inputs: [{ lotId: RICE }, { lotId: lotIdOf(RICE_GTIN, 'NOPE') }], output: { lot: 'M' } },
      'LOT_NOT_FOUND',
    ],
  ])('refuses %s', async (_label, merge, code) => {
    await refusedUnchanged(ledger, run(ledger, who.processor, 'MergeLots', merge), code);
  });

  it('refuses inputs held by someone else and inputs of different unit classes', async () => {
    await createLot(ledger, who.producer, 'OTHER');
    await refusedUnchanged(
      ledger,
      run(ledger, who.processor, 'MergeLots', {
        inputs: [{ lotId: RICE }, { lotId: lotIdOf(RICE_GTIN, 'OTHER') }],
        output: { lot: 'M' },
      }),
      'NOT_CUSTODIAN',
    );
    await createLot(ledger, who.processor, 'OIL', { gtin: gtin13(3), quantity: 50, unit: 'L' });
    await refusedUnchanged(
      ledger,
      run(ledger, who.processor, 'MergeLots', {
        inputs: [{ lotId: RICE }, { lotId: lotIdOf(gtin13(3), 'OIL') }],
        output: { lot: 'M' },
      }),
      'UNIT_MISMATCH',
    );
  });
});

describe('ProcessLots', () => {
  beforeEach(async () => {
    await handOver(ledger, who.producer, who.processor, RICE);
  });

  /** Processing 1000 kg of rice into `boxes` boxes of 0.5 kg. */
  function pack(boxes: number, extra: object = {}): Promise<Result> {
    return run(ledger, who.processor, 'ProcessLots', {
      inputs: [{ lotId: RICE }],
      outputs: [
        {
          gtin: BOXED_GTIN,
          lot: 'PK-1',
          product: 'Polished rice 500 g',
          category: 'grain',
          quantity: boxes,
          unit: 'box',
          netContent: { quantity: 500, unit: 'g' },
          expiryDate: '2027-06-30',
        },
      ],
      declaredYield: 0.8,
      processType: 'milling and packing',
      ...extra,
    });
  }

  it('processes inputs into outputs within the declared yield', async () => {
    const { event, inputs, outputs } = await pack(1600);
    expect(inputs[0]).toMatchObject({ remaining: 0, status: 'consumed' });
    expect(outputs[0]).toMatchObject({
      lotId: lotIdOf(BOXED_GTIN, 'PK-1'),
      product: 'Polished rice 500 g',
      quantity: 1600,
      unit: 'box',
      producer: 'ProcessorMSP',
      expiryDate: '2027-06-30',
      origin: { region: '370102' },
    });
    expect(outputs[0]?.traceCode.elementString).toBe(`(01)0${BOXED_GTIN}(17)270630(10)PK-1`);
    expect(event).toMatchObject({ stage: 'processing', note: 'milling and packing' });
    expect(ledger.lastEvent()?.name).toBe('LotsProcessed');
  });

  it('refuses outputs beyond the inputs times the declared yield', async () => {
    const failure = await expectRefusal(pack(1601), 'MASS_BALANCE_VIOLATED');
    expect(failure.body?.details).toEqual({
      inputTotal: 1000,
      outputTotal: 800.5,
      unit: 'kg',
      declaredYield: 0.8,
    });
    await refusedUnchanged(ledger, pack(2001, { declaredYield: undefined }), 'MASS_BALANCE_VIOLATED');
    expect((await readLot(ledger, RICE)).remaining).toBe(1000);
  });

  it('uses part of an input when a quantity is given', async () => {
    const { inputs } = await pack(400, { inputs: [{ lotId: RICE, quantity: 250, unit: 'kg' }] });
    expect(inputs[0]).toMatchObject({ remaining: 750, status: 'active' });
    await refusedUnchanged(
      ledger,
      pack(401, { inputs: [{ lotId: RICE, quantity: 250, unit: 'kg' }], outputs: undefined }),
      'INVALID_ARGUMENT',
    );
  });

  it.each([
    [
      'outputs counted without net content',
      { outputs: [{ lot: 'PK-2', quantity: 10, unit: 'box' }] },
      'UNIT_MISMATCH',
    ],
    ['an output without a unit', { outputs: [{ lot: 'PK-2', quantity: 10 }] }, 'INVALID_ARGUMENT'],
    ['a zero yield', { declaredYield: 0 }, 'INVALID_ARGUMENT'],
    ['a yield over 10', { declaredYield: 11 }, 'INVALID_ARGUMENT'],
    ['no inputs', { inputs: [] }, 'INVALID_ARGUMENT'],
  ])('refuses %s', async (_label, extra, code) => {
    await refusedUnchanged(ledger, pack(10, extra), code);
  });

  it('checks each output against the rules: an output made without a required document is held', async () => {
    await ledger.submit(who.regulator, 'rules:PublishRuleSet', [
      JSON.stringify({
        id: 'halal-packing',
        version: 1,
        title: 'Halal certificate before packing',
        effectiveFrom: '2026-01-01',
        rules: [
          {
            id: 'halal-before-commissioning',
            kind: 'required_document',
            docType: 'halal_certificate',
            beforeBizStep: 'commissioning',
            productCategories: ['grain'],
            validityDays: 30,
          },
        ],
      }),
    ]);
    const result = await ledger.submitJson<Result & { compliance: OutputCompliance[] }>(
      who.processor,
      'transformations:ProcessLots',
      [
        JSON.stringify({
          inputs: [{ lotId: RICE }],
          outputs: [
            { gtin: BOXED_GTIN, lot: 'PK-1', quantity: 100, unit: 'kg', storageCategory: 'ambient' },
            { gtin: BOXED_GTIN, lot: 'PK-2', category: 'snacks', quantity: 100, unit: 'kg' },
          ],
        }),
      ],
    );
    const [grain, snacks] = result.compliance;
    expect(grain?.violations.map((v) => [v.lotId, v.ruleId, v.eventId])).toEqual([
      [lotIdOf(BOXED_GTIN, 'PK-1'), 'halal-before-commissioning', result.event.eventId],
    ]);
    expect(snacks).toEqual({ lotId: lotIdOf(BOXED_GTIN, 'PK-2'), evaluations: [], violations: [] });
    expect(result.outputs.map((lot) => [lot.status, lot.storageCategory])).toEqual([
      ['on_hold', 'ambient'],
      ['active', undefined],
    ]);
    expect(await readLot(ledger, lotIdOf(BOXED_GTIN, 'PK-1'))).toEqual(result.outputs[0]);
    expect(ledger.lastEvent()).toMatchObject({
      name: 'LotsProcessed',
      payload: {
        eventId: result.event.eventId,
        outputLotIds: result.outputs.map((lot) => lot.lotId),
        heldLotIds: [lotIdOf(BOXED_GTIN, 'PK-1')],
        violationIds: result.compliance.flatMap((output) => output.violations.map((v) => v.id)),
      },
    });
  });

  it('refuses lots on hold and lots held by others', async () => {
    await ledger.submit(who.inspector, 'lots:HoldLot', [RICE, 'sample']);
    await refusedUnchanged(ledger, pack(10), 'LOT_ON_HOLD');
    await refusedUnchanged(
      ledger,
      run(ledger, who.retailer, 'ProcessLots', {
        inputs: [{ lotId: RICE }],
        outputs: [{ lot: 'X', quantity: 1, unit: 'kg' }],
      }),
      'NOT_CUSTODIAN',
    );
  });
});
