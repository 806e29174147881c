/**
 * The read side on every engine, over the traceability story: the consumer's view of a lot (recall warning first,
 * journey, origin, inspections, no commercial fields), lot search, regulators' analytics and the trace export.
 * The same SQL runs on SQLite and PostgreSQL, and must give the same answers.
 */
import {
  complianceByMember,
  eventsPerPeriod,
  lotsPerPeriod,
  openIssues,
  recallsWithScope,
} from '../../../src/analytics/analytics-queries';
import { traceExport } from '../../../src/export/trace-rows';
import { readPublicLot } from '../../../src/public/public-lot';
import { sampleStory } from '../../../src/store/sample-ledger';
import { searchLots } from '../../../src/search/search-lots';
import { applyBlocks, openTestStore, storeWithBlocks, testEngines } from '../support/stores';

const RESOLVER = 'https://trace.example.cn';

describe.each(testEngines())('queries on %s', (engine) => {
  const story = sampleStory();
  const [spinach, lettuce] = story.farmLots;
  const [boxA, boxB] = story.packagedLots;

  const opened = storeWithBlocks(engine, story.ledger.blocks);

  describe('public view of a lot', () => {
    it('puts the recall warning first, then the product, origin farms and the whole journey', async () => {
      const answer = await opened.store.snapshot((r) => readPublicLot(r, boxA, RESOLVER));
      const view = answer!.view;
      expect(Object.keys(view)[0]).toBe('warning');
      expect(view.warning).toMatchObject({
        type: 'recall',
        severity: 'I',
        recallId: story.recallId,
        recalledLotId: spinach,
      });
      expect(view.traceCode.digitalLink).toBe(`${RESOLVER}/01/06901234567809/10/SALAD-01`);
      expect(view.traceCode.elementString).toBe('(01)06901234567809(10)SALAD-01');
      expect(view.origin.map((o) => o.lotId).sort()).toEqual([spinach, lettuce].sort());
      expect(view.origin[0]!.producer.name).toBe('Green Valley Farm Cooperative');
      const steps = view.journey.map((s) => s.bizStep);
      expect(steps[0]).toBe('commissioning');
      expect(steps).toEqual(
        expect.arrayContaining([
          'inspecting',
          'consigning',
          'accepting',
          'packing',
          'retail_selling',
          'holding',
        ]),
      );
      const dates = view.journey.map((s) => s.date);
      expect([...dates].sort()).toEqual(dates);
      for (const step of view.journey) {
        expect(step.responsible.name).not.toBe('');
        expect(step.verification.txId).toMatch(/^[0-9a-f]{64}$/);
        expect(step.verification.blockNumber).toBeGreaterThan(0);
      }
      expect(view.inspections.filter((i) => i.kind === 'inspection')).toHaveLength(2);
      expect(view.compliance.status).toBe('recalled');
      expect(answer!.lastBlock).toBe(story.ledger.blocks.length - 1);
    });

    it('never shows commercial fields: orders, notes, prices, quantities', async () => {
      const answer = await opened.store.snapshot((r) => readPublicLot(r, boxA, RESOLVER));
      const text = JSON.stringify(answer!.view);
      expect(text).not.toMatch(/CONFIDENTIAL|unit price|CNY|bizTransaction|"note"|"quantity"|"remaining"/);
    });

    it('shows a lot with nothing wrong as compliant, without warning', async () => {
      const clean = sampleStory(false);
      const other = await openTestStore(engine);
      try {
        await applyBlocks(other.store, clean.ledger.blocks);
        const answer = await other.store.snapshot((r) => readPublicLot(r, clean.packagedLots[1], RESOLVER));
        expect(answer!.view.warning).toBeNull();
        expect(answer!.view.compliance).toEqual({ status: 'compliant', openViolations: [] });
      } finally {
        await other.dispose();
      }
    });

    it('answers undefined for an unknown lot', async () => {
      expect(
        await opened.store.snapshot((r) => readPublicLot(r, '06901234567892:NOPE', RESOLVER)),
      ).toBeUndefined();
    });
  });

  describe('search', () => {
    const base = { page: 1, pageSize: 20 };
    it('finds lots by a partial trace code, GTIN or product name, case-insensitively', async () => {
      expect(
        (await searchLots(opened.store, { ...base, q: 'gv-2026' })).hits.map((h) => h.lotId).sort(),
      ).toEqual([spinach, lettuce].sort());
      expect((await searchLots(opened.store, { ...base, q: '(10)SALAD-0' })).total).toBe(2);
      expect((await searchLots(opened.store, { ...base, q: '0690123456789' })).total).toBe(2);
      expect((await searchLots(opened.store, { ...base, q: 'spinach' })).hits.map((h) => h.lotId)).toEqual([
        spinach,
      ]);
      expect((await searchLots(opened.store, { ...base, q: '100%' })).total).toBe(0);
    });

    it('filters by producer (MSP ID or part of its name), region, status and dates, newest first, paged', async () => {
      const byName = await searchLots(opened.store, { ...base, producer: 'jade river' });
      expect(byName.hits.map((h) => h.lotId).sort()).toEqual([boxA, boxB].sort());
      expect(byName.hits[0]!.producer).toEqual({
        mspId: 'ProcessorMSP',
        name: 'Jade River Food Processing Co., Ltd.',
      });
      expect((await searchLots(opened.store, { ...base, producer: 'CoopMSP' })).total).toBe(2);
      expect((await searchLots(opened.store, { ...base, region: '3301' })).total).toBe(4);
      expect((await searchLots(opened.store, { ...base, status: 'recalled' })).total).toBe(3);
      expect((await searchLots(opened.store, { ...base, from: '2026-05-01', to: '2026-05-01' })).total).toBe(
        4,
      );
      expect((await searchLots(opened.store, { ...base, from: '2026-05-02' })).total).toBe(0);
      const page2 = await searchLots(opened.store, { page: 2, pageSize: 3 });
      expect(page2).toMatchObject({ total: 4 });
      expect(page2.hits).toHaveLength(1);
    });
  });

  describe('analytics', () => {
    it('counts lots and events per period and dimension', async () => {
      const lots = await lotsPerPeriod(opened.store, 'month', 'producer', {});
      expect(lots).toEqual([
        { period: '2026-05', key: 'CoopMSP', count: 2, quantity: 800, unit: 'kg' },
        { period: '2026-05', key: 'ProcessorMSP', count: 2, quantity: 750, unit: 'kg' },
      ]);
      const week = await lotsPerPeriod(opened.store, 'week', 'none', {});
      expect(week).toEqual([{ period: '2026-W18', key: '', count: 4, quantity: 1550, unit: 'kg' }]);
      const events = await eventsPerPeriod(opened.store, 'day', 'bizStep', {
        from: '2026-05-01',
        to: '2026-05-31',
      });
      expect(events.find((p) => p.key === 'inspecting')).toEqual({
        period: '2026-05-01',
        key: 'inspecting',
        count: 2,
      });
    });

    it('lists open violations, recalls with scope and compliance per member', async () => {
      const issues = await openIssues(opened.store);
      expect(issues.openViolationCount).toBe(1);
      expect(issues.violations[0]).toMatchObject({ kind: 'mrl', responsible: 'CoopMSP', count: 1 });
      const recalls = (await recallsWithScope(opened.store, {})) as Array<Record<string, unknown>>;
      expect(recalls).toHaveLength(1);
      expect(recalls[0]).toMatchObject({ recallId: story.recallId, lotId: spinach, marked: 3 });
      expect((recalls[0]!.affectedLots as unknown[]).length).toBe(3);
      const compliance = await complianceByMember(opened.store);
      const coop = compliance.find((m) => m.mspId === 'CoopMSP')!;
      expect(coop).toMatchObject({
        lotsHandled: 2,
        lotsWithViolations: 1,
        violations: 1,
        openViolations: 1,
        complianceRate: 0.5,
      });
      expect(compliance.find((m) => m.mspId === 'RetailerMSP')!.complianceRate).toBe(1);
    });
  });

  describe('trace export', () => {
    it('lists every event of every lot upstream of a retail lot, with the FSMA key data elements', async () => {
      const data = await opened.store.snapshot((r) => traceExport(r, boxA, 'backward'));
      expect(data!.lots).toBe(3);
      const lotsInRows = new Set(data!.rows.map((row) => row.lotId));
      expect([...lotsInRows].sort()).toEqual([boxA, spinach, lettuce].sort());
      const harvest = data!.rows.find((row) => row.lotId === spinach && row.cte === 'Harvesting')!;
      expect(harvest).toMatchObject({
        depth: 1,
        viaLotId: boxA,
        traceabilityLotCode: '(01)06901234567892(17)261231(10)GV-2026-A',
        product: 'Spinach',
        quantity: 500,
        unit: 'kg',
        responsibleName: 'Green Valley Farm Cooperative',
        referenceDocumentType: 'Ledger transaction ID',
        locationRegion: '330183',
      });
      expect(data!.rows.some((row) => row.cte === 'Transformation' && row.role === 'input')).toBe(true);
    });

    it('goes forward from a farm lot to every lot made from it', async () => {
      const data = await opened.store.snapshot((r) => traceExport(r, spinach, 'forward'));
      expect(new Set(data!.rows.map((row) => row.lotId))).toEqual(new Set([spinach, boxA, boxB]));
    });
  });
});
