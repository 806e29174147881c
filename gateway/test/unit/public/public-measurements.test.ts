/**
 * The consumer view's inspection results and cold chain, on every store engine: residues against the limits of the
 * rule-set version that checked them (the inspection kept under its lot with its evaluation, as the chaincode keeps
 * it now), device readings with their allowed range and excursions, journey steps without a place shown at the
 * origin farm's region, and a store migrated before these tables filled from its ledger mirror.
 */
import type { EvaluationRecord, RuleSetRecord } from '@agritrace/chaincode/dist/shared/compliance';
import type { DeviceBatchRecord } from '@agritrace/chaincode/dist/shared/devices';
import type { LotEventRecord } from '@agritrace/chaincode/dist/shared/epcis';
import { applyBlock } from '../../../src/follower/apply-block';
import { readPublicLot } from '../../../src/public/public-lot';
import { migrate } from '../../../src/store/migrate';
import { sampleStory } from '../../../src/store/sample-ledger';
import type { SampleLedger } from '../../../src/store/sample-ledger';
import type { Store } from '../../../src/store/store';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

const RESOLVER = 'https://trace.example.cn';
const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };

/** The sample story plus a rule set, a lab inspection with results, a device's readings and their checks. */
function measuredStory() {
  const story = sampleStory(false);
  const ledger: SampleLedger = story.ledger;
  const [spinach] = story.farmLots;
  const [boxA] = story.packagedLots;
  const ruleSet = (tx: Parameters<Parameters<SampleLedger['tx']>[2]>[0]): RuleSetRecord => ({
    ...tx.meta(),
    docType: 'ruleSet',
    id: 'cn-baseline',
    version: 2,
    title: 'China baseline',
    effectiveFrom: '2021-09-03',
    issuer: 'MofcomMSP',
    publishedTxId: tx.txId,
    rules: [
      { id: 'mrl-chlorpyrifos-leafy', kind: 'mrl', substance: 'Chlorpyrifos', productCategory: 'vegetables/leafy', limit: 0.1, unit: 'mg/kg' },
      { id: 'banned-phorate', kind: 'banned', substance: 'phorate' },
      { id: 'cold-chilled', kind: 'temperature', category: 'chilled', min: 0, max: 4, unit: '°C', toleratedExcursionMinutes: 30 },
    ],
  }); // prettier-ignore
  ledger.tx('MofcomMSP', 'rulesets:PublishRuleSet', (tx) =>
    tx.put('ruleSet', ['cn-baseline', '2'], ruleSet(tx)),
  );
  const inspectionId = ledger.tx('InspectionMSP', 'lots:RecordEvent', (tx) => {
    const at = tx.timestamp.toISOString();
    const event: LotEventRecord = {
      ...tx.meta(),
      docType: 'lotEvent',
      eventId: tx.txId,
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: 'conformant',
      stage: 'inspection',
      eventTime: at,
      eventTimeZoneOffset: '+00:00',
      recordTime: at,
      responsible: tx.actor,
      lotIds: [spinach],
      quantityList: [{ lotId: spinach, epcClass: 'x', quantity: 1, unit: 'kg', uom: 'KGM' }],
      note: 'sample 7 of 12, lab fee 300 CNY',
      sensorElementList: [
        {
          sensorMetadata: { deviceID: 'urn:lab:gc-ms-3' },
          sensorReport: [
            { type: 'gs1:MassFraction', chemicalSubstance: 'chlorpyrifos', value: 40, uom: 'J33' },
            { type: 'gs1:MassFraction', chemicalSubstance: 'phorate', stringValue: 'ND', uom: 'NA' },
            { type: 'gs1:MassFraction', chemicalSubstance: 'boscalid', value: 0.3, uom: 'NA' },
          ],
        },
      ],
    };
    // Kept as the chaincode keeps a single-lot event: under its lot, with the rules evaluated on it.
    ledger.saveEvent(tx, event, {
      ruleSets: [{ id: 'cn-baseline', version: 2 }],
      evaluations: [
        { ruleSetId: 'cn-baseline', ruleSetVersion: 2, ruleId: 'mrl-chlorpyrifos-leafy', kind: 'mrl', outcome: 'pass', measured: 0.04, limit: 0.1, unit: 'mg/kg', message: 'within' },
        { ruleSetId: 'cn-baseline', ruleSetVersion: 2, ruleId: 'banned-phorate', kind: 'banned', outcome: 'pass', measured: 'ND', limit: 0, unit: 'mg/kg', message: 'not detected' },
        { ruleSetId: 'cn-baseline', ruleSetVersion: 2, ruleId: 'cold-chilled', kind: 'temperature', outcome: 'not_applicable', message: 'no readings' },
      ],
    }); // prettier-ignore
  });
  ledger.cut();
  const temperatures = [2.5, 3.1, 6.2, 6.8, 3.4, 5.1, 2.9];
  ledger.tx('ProcessorMSP', 'devices:SubmitReadings', (tx) => {
    const times = temperatures.map((_, i) =>
      new Date(Date.parse('2026-05-02T08:00:00Z') + i * 600_000).toISOString(),
    );
    const batch: DeviceBatchRecord = {
      ...tx.meta(),
      docType: 'deviceBatch',
      deviceId: 'LOGGER-1',
      sequence: 1,
      count: temperatures.length,
      minCelsius: 2.5,
      maxCelsius: 6.8,
      firstTime: times[0]!,
      lastTime: times[times.length - 1]!,
      lotId: boxA,
      txId: tx.txId,
      submittedBy: tx.actor,
      signature: 'MEUCIQ',
      readings: { time: times, temperature: temperatures },
    };
    tx.put('deviceBatch', ['LOGGER-1', '00000000000000000001'], batch);
    const evaluation: EvaluationRecord = {
      ...tx.meta(),
      docType: 'complianceEvaluation',
      lotId: boxA,
      eventId: 'device:LOGGER-1:1',
      bizStep: 'sensor_reporting',
      eventTime: batch.lastTime,
      ruleSets: [{ id: 'cn-baseline', version: 2 }],
      evaluations: [
        { ruleSetId: 'cn-baseline', ruleSetVersion: 2, ruleId: 'cold-chilled', kind: 'temperature', outcome: 'fail', measured: 40, limit: 30, unit: 'min', message: 'outside 0 to 4 °C for 40 min' },
      ],
    }; // prettier-ignore
    tx.put('complianceEvaluation', [boxA, tx.timestamp.toISOString(), 'device:LOGGER-1:1'], evaluation);
  });
  ledger.cut();
  return { story, inspectionId, spinach, boxA, temperatures };
}

