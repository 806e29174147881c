/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
/**
 * The regulator dashboard in a real browser: the first regulator account is made with the `users` command; the
 * regulator reviews a member (suspends, then approves it again), publishes a new version of a rule set, and
 * releases a lot held for a residue above its limit. Other roles never see the dashboard.
 */
import { api } from './support';
import { eventually, waitForStore } from './query-store-support';
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

const GTIN = gtin14('690123457201');
const enc = encodeURIComponent;
let heldLot: string;

beforeAll(async () => {
  await ensureAlliance();
  ensureUser('mofcom', 'regulator1', 'regulator');
  ensureUser('coop', 'coop-ops', 'operator');
  heldLot = await createFarmLot(GTIN, `RG-${RUN}`, 'Cowpea');
  await handOver(heldLot, 'coop', 'retailer');
  const inspection = await api.inspection!.post(`/api/v1/lots/${enc(heldLot)}/events`, {
    bizStep: 'inspecting',
    sensorElementList: [
      {
        sensorReport: [
          { type: 'gs1:MT-Concentration', chemicalSubstance: 'carbofuran', value: 0.05, uom: 'mg/kg' },
        ],
      },
    ],
  });
  expect(inspection.status).toBe(201);
  expect(inspection.body.data.lot.status).toBe('on_hold');
  await waitForStore('mofcom');
});

describe('the regulator’s dashboard', () => {
  let browser: Browser;
  afterEach(async () => browser?.close());

  it('shows activity and compliance, and reviews a member: suspend, then approve', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'mofcom', 'regulator1');
    expect(new URL(page.url()).pathname).toBe('/regulator');
    await page.getByRole('heading', { name: '每月新登记批次' }).waitFor();
    await page.locator('.kpi strong', { hasText: /^\d+$/ }).first().waitFor();
    await page.locator('figure.chart svg').first().waitFor();
    await screenshot(page, 'regulator-overview-desktop-zh');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'regulator-overview-phone-zh');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('link', { name: '成员审核' }).click();
    await page.getByLabel('显示').selectOption('approved');
    const suspend = page.getByRole('button', { name: /^暂停 ColdLink/ });
    await suspend.waitFor();
    await page
      .getByLabel('理由：ColdLink Cold-Chain Logistics Co., Ltd.')
      .fill('licence renewal under review');
    await suspend.click();
    await page.getByText('已暂停：ColdLink').waitFor();
    expect((await api.mofcom!.get('/api/v1/members/LogisticsMSP')).body.data.status).toBe('suspended');

    await page.getByLabel('显示').selectOption('suspended');
    const approve = page.getByRole('button', { name: /^批准 ColdLink/ });
    await approve.waitFor();
    await screenshot(page, 'regulator-members-desktop-zh');
    await page.getByLabel('理由：ColdLink Cold-Chain Logistics Co., Ltd.').fill('renewed licence verified');
    await approve.click();
    await page.getByText('已批准：ColdLink').waitFor();
    const member = await api.mofcom!.get('/api/v1/members/LogisticsMSP');
    expect(member.body.data.status).toBe('approved');
    expect(member.body.data.history.at(-1).reason).toBe('renewed licence verified');
    expectNoConsoleErrors(browser);
  });

  it('publishes a new version of a rule set; the old one stays readable', async () => {
    const before = await api.mofcom!.get('/api/v1/rulesets');
    const ruleSet = before.body.data[0];
    const versionsBefore = (
      await api.mofcom!.get(`/api/v1/rulesets/${enc(ruleSet.id)}/versions?pageSize=100`)
    ).body.data;
    const latest = Math.max(...versionsBefore.map((v: { version: number }) => v.version));

    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'mofcom', 'regulator1');
    await page.getByRole('link', { name: '规则集' }).click();
    await page.getByRole('button', { name: ruleSet.title }).first().click();
    await page.getByRole('button', { name: `以 v${latest} 为基础起草 v${latest + 1}` }).click();
    await expect(page.getByLabel('规则集（JSON）').inputValue()).resolves.toContain(
      `"version": ${latest + 1}`,
    );
    await page.getByRole('button', { name: '发布到账本' }).click();
    await page.getByText(`已发布 ${ruleSet.id} 第 ${latest + 1} 版`).waitFor();
    await page
      .locator('tbody tr', { hasText: `v${latest + 1}` })
      .first()
      .waitFor();
    await screenshot(page, 'regulator-rules-desktop-zh');

    const after = (await api.mofcom!.get(`/api/v1/rulesets/${enc(ruleSet.id)}/versions?pageSize=100`)).body
      .data;
    expect(after.map((v: { version: number }) => v.version)).toEqual(
      expect.arrayContaining([latest, latest + 1]),
    );
    const old = await api.mofcom!.get(`/api/v1/rulesets/${enc(ruleSet.id)}?version=${latest}`);
    expect(old.status).toBe(200);
    expectNoConsoleErrors(browser);
  });

  it('releases a hold from the list of held lots, on a phone', async () => {
    browser = await openBrowser(PHONE);
    const { page } = browser;
    await login(page, 'mofcom', 'regulator1');
    await page.goto(`${gatewayUrl('mofcom')}/regulator/violations`);
    const release = page.getByRole('button', { name: `解除暂扣 ${heldLot}` });
    await release.waitFor();
    await screenshot(page, 'regulator-violations-phone-zh');
    await page.getByLabel('理由（写入账本）').fill('retest of the retained sample within limits');
    await release.click();
    await page.getByText(`已解除暂扣：${heldLot}`).waitFor();
    const lot = await api.mofcom!.get(`/api/v1/lots/${enc(heldLot)}`);
    expect(lot.body.data.status).toBe('active');
    await waitForStore('mofcom');
    await eventually(async () => {
      await page.reload();
      await page.getByRole('heading', { name: '暂扣中的批次' }).waitFor();
      return (await page.getByRole('button', { name: `解除暂扣 ${heldLot}` }).count()) === 0
        ? true
        : undefined;
    });
    await page.goto(`${gatewayUrl('mofcom')}/regulator/recalls`);
    await page.getByRole('heading', { name: '下达召回' }).waitFor();
    await screenshot(page, 'regulator-recalls-phone-zh');
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'regulator-recalls-desktop-zh');
    expectNoConsoleErrors(browser);
  });

  it('is not shown to another organisation’s operator', async () => {
    browser = await openBrowser(DESKTOP);
    const { page } = browser;
    await login(page, 'coop', 'coop-ops');
    await page.goto(`${gatewayUrl('coop')}/regulator`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/v1/members/LogisticsMSP/suspend', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'x' }),
      });
      return { status: res.status, body: (await res.json()) as { code: string } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CSRF_FAILED');
    expectNoConsoleErrors(browser, [/status of 403/]);
  });
});
