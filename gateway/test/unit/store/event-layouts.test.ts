/**
 * The two ways a ledger keeps a single-lot event (chaincode/src/shared/event-records.ts) give the same store, on
 * every engine: the same story followed from a ledger that keeps such events whole under their lot, with their
 * evaluations, and from one that keeps them as event [eventId], a marker under the lot and complianceEvaluation
 * (ledgers written before) answers the same events, evaluations and rule results, consumer lookups, traces,
 * analytics and trace exports. A store whose older gateway mirrored such records without projecting them gets
 * their rows when it is migrated.
 */
import { holdsEventRecord } from '@agritrace/chaincode/dist/shared/event-records';
import { complianceByMember, eventsPerPeriod } from '../../../src/analytics/analytics-queries';
import { traceExport } from '../../../src/export/trace-rows';
import { storeTracePage } from '../../../src/export/trace-page';
import { parseCompositeKey } from '../../../src/follower/composite-key';
import { readPublicLot } from '../../../src/public/public-lot';
import { migrate } from '../../../src/store/migrate';
import { sampleStory } from '../../../src/store/sample-ledger';
import type { SampleStory } from '../../../src/store/sample-ledger';
import type { SqlRunner } from '../../../src/store/store';
import { applyBlocks, openTestStore, storeWithBlocks, testEngines } from '../support/stores';

const RESOLVER = 'https://trace.example.cn';

/** The tables a life-cycle event and its evaluation are projected into, each row in key order. */
const EVENT_TABLES = {
  lot_events: 'event_id',
  lot_event_lots: 'event_id, lot_id, role',
  evaluations: 'lot_id, event_id',
  evaluation_results: 'lot_id, event_id, position',
} as const;

async function eventRows(reader: SqlRunner): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(EVENT_TABLES)) {
    rows[table] = await reader.all(`SELECT * FROM ${table} ORDER BY ${key}`);
  }
  return rows;
}

/** The keys under eventByLot [lotId, recordTime, eventId] a story's ledger wrote, and whether each holds its event. */
function eventByLotKeys(story: SampleStory): { attributes: string[]; holdsEvent: boolean }[] {
  return story.ledger.blocks.flatMap((block) =>
    block.transactions.flatMap((tx) =>
      tx.writes.flatMap((write) => {
        const key = parseCompositeKey(write.key);
        if (key?.objectType !== 'eventByLot' || write.value === null) return [];
        return [{ attributes: [...key.attributes], holdsEvent: holdsEventRecord(write.value) }];
      }),
    ),
  );
}

/** The IDs of the events a story's ledger keeps whole under their lot. */
function eventsKeptUnderLot(story: SampleStory): string[] {
  return eventByLotKeys(story)
    .filter((key) => key.holdsEvent)
    .map((key) => key.attributes[2]!);
}

