/** Rule sets on the ledger: publishing by regulators only, immutable versions, malformed rules, effective dates. */
import './support/quiet-logging';
import { DEFAULT_RULE_SET } from '../src/compliance/default-ruleset';
import { applicableRuleSets, findRuleSetCatalog, ruleSetCatalogKey } from '../src/compliance/rule-set-store';
import type { RuleSetDraft, RuleSetRecord } from '../src/shared/compliance';
import type { Page } from '../src/shared/records';
import { allianceLedger, who } from './support/alliance';
import { FakeLedger, expectRefusal } from './support/fake-ledger';
import { FakeStub } from './support/fake-stub';

/** A small valid rule set. */
function draft(overrides: Partial<RuleSetDraft> = {}): RuleSetDraft {
  return {
    id: 'shandong-vegetables',
    version: 1,
    title: 'Shandong vegetable residue limits',
    effectiveFrom: '2026-01-01',
    rules: [
      {
        id: 'mrl-carbofuran',
        kind: 'mrl',
        substance: 'carbofuran',
        productCategory: 'vegetables',
        limit: 0.02,
        unit: 'mg/kg',
      },
    ],
    ...overrides,
  };
}

/** Publishes a rule set as `caller`. */
function publish(
  ledger: FakeLedger,
  caller = who.regulator,
  body: unknown = draft(),
): Promise<RuleSetRecord> {
  return ledger.submitJson<RuleSetRecord>(caller, 'rules:PublishRuleSet', [JSON.stringify(body)]);
}

/** Expects a refusal that changed nothing. */
async function refusedUnchanged(ledger: FakeLedger, attempt: Promise<unknown>, code: string) {
  const size = ledger.state.size;
  const events = ledger.events.length;
  const failure = await expectRefusal(attempt, code);
  expect(ledger.state.size).toBe(size);
  expect(ledger.events.length).toBe(events);
  return failure;
}

let ledger: FakeLedger;
beforeEach(async () => {
  ledger = await allianceLedger();
});

describe('PublishRuleSet', () => {
  it('stores version 1 with its issuer and transaction, and emits RuleSetPublished', async () => {
    const record = await publish(ledger);
    expect(record).toMatchObject({
      docType: 'ruleSet',
      id: 'shandong-vegetables',
      version: 1,
      issuer: 'RegulatorMSP',
      effectiveFrom: '2026-01-01',
      publishedTxId: record.createdTxId,
      lastTxId: record.createdTxId,
    });
    expect(ledger.lastEvent()).toMatchObject({ name: 'RuleSetPublished', payload: { ruleSet: record } });
    expect(await ledger.evaluateJson(who.retailer, 'rules:ReadRuleSet', ['shandong-vegetables', ''])).toEqual(
      record,
    );
  });

  it('refuses a rule set from a producer, an inspector, a pending regulator or an outsider (NOT_REGULATOR)', async () => {
    for (const caller of [who.producer, who.inspector, who.regulator2, who.outsider]) {
      await refusedUnchanged(ledger, publish(ledger, caller), 'NOT_REGULATOR');
    }
  });

  it('takes exactly the next version; old versions stay readable and unchanged', async () => {
    const v1 = await publish(ledger);
    await refusedUnchanged(ledger, publish(ledger, who.regulator, draft()), 'RULESET_VERSION_CONFLICT');
    await refusedUnchanged(
      ledger,
      publish(ledger, who.regulator, draft({ version: 3 })),
      'RULESET_VERSION_CONFLICT',
    );
    const v2 = await publish(
      ledger,
      who.regulator,
      draft({ version: 2, effectiveFrom: '2026-06-01', rules: [] }),
    );
    expect(
      await ledger.evaluateJson(who.producer, 'rules:ReadRuleSet', ['shandong-vegetables', '1']),
    ).toEqual(v1);
    expect(await ledger.evaluateJson(who.producer, 'rules:ReadRuleSet', ['shandong-vegetables', ''])).toEqual(
      v2,
    );
    const versions = await ledger.evaluateJson<Page<RuleSetRecord>>(
      who.producer,
      'rules:QueryRuleSetVersions',
      ['shandong-vegetables', '', ''],
    );
    expect(versions.records.map((r) => r.version)).toEqual([1, 2]);
    await expectRefusal(
      ledger.evaluate(who.producer, 'rules:ReadRuleSet', ['shandong-vegetables', '3']),
      'RULESET_NOT_FOUND',
    );
  });

  it('refuses a version effective before its predecessor (EFFECTIVE_DATE_REGRESSION)', async () => {
    await publish(ledger);
    await refusedUnchanged(
      ledger,
      publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2025-12-31' })),
      'EFFECTIVE_DATE_REGRESSION',
    );
  });

  it('refuses a malformed rule with MALFORMED_RULE naming its index and field', async () => {
    const bad = (rule: unknown) => {
      const rules = [...draft().rules, rule];
      return refusedUnchanged(
        ledger,
        publish(ledger, who.regulator, { ...draft(), rules }),
        'MALFORMED_RULE',
      ).then((failure) => failure.body?.details as { index: number; field: string });
    };
    const mrl = {
      id: 'mrl-x',
      kind: 'mrl',
      substance: 'x',
      productCategory: 'vegetables',
      limit: 1,
      unit: 'mg/kg',
    };
    expect(await bad({ ...mrl, limit: -1 })).toMatchObject({ index: 1, field: 'limit' });
    expect(await bad({ ...mrl, unit: 'ppm' })).toMatchObject({ index: 1, field: 'unit' });
    expect(await bad({ ...mrl, productCategory: 'Vegetables!' })).toMatchObject({ field: 'productCategory' });
    expect(await bad({ ...mrl, extra: true })).toMatchObject({ field: 'extra' });
    expect(await bad({ ...mrl, kind: 'vibes' })).toMatchObject({ field: 'kind' });
    expect(await bad({ ...mrl, id: 'mrl-carbofuran' })).toMatchObject({ field: 'id' });
    expect(await bad('not an object')).toMatchObject({ index: 1, field: '' });
    const cold = {
      id: 'c',
      kind: 'temperature',
      category: 'chilled',
      unit: '°C',
      toleratedExcursionMinutes: 30,
    };
    expect(await bad(cold)).toMatchObject({ field: 'min' });
    expect(await bad({ ...cold, min: 5, max: 4 })).toMatchObject({ field: 'min' });
    expect(await bad({ ...cold, max: 4, unit: '°F' })).toMatchObject({ field: 'unit' });
    const doc = {
      id: 'd',
      kind: 'required_document',
      docType: 'inspection_pass',
      beforeBizStep: 'selling',
      validityDays: 7,
    };
    expect(await bad(doc)).toMatchObject({ field: 'beforeBizStep' });
    expect(await bad({ ...doc, beforeBizStep: 'retail_selling', validityDays: 0 })).toMatchObject({
      field: 'validityDays',
    });
    expect(await bad({ ...doc, beforeBizStep: 'retail_selling', issuerRoles: ['farmer'] })).toMatchObject({
      field: 'issuerRoles',
    });
  });

  it('refuses a bad envelope with the code of what is wrong', async () => {
    await refusedUnchanged(
      ledger,
      publish(ledger, who.regulator, draft({ effectiveFrom: '2026-13-01' })),
      'MALFORMED_DATE',
    );
    await refusedUnchanged(
      ledger,
      publish(ledger, who.regulator, draft({ id: 'no spaces' })),
      'INVALID_ARGUMENT',
    );
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'rules:PublishRuleSet', ['{']),
      'INVALID_JSON',
    );
  });
});

