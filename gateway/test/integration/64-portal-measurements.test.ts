/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
/**
 * Measurements and long lists in real browsers: the cooperative's operator registers a cold-chain logger in the
 * enterprise console, attached to a lot; the logger's signed readings and an inspector's laboratory results reach
 * the consumer page, which shows each analyte against its limit and rule-set version and the readings as a chart
 * with a text summary; steps recorded without a place show the region of origin; the operator detaches the logger;
 * and the lot list pages past its first page with the keyboard.
 */
import * as crypto from 'node:crypto';
import { signingPayload } from '../../../chaincode/src/devices/signature';
import { eventually } from './query-store-support';
import { api } from './support';
import {
  createFarmLot,
  DESKTOP,
  digitalLinkPath,
  ensureAlliance,
  ensureUser,
  expectNoConsoleErrors,
  gatewayUrl,
  gtin14,
  login,
  openBrowser,
  PHONE,
  RUN,
  screenshot,
  waitForLotInStore,
} from './portal-support';
import type { Browser } from './portal-support';

const GTIN = gtin14('690123457401');
const enc = encodeURIComponent;
const deviceId = `logger-${RUN.toLowerCase()}`;
const keys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** Chilled 0–4 °C (cn-baseline): 5.4 and 6.1 are out of range for ten minutes, within the 30 tolerated. */
const TEMPERATURES = [2.8, 3.2, 3.6, 5.4, 6.1, 3.9, 3.1, 2.9];
let lotId: string;

beforeAll(async () => {
  await ensureAlliance();
  ensureUser('coop', 'devices1', 'operator');
  lotId = await createFarmLot(GTIN, `CC-${RUN}`, 'Bok choy');
  // The inspector records no place: the journey shows the farm's region for it.
  const inspected = await api.inspection!.post(`/api/v1/lots/${enc(lotId)}/events`, {
    bizStep: 'inspecting',
    disposition: 'conformant',
    sensorElementList: [
      {
        sensorReport: [
          { type: 'gs1:MT-Concentration', chemicalSubstance: 'carbofuran', value: 0.006, uom: 'mg/kg' },
          { type: 'gs1:MT-Concentration', chemicalSubstance: 'omethoate', stringValue: 'ND', uom: 'mg/kg' },
          { type: 'gs1:MT-Concentration', chemicalSubstance: 'boscalid', value: 0.3, uom: 'mg/kg' },
        ],
      },
    ],
  });
  expect(inspected.status).toBe(201);
});

