/** The portal served by the gateway: its page for browsers, the JSON lookup for API clients, its assets. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import express from 'express';
import request from 'supertest';
import { silentLogger } from '../../../src/logger';
import { portalRouter } from '../../../src/portal/portal-router';
import { createServer } from '../../../src/server';
import { FakeFabric, fakeLedger } from '../support/fake-fabric';
import { testConfig } from '../support/fixtures';

const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

function builtPortal(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>portal</title><div id="root"></div>');
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

/** The portal router in front of a stand-in JSON lookup, as server.ts mounts it before the store's routes. */
function app(dir: string) {
  const server = express();
  server.use(portalRouter(dir));
  server.get('/01/:gtin/10/:lot', (_req, res) => {
    res.vary('Accept');
    res.json({ data: { lookup: true } });
  });
  return server;
}

describe('the portal on every gateway', () => {
  it('answers a Digital Link with the page for a browser and with JSON for an API client', async () => {
    const server = app(builtPortal());
    const html = await request(server).get('/01/06901234567892/10/A1').set('Accept', BROWSER_ACCEPT);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<div id="root">');
    expect(html.headers.vary).toMatch(/Accept/);
    const json = await request(server).get('/01/06901234567892/10/A1').set('Accept', 'application/json');
    expect(json.body).toEqual({ data: { lookup: true } });
    const any = await request(server).get('/01/06901234567892/10/A1').set('Accept', '*/*');
    expect(any.body).toEqual({ data: { lookup: true } });
  });

  it('serves the page at its own paths with a policy that loads nothing from elsewhere', async () => {
    const server = app(builtPortal());
    for (const p of [
      '/',
      '/login',
      '/call-centre/lots/06901234567892%3AA1',
      '/regulator/members',
      '/enterprise',
    ]) {
      const res = await request(server).get(p).set('Accept', BROWSER_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).not.toMatch(/https?:/);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year', async () => {
    const res = await request(app(builtPortal())).get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
  });

  it('sends the gzip-compressed asset to browsers that accept it, and the plain one to others', async () => {
    const dir = builtPortal();
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
    const zipped = await request(app(dir)).get('/assets/index-abc123.js').set('Accept-Encoding', 'gzip, br');
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/javascript/);
    expect(zipped.text).toBe('console.log(1)');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    const plain = await request(app(dir)).get('/assets/index-abc123.js').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('console.log(1)');
  });

  it('says the portal is not built (503) rather than failing, and leaves the JSON lookup working', async () => {
    const gateway = createServer(testConfig(), fakeLedger(new FakeFabric()), {
      logger: silentLogger,
      portalDir: '/nonexistent-portal',
    });
    const page = await request(gateway).get('/').set('Accept', BROWSER_ACCEPT);
    expect(page.status).toBe(503);
    expect(page.body.code).toBe('PORTAL_NOT_BUILT');
    const api = await request(gateway).get('/api/v1');
    expect(api.status).toBe(200);
  });
});
