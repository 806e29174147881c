/** The rule engine: every rule kind at, just under and just over its limit, and which rules an event concerns. */
import { DEFAULT_RULE_SET } from '../src/compliance/default-ruleset';
import {
  categoryCovers,
  evaluateRuleSets,
  evaluateRuleSetsDetailed,
  responsibleParty,
} from '../src/compliance/engine';
import type { EvaluationInput } from '../src/compliance/engine';
import type {
  ComplianceDocument,
  ComplianceEvent,
  ComplianceLot,
  Evaluation,
  QualificationFacts,
  Rule,
  RuleSet,
} from '../src/shared/compliance';
import { ChaincodeError } from '../src/shared/errors';

const VEGETABLES: ComplianceLot = {
  lotId: '06901234000012:V-1',
  status: 'active',
  category: 'vegetables/cowpea',
  custodian: 'LogisticsMSP',
  producer: 'ProducerMSP',
  expiryDate: '2026-03-10',
};

/** A rule set of the given rules. */
function ruleSet(rules: Rule[], id = 'test', version = 1): RuleSet {
  return {
    id,
    version,
    title: 't',
    issuer: 'RegulatorMSP',
    effectiveFrom: '2021-01-01',
    publishedTxId: 'tx',
    rules,
  };
}

/** An event with defaults: an inspection by InspectorMSP at noon Beijing time on 2026-03-05. */
function event(overrides: Partial<ComplianceEvent> = {}): ComplianceEvent {
  return {
    id: 'e1',
    bizStep: 'inspecting',
    eventTime: '2026-03-05T12:00:00+08:00',
    actorMsp: 'InspectorMSP',
    actorId: 'User1@inspector',
    ...overrides,
  };
}

/** Evaluates one rule set on an event. */
function evaluate(rules: Rule[], ev: ComplianceEvent, input: Partial<EvaluationInput> = {}): Evaluation[] {
  return evaluateRuleSets([ruleSet(rules)], {
    lot: VEGETABLES,
    event: ev,
    documents: [],
    issuerRoles: {},
    ...input,
  });
}

/** The single evaluation of a single rule. */
function only(rules: Rule[], ev: ComplianceEvent, input: Partial<EvaluationInput> = {}): Evaluation {
  const evaluations = evaluate(rules, ev, input);
  expect(evaluations).toHaveLength(1);
  return evaluations[0] as Evaluation;
}

const carbofuran: Rule = {
  id: 'mrl-carbofuran',
  kind: 'mrl',
  substance: 'carbofuran',
  productCategory: 'vegetables',
  limit: 0.02,
  unit: 'mg/kg',
};