async function applyAll(store: Store, ledger: SampleLedger): Promise<void> {
  for (const block of ledger.blocks) await applyBlock(store, block, FOLLOWED);
}

describe.each(testEngines())('public view measurements on %s', (engine) => {
  const measured = measuredStory();
  let opened: TestStore;

  beforeAll(async () => {
    opened = await openTestStore(engine);
    await applyAll(opened.store, measured.story.ledger);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  const view = async (lotId: string) =>
    (await opened.store.snapshot((reader) => readPublicLot(reader, lotId, RESOLVER)))!.view;

  it('shows each analyte of an inspection against the limit of the rule-set version that checked it', async () => {
    const lot = await view(measured.boxA);
    const inspection = lot.inspections.find((i) => i.verification.txId === measured.inspectionId);
    expect(inspection?.results).toEqual([
      {
        substance: 'chlorpyrifos',
        value: 0.04,
        unit: 'mg/kg',
        limit: 0.1,
        outcome: 'pass',
        rule: { ruleSetId: 'cn-baseline', version: 2, ruleId: 'mrl-chlorpyrifos-leafy', kind: 'mrl' },
      },
      {
        substance: 'phorate',
        value: 'ND',
        unit: 'mg/kg',
        limit: 0,
        outcome: 'pass',
        rule: { ruleSetId: 'cn-baseline', version: 2, ruleId: 'banned-phorate', kind: 'banned' },
      },
      // Reported, but no rule of the set limits it: shown without a limit, never as passed.
      { substance: 'boscalid', value: 0.3, unit: 'mg/kg', limit: null, outcome: null, rule: null },
    ]);
    expect(JSON.stringify(lot)).not.toMatch(/lab fee|gc-ms/);
  });

  it('gives the cold chain: readings, their range from the rule that checked them, and the excursions', async () => {
    const lot = await view(measured.boxA);
    expect(lot.coldChain).not.toBeNull();
    const chain = lot.coldChain!;
    expect(chain.readings.map((r) => r.celsius)).toEqual(measured.temperatures);
    expect(chain.summary).toMatchObject({ count: 7, minCelsius: 2.5, maxCelsius: 6.8 });
    expect(chain.range).toEqual({
      min: 0,
      max: 4,
      toleratedExcursionMinutes: 30,
      rule: { ruleSetId: 'cn-baseline', version: 2, ruleId: 'cold-chilled' },
    });
    // 6.2 and 6.8 are one excursion, 5.1 another.
    expect(chain.outOfRange).toBe(3);
    expect(chain.excursions).toBe(2);
    expect(chain.outcome).toBe('fail');
    expect(JSON.stringify(chain)).not.toMatch(/MEUCIQ|LOGGER-1|ProcessorMSP/);
  });

  it('has no cold chain for a lot no device watched', async () => {
    const lot = await view(measured.spinach);
    expect(lot.coldChain).toBeNull();
  });

  it('shows a journey step that named no place at the region its lot comes from, marked as such', async () => {
    const lot = await view(measured.boxA);
    const placeless = lot.journey.filter((step) => step.place.originRegion === true);
    // The transfers recorded no place: the farm lots' at the farm's region, the packaged lot's where it was made.
    const farmSteps = placeless.filter((step) => step.lot.lotId === measured.spinach);
    expect(farmSteps.map((step) => step.bizStep)).toContain('consigning');
    for (const step of farmSteps) expect(step.place.region).toBe('330183');
    const boxSteps = placeless.filter((step) => step.lot.lotId === measured.boxA);
    expect(boxSteps.length).toBeGreaterThan(0);
    for (const step of boxSteps) expect(step.place.region).toBe('330102');
    const placed = lot.journey.find((step) => step.bizStep === 'retail_selling');
    expect(placed?.place).toEqual({ region: '310115', gln: null });
    expect(lot.journey.every((step) => step.place.region !== null)).toBe(true);
  });

  it('fills the new tables of a store migrated before them from its ledger mirror', async () => {
    const count = async (store: Store, table: string) =>
      Number((await store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    const old = await openTestStore(engine);
    try {
      await applyAll(old.store, measured.story.ledger);
      const before = await view(measured.boxA);
      const results = await count(old.store, 'evaluation_results');
      // The store as a gateway without these projections left it: schema version 1, every block followed.
      await old.store.run('DROP TABLE evaluation_results');
      await old.store.run('DROP TABLE device_readings');
      await old.store.run('DROP TABLE recall_reach');
      await old.store.run('DELETE FROM schema_migrations WHERE version > 1');
      const report = await migrate(old.store);
      expect(report.applied).toEqual([2, 3, 4]);
      expect(await count(old.store, 'device_readings')).toBe(measured.temperatures.length);
      // The story's seven rule results, the lab inspection's three and the device batch's one.
      expect(results).toBe(11);
      expect(await count(old.store, 'evaluation_results')).toBe(results);
      const after = (await old.store.snapshot((reader) => readPublicLot(reader, measured.boxA, RESOLVER)))!
        .view;
      expect(after.coldChain).toEqual(before.coldChain);
      expect(after.inspections).toEqual(before.inspections);
    } finally {
      await old.dispose();
    }
  });
});