describe('devices and cold-chain readings', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('the cooperative registers a logger attached to its lot and sees it listed', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'coop', 'devices1');
    await page.getByRole('link', { name: '设备' }).click();
    await page.getByRole('heading', { name: '登记设备' }).waitFor();

    // A private key pasted by mistake is refused before anything is sent, with what to paste instead.
    await page.getByLabel('设备编号').fill(deviceId);
    await page.getByLabel('设备公钥（P-256，PEM）').fill(privateKeyPem);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '这是私钥' }).waitFor();
    expect(await page.getByLabel('设备公钥（P-256，PEM）').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('设备公钥（P-256，PEM）').fill(publicKeyPem);
    await page.getByRole('radio', { name: '批次' }).check();
    await page.getByLabel('批次编号').fill(lotId);
    await page.getByLabel('冷链类别').selectOption('chilled');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText(`设备 ${deviceId} 已登记到账本。`).waitFor({ timeout: 60_000 });
    const row = page.getByRole('row').filter({ hasText: deviceId });
    await row.waitFor();
    expect(await row.textContent()).toContain(lotId);
    expect(await row.textContent()).toContain('在用');
    await screenshot(page, 'enterprise-devices-desktop-zh');

    const read = await api.coop!.get(`/api/v1/devices/${enc(deviceId)}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({
      kind: 'cold_chain_logger',
      status: 'active',
      attachedTo: { lotId, storageCategory: 'chilled' },
    });
    expectNoConsoleErrors(browser);
  });

  it('the logger’s signed readings and the lab results show on the consumer page, with limits and a chart', async () => {
    const start = Date.now() - 60 * 60_000;
    const readings = TEMPERATURES.map((temperature, i) => ({
      time: new Date(start + i * 5 * 60_000).toISOString(),
      temperature,
    }));
    const batch = { deviceId, sequence: 1, readings };
    const signature = crypto.sign('sha256', signingPayload(batch), keys.privateKey).toString('base64');
    const sent = await api.coop!.post(`/api/v1/devices/${enc(deviceId)}/readings`, { ...batch, signature });
    expect(sent.status).toBe(201);
    await waitForLotInStore('coop', lotId);
    await eventually(async () => {
      const res = await api.coop!.get(`/api/v1/public/lots/${enc(lotId)}`);
      return res.body.data?.coldChain?.readings?.length === TEMPERATURES.length ? true : undefined;
    }, 60_000);

    browser = await openBrowser(PHONE);
    const { page } = browser;
    await page.goto(`${gatewayUrl('coop')}${digitalLinkPath(lotId)}`);
    await page.getByRole('heading', { name: 'Bok choy' }).waitFor();

    const results = page.getByRole('table', { name: '检测结果与限量' });
    const carbofuran = results.getByRole('row').filter({ hasText: 'carbofuran' });
    expect(await carbofuran.textContent()).toMatch(
      /0\.006\s*mg\/kg.*0\.02\s*mg\/kg.*未超标.*cn-baseline v\d+/,
    );
    const omethoate = results.getByRole('row').filter({ hasText: 'omethoate' });
    expect(await omethoate.textContent()).toMatch(/未检出.*0\.02\s*mg\/kg.*未超标/);
    const boscalid = results.getByRole('row').filter({ hasText: 'boscalid' });
    expect(await boscalid.textContent()).toContain('无限量标准');

    const chart = page.locator('.chart svg[role="img"]');
    await chart.waitFor();
    expect(await chart.locator('title').textContent()).toMatch(
      /8 个读数，最低 2\.8°C，最高 6\.1°C，超出范围 2 个/,
    );
    expect(await chart.locator('circle.chart-breach').count()).toBe(2);
    const summary = page.getByRole('table', { name: '温度记录摘要' });
    expect(await summary.textContent()).toMatch(/允许范围0 … 4 °C/);
    expect(await summary.textContent()).toMatch(/2 个读数，1 次超温/);
    expect(await summary.locator('.badge-ok').textContent()).toBe('合规');
    await page.getByText('查看全部读数').click();
    const outOfRange = page.locator('details.readings tr.row-danger');
    expect(await outOfRange.count()).toBe(2);

    // The inspection named no place: shown at the farm's region, saying so.
    const inspectionStep = page.locator('.timeline-step').filter({ hasText: '检验' }).first();
    expect(await inspectionStep.textContent()).toContain('富阳区 (产地区域)');
    expect(await page.content()).not.toMatch(/InspectionMSP|CoopMSP|peer0|:7051|grpcs/);
    await screenshot(page, 'consumer-cold-chain-phone-zh');
    expectNoConsoleErrors(browser);
  });

  it('shows the same measurements in English at desktop width', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await page.goto(`${gatewayUrl('coop')}${digitalLinkPath(lotId)}`);
    await page.getByRole('heading', { name: 'Bok choy' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    const results = page.getByRole('table', { name: 'Results against limits' });
    await results.waitFor();
    expect(await results.getByRole('row').filter({ hasText: 'carbofuran' }).textContent()).toContain(
      'Within limit',
    );
    expect(await page.getByRole('table', { name: 'Summary of the readings' }).textContent()).toMatch(
      /2 readings in 1 excursion\(s\)/,
    );
    expect(await page.locator('.timeline').textContent()).toMatch(/Fuyang[^·]*\(region of origin\)/);
    await screenshot(page, 'consumer-cold-chain-desktop-en');
    expectNoConsoleErrors(browser);
  });

  it('the operator detaches the logger from the lot with the keyboard', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await login(page, 'coop', 'devices1');
    await page.goto(`${gatewayUrl('coop')}/enterprise/devices`);
    const change = page.getByRole('button', { name: `更改关联 ${deviceId}` });
    await change.focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: `设备 ${deviceId} 的监测对象` });
    await form.waitFor();
    expect(await form.getByRole('radio', { name: '批次' }).isChecked()).toBe(true);
    await form.getByRole('radio', { name: '暂不关联' }).check();
    await form.getByRole('button', { name: '解除关联' }).click();
    await page.getByText(`设备 ${deviceId} 已解除关联。`).waitFor({ timeout: 60_000 });
    const row = page.getByRole('row').filter({ hasText: deviceId });
    await eventually(async () => ((await row.textContent())?.includes('未关联') ? true : undefined));
    await screenshot(page, 'enterprise-devices-phone-zh');
    const read = await api.coop!.get(`/api/v1/devices/${enc(deviceId)}`);
    expect(read.body.data.attachedTo).toBeUndefined();
    expectNoConsoleErrors(browser);
  });
});

describe('long lists', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('pages the cooperative’s lots with Next and Previous from the keyboard', async () => {
    const held = await api.coop!.get('/api/v1/lots?pageSize=500');
    expect(held.status).toBe(200);
    for (let i = held.body.data.length; i < 13; i += 1) {
      await createFarmLot(gtin14('690123457402'), `PG-${RUN}-${i}`, 'Cabbage');
    }
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'coop', 'devices1');
    const lots = page.getByRole('region', { name: '本单位持有的批次' });
    const pager = page.getByRole('navigation', { name: '批次分页' });
    await pager.waitFor();
    await pager.getByLabel('每页').selectOption('10');
    await pager.getByRole('status').filter({ hasText: '第 1 页 · 第 1–10 条' }).waitFor();
    const idsOnPage = async () => lots.locator('tbody code').allTextContents();
    const first = await idsOnPage();
    expect(first).toHaveLength(10);
    expect(await pager.getByRole('button', { name: '上一页' }).getAttribute('aria-disabled')).toBe('true');

    await pager.getByRole('button', { name: '下一页' }).focus();
    await page.keyboard.press('Enter');
    await pager
      .getByRole('status')
      .filter({ hasText: /第 2 页 · 第 11–\d+ 条/ })
      .waitFor();
    // The focus stays on the button pressed, ready for the next press.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('下一页');
    const second = await idsOnPage();
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    await screenshot(page, 'enterprise-lots-page-2-desktop-zh');

    await page.keyboard.press('Shift+Tab'); // past the live status text to Previous
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('上一页');
    await page.keyboard.press('Enter');
    await pager.getByRole('status').filter({ hasText: '第 1 页 · 第 1–10 条' }).waitFor();
    expect(await idsOnPage()).toEqual(first);
    expectNoConsoleErrors(browser);
  });
});