describe('mrl', () => {
  const residue = (value: number | 'ND', unit = 'mg/kg', extra = {}) =>
    event({ residues: [{ substance: 'carbofuran', value, unit, ...extra }] });

  it('passes at and just under the limit and fails just over it (carbofuran 0.02 mg/kg on vegetables)', () => {
    expect(only([carbofuran], residue(0.02))).toEqual({
      ruleSetId: 'test',
      ruleSetVersion: 1,
      ruleId: 'mrl-carbofuran',
      kind: 'mrl',
      outcome: 'pass',
      measured: 0.02,
      limit: 0.02,
      unit: 'mg/kg',
      message: 'carbofuran 0.02 mg/kg within 0.02 mg/kg',
    });
    expect(only([carbofuran], residue(0.0199)).outcome).toBe('pass');
    expect(only([carbofuran], residue(0.0201))).toMatchObject({
      outcome: 'fail',
      measured: 0.0201,
      limit: 0.02,
    });
  });

  it('converts units before comparing: 20 µg/kg and 20 ppb pass, 21 ppb fails', () => {
    expect(only([carbofuran], residue(20, 'µg/kg'))).toMatchObject({ outcome: 'pass', measured: 0.02 });
    expect(only([carbofuran], residue(20, 'ppb'))).toMatchObject({ outcome: 'pass', measured: 0.02 });
    expect(only([carbofuran], residue(0.02, 'ppm')).outcome).toBe('pass');
    expect(only([carbofuran], residue(21, 'ppb'))).toMatchObject({ outcome: 'fail', measured: 0.021 });
  });

  it('passes ND, but fails an ND whose LOD is above the limit (the method cannot show compliance)', () => {
    expect(only([carbofuran], residue('ND'))).toMatchObject({ outcome: 'pass', measured: 'ND' });
    expect(only([carbofuran], residue('ND', 'µg/kg', { lod: 20 })).outcome).toBe('pass');
    expect(only([carbofuran], residue('ND', 'µg/kg', { lod: 50 }))).toMatchObject({
      outcome: 'fail',
      measured: 'ND',
    });
    expect(only([carbofuran], residue(0.5, 'mg/kg', { detected: false })).outcome).toBe('pass');
  });

  it('takes the highest of repeated results for one substance', () => {
    const ev = event({
      residues: [
        { substance: 'carbofuran', value: 0.01, unit: 'mg/kg' },
        { substance: 'Carbofuran', value: 30, unit: 'µg/kg' },
        { substance: 'carbofuran', value: 'ND', unit: 'mg/kg' },
      ],
    });
    expect(only([carbofuran], ev)).toMatchObject({ outcome: 'fail', measured: 0.03 });
  });

  it('reports a rule on a substance not tested as not applicable, and leaves out other categories', () => {
    const omethoate: Rule = { ...carbofuran, id: 'mrl-omethoate', substance: 'omethoate' };
    const onRice: Rule = { ...carbofuran, id: 'mrl-rice', productCategory: 'grain/rice' };
    const evaluations = evaluate([carbofuran, omethoate, onRice], residue(0.01));
    expect(evaluations.map((e) => [e.ruleId, e.outcome])).toEqual([
      ['mrl-carbofuran', 'pass'],
      ['mrl-omethoate', 'not_applicable'],
    ]);
  });

  it('applies the most specific limit of a category path (cowpea over vegetables)', () => {
    const cyromazineVeg: Rule = { ...carbofuran, id: 'cyro-veg', substance: 'cyromazine', limit: 0.1 };
    const cyromazineCowpea: Rule = {
      ...cyromazineVeg,
      id: 'cyro-cowpea',
      productCategory: 'vegetables/cowpea',
      limit: 0.5,
    };
    const ev = event({ residues: [{ substance: 'cyromazine', value: 0.5, unit: 'mg/kg' }] });
    const evaluations = evaluate([cyromazineVeg, cyromazineCowpea], ev);
    expect(evaluations.map((e) => [e.ruleId, e.outcome])).toEqual([
      ['cyro-veg', 'not_applicable'],
      ['cyro-cowpea', 'pass'],
    ]);
  });

  it('is not evaluated on an event without residue results', () => {
    expect(evaluate([carbofuran], event({ bizStep: 'shipping' }))).toEqual([]);
  });

  it('refuses the event when a result is in an unknown unit, even if no rule concerns it', () => {
    const ev = event({ residues: [{ substance: 'dimethoate', value: 1, unit: 'mg/l' }] });
    expect(() => evaluate([carbofuran], ev)).toThrow(expect.objectContaining({ code: 'UNKNOWN_UNIT' }));
  });
});

describe('banned', () => {
  const banned: Rule = { id: 'banned-methamidophos', kind: 'banned', substance: 'methamidophos' };
  const result = (value: number | 'ND') =>
    event({ residues: [{ substance: 'methamidophos', value, unit: 'mg/kg' }] });

  it('passes not detected or 0 and fails any detection, however small', () => {
    expect(only([banned], result('ND'))).toMatchObject({ outcome: 'pass', limit: 0 });
    expect(only([banned], result(0)).outcome).toBe('pass');
    expect(only([banned], result(0.001))).toMatchObject({ outcome: 'fail', measured: 0.001, limit: 0 });
  });

  it('applies only to the categories it lists', () => {
    const onFruit: Rule = { ...banned, productCategories: ['fruit'] };
    expect(evaluate([onFruit], result(1))).toEqual([]);
  });
});

