/**
 * A recall larger than one batch on the live network: the regulator recalls the farm lot of a generated genealogy
 * (1 → 5 → 150 lots by splits, plus 10 merges of two leaves), 40 lots per transaction. The gateway answers 202
 * after the first batch and marks the rest in the background; the consumer lookup of the retailer's gateway warns
 * on a deep (merged) lot no later than the ledger marks it; in the end every lot is recalled on every
 * organisation's peer, and the retailer's sale of a lot it received is refused.
 */
import { buildGenealogy, type Genealogy } from '../support/genealogy';
import { acceptTransfer, api, topology } from './support';
import { waitForStore } from './query-store-support';

const enc = encodeURIComponent;
const BATCH = 40;
let g: Genealogy;
let sold: string;

const lookupPath = (lotId: string) => `/01/${lotId.slice(0, 14)}/10/${enc(lotId.slice(15))}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  g = await buildGenealogy(api.coop!, {
    tag: `R${Date.now().toString(36).slice(-5).toUpperCase()}`,
    fanOut: [5, 30],
    merges: 10,
    concurrency: 4,
  });
  // The retailer receives one leaf before the recall, to try to sell it afterwards.
  sold = [...g.nodes.values()].find((n) => n.depth === 2 && n.children.length === 0)!.lotId;
  const offer = await api.coop!.post('/api/v1/transfers', { lotId: sold, to: 'RetailerMSP' });
  expect(offer.status).toBe(201);
  expect((await acceptTransfer('retailer', offer.body.data.transfer.transferId)).status).toBe(200);
  await waitForStore('retailer');
}, 600_000);

describe('a recall of 166 lots in batches of 40', () => {
  let recallId: string;

  it('answers 202 with the recall after the first batch, and the consumer is warned no later than the ledger marks', async () => {
    expect(g.nodes.size).toBe(166);
    // The deepest lot: a merge of two leaves, made from two different branches.
    const deep = [...g.nodes.values()].find((n) => n.parents.length === 2)!.lotId;
    const consumer = api.retailer!.as(null);
    const res = await api.mofcom!.post('/api/v1/recalls', {
      lotId: g.root,
      reason: 'carbofuran above the GB 2763 limit in the farm lot',
      severity: 'I',
      batchSize: BATCH,
    });
    const answeredAt = Date.now();
    expect(res.status).toBe(202);
    recallId = res.body.data.recallId;
    expect(res.headers.get('location')).toBe(`/api/v1/recalls/${recallId}`);
    expect(res.body.data).toMatchObject({ lotId: g.root, status: 'in_progress', marked: BATCH, batches: 1 });

    // Poll the consumer's lookup and the ledger side by side until both show the recall of the deep lot.
    let warnedAt: number | undefined;
    let markedAt: number | undefined;
    let firstWarning: Record<string, unknown> | undefined;
    for (let round = 0; (warnedAt === undefined || markedAt === undefined) && round < 600; round++) {
      const [lookup, lot] = await Promise.all([
        consumer.get(lookupPath(deep)),
        api.coop!.get(`/api/v1/lots/${enc(deep)}`),
      ]);
      if (warnedAt === undefined && lookup.body?.data?.warning?.type === 'recall') {
        warnedAt = round;
        firstWarning = lookup.body.data.warning;
      }
      if (markedAt === undefined && lot.body?.data?.status === 'recalled') markedAt = round;
      if (warnedAt === undefined || markedAt === undefined) await sleep(100);
    }
    expect(warnedAt).toBeDefined();
    expect(markedAt).toBeDefined();
    expect(warnedAt!).toBeLessThanOrEqual(markedAt!);
    expect(firstWarning).toMatchObject({ recallId, recalledLotId: g.root, severity: 'I' });
    // Warned before the ledger marked it, the warning says it comes from the reach (the ledger mark follows).
    if (warnedAt! < markedAt!) expect(firstWarning!.markedOnLedger).toBe(false);
    console.log(
      `consumer warned on the deep lot in round ${warnedAt}, ledger marked it in round ${markedAt} ` +
        `(${Date.now() - answeredAt} ms after the 202)`,
    );
    // The retailer's lot search counts the whole genealogy recalled.
    const tag = g.root.slice(15, -1);
    const search = await api.retailer!.get(`/api/v1/search/lots?q=${enc(tag)}&status=recalled&pageSize=1`);
    expect(search.body.page.total).toBe(g.nodes.size);
  });

  it('shows the progress, and ends complete with every lot marked on every peer, each once', async () => {
    let recall: Record<string, any> = {};
    for (let i = 0; i < 600 && recall.status !== 'complete'; i++) {
      const res = await api.mofcom!.get(`/api/v1/recalls/${recallId}`);
      expect(res.status).toBe(200);
      recall = res.body.data;
      if (recall.status !== 'complete') {
        expect(res.body.progress).toMatchObject({ recallId, state: 'running' });
        await sleep(250);
      } else if (res.body.progress) {
        expect(res.body.progress.state).toBe('complete');
      }
    }
    expect(recall).toMatchObject({ status: 'complete', marked: g.nodes.size, scope: { lots: g.nodes.size } });
    // Full batches of 40 (a batch reads ahead in the queue past lots already reached through a merge).
    expect(recall.batches).toBeGreaterThanOrEqual(Math.ceil(g.nodes.size / BATCH));
    expect(recall.batches).toBeLessThanOrEqual(Math.ceil(g.nodes.size / BATCH) + 1);
    expect(recall.scope.custodians).toEqual(['CoopMSP', 'RetailerMSP']);

    const scoped: string[] = [];
    let bookmark = '';
    do {
      const page = await api.mofcom!.get(
        `/api/v1/recalls/${recallId}/scope?pageSize=100${bookmark ? `&bookmark=${enc(bookmark)}` : ''}`,
      );
      scoped.push(...page.body.data.map((e: { lotId: string }) => e.lotId));
      bookmark = page.body.page.bookmark;
      if (page.body.data.length === 0) break;
    } while (bookmark);
    expect(scoped.sort()).toEqual([...g.nodes.keys()].sort());

    for (const org of topology.peerOrgs) {
      const statuses = await Promise.all(
        [...g.nodes.keys()].map(async (lotId) => {
          const res = await api[org.key]!.get(`/api/v1/lots/${enc(lotId)}`);
          return [lotId, res.body?.data?.status, res.body?.data?.recall?.recallId];
        }),
      );
      expect(statuses.filter(([, status, id]) => status !== 'recalled' || id !== recallId)).toEqual([]);
    }
  });

  it("refuses the retailer's sale of a recalled lot it holds", async () => {
    const sale = await api.retailer!.post(`/api/v1/lots/${enc(sold)}/events`, {
      bizStep: 'retail_selling',
      quantity: 1,
      unit: 'kg',
    });
    expect(sale.status).toBe(409);
    expect(sale.body.code).toBe('LOT_RECALLED');
  });
});
