/**
 * Trace at scale on the live network: a generated genealogy of 10,000 lots (root → 10 → 100 → 9,800 by splits,
 * plus 89 merges of two leaves each, so 10,000 lots in a DAG of depth 4), traced forward from the root and
 * backward from merge lots, checked lot by lot and hop by hop against the generator's own graph. The gateway
 * answers traces from its query store; the chaincode's own walk (?source=ledger) must give the same answer.
 */
import { buildGenealogy, reachable, type Genealogy } from '../support/genealogy';
import { waitForStore } from './query-store-support';
import { api } from './support';

const enc = encodeURIComponent;
let g: Genealogy;
let storeBlock: number | null;

async function fullTrace(
  lotId: string,
  direction: 'forward' | 'backward',
  maxLots = 10000,
  source: 'store' | 'ledger' = 'store',
) {
  const steps: Array<{ lotId: string; depth: number; links: unknown[] }> = [];
  let cursor = '';
  let truncated = false;
  do {
    const res = await api.coop!.get(
      `/api/v1/lots/${enc(lotId)}/trace?direction=${direction}&maxLots=${maxLots}&pageSize=200` +
        (source === 'ledger' ? '&source=ledger' : '') +
        (cursor ? `&cursor=${enc(cursor)}` : ''),
    );
    expect(res.status).toBe(200);
    expect(res.body.data.source).toBe(source);
    if (source === 'store') expect(res.body.data.asOfBlock).toBeGreaterThanOrEqual(storeBlock!);
    steps.push(...res.body.data.steps);
    cursor = res.body.data.cursor;
    truncated = res.body.data.truncated;
  } while (cursor);
  return { steps, truncated };
}

beforeAll(async () => {
  const started = Date.now();
  g = await buildGenealogy(api.coop!, {
    tag: `G${Date.now().toString(36).slice(-5).toUpperCase()}`,
    fanOut: [10, 10, 98],
    merges: 89,
    concurrency: 4,
  });
  console.log(
    `genealogy: ${g.nodes.size} lots in ${g.transactions} transactions, ${Date.now() - started} ms`,
  );
  storeBlock = (await waitForStore('coop')).checkpointBlock;
}, 1_800_000);

describe('a 10,000-lot genealogy', () => {
  it('is what the generator meant to build', () => {
    expect(g.nodes.size).toBe(10000);
  });

  it('traces forward from the root to all 10,000 lots with the right hop counts, untruncated', async () => {
    const { steps, truncated } = await fullTrace(g.root, 'forward');
    expect(truncated).toBe(false);
    const expected = reachable(g, g.root, 'forward');
    expect(steps).toHaveLength(expected.size);
    const got = new Map(steps.map((s) => [s.lotId, s.depth]));
    expect(got.size).toBe(expected.size);
    for (const [lotId, depth] of expected) expect(got.get(lotId)).toBe(depth);
  });

  it('traces backward from a merge lot to both branches and the root', async () => {
    const merge = [...g.nodes.values()].find((n) => n.parents.length === 2)!;
    const { steps } = await fullTrace(merge.lotId, 'backward');
    const expected = reachable(g, merge.lotId, 'backward');
    expect(new Map(steps.map((s) => [s.lotId, s.depth]))).toEqual(expected);
    expect(steps.map((s) => s.lotId)).toContain(g.root);
  });

  it('answers from the query store exactly what the chaincode walk answers, blocks included', async () => {
    const level1 = g.nodes.get(g.root)!.children[0]!;
    const merge = [...g.nodes.values()].find((n) => n.parents.length === 2)!;
    for (const [lotId, direction] of [
      [level1, 'forward'],
      [merge.lotId, 'backward'],
    ] as const) {
      const store = await fullTrace(lotId, direction, 10000, 'store');
      const ledger = await fullTrace(lotId, direction, 10000, 'ledger');
      expect(store.steps.length).toBe(reachable(g, lotId, direction).size);
      expect(store.steps).toEqual(ledger.steps);
    }
  });

  it('says a trace wider than its bound was truncated', async () => {
    const { steps, truncated } = await fullTrace(g.root, 'forward', 5000);
    expect(truncated).toBe(true);
    expect(steps).toHaveLength(5000);
  });
});