describe('SeedDefaultRuleSet', () => {
  it('publishes the baseline once, validated like any rule set, and refuses a second seed', async () => {
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'rules:SeedDefaultRuleSet'), 'NOT_REGULATOR');
    const seeded = await ledger.submitJson<RuleSetRecord>(who.regulator, 'rules:SeedDefaultRuleSet');
    expect(seeded).toMatchObject({ id: DEFAULT_RULE_SET.id, version: 1, issuer: 'RegulatorMSP' });
    expect(seeded.rules).toEqual(JSON.parse(JSON.stringify(DEFAULT_RULE_SET.rules)));
    await refusedUnchanged(
      ledger,
      ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet'),
      'RULESET_EXISTS',
    );
  });
});

describe('QueryRuleSets', () => {
  it('pages rule sets in ID order at their latest version', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await publish(ledger);
    await publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2026-02-01' }));
    const first = await ledger.evaluateJson<Page<RuleSetRecord>>(who.outsider, 'rules:QueryRuleSets', [
      '1',
      '',
    ]);
    expect(first.records.map((r) => [r.id, r.version])).toEqual([['cn-baseline', 1]]);
    const second = await ledger.evaluateJson<Page<RuleSetRecord>>(who.outsider, 'rules:QueryRuleSets', [
      '1',
      first.bookmark,
    ]);
    expect(second.records.map((r) => [r.id, r.version])).toEqual([['shandong-vegetables', 2]]);
  });
});

