/**
 * A real supply chain walked on the live network, each party through its own gateway: a cooperative harvests two
 * lots, the inspection centre inspects them, the processor receives both (two-phase transfer), merges and
 * processes them into packaged lots, the logistics firm ships them, the retailer receives and sells. Then trace
 * both ways, recall, and check that a former custodian's peer alone cannot touch a lot it no longer holds.
 */
import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';
import { acceptTransfer, api, fabricConnection, topology } from './support';

/** A GTIN-13 with its check digit, unique per test run so the story can be told again on the same ledger. */
function gtin13(prefix: string): string {
  return prefix + String(gs1CheckDigit(prefix));
}

const RUN = Date.now().toString(36).toUpperCase();
const CABBAGE = gtin13('690123456789'.slice(0, 12));
const KIMCHI = gtin13('690123456790'.slice(0, 12));
const gtin14 = (g: string) => g.padStart(14, '0');
const lotA = `${gtin14(CABBAGE)}:FARM-A-${RUN}`;
const lotB = `${gtin14(CABBAGE)}:FARM-B-${RUN}`;
const enc = encodeURIComponent;

async function accept(
  receiverKey: string,
  offerRes: { body: { data: { transfer: { transferId: string } } } },
) {
  const res = await acceptTransfer(receiverKey, offerRes.body.data.transfer.transferId);
  expect(res.status).toBe(200);
  return res;
}

