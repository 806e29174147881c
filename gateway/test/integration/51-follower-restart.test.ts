/**
 * A gateway killed in the middle of the block stream (SIGKILL while the alliance keeps writing) and started again:
 * it catches up from its checkpoint, and its store matches the ledger with nothing lost and nothing duplicated.
 */
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';
import { findPeerOrg } from '../../../network/src';
import { gatewayProcess } from '../../../network/src/nodes';
import { runningPid, startProcess } from '../../../network/src/processes';
import { api, state, topology } from './support';
import { consistency, waitForStore } from './query-store-support';

const RUN = Date.now().toString(36).toUpperCase();
const prefix = '690123456803';
const GTIN = `0${prefix}${gs1CheckDigit(prefix)}`;

async function createLot(n: number): Promise<number> {
  const res = await api.coop!.post('/api/v1/lots', {
    gtin: GTIN,
    lot: `RS-${n}-${RUN}`,
    product: 'Bok choy',
    category: 'vegetables',
    quantity: 100 + n,
    unit: 'kg',
    origin: { region: '330183' },
  });
  expect(res.status).toBe(201);
  return res.body.tx.blockNumber as number;
}

describe('the retailer’s gateway is killed mid-stream and restarted', () => {
  const spec = gatewayProcess(topology, state, findPeerOrg(topology, 'retailer'));

  it('catches up after the restart and matches the ledger, with no duplicates', async () => {
    await waitForStore('retailer');
    const before = (await api.retailer!.get('/healthz')).body.store;

    // Writes keep coming through the cooperative's gateway while the retailer's gateway dies.
    const writes: Promise<number>[] = [];
    for (let n = 0; n < 6; n++) writes.push(createLot(n));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pid = runningPid(state, spec);
    expect(pid).toBeDefined();
    process.kill(-pid!, 'SIGKILL');
    for (let n = 6; n < 10; n++) writes.push(createLot(n));
    const blocks = await Promise.all(writes);

    expect(await startProcess(state, spec)).toBe(true);
    const after = await waitForStore('retailer');
    expect(after.checkpointBlock).toBeGreaterThanOrEqual(Math.max(...blocks));
    expect(after.checkpointBlock).toBeGreaterThan(before.checkpointBlock);

    const report = await consistency('retailer');
    expect(report.differences).toEqual([]);

    const found = await api.retailer!.get(
      `/api/v1/search/lots?q=${encodeURIComponent(`-${RUN}`)}&pageSize=100`,
    );
    const mine = found.body.data.filter((hit: { lotId: string }) => hit.lotId.endsWith(`-${RUN}`));
    expect(mine).toHaveLength(10);
    expect(new Set(mine.map((hit: { lotId: string }) => hit.lotId)).size).toBe(10);
  });
});