describe('applicableRuleSets', () => {
  it('selects for each ID the highest version in force on the date: a new version applies from its date, not before', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await publish(ledger, who.regulator, draft({ effectiveFrom: '2026-01-01' }));
    await publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2026-04-01' }));
    const ctx = ledger.contextFor(who.regulator);
    const versions = async (date: string) =>
      (await applicableRuleSets(ctx, date)).map((ruleSet) => `${ruleSet.id}@${ruleSet.version}`);
    expect(await versions('2021-09-02T12:00:00+08:00')).toEqual([]);
    expect(await versions('2021-09-03T00:00:00+08:00')).toEqual(['cn-baseline@1']);
    expect(await versions('2025-12-31T23:59:59+08:00')).toEqual(['cn-baseline@1']);
    expect(await versions('2026-03-31T23:59:59+08:00')).toEqual(['cn-baseline@1', 'shandong-vegetables@1']);
    // Midnight in Beijing is 16:00 UTC the day before.
    expect(await versions('2026-03-31T16:00:00Z')).toEqual(['cn-baseline@1', 'shandong-vegetables@2']);
    expect(await ledger.evaluateJson(who.outsider, 'rules:ReadApplicableRuleSets', ['2026-03-01'])).toEqual([
      { id: 'cn-baseline', version: 1, effectiveFrom: '2021-09-03' },
      { id: 'shandong-vegetables', version: 1, effectiveFrom: '2026-01-01' },
    ]);
  });

  it('reads one catalog record: no range over the heads, and a version read only for an event before the latest', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await publish(ledger, who.regulator, draft({ effectiveFrom: '2026-01-01' }));
    await publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2026-04-01' }));
    const gets = jest.spyOn(FakeStub.prototype, 'getState');
    const ranges = jest.spyOn(FakeStub.prototype, 'getStateByPartialCompositeKey');
    try {
      const requests = async (date: string) => {
        gets.mockClear();
        ranges.mockClear();
        const selected = await applicableRuleSets(ledger.contextFor(who.regulator), date);
        return {
          selected: selected.map((ruleSet) => `${ruleSet.id}@${ruleSet.version}`),
          reads: gets.mock.calls.length,
          ranges: ranges.mock.calls.length,
        };
      };
      expect(await requests('2026-05-01')).toEqual({
        selected: ['cn-baseline@1', 'shandong-vegetables@2'],
        reads: 1,
        ranges: 0,
      });
      expect(await requests('2026-03-01')).toEqual({
        selected: ['cn-baseline@1', 'shandong-vegetables@1'],
        reads: 2,
        ranges: 0,
      });
    } finally {
      gets.mockRestore();
      ranges.mockRestore();
    }
  });

  it('selects the same on a ledger published before the catalog, whose next publication builds it whole', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await publish(ledger, who.regulator, draft({ effectiveFrom: '2026-01-01' }));
    await publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2026-04-01' }));
    const ctx = ledger.contextFor(who.regulator);
    ledger.state.apply(new Map([[ruleSetCatalogKey(ctx), { isDelete: true }]]), 'remove-catalog', new Date());
    expect(await findRuleSetCatalog(ctx)).toBeUndefined();
    const versions = async (date: string) =>
      (await applicableRuleSets(ledger.contextFor(who.regulator), date)).map(
        (ruleSet) => `${ruleSet.id}@${ruleSet.version}`,
      );
    expect(await versions('2026-03-01')).toEqual(['cn-baseline@1', 'shandong-vegetables@1']);
    expect(await versions('2026-05-01')).toEqual(['cn-baseline@1', 'shandong-vegetables@2']);

    await publish(ledger, who.regulator, draft({ id: 'beijing-leafy', effectiveFrom: '2026-02-01' }));
    const catalog = await findRuleSetCatalog(ledger.contextFor(who.regulator));
    expect(
      catalog?.entries.map((entry) => [entry.id, entry.versions.map((v) => v.version), entry.latest.version]),
    ).toEqual([
      ['beijing-leafy', [1], 1],
      ['cn-baseline', [1], 1],
      ['shandong-vegetables', [1, 2], 2],
    ]);
    expect(await versions('2026-03-01')).toEqual([
      'beijing-leafy@1',
      'cn-baseline@1',
      'shandong-vegetables@1',
    ]);
  });

  it('IndexRuleSets (regulators only) rebuilds the catalog of an upgraded ledger without a new version', async () => {
    await ledger.submit(who.regulator, 'rules:SeedDefaultRuleSet');
    await publish(ledger, who.regulator, draft({ effectiveFrom: '2026-01-01' }));
    await publish(ledger, who.regulator, draft({ version: 2, effectiveFrom: '2026-04-01' }));
    const catalogKey = ruleSetCatalogKey(ledger.contextFor(who.regulator));
    ledger.state.apply(new Map([[catalogKey, { isDelete: true }]]), 'remove-catalog', new Date());
    await refusedUnchanged(ledger, ledger.submit(who.producer, 'rules:IndexRuleSets'), 'NOT_REGULATOR');
    const answer = await ledger.submitJson(who.regulator, 'rules:IndexRuleSets');
    const ruleSets = [
      { id: 'cn-baseline', versions: 1 },
      { id: 'shandong-vegetables', versions: 2 },
    ];
    expect(answer).toEqual({ ruleSets });
    expect(ledger.lastEvent()).toMatchObject({ name: 'RuleSetsIndexed', payload: { ruleSets } });
    const catalog = await findRuleSetCatalog(ledger.contextFor(who.regulator));
    expect(catalog?.entries.map((entry) => [entry.id, entry.latest.version])).toEqual([
      ['cn-baseline', 1],
      ['shandong-vegetables', 2],
    ]);
  });
});