describe('temperature', () => {
  const chilled: Rule = {
    id: 'cold-chilled',
    kind: 'temperature',
    category: 'chilled',
    min: 0,
    max: 4,
    unit: '°C',
    toleratedExcursionMinutes: 30,
    maxInstantDeviation: 4,
  };
  const lot: ComplianceLot = { ...VEGETABLES, category: 'meat/pork', storageCategory: 'chilled' };
  /** Readings every 10 minutes from 00:00 UTC. */
  const series = (...celsius: number[]) =>
    event({
      bizStep: 'sensor_reporting',
      readings: celsius.map((c, i) => ({
        time: `2026-03-01T00:${String(i * 10).padStart(2, '0')}:00Z`,
        celsius: c,
      })),
    });
  const judge = (ev: ComplianceEvent) => only([chilled], ev, { lot });

  it('passes readings at the range bounds', () => {
    expect(judge(series(0, 4, 4, 0))).toMatchObject({ outcome: 'pass', measured: 0, limit: 30, unit: 'min' });
  });

  it('passes an excursion lasting exactly the tolerated 30 minutes and fails one of 40', () => {
    expect(judge(series(3, 5, 5, 5, 3))).toMatchObject({ outcome: 'pass', measured: 30 });
    expect(judge(series(3, 5, 5, 5, 5, 3))).toMatchObject({
      outcome: 'fail',
      measured: 40,
      limit: 30,
      unit: 'min',
    });
  });

  it('fails one minute over the tolerance', () => {
    const ev = event({
      readings: [
        { time: '2026-03-01T00:00:00Z', celsius: 4.1 },
        { time: '2026-03-01T00:31:00Z', celsius: 3 },
      ],
    });
    expect(judge(ev)).toMatchObject({ outcome: 'fail', measured: 31 });
  });

  it('fails at once a reading beyond the instant deviation (8 °C), passes one at it', () => {
    expect(judge(series(3, 8, 3)).outcome).toBe('pass');
    expect(judge(series(3, 8.1, 3))).toMatchObject({ outcome: 'fail', measured: 8.1, limit: 8, unit: '°C' });
    expect(judge(series(3, -4.5, 3))).toMatchObject({ outcome: 'fail', measured: -4.5, limit: -4 });
  });

  it('lets a lone out-of-range last reading within the instant deviation pass (no duration yet)', () => {
    expect(judge(series(3, 3, 7))).toMatchObject({ outcome: 'pass', measured: 0 });
  });

  it('converts fahrenheit and kelvin readings', () => {
    const ev = event({
      readings: [
        { time: '2026-03-01T00:00:00Z', fahrenheit: 39.2 },
        { time: '2026-03-01T00:10:00Z', kelvin: 277.15 },
      ],
    });
    expect(judge(ev).outcome).toBe('pass');
  });

  it('applies only to lots kept in its category', () => {
    expect(evaluate([chilled], series(10, 10), { lot: { ...lot, storageCategory: 'frozen' } })).toEqual([]);
    expect(evaluate([chilled], series(10, 10), { lot: VEGETABLES })).toEqual([]);
  });

  it('measures a carried excursion whole and marks which runs failed', () => {
    const [result] = evaluateRuleSetsDetailed([ruleSet([chilled])], {
      lot,
      event: series(6, 6),
      documents: [],
      issuerRoles: {},
      carries: { 'test/cold-chilled': { since: '2026-02-28T23:30:00Z', reported: false } },
    });
    expect(result?.evaluation).toMatchObject({ outcome: 'fail', measured: 40 });
    expect(result?.failingRuns?.[0]).toMatchObject({ carried: true, open: true });
  });
});

