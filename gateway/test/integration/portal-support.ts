/**
 * Helpers of the portal's browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * each browser with a fresh profile; portal users made with the real `users` command; a console-error watch; and
 * screenshots of every surface at phone and desktop widths in artifacts/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';
import { eventually, waitForStore } from './query-store-support';
import { acceptTransfer, api, particularsOf, topology } from './support';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Debian's Chromium (apt-get install chromium). */
export const CHROMIUM = process.env.AGRITRACE_CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots go (ignored by git). */
export const SCREENSHOTS = path.join(REPO_ROOT, 'artifacts', 'screenshots');
/** The password of every test user (never on a command line: the users command reads it from stdin). */
export const PASSWORD = 'portal-test-passphrase-2026';

/** Phone and desktop viewports. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser window with its own fresh profile, its page, and the console errors it has logged. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  close: () => Promise<void>;
}

/** Opens Chromium with a fresh user-data-dir at a viewport size. */
export async function openBrowser(viewport: { width: number; height: number } = DESKTOP): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests use Debian's Chromium (apt-get install -y chromium)`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The base URL of an organisation's gateway (which serves the portal). */
export function gatewayUrl(orgKey: string): string {
  return api[orgKey]!.baseUrl;
}

/** MSP ID of an organisation key. */
export function mspOf(orgKey: string): string {
  return topology.peerOrgs.find((o) => o.key === orgKey)!.mspId;
}

/** Creates (or resets the password of) a portal user with the real command, password on standard input. */
export function ensureUser(orgKey: string, username: string, role: string): void {
  const cli = path.join(REPO_ROOT, 'gateway', 'dist', 'users', 'cli.js');
  const run = (args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      input: `${PASSWORD}\n`,
      env: process.env,
      encoding: 'utf8',
    });
  const created = run(['create', '--org', orgKey, '--username', username, '--role', role]);
  if (created.status === 0) return;
  if (/already exists/.test(created.stderr)) {
    const reset = run(['set-password', '--org', orgKey, '--username', username]);
    if (reset.status === 0) return;
    throw new Error(`users set-password failed: ${reset.stderr}`);
  }
  throw new Error(`users create failed (${created.status}): ${created.stderr}${created.stdout}`);
}

/** Logs a user in through the portal's login page and waits for the console to open; optionally shoots the form. */
export async function login(page: Page, orgKey: string, username: string, shot?: string): Promise<void> {
  await page.goto(`${gatewayUrl(orgKey)}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  if (shot) await screenshot(page, shot);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Fails with the list if the page logged console errors other than the expected ones. */
export function expectNoConsoleErrors(browser: Browser, allowed: RegExp[] = []): void {
  const unexpected = browser.errors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
  expect(unexpected).toEqual([]);
}

/** Makes sure every member of the topology is approved and the default rule set is published (idempotent). */
export async function ensureAlliance(): Promise<void> {
  for (const org of topology.peerOrgs) {
    if (org.key === 'mofcom') continue;
    const read = await api.mofcom!.get(`/api/v1/members/${org.mspId}`);
    if (read.status === 404) {
      const reg = await api[org.key]!.post('/api/v1/members', particularsOf(org.key));
      expect([200, 201]).toContain(reg.status);
    }
    const now = await api.mofcom!.get(`/api/v1/members/${org.mspId}`);
    if (now.body.data.status !== 'approved') {
      const ok = await api.mofcom!.post(`/api/v1/members/${org.mspId}/approve`, {
        reason: 'portal test alliance',
      });
      expect(ok.status).toBe(200);
    }
  }
  const sets = await api.mofcom!.get('/api/v1/rulesets');
  if (sets.status !== 200 || sets.body.data.length === 0) {
    const seeded = await api.mofcom!.post('/api/v1/rulesets/default');
    expect([200, 201, 409]).toContain(seeded.status);
  }
}

/** A GTIN-14 with a check digit from 12 digits. */
export function gtin14(prefix12: string): string {
  return `0${prefix12}${gs1CheckDigit(prefix12)}`;
}

/** A unique suffix per run, so that the story can be told again on the same ledger. */
export const RUN = Date.now().toString(36).toUpperCase();

/** Creates a lot at the cooperative with coordinates; returns its ID. */
export async function createFarmLot(gtin: string, lot: string, product: string): Promise<string> {
  const res = await api.coop!.post('/api/v1/lots', {
    gtin,
    lot,
    product,
    category: 'vegetables',
    quantity: 800,
    unit: 'kg',
    origin: { region: '330183', latitude: 30.05, longitude: 119.95, address: 'Fuyang' },
    harvestDate: '2026-11-20',
    expiryDate: '2026-12-31',
  });
  expect(res.status).toBe(201);
  return res.body.data.lot.lotId as string;
}

/** Offers a lot and has the receiver accept it, through the API. */
export async function handOver(lotId: string, fromKey: string, toKey: string): Promise<void> {
  const offer = await api[fromKey]!.post('/api/v1/transfers', { lotId, to: mspOf(toKey) });
  expect(offer.status).toBe(201);
  const accepted = await acceptTransfer(toKey, offer.body.data.transfer.transferId);
  expect(accepted.status).toBe(200);
}

/** Waits until an organisation's query store shows the lot (so the public and search pages see it). */
export async function waitForLotInStore(orgKey: string, lotId: string): Promise<void> {
  await waitForStore(orgKey);
  await eventually(async () => {
    const res = await api[orgKey]!.get(`/api/v1/public/lots/${encodeURIComponent(lotId)}`);
    return res.status === 200 ? true : undefined;
  });
}

/** The Digital Link path of a lot ID. */
export function digitalLinkPath(lotId: string): string {
  const [gtin, lot] = [lotId.slice(0, lotId.indexOf(':')), lotId.slice(lotId.indexOf(':') + 1)];
  return `/01/${gtin}/10/${encodeURIComponent(lot)}`;
}