async function trace(orgKey: string, lotId: string, direction: 'forward' | 'backward') {
  const steps: Array<Record<string, any>> = [];
  let cursor = '';
  for (;;) {
    const res = await api[orgKey]!.get(
      `/api/v1/lots/${enc(lotId)}/trace?direction=${direction}&pageSize=200${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    // Each step names its events; the page carries every record once.
    const page = res.body.data as { steps: Array<Record<string, any>>; events: Record<string, unknown> };
    steps.push(
      ...page.steps.map((step) => ({
        ...step,
        events: (step.eventIds as string[]).map((id) => page.events[id]),
      })),
    );
    cursor = res.body.data.cursor;
    if (!cursor) return { steps, truncated: res.body.data.truncated as boolean };
  }
}

const packaged: string[] = [];

describe('harvest and inspection', () => {
  it('lets the cooperative register two harvested lots with GS1 codes', async () => {
    for (const [lot, plot] of [
      [`FARM-A-${RUN}`, 'A'],
      [`FARM-B-${RUN}`, 'B'],
    ]) {
      const res = await api.coop!.post('/api/v1/lots', {
        gtin: CABBAGE,
        lot,
        product: 'Chinese cabbage',
        category: 'vegetables',
        quantity: 1000,
        unit: 'kg',
        origin: { region: '330183', latitude: 30.05, longitude: 119.95, address: `Fuyang plot ${plot}` },
        harvestDate: '2026-11-20',
        expiryDate: '2026-12-20',
        stage: 'harvest',
      });
      expect(res.status).toBe(201);
      expect(res.body.data.lot).toMatchObject({
        custodian: 'CoopMSP',
        producer: 'CoopMSP',
        status: 'active',
      });
      expect(res.body.tx.blockNumber).toBeGreaterThan(0);
    }
  });

  it('refuses a duplicate code and a bad check digit with coded 4xx answers', async () => {
    const dup = await api.coop!.post('/api/v1/lots', {
      gtin: CABBAGE,
      lot: `FARM-A-${RUN}`,
      product: 'Chinese cabbage',
      category: 'vegetables',
      quantity: 1,
      unit: 'kg',
      origin: { region: '330183' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('LOT_EXISTS');
    const bad = await api.coop!.post('/api/v1/lots', {
      gtin: CABBAGE.slice(0, 12) + String((Number(CABBAGE[12]) + 1) % 10),
      lot: 'X1',
      product: 'Chinese cabbage',
      category: 'vegetables',
      quantity: 1,
      unit: 'kg',
      origin: { region: '330183' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_CHECK_DIGIT');
  });

  it('records the inspection centre’s inspection on both lots', async () => {
    for (const lotId of [lotA, lotB]) {
      const res = await api.inspection!.post(`/api/v1/lots/${enc(lotId)}/events`, {
        bizStep: 'inspecting',
        disposition: 'conformant',
        sensorElementList: [
          {
            sensorReport: [
              { type: 'gs1:MT-Concentration', chemicalSubstance: 'carbofuran', value: 0.005, uom: 'mg/kg' },
            ],
          },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body.data.event.actor.mspId).toBe('InspectionMSP');
    }
  });

  it('does not let a non-custodian record a processing event on the lot', async () => {
    const res = await api.retailer!.post(`/api/v1/lots/${enc(lotA)}/events`, { bizStep: 'storing' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_CUSTODIAN');
  });
});

describe('custody to the processor', () => {
  it('moves both lots by offer and acceptance; an offered lot cannot be offered elsewhere', async () => {
    const offerA = await api.coop!.post('/api/v1/transfers', { lotId: lotA, to: 'ProcessorMSP' });
    expect(offerA.status).toBe(201);
    const twice = await api.coop!.post('/api/v1/transfers', { lotId: lotA, to: 'RetailerMSP' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('TRANSFER_PENDING');
    const wrongReceiver = await api.retailer!.post(
      `/api/v1/transfers/${offerA.body.data.transfer.transferId}/accept`,
    );
    expect(wrongReceiver.status).toBe(403);
    await accept('processor', offerA);
    const offerB = await api.coop!.post('/api/v1/transfers', { lotId: lotB, to: 'ProcessorMSP' });
    await accept('processor', offerB);
    const lot = await api.processor!.get(`/api/v1/lots/${enc(lotB)}`);
    expect(lot.body.data.custodian).toBe('ProcessorMSP');
    expect(lot.body.data.lastBlockNumber).toBeGreaterThan(0);
  });
});

describe('processing', () => {
  const merged = `${gtin14(CABBAGE)}:MERGE-${RUN}`;

  it('merges the two farm lots and processes them into packaged lots with mass balance checked', async () => {
    const merge = await api.processor!.post('/api/v1/transformations/merge', {
      inputs: [{ lotId: lotA }, { lotId: lotB }],
      output: { lot: `MERGE-${RUN}` },
    });
    expect(merge.status).toBe(201);
    const tooMuch = await api.processor!.post('/api/v1/transformations/process', {
      inputs: [{ lotId: merged, quantity: 2000, unit: 'kg' }],
      outputs: [{ lot: `PKG-X-${RUN}`, gtin: KIMCHI, product: 'Kimchi 500 g', quantity: 2100, unit: 'kg' }],
      declaredYield: 1,
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.code).toBe('MASS_BALANCE_VIOLATED');
    const processed = await api.processor!.post('/api/v1/transformations/process', {
      inputs: [{ lotId: merged, quantity: 2000, unit: 'kg' }],
      outputs: [1, 2, 3].map((n) => ({
        lot: `PKG-${n}-${RUN}`,
        gtin: KIMCHI,
        product: 'Kimchi 500 g',
        category: 'vegetables',
        quantity: 1200,
        unit: 'box',
        netContent: { quantity: 0.5, unit: 'kg' },
        expiryDate: '2027-05-20',
      })),
      declaredYield: 0.95,
      processType: 'fermentation',
    });
    expect(processed.status).toBe(201);
    packaged.push(...processed.body.data.outputs.map((o: { lotId: string }) => o.lotId));
    expect(packaged).toHaveLength(3);
    const input = await api.processor!.get(`/api/v1/lots/${enc(merged)}`);
    expect(input.body.data.remaining).toBe(0);
  });
});

describe('distribution and sale', () => {
  it('ships through the logistics firm to the retailer, who receives and sells', async () => {
    for (const lotId of packaged) {
      await accept(
        'logistics',
        await api.processor!.post('/api/v1/transfers', { lotId, to: 'LogisticsMSP' }),
      );
      const ship = await api.logistics!.post(`/api/v1/lots/${enc(lotId)}/events`, {
        bizStep: 'shipping',
        disposition: 'in_transit',
      });
      expect(ship.status).toBe(201);
      await accept('retailer', await api.logistics!.post('/api/v1/transfers', { lotId, to: 'RetailerMSP' }));
    }
    const sale = await api.retailer!.post(`/api/v1/lots/${enc(packaged[0]!)}/events`, {
      bizStep: 'retail_selling',
      disposition: 'retail_sold',
      quantity: 10,
      unit: 'box',
    });
    expect(sale.status).toBe(201);
    expect(sale.body.data.lot.remaining).toBe(1190);
  });

  it('refuses a sale of more than remains', async () => {
    const res = await api.retailer!.post(`/api/v1/lots/${enc(packaged[1]!)}/events`, {
      bizStep: 'retail_selling',
      quantity: 5000,
      unit: 'box',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('QUANTITY_EXCEEDED');
  });
});

describe('trace', () => {
  it('traces a retail lot back to both farm lots, each step with custodian, events, transaction and block', async () => {
    const { steps, truncated } = await trace('mofcom', packaged[0]!, 'backward');
    expect(truncated).toBe(false);
    const ids = steps.map((s) => s.lotId);
    expect(ids).toEqual(expect.arrayContaining([packaged[0], merged(), lotA, lotB]));
    expect(ids).toHaveLength(4);
    const farm = steps.find((s) => s.lotId === lotA)!;
    expect(farm.producer).toBe('CoopMSP');
    expect(farm.custodian).toBe('ProcessorMSP');
    expect(farm.events.map((e: { bizStep: string }) => e.bizStep)).toEqual(
      expect.arrayContaining(['commissioning', 'inspecting']),
    );
    for (const s of steps) {
      expect(s.createdTxId).toMatch(/^[0-9a-f]{64}$/);
      expect(s.createdBlockNumber).toBeGreaterThan(0);
    }
  });

  it('traces a farm lot forward to every retail lot and its current custodian', async () => {
    const { steps } = await trace('inspection', lotB, 'forward');
    const retail = steps.filter((s) => packaged.includes(s.lotId));
    expect(retail).toHaveLength(3);
    for (const s of retail) expect(s.custodian).toBe('RetailerMSP');
  });

  function merged() {
    return `${gtin14(CABBAGE)}:MERGE-${RUN}`;
  }
});

describe('key-level endorsement', () => {
  it('does not let other members’ peers alter a lot held by the retailer without the retailer’s peer', async () => {
    // A forged write as a dishonest processor would make it with a modified chaincode on its own peer: it passes
    // every chaincode check (we sign as the retailer's client, so the caller is the custodian) and has two
    // endorsements (processor and logistics: enough for the chaincode-level policy), but the lot key is pinned to
    // the retailer's organisation, so validation refuses it and the lot does not change.
    const before = await api.retailer!.get(`/api/v1/lots/${enc(packaged[2]!)}`);
    const { gateway, close } = fabricConnection('retailer');
    try {
      const contract = gateway.getNetwork(topology.channel).getContract(topology.chaincode.name, 'lots');
      const attempt = contract.submit('RecordEvent', {
        arguments: [
          JSON.stringify({ lotId: packaged[2], bizStep: 'destroying', quantity: 1200, unit: 'box' }),
          '',
        ],
        endorsingOrganizations: ['ProcessorMSP', 'LogisticsMSP'],
      });
      await expect(attempt).rejects.toBeInstanceOf(CommitError);
      await expect(attempt).rejects.toMatchObject({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE });
      const after = await api.retailer!.get(`/api/v1/lots/${enc(packaged[2]!)}`);
      expect(after.body.data).toEqual(before.body.data);
    } finally {
      close();
    }
  });
});

describe('recall', () => {
  it('recalls a farm lot: exactly the affected downstream lots are marked, and their sale is blocked', async () => {
    const res = await api.mofcom!.post('/api/v1/recalls', {
      lotId: lotA,
      reason: 'pesticide residue found in retained sample',
      severity: 'I',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('complete');
    const scope = await api.mofcom!.get(`/api/v1/recalls/${res.body.data.recallId}/scope?pageSize=100`);
    const scoped = scope.body.data.map((e: { lotId: string }) => e.lotId).sort();
    expect(scoped).toEqual([lotA, `${gtin14(CABBAGE)}:MERGE-${RUN}`, ...packaged].sort());
    for (const lotId of packaged) {
      expect((await api.retailer!.get(`/api/v1/lots/${enc(lotId)}`)).body.data.status).toBe('recalled');
    }
    expect((await api.coop!.get(`/api/v1/lots/${enc(lotB)}`)).body.data.status).not.toBe('recalled');
    const sale = await api.retailer!.post(`/api/v1/lots/${enc(packaged[1]!)}/events`, {
      bizStep: 'retail_selling',
      quantity: 1,
      unit: 'box',
    });
    expect(sale.status).toBe(409);
    expect(sale.body.code).toBe('LOT_RECALLED');
  });
});

describe('verifiability', () => {
  it('returns, for any record’s transaction, its block, validation code and endorsing organisations', async () => {
    const lot = await api.retailer!.get(`/api/v1/lots/${enc(packaged[0]!)}`);
    const tx = await api.retailer!.get(`/api/v1/transactions/${lot.body.data.lastTxId}`);
    expect(tx.status).toBe(200);
    expect(tx.body.data.validationCode).toBe('VALID');
    expect(tx.body.data.blockNumber).toBe(lot.body.data.lastBlockNumber);
    expect(tx.body.data.endorsingOrganizations).toContain('RetailerMSP');
  });
});