describe('required_document', () => {
  const quarantine: Rule = {
    id: 'quarantine-meat',
    kind: 'required_document',
    docType: 'animal_quarantine_certificate',
    beforeBizStep: 'shipping',
    productCategories: ['meat'],
    validityDays: 7,
    issuerRoles: ['inspector', 'regulator'],
  };
  const pork: ComplianceLot = { ...VEGETABLES, category: 'meat/pork' };
  const shipping = event({
    bizStep: 'shipping',
    actorMsp: 'ProducerMSP',
    eventTime: '2026-03-08T09:00:00+08:00',
  });
  const certificate = (issuedAt: string, extra: Partial<ComplianceDocument> = {}): ComplianceDocument => ({
    docType: 'animal_quarantine_certificate',
    id: `Q-${issuedAt}`,
    issuedAt,
    issuerMsp: 'InspectorMSP',
    ...extra,
  });
  const judge = (documents: ComplianceDocument[], issuerRoles = { InspectorMSP: 'inspector' as const }) =>
    only([quarantine], shipping, { lot: pork, documents, issuerRoles });

  it('passes on the last day of validity (day 7 of 7) and fails the day after', () => {
    expect(judge([certificate('2026-03-02')])).toMatchObject({
      outcome: 'pass',
      measured: 7,
      limit: 7,
      unit: 'days',
    });
    expect(judge([certificate('2026-03-03')])).toMatchObject({ outcome: 'pass', measured: 6 });
    expect(judge([certificate('2026-03-01')])).toMatchObject({ outcome: 'fail', measured: 8, limit: 7 });
  });

  it('fails without a certificate, with a failed one, one from a producer, or one dated after the event', () => {
    expect(judge([])).toMatchObject({ outcome: 'fail', measured: 'missing' });
    expect(judge([certificate('2026-03-07', { outcome: 'fail' })]).outcome).toBe('fail');
    expect(
      judge([certificate('2026-03-07', { issuerMsp: 'ProducerMSP' })], { InspectorMSP: 'inspector' }).outcome,
    ).toBe('fail');
    expect(judge([certificate('2026-03-09')]).outcome).toBe('fail');
  });

  it('honours a validUntil earlier than the validity period', () => {
    expect(judge([certificate('2026-03-05', { validUntil: '2026-03-07' })]).outcome).toBe('fail');
    expect(judge([certificate('2026-03-05', { validUntil: '2026-03-08' })]).outcome).toBe('pass');
  });

  it('applies only at its business step and to its categories', () => {
    expect(evaluate([quarantine], event({ bizStep: 'receiving' }), { lot: pork })).toEqual([]);
    expect(evaluate([quarantine], shipping, { lot: VEGETABLES })).toEqual([]);
  });
});

describe('qualification', () => {
  const qualified: Rule = {
    id: 'qualified',
    kind: 'qualification',
    requireFoodLicenceFor: ['producer', 'processor'],
  };
  const facts = (extra: Partial<QualificationFacts> = {}): QualificationFacts => ({
    mspId: 'ProducerMSP',
    role: 'producer',
    statusOnDate: 'approved',
    foodProductionLicence: 'SC10637010000010',
    ...extra,
  });
  const ev = event({ bizStep: 'shipping', actorMsp: 'ProducerMSP', eventTime: '2026-03-05T12:00:00+08:00' });

  it('passes an approved member with a valid licence, fails one not approved on the date', () => {
    expect(only([qualified], ev, { actor: facts() })).toMatchObject({
      outcome: 'pass',
      measured: 'approved',
    });
    expect(only([qualified], ev, { actor: facts({ statusOnDate: 'suspended' }) })).toMatchObject({
      outcome: 'fail',
      measured: 'suspended',
      limit: 'approved',
    });
    expect(only([qualified], ev, { actor: facts({ statusOnDate: null }) }).measured).toBe('not_a_member');
    expect(only([qualified], ev).outcome).toBe('fail');
  });

  it('fails a producer without a well-formed SC licence, not a retailer', () => {
    expect(only([qualified], ev, { actor: facts({ foodProductionLicence: undefined }) }).outcome).toBe(
      'fail',
    );
    expect(only([qualified], ev, { actor: facts({ foodProductionLicence: 'QS123' }) }).outcome).toBe('fail');
    const retailer = facts({ role: 'retailer', foodProductionLicence: undefined });
    expect(only([qualified], ev, { actor: retailer }).outcome).toBe('pass');
  });

  it('passes on the licence expiry day and fails the day after', () => {
    expect(only([qualified], ev, { actor: facts({ licenceValidUntil: '2026-03-05' }) }).outcome).toBe('pass');
    expect(only([qualified], ev, { actor: facts({ licenceValidUntil: '2026-03-04' }) })).toMatchObject({
      outcome: 'fail',
      measured: '2026-03-04',
    });
  });
});

