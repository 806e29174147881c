/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
/**
 * The call-centre console in a real browser: an agent of the regulator's hotline logs in, finds a lot from part
 * of the code a caller reads out, opens its trace graph (upstream farm, downstream packaged lots), sees it as a
 * table, copies a summary for the caller and downloads the trace spreadsheet.
 */
import { api } from './support';
import { waitForStore } from './query-store-support';
import {
  createFarmLot,
  DESKTOP,
  ensureAlliance,
  ensureUser,
  expectNoConsoleErrors,
  gatewayUrl,
  gtin14,
  handOver,
  login,
  openBrowser,
  PHONE,
  RUN,
  screenshot,
} from './portal-support';
import type { Browser } from './portal-support';

const FARM_GTIN = gtin14('690123457101');
const PACK_GTIN = gtin14('690123457102');
let farmLot: string;
let packaged: string[];

beforeAll(async () => {
  await ensureAlliance();
  ensureUser('mofcom', 'hotline1', 'call_centre');
  farmLot = await createFarmLot(FARM_GTIN, `CC-${RUN}`, 'Bok choy');
  await handOver(farmLot, 'coop', 'processor');
  const processed = await api.processor!.post('/api/v1/transformations/process', {
    inputs: [{ lotId: farmLot, quantity: 800, unit: 'kg' }],
    outputs: [1, 2].map((n) => ({
      lot: `CCP-${n}-${RUN}`,
      gtin: PACK_GTIN,
      product: 'Bok choy 500 g',
      category: 'vegetables',
      quantity: 700,
      unit: 'box',
      netContent: { quantity: 0.5, unit: 'kg' },
      expiryDate: '2027-01-20',
    })),
    declaredYield: 0.9,
  });
  expect(processed.status).toBe(201);
  packaged = processed.body.data.outputs.map((o: { lotId: string }) => o.lotId);
  await handOver(packaged[0]!, 'processor', 'retailer');
  await waitForStore('mofcom');
});

describe('a call-centre agent answers a caller', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('finds the lot by a partial code and opens its trace graph and table', async () => {
    browser = await openBrowser(DESKTOP);
    const { page, context } = browser;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gatewayUrl('mofcom') });
    await login(page, 'mofcom', 'hotline1');
    expect(new URL(page.url()).pathname).toBe('/call-centre');
    await page.getByLabel('追溯码片段或产品名').fill(`ccp-1-${RUN.slice(0, -2)}`); // part of the code, any case
    await page.getByRole('button', { name: '搜索' }).click();
    const row = page.locator('tbody tr', { hasText: `CCP-1-${RUN}` });
    await row.waitFor();
    await screenshot(page, 'call-centre-search-desktop-zh');
    await row.getByRole('link', { name: 'Bok choy 500 g' }).click();
    await page.waitForURL(/\/call-centre\/lots\//);

    const graph = page.locator('svg.trace-graph');
    await graph.waitFor();
    // Backward from a packaged lot to its farm lot (its sibling is not on this lot's trace).
    await page.locator('svg.trace-graph g.graph-node').nth(1).waitFor();
    const nodes = await page
      .locator('svg.trace-graph g.graph-node')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    expect(nodes.some((label) => label.includes(farmLot))).toBe(true);
    expect(nodes.some((label) => label.includes(packaged[0]!))).toBe(true);
    expect(await page.locator('svg.trace-graph path.graph-edge').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'call-centre-trace-graph-desktop-zh');

    await page.getByRole('button', { name: '表', exact: true }).click();
    const table = page.locator('table', { hasText: '持有者（责任方）' });
    await table.waitFor();
    await expect(table.innerText()).resolves.toContain('Green Valley Farm Cooperative');

    await page.getByRole('button', { name: '复制摘要' }).click();
    await page.getByText('摘要已复制').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(packaged[0]!);
    expect(copied).toContain(farmLot);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /下载追溯表（向上游/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^trace-backward-.*\.xlsx$/);
    expectNoConsoleErrors(browser);
  });

  it('works on a phone, keyboard first: a graph node opens with Enter', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await login(page, 'mofcom', 'hotline1');
    await page.goto(`${gatewayUrl('mofcom')}/call-centre?q=${encodeURIComponent(`CC-${RUN}`)}`);
    await page.locator('tbody tr', { hasText: farmLot }).waitFor();
    await screenshot(page, 'call-centre-search-phone-zh');
    await page.goto(`${gatewayUrl('mofcom')}/call-centre/lots/${encodeURIComponent(farmLot)}`);
    const node = page.locator(`svg.trace-graph g.graph-node[aria-label*="${packaged[1]!}"]`);
    await node.waitFor();
    await screenshot(page, 'call-centre-trace-graph-phone-zh');
    await node.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => decodeURIComponent(u.pathname).endsWith(packaged[1]!));
    expectNoConsoleErrors(browser);
  });

  it('is refused the regulator dashboard', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'mofcom', 'hotline1');
    await page.goto(`${gatewayUrl('mofcom')}/regulator`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();
    expectNoConsoleErrors(browser);
  });
});
