/**
 * The query store's HTTP routes on the real gateway application: the public lookup (Digital Link and trace code,
 * caching, rate limit, 400/404), labels, search, analytics and trace exports, with their authentication.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { silentLogger } from '../../../src/logger';
import { createServer } from '../../../src/server';
import { SAMPLE_MEMBERS, sampleStory } from '../../../src/store/sample-ledger';
import { parseQueryConfig } from '../../../src/store/query-config';
import { fakeLedger, FakeFabric } from '../support/fake-fabric';
import { testConfig, TOKEN } from '../support/fixtures';
import { storeWithBlocks } from '../support/stores';

const AUTH = { Authorization: `Bearer ${TOKEN}` };
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const story = sampleStory();
const [spinach] = story.farmLots;
const [boxA] = story.packagedLots;

const opened = storeWithBlocks('sqlite', story.ledger.blocks);

function app(
  options: { role?: 'regulator' | 'producer'; rateLimitPerMinute?: number; portalDir?: string } = {},
) {
  const base = testConfig({ role: options.role ?? 'regulator' });
  const query = parseQueryConfig(
    {
      publicBaseUrl: 'https://trace.example.cn/',
      publicLookup: { rateLimitPerMinute: options.rateLimitPerMinute ?? 1000 },
    },
    { dataDir: base.dataDir, listen: base.listen, baseDir: base.dataDir },
  );
  expect(query.problems).toEqual([]);
  return createServer({ ...base, query: query.config }, fakeLedger(new FakeFabric()), {
    logger: silentLogger,
    store: opened.store,
    ...(options.portalDir ? { portalDir: options.portalDir } : {}),
  });
}

describe('public lookup by GS1 Digital Link', () => {
  it('answers without login: the recall warning first, the journey, and verification data', async () => {
    const res = await request(app()).get('/01/06901234567809/10/SALAD-01?linkType=gs1:pip');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data)[0]).toBe('warning');
    expect(res.body.data.warning.type).toBe('recall');
    expect(res.body.data.journey.length).toBeGreaterThan(5);
    expect(res.body.data.traceCode.digitalLink).toBe(
      'https://trace.example.cn/01/06901234567809/10/SALAD-01',
    );
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers.etag).toBe(`"lot-${story.ledger.blocks.length - 1}"`);
    expect(res.headers.vary).toMatch(/Accept/);
    expect(res.headers.link).toContain('rel="canonical"');
  });

  it('names every admitted member of the alliance, so that any endorsing organisation can be named', async () => {
    const res = await request(app()).get('/01/06901234567809/10/SALAD-01');
    expect(res.status).toBe(200);
    expect(res.body.data.alliance).toEqual(
      [...SAMPLE_MEMBERS]
        .sort((a, b) => (a.mspId < b.mspId ? -1 : 1))
        .map(({ mspId, name }) => ({ mspId, name })),
    );
  });

  it('accepts a GTIN-13 and a serial, and answers 304 to a matching If-None-Match', async () => {
    const first = await request(app()).get('/01/6901234567809/10/SALAD-01/21/0001');
    expect(first.status).toBe(200);
    const again = await request(app())
      .get('/01/06901234567809/10/SALAD-01')
      .set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('refuses a malformed path with 400 and the reason, and an unknown lot with a helpful 404', async () => {
    const bad = await request(app()).get('/01/06901234567800/10/SALAD-01');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'BAD_CHECK_DIGIT' });
    expect(bad.body.detail).toMatch(/check digit should be 9/);
    const longLot = await request(app()).get(`/01/06901234567809/10/${'X'.repeat(21)}`);
    expect(longLot.body.code).toBe('MALFORMED_LOT_NUMBER');
    const unknown = await request(app()).get('/01/06901234567809/10/NOPE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('LOT_NOT_FOUND');
    expect(unknown.body.detail).toMatch(/Check the code printed on the package/);
  });

  it('refuses a malformed percent-encoding with 400, not a failure of the gateway', async () => {
    for (const target of ['/01/06901234567809/10/SALAD%E0%A4', '/01/06901234567809/10/SALAD-01/21/%zz']) {
      const res = await request(app()).get(target);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'MALFORMED_TRACE_CODE' });
      expect(res.body.detail).toMatch(/percent-encoding/);
    }
    const byCode = await request(app()).get('/api/v1/public/lots/%E0%A4');
    expect(byCode.status).toBe(400);
    expect(byCode.body.code).toBe('MALFORMED_TRACE_CODE');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await request(app()).get('/01/06901234567809/10/SALAD-01');
    const head = await request(app()).head('/01/06901234567809/10/SALAD-01');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.text)));
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.text).toBeUndefined();
  });

  it('leaves other methods on its paths, and paths beside them, to the rest of the gateway', async () => {
    const post = await request(app()).post('/01/06901234567809/10/SALAD-01').send({});
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('ROUTE_NOT_FOUND');
    const deeper = await request(app()).get('/01/06901234567809/10/SALAD-01/22/X');
    expect(deeper.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('limits each client address, answering 429 with Retry-After', async () => {
    const limited = app({ rateLimitPerMinute: 2 });
    const first = await request(limited).get('/01/06901234567809/10/SALAD-01').expect(200);
    expect(first.headers['ratelimit-policy']).toBe('"lookup";q=2;w=60');
    expect(first.headers.ratelimit).toMatch(/^"lookup";r=1;t=(59|60)$/);
    await request(limited).get('/01/06901234567809/10/SALAD-01').expect(200);
    const refused = await request(limited).get('/01/06901234567809/10/SALAD-01');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers.ratelimit).toMatch(/^"lookup";r=0;t=/);
  });

  it('leaves a browser to the portal page, and answers it JSON when the portal is not built', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>portal</title><div id="root"></div>');
    const page = await request(app({ portalDir: dir }))
      .get('/01/06901234567809/10/SALAD-01')
      .set('Accept', BROWSER_ACCEPT);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers.vary).toMatch(/Accept/);
    const json = await request(app({ portalDir: dir }))
      .get('/01/06901234567809/10/SALAD-01')
      .set('Accept', 'application/json');
    expect(json.body.data.product.name).toBe('Washed salad mix 250 g');
    const unbuilt = await request(app({ portalDir: path.join(dir, 'missing') }))
      .get('/01/06901234567809/10/SALAD-01')
      .set('Accept', BROWSER_ACCEPT);
    expect(unbuilt.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('public lookup by trace code', () => {
  it('reads an element string, a Digital Link URI or a lot ID', async () => {
    for (const code of [
      '(01)06901234567892(10)GV-2026-A',
      'https://x.example/01/06901234567892/10/GV-2026-A',
      spinach,
    ]) {
      const res = await request(app()).get(`/api/v1/public/lots/${encodeURIComponent(code)}`);
      expect(res.status).toBe(200);
      expect(res.body.data.product.name).toBe('Spinach');
    }
    const byQuery = await request(app()).get('/api/v1/public/lots').query({ code: spinach });
    expect(byQuery.status).toBe(200);
  });

  it('refuses text that is no trace code with 400', async () => {
    const res = await request(app()).get('/api/v1/public/lots/hello');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_TRACE_CODE');
  });
});

describe('labels', () => {
  it('draws the Digital Link QR label as SVG and PNG, and the GS1-128 barcode', async () => {
    const svg = await request(app()).get(`/api/v1/lots/${encodeURIComponent(boxA)}/label.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const text = svg.body instanceof Buffer ? svg.body.toString() : String(svg.text);
    expect(text).toContain('<svg');
    expect(text).toContain('(01)06901234567809(17)261231(10)SALAD-01');
    const png = await request(app())
      .get(`/api/v1/lots/${encodeURIComponent(boxA)}/label.png`)
      .buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect(Buffer.from(png.body).subarray(0, 4).toString('hex')).toBe('89504e47');
    const barcode = await request(app()).get(`/api/v1/lots/${encodeURIComponent(boxA)}/barcode.svg`);
    expect(barcode.status).toBe(200);
    const barcodePng = await request(app())
      .get(`/api/v1/lots/${encodeURIComponent(boxA)}/barcode.png`)
      .buffer(true);
    expect(Buffer.from(barcodePng.body).subarray(0, 4).toString('hex')).toBe('89504e47');
  });

  it('answers 404 for an unknown lot and 400 for a malformed one', async () => {
    expect((await request(app()).get('/api/v1/lots/06901234567809:NOPE/label.svg')).status).toBe(404);
    expect((await request(app()).get('/api/v1/lots/not-a-lot/label.svg')).status).toBe(400);
  });
});

describe('search', () => {
  it('needs a credential', async () => {
    expect((await request(app()).get('/api/v1/search/lots?q=gv')).status).toBe(401);
  });

  it('finds lots by partial code and producer, paginated', async () => {
    const res = await request(app())
      .get('/api/v1/search/lots')
      .query({ q: 'salad-0', producer: 'Jade' })
      .set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body.page).toEqual({ page: 1, pageSize: 20, total: 2, hasMore: false });
    expect(res.body.data[0]).toMatchObject({ product: 'Washed salad mix 250 g', status: 'recalled' });
  });

  it('refuses unknown and malformed parameters, naming each', async () => {
    const res = await request(app())
      .get('/api/v1/search/lots')
      .query({ from: '2026-02-30', colour: 'red' })
      .set(AUTH);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'from']);
  });
});

describe('analytics', () => {
  it('serves regulators the series for charts', async () => {
    const lots = await request(app()).get('/api/v1/analytics/lots?period=month&by=region').set(AUTH);
    expect(lots.status).toBe(200);
    expect(lots.body.data.series.length).toBeGreaterThan(0);
    for (const path of ['events?period=week', 'violations', 'recalls', 'compliance']) {
      const res = await request(app()).get(`/api/v1/analytics/${path}`).set(AUTH);
      expect(res.status).toBe(200);
    }
  });

  it('is refused on a producer’s gateway', async () => {
    const res = await request(app({ role: 'producer' }))
      .get('/api/v1/analytics/lots')
      .set(AUTH);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_REGULATOR');
  });
});

describe('trace export', () => {
  it('needs a credential', async () => {
    expect((await request(app()).get(`/api/v1/lots/${encodeURIComponent(boxA)}/trace.csv`)).status).toBe(401);
  });

  it('exports a sortable CSV and an XLSX with the same rows', async () => {
    const csv = await request(app())
      .get(`/api/v1/lots/${encodeURIComponent(boxA)}/trace.csv?direction=backward`)
      .set(AUTH);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="trace-backward-/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Trace depth,Reached via lot,Traceability lot code \(TLC\)/);
    const xlsx = await request(app())
      .get(`/api/v1/lots/${encodeURIComponent(boxA)}/trace.xlsx?direction=backward`)
      .set(AUTH)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.getWorksheet('Trace')!;
    expect(sheet.rowCount).toBe(lines.length);
    expect(sheet.autoFilter).toBeDefined();
  });

  it('refuses a wrong direction with 400', async () => {
    const res = await request(app())
      .get(`/api/v1/lots/${encodeURIComponent(boxA)}/trace.csv?direction=up`)
      .set(AUTH);
    expect(res.status).toBe(400);
  });
});