describe.each(testEngines())('event layouts on %s', (engine) => {
  const underLot = sampleStory(true, true);
  const separate = sampleStory(true, false);
  const lotIds = [...underLot.farmLots, ...underLot.packagedLots];
  const current = storeWithBlocks(engine, underLot.ledger.blocks);
  const older = storeWithBlocks(engine, separate.ledger.blocks);

  it('follows one story kept both ways: the same transactions, single-lot events in different keys', () => {
    const txIds = (story: SampleStory) =>
      story.ledger.blocks.flatMap((b) => b.transactions.map((t) => t.txId));
    expect(txIds(underLot)).toEqual(txIds(separate));
    // Inspections, transfers, packing and the sale; not the harvests (recorded before the layout) nor the
    // transformation and the recall (several lots each).
    expect(eventsKeptUnderLot(underLot)).toHaveLength(12);
    expect(eventsKeptUnderLot(separate)).toEqual([]);
  });

  it('projects the same events, lots of events, evaluations and rule results', async () => {
    const rows = await current.store.snapshot(eventRows);
    expect(rows).toEqual(await older.store.snapshot(eventRows));
    expect(rows.lot_events).toHaveLength(16);
    // Both inspections and the sale were evaluated: the not-applicable rule is a result but not counted.
    expect(rows.evaluations).toHaveLength(3);
    expect(rows.evaluation_results).toHaveLength(7);
    expect(rows.evaluations).toContainEqual(
      expect.objectContaining({ lot_id: underLot.packagedLots[0], biz_step: 'retail_selling', evaluated: 2 }),
    );
  });

  it('answers the consumer lookup of every lot the same', async () => {
    for (const lotId of lotIds) {
      const view = async (reader: SqlRunner) => (await readPublicLot(reader, lotId, RESOLVER))?.view;
      const answer = await current.store.snapshot(view);
      expect(answer?.journey.length).toBeGreaterThan(0);
      expect(answer).toEqual(await older.store.snapshot(view));
    }
  });

  it('traces every lot the same, both ways, with its events', async () => {
    for (const lotId of lotIds) {
      for (const direction of ['forward', 'backward'] as const) {
        const query = { lotId, direction, maxLots: 100, pageSize: 100, offset: 0, events: 'inline' as const };
        const page = async (reader: SqlRunner) => JSON.parse((await storeTracePage(reader, query))!.json);
        const trace = await current.store.snapshot(page);
        expect(trace.steps.some((step: { events: unknown[] }) => step.events.length > 0)).toBe(true);
        expect(trace).toEqual(await older.store.snapshot(page));
      }
    }
  });

  it('gives the same analytics and trace exports', async () => {
    const answers = async (reader: SqlRunner) => ({
      events: await eventsPerPeriod(reader, 'day', 'bizStep', {}),
      compliance: await complianceByMember(reader),
      exports: await Promise.all(lotIds.map((lotId) => traceExport(reader, lotId, 'backward'))),
    });
    const analytics = await current.store.snapshot(answers);
    expect(analytics.compliance.find((m) => m.mspId === 'InspectionMSP')?.evaluations).toBe(4);
    expect(analytics).toEqual(await older.store.snapshot(answers));
  });

  it('projects, when migrated, the events an older gateway mirrored without projecting', async () => {
    const opened = await openTestStore(engine);
    try {
      await applyBlocks(opened.store, underLot.ledger.blocks);
      // The store as a gateway of schema version 3 left it: every key mirrored, no row for an event kept under
      // its lot nor for its evaluation.
      const ids = eventsKeptUnderLot(underLot);
      const list = ids.map(() => '?').join(', ');
      for (const table of Object.keys(EVENT_TABLES)) {
        await opened.store.run(`DELETE FROM ${table} WHERE event_id IN (${list})`, ids);
      }
      await opened.store.run('DELETE FROM schema_migrations WHERE version = 4');
      expect((await migrate(opened.store)).applied).toEqual([4]);
      expect(await opened.store.snapshot(eventRows)).toEqual(await older.store.snapshot(eventRows));
    } finally {
      await opened.dispose();
    }
  });

  it('drops the rows of an event whose key is deleted, and keeps those of an event whose marker is', async () => {
    const story = sampleStory(true, true);
    const [spinach] = story.farmLots;
    const ofSpinach = eventByLotKeys(story).filter((key) => key.attributes[0] === spinach);
    // The inspection, kept under the lot, and the harvest, kept as event [eventId] with a marker under the lot.
    const inspection = ofSpinach.find((key) => key.holdsEvent)!.attributes;
    const harvest = ofSpinach.find((key) => !key.holdsEvent)!.attributes;
    story.ledger.tx('MofcomMSP', 'lots:RecordEvent', (tx) => {
      tx.remove('eventByLot', inspection);
      tx.remove('eventByLot', harvest);
    });
    story.ledger.cut();
    const opened = await openTestStore(engine);
    try {
      await applyBlocks(opened.store, story.ledger.blocks);
      const ids = (rows: { event_id: string }[]) => rows.map((row) => row.event_id);
      const events = ids(await opened.store.all('SELECT event_id FROM lot_events'));
      expect(events).toContain(harvest[2]);
      expect(events).not.toContain(inspection[2]);
      const evaluated = ids(await opened.store.all('SELECT event_id FROM evaluation_results'));
      expect(evaluated).not.toContain(inspection[2]);
      expect(evaluated.length).toBeGreaterThan(0);
    } finally {
      await opened.dispose();
    }
  });
});
