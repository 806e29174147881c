/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
/**
 * The enterprise console in real browsers: the cooperative's operator creates a lot, sees and prints its label,
 * and offers it to the processor; the processor's operator, logged in at the processor's own gateway, accepts it.
 * The ledger then names the processor as the custodian, and the operators as the users who acted.
 */
import { api } from './support';
import {
  createFarmLot,
  DESKTOP,
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
} from './portal-support';
import type { Browser } from './portal-support';

const GTIN = gtin14('690123457301');
const LOT = `EN-${RUN}`;
const lotId = `${GTIN}:${LOT}`;
const enc = encodeURIComponent;

beforeAll(async () => {
  await ensureAlliance();
  ensureUser('coop', 'farmer1', 'operator');
  ensureUser('processor', 'plant1', 'operator');
  await createFarmLot(gtin14('690123457302'), `EN-HELD-${RUN}`, 'Garlic'); // one the cooperative already holds
});

describe('an enterprise moves a lot through the portal', () => {
  let coop: Browser;
  let processor: Browser;
  afterAll(async () => {
    await coop?.close();
    await processor?.close();
  });

  it('the cooperative creates a lot, prints its label and offers it to the processor', async () => {
    coop = await openBrowser(DESKTOP);
    const { page } = coop;
    await login(page, 'coop', 'farmer1', 'login-desktop-zh');
    expect(new URL(page.url()).pathname).toBe('/enterprise');
    await screenshot(page, 'enterprise-lots-desktop-zh');
    await page.getByRole('link', { name: '新建批次' }).click();
    await page.getByLabel('商品条码 GTIN').fill(GTIN);
    await page.getByLabel('批号').fill(LOT);
    await page.getByLabel('产品名称').fill('Organic carrots');
    await page.getByLabel('数量', { exact: true }).fill('640');
    await page.getByLabel('产地行政区划代码').fill('330183');
    await page.getByLabel('纬度').fill('30.05');
    await page.getByLabel('经度').fill('119.95');
    await screenshot(page, 'enterprise-new-lot-desktop-zh');
    await page.getByRole('button', { name: '登记批次' }).click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/enterprise/lots/${lotId}`);
    await page.getByText('批次已登记到账本').waitFor();

    const label = page.locator('img[alt^="GS1 数字链接二维码"]');
    await label.waitFor();
    await page.waitForFunction(
      () => {
        const image = document.querySelector('img[alt^="GS1 数字链接二维码"]') as HTMLImageElement | null;
        return image !== null && image.complete && image.naturalWidth > 0;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole('button', { name: '打印标签' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await screenshot(page, 'enterprise-lot-label-desktop-zh');

    await page.getByLabel('接收方').selectOption('ProcessorMSP');
    await page.getByRole('button', { name: '发起交接' }).click();
    await page.getByText('已向 Jade River Food Processing Co., Ltd. 发出交接').waitFor();
    const lot = await api.coop!.get(`/api/v1/lots/${enc(lotId)}`);
    expect(lot.body.data.pendingTransferId).toMatch(/^[0-9a-f]{64}$/);
    expectNoConsoleErrors(coop);
  });

  it('the processor accepts it at its own gateway, on a phone', async () => {
    processor = await openBrowser(PHONE);
    const { page } = processor;
    await login(page, 'processor', 'plant1', 'login-phone-zh');
    await page.getByRole('heading', { name: '本单位持有的批次' }).waitFor();
    await screenshot(page, 'enterprise-lots-phone-zh');
    await page.goto(`${gatewayUrl('processor')}/enterprise/transfers`);
    const accept = page.getByRole('button', { name: `接收 ${lotId}` });
    await accept.waitFor();
    await screenshot(page, 'enterprise-transfers-phone-zh');
    await accept.click();
    await page.getByText(`已接收批次 ${lotId}`).waitFor();
    const lot = await api.processor!.get(`/api/v1/lots/${enc(lotId)}`);
    expect(lot.body.data.custodian).toBe('ProcessorMSP');
    // Each user is named in what it recorded, beside its organisation's identity.
    expect(lot.body.data.createdBy).toMatchObject({ mspId: 'CoopMSP', operator: 'farmer1' });
    expect(lot.body.data.actor).toMatchObject({ mspId: 'ProcessorMSP', operator: 'plant1' });
    await page.goto(`${gatewayUrl('processor')}/enterprise/lots/${enc(lotId)}`);
    await page.getByRole('heading', { name: /Organic carrots/ }).waitFor();
    await screenshot(page, 'enterprise-lot-phone-zh');
    expectNoConsoleErrors(processor);
  });
});