describe('shelf_life', () => {
  const shelfLife: Rule = { id: 'shelf-life', kind: 'shelf_life' };
  // VEGETABLES expire on 2026-03-10 (Beijing calendar).
  const sale = (eventTime: string) =>
    event({ bizStep: 'retail_selling', actorMsp: 'RetailerMSP', eventTime });

  it('passes a sale the day before and on the expiry day, fails the day after', () => {
    expect(only([shelfLife], sale('2026-03-09T20:00:00+08:00'))).toMatchObject({
      outcome: 'pass',
      measured: -1,
    });
    expect(only([shelfLife], sale('2026-03-10T23:59:59+08:00'))).toMatchObject({
      outcome: 'pass',
      measured: 0,
    });
    expect(only([shelfLife], sale('2026-03-11T00:00:00+08:00'))).toMatchObject({
      outcome: 'fail',
      measured: 1,
      limit: 0,
      unit: 'days',
    });
    // 16:30 UTC on the 10th is already the 11th in Beijing.
    expect(only([shelfLife], sale('2026-03-10T16:30:00Z')).outcome).toBe('fail');
  });

  it('is not applicable to a lot without an expiry date, and concerns only sales', () => {
    const evaluations = evaluate([shelfLife], sale('2026-04-01T10:00:00+08:00'), {
      lot: { ...VEGETABLES, expiryDate: undefined },
    });
    expect(evaluations[0]?.outcome).toBe('not_applicable');
    expect(
      evaluate([shelfLife], event({ bizStep: 'shipping', eventTime: '2026-04-01T10:00:00+08:00' })),
    ).toEqual([]);
  });
});

describe('the default rule set', () => {
  it('holds the GB 2763 limits for carbofuran and omethoate on vegetables and the cold-chain ranges', () => {
    const byId = new Map(DEFAULT_RULE_SET.rules.map((rule) => [rule.id, rule]));
    expect(byId.get('mrl-carbofuran-vegetables')).toMatchObject({
      substance: 'carbofuran',
      limit: 0.02,
      unit: 'mg/kg',
    });
    expect(byId.get('mrl-omethoate-vegetables')).toMatchObject({ substance: 'omethoate', limit: 0.02 });
    expect(byId.get('cold-chilled')).toMatchObject({ min: 0, max: 4, toleratedExcursionMinutes: 30 });
    expect(byId.get('cold-frozen')).toMatchObject({ max: -18 });
    expect(byId.get('banned-methamidophos')).toMatchObject({ kind: 'banned' });
  });
});

describe('helpers', () => {
  it('covers a category by itself, its descendants and *', () => {
    expect(categoryCovers('vegetables', 'vegetables/cowpea')).toBe(true);
    expect(categoryCovers('vegetables', 'vegetables')).toBe(true);
    expect(categoryCovers('vegetables', 'vegetablesx')).toBe(false);
    expect(categoryCovers('*', 'grain')).toBe(true);
  });

  it('holds the producer answerable for residues, the custodian for temperature, the actor otherwise', () => {
    const ev = event({ actorMsp: 'LogisticsMSP', actorId: 'driver' });
    expect(responsibleParty('mrl', VEGETABLES, ev)).toEqual({ mspId: 'ProducerMSP', actorId: '' });
    expect(responsibleParty('temperature', VEGETABLES, ev)).toEqual({
      mspId: 'LogisticsMSP',
      actorId: 'driver',
    });
    expect(responsibleParty('shelf_life', VEGETABLES, ev)).toEqual({
      mspId: 'LogisticsMSP',
      actorId: 'driver',
    });
  });

  it('refuses an event without a valid time', () => {
    expect(() => evaluate([carbofuran], event({ eventTime: 'yesterday' }))).toThrow(ChaincodeError);
  });
});
