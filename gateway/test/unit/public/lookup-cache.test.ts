/**
 * The consumer lookup's rendered answers: a repeated scan is answered from the bytes already serialized, and any
 * new block the store applies is seen by the next scan (a recall warning at once, a lot recorded since a 404),
 * on both store engines; conditional requests keep working across blocks.
 */
import request from 'supertest';
import { applyBlock } from '../../../src/follower/apply-block';
import { silentLogger } from '../../../src/logger';
import { LookupCache } from '../../../src/public/lookup-cache';
import { createServer } from '../../../src/server';
import { addLoadLots, sampleStory } from '../../../src/store/sample-ledger';
import type { SampleStory } from '../../../src/store/sample-ledger';
import { parseQueryConfig } from '../../../src/store/query-config';
import type { Store } from '../../../src/store/store';
import { fakeLedger, FakeFabric } from '../support/fake-fabric';
import { testConfig } from '../support/fixtures';
import { openTestStore, testEngines } from '../support/stores';
import type { TestStore } from '../support/stores';

const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };
const BOX_A = '/01/06901234567809/10/SALAD-01';

describe.each(testEngines())('public lookup cache on %s', (engine) => {
  let opened: TestStore;
  let story: SampleStory;
  let applied = 0;
  let snapshots = 0;
  let app: ReturnType<typeof createServer>;

  /** Applies the blocks the sample ledger has cut since the last call, as the follower would. */
  async function follow(): Promise<void> {
    for (const block of story.ledger.blocks.slice(applied)) await applyBlock(opened.store, block, FOLLOWED);
    applied = story.ledger.blocks.length;
  }

  beforeAll(async () => {
    opened = await openTestStore(engine);
    story = sampleStory(false);
    await follow();
    const store = opened.store;
    // The store as the server sees it, counting the snapshots (each full read of a lot's view takes one).
    const counted: Store = {
      engine: store.engine,
      location: store.location,
      all: (sql, params) => store.all(sql, params),
      get: (sql, params) => store.get(sql, params),
      run: (sql, params) => store.run(sql, params),
      transaction: (work) => store.transaction(work),
      snapshot: (work) => {
        snapshots++;
        return store.snapshot(work);
      },
      close: () => store.close(),
    };
    const base = testConfig();
    const query = parseQueryConfig(
      { publicBaseUrl: 'https://trace.example.cn/', publicLookup: { rateLimitPerMinute: 1000 } },
      { dataDir: base.dataDir, listen: base.listen, baseDir: base.dataDir },
    );
    app = createServer({ ...base, query: query.config }, fakeLedger(new FakeFabric()), {
      logger: silentLogger,
      store: counted,
    });
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('answers a repeated scan from the rendered answer, without reading the store again', async () => {
    const first = await request(app).get(BOX_A);
    expect(first.status).toBe(200);
    expect(first.body.data.warning).toBeNull();
    const before = snapshots;
    const again = await request(app).get(BOX_A);
    expect(snapshots).toBe(before);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.headers['cache-control']).toBe('public, max-age=60');
    expect(again.headers.link).toBe(first.headers.link);
    expect(again.headers.vary).toMatch(/Accept/);
    const byCode = await request(app).get('/api/v1/public/lots/(01)06901234567809(10)SALAD-01');
    expect(byCode.text).toBe(first.text);
  });

  it('shows a recall warning first as soon as the store has applied its block, with a new ETag', async () => {
    const before = await request(app).get(BOX_A);
    const [spinach] = story.farmLots;
    story.ledger.recall(
      'MofcomMSP',
      spinach,
      [...story.packagedLots],
      'chlorpyrifos above the GB 2763 limit',
    );
    story.ledger.cut();
    await follow();
    const after = await request(app).get(BOX_A).set('If-None-Match', before.headers.etag!);
    expect(after.status).toBe(200);
    expect(Object.keys(after.body.data)[0]).toBe('warning');
    expect(after.body.data.warning).toMatchObject({ type: 'recall', recalledLotId: spinach });
    expect(after.headers.etag).toBe(`"lot-${story.ledger.blocks.length - 1}"`);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('answers 304 to an unchanged lot after a block that did not touch it, and 404 until a lot is recorded', async () => {
    const current = await request(app).get(BOX_A);
    const unknown = await request(app).get('/01/06901234567892/10/LOAD-000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('LOT_NOT_FOUND');
    expect((await request(app).get('/01/06901234567892/10/LOAD-000000')).status).toBe(404);
    addLoadLots(story.ledger, 1);
    await follow();
    const unchanged = await request(app).get(BOX_A).set('If-None-Match', current.headers.etag!);
    expect(unchanged.status).toBe(304);
    const recorded = await request(app).get('/01/06901234567892/10/LOAD-000000');
    expect(recorded.status).toBe(200);
    expect(recorded.body.data.product.name).toBe('Spinach');
  });
});

describe('LookupCache', () => {
  const entry = (checkpoint: number) => ({
    checkpoint,
    answer: { etag: `"lot-${checkpoint}"`, link: '', body: Buffer.from(`{"data":${checkpoint}}`) },
  });

  it('gives an entry only at the checkpoint it was read at, and keeps the later of two', () => {
    const cache = new LookupCache();
    cache.set('A', entry(5));
    expect(cache.get('A', 5)?.answer?.etag).toBe('"lot-5"');
    expect(cache.get('A', 6)).toBeUndefined();
    cache.set('A', entry(7));
    cache.set('A', entry(6));
    expect(cache.get('A', 7)?.answer?.etag).toBe('"lot-7"');
  });

  it('holds at most its capacity, dropping the least recently used lot', () => {
    const cache = new LookupCache(2);
    cache.set('A', entry(1));
    cache.set('B', entry(1));
    cache.get('A', 1);
    cache.set('C', entry(1));
    expect(cache.size).toBe(2);
    expect(cache.get('B', 1)).toBeUndefined();
    expect(cache.get('A', 1)).toBeDefined();
    expect(cache.get('C', 1)).toBeDefined();
  });

  it('holds at most its byte budget of answers', () => {
    // Each answer here is 17 bytes (body and ETag): two fit in 40, a third pushes the oldest out.
    const cache = new LookupCache(100, 40);
    cache.set('A', entry(1));
    cache.set('B', entry(2));
    expect(cache.size).toBe(2);
    cache.set('C', entry(3));
    expect(cache.size).toBe(2);
    expect(cache.get('A', 1)).toBeUndefined();
    expect(cache.get('C', 3)).toBeDefined();
    expect(cache.bytes).toBe(34);
  });
});
