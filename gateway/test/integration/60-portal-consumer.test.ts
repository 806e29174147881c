/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
/**
 * The consumer page in a real browser (Debian's Chromium), served by a gateway of the live network: a shopper opens
 * the Digital Link from a package's label and sees the product, its origin, its journey and the proof on the
 * alliance chain (re-checked against the ledger); in Chinese and in English; an unknown code gets a helpful
 * message; and after a recall the warning comes first.
 */
import { api } from './support';
import { waitForStore } from './query-store-support';
import {
  createFarmLot,
  DESKTOP,
  digitalLinkPath,
  ensureAlliance,
  expectNoConsoleErrors,
  gatewayUrl,
  gtin14,
  handOver,
  openBrowser,
  PHONE,
  RUN,
  screenshot,
  waitForLotInStore,
} from './portal-support';
import type { Browser } from './portal-support';

const GTIN = gtin14('690123457001');
const enc = encodeURIComponent;
let lotId: string;
let url: string;
/** What a browser logs when the API rightly answers 404 for an unknown code. */
const EXPECTED_404 = [/Failed to load resource: the server responded with a status of 404/];

beforeAll(async () => {
  await ensureAlliance();
  lotId = await createFarmLot(GTIN, `PC-${RUN}`, 'Spinach');
  const inspected = await api.inspection!.post(`/api/v1/lots/${enc(lotId)}/events`, {
    bizStep: 'inspecting',
    disposition: 'conformant',
    sensorElementList: [
      {
        sensorReport: [
          { type: 'gs1:MT-Concentration', chemicalSubstance: 'carbofuran', value: 0.004, uom: 'mg/kg' },
        ],
      },
    ],
  });
  expect(inspected.status).toBe(201);
  await handOver(lotId, 'coop', 'retailer');
  const stored = await api.retailer!.post(`/api/v1/lots/${enc(lotId)}/events`, { bizStep: 'storing' });
  expect(stored.status).toBe(201);
  await waitForLotInStore('retailer', lotId);
  url = `${gatewayUrl('retailer')}${digitalLinkPath(lotId)}`;
});

describe('a shopper scans the QR code on the package', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('sees the product, origin, journey and the verification panel, in Chinese by default, on a phone', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    const res = await page.goto(url);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    await page.getByRole('heading', { level: 1, name: 'Spinach' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect(page.getByRole('heading', { name: '流通历程' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('.timeline-step').count()).toBeGreaterThanOrEqual(3);
    await expect(page.locator('.origin').innerText()).resolves.toContain('浙江省杭州市富阳区');
    await expect(page.locator('.locator svg').count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: '检验检测' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('main').innerText()).resolves.toContain(
      'Provincial Agricultural Product Quality Inspection Centre',
    );

    const panel = page.locator('section.verify');
    await panel.getByText('背书组织').first().waitFor();
    const txIds = await panel.locator('code.txid').allInnerTexts();
    expect(txIds.length).toBeGreaterThanOrEqual(2);
    for (const txId of txIds) expect(txId).toMatch(/^[0-9a-f]{64}$/);
    await expect(panel.innerText()).resolves.toMatch(/区块: #\d+/);
    await panel.getByRole('button', { name: '向账本重新核验' }).click();
    await panel.getByText('与账本一致').waitFor();
    await screenshot(page, 'consumer-lot-phone-zh');
    expectNoConsoleErrors(browser);
  });

  it('switches to English, remembers it, and shows the same trace', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'Spinach' }).waitFor();
    await screenshot(page, 'consumer-lot-desktop-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Journey' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Verified on the alliance chain' }).waitFor();
    await expect(page.locator('.origin').innerText()).resolves.toContain('Fuyang, Hangzhou, Zhejiang');
    await page.getByRole('button', { name: 'Re-check against the ledger' }).click();
    await page.getByText('Matches the ledger').waitFor();
    await screenshot(page, 'consumer-lot-desktop-en');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'consumer-lot-phone-en');
    expectNoConsoleErrors(browser);
  });

  it('finds the lot from the code typed on the home page, and is reachable by keyboard alone', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await page.goto(`${gatewayUrl('retailer')}/`);
    await screenshot(page, 'consumer-home-phone-zh');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'consumer-home-desktop-zh');
    await page.setViewportSize(PHONE);
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // brand
    const input = page.getByLabel('追溯码');
    await input.fill(`(01)${GTIN}(10)PC-${RUN}`);
    await input.press('Enter');
    await page.waitForURL((u) => u.pathname === digitalLinkPath(lotId));
    await page.getByRole('heading', { level: 1, name: 'Spinach' }).waitFor();
    expectNoConsoleErrors(browser);
  });

  it('explains an unknown code and a malformed one, in the reader’s language', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await page.goto(`${gatewayUrl('retailer')}/`);
    const input = page.getByLabel('追溯码');
    await input.fill(`(01)${gtin14('690123457999')}(10)NO-SUCH-${RUN}`);
    await page.getByRole('button', { name: '查询' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain('没有找到这个追溯码对应的批次');
    await screenshot(page, 'consumer-unknown-code-phone-zh');
    await input.fill('hello');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('这不是有效的追溯码').waitFor();

    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${gatewayUrl('retailer')}/01/${gtin14('690123457999')}/10/NOPE-${RUN}`);
    await page.getByText('No lot with this code is recorded').waitFor();
    await screenshot(page, 'consumer-unknown-code-desktop-en');
    expectNoConsoleErrors(browser, [
      ...EXPECTED_404,
      /Failed to load resource: the server responded with a status of 400/,
    ]);
  });
});

describe('after a recall', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('shows the recall warning before anything else', async () => {
    const recall = await api.mofcom!.post('/api/v1/recalls', {
      lotId,
      reason: 'carbofuran found in a retained sample',
      severity: 'I',
    });
    expect(recall.status).toBe(201);
    await waitForStore('retailer');
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await page.goto(url);
    const warning = page.locator('section.warning-recall');
    await warning.waitFor();
    const first = await page.evaluate(
      () => document.querySelector('main')?.firstElementChild?.className ?? '',
    );
    expect(first).toContain('warning-recall');
    await expect(warning.innerText()).resolves.toContain('召回警告');
    await expect(warning.innerText()).resolves.toContain('carbofuran found in a retained sample');
    await expect(warning.getAttribute('role')).resolves.toBe('alert');
    await screenshot(page, 'consumer-recall-phone-zh');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Recall: do not eat this product').waitFor();
    await screenshot(page, 'consumer-recall-desktop-en');
    expectNoConsoleErrors(browser);
  });
});
