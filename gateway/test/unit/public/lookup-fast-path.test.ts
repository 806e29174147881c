/**
 * Cached lookups answered before Express: the same answer, headers and request log as the application gives, for
 * exactly the requests the cache holds; everything else reaches the application unchanged.
 */
import { createServer as createHttpServer } from 'http';
import type { AddressInfo } from 'net';
import type { Server } from 'http';
import request from 'supertest';
import type { LogFields, Logger } from '../../../src/logger';
import { createServer, requestListener } from '../../../src/server';
import { sampleStory } from '../../../src/store/sample-ledger';
import { parseQueryConfig } from '../../../src/store/query-config';
import { fakeLedger, FakeFabric } from '../support/fake-fabric';
import { testConfig } from '../support/fixtures';
import { storeWithBlocks } from '../support/stores';

const story = sampleStory();
const SALAD = '/01/06901234567809/10/SALAD-01';

const opened = storeWithBlocks('sqlite', story.ledger.blocks);

/** A gateway listening as start.ts makes it listen, with its request log kept. */
async function gateway(rateLimitPerMinute = 1000) {
  const lines: { message: string; fields: LogFields }[] = [];
  const keep = (message: string, fields: LogFields = {}) => lines.push({ message, fields });
  const logger: Logger = { debug: keep, info: keep, warn: keep, error: keep };
  const base = testConfig({ role: 'retailer' });
  const query = parseQueryConfig(
    { publicBaseUrl: 'https://trace.example.cn/', publicLookup: { rateLimitPerMinute } },
    { dataDir: base.dataDir, listen: base.listen, baseDir: base.dataDir },
  );
  const app = createServer({ ...base, query: query.config }, fakeLedger(new FakeFabric()), {
    logger,
    store: opened.store,
    portalDir: '/nonexistent',
  });
  const server: Server = createHttpServer(requestListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { app, url, lines, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Headers that differ between any two answers (time, request ID, the limiter's remaining count). */
const PER_ANSWER = new Set(['date', 'x-request-id', 'ratelimit']);
function stable(headers: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));
}

describe('lookup fast path', () => {
  it('answers a rendered lot with the bytes, headers and log line the application gives', async () => {
    const g = await gateway();
    try {
      const handled = jest.spyOn(g.app as unknown as { handle: () => void }, 'handle');
      const first = await request(g.url).get(SALAD).set('X-Request-Id', 'scan-1'); // the application renders it
      expect(handled).toHaveBeenCalledTimes(1);
      const second = await request(g.url).get(SALAD).set('X-Request-Id', 'scan-2'); // from the cache
      expect(handled).toHaveBeenCalledTimes(1); // Express never saw the second request
      handled.mockRestore();
      const viaApp = await request(g.app).get(SALAD); // Express alone, for comparison
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(second.text).toBe(viaApp.text);
      expect(stable(second.headers)).toEqual(stable(first.headers));
      expect(stable(second.headers)).toEqual(stable(viaApp.headers));
      expect(second.headers['x-request-id']).toBe('scan-2');
      expect(second.headers['content-security-policy']).toContain("default-src 'self'");
      expect(second.headers['cache-control']).toBe('public, max-age=60');
      // One request counted each time by the one limiter, whichever path answered.
      const remaining = (h: Record<string, string>) => Number(/r=(\d+)/.exec(h.ratelimit!)![1]);
      expect(remaining(second.headers)).toBe(remaining(first.headers) - 1);
      const logged = g.lines.filter((l) => l.message === 'request').map((l) => l.fields);
      expect(logged.map((f) => [f.requestId, f.method, f.path, f.status])).toEqual([
        ['scan-1', 'GET', SALAD, 200],
        ['scan-2', 'GET', SALAD, 200],
        [expect.any(String), 'GET', SALAD, 200],
      ]);
    } finally {
      await g.close();
    }
  });

  it('answers 304 to a matching If-None-Match and HEAD without a body, from the cache', async () => {
    const g = await gateway();
    try {
      const first = await request(g.url).get(`${SALAD}/21/0001`);
      const etag = first.headers.etag!;
      for (const condition of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await request(g.url).get(SALAD).set('If-None-Match', condition);
        expect(again.status).toBe(304);
        expect(again.headers.etag).toBe(etag);
      }
      const stale = await request(g.url).get(SALAD).set('If-None-Match', '"lot-0"');
      expect(stale.status).toBe(200);
      const head = await request(g.url).head(SALAD);
      expect(head.status).toBe(200);
      expect(head.text ?? '').toBe('');
      expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(first.text));
    } finally {
      await g.close();
    }
  });

  it('leaves to the application what the cache cannot answer', async () => {
    const g = await gateway(4);
    try {
      await request(g.url).get(SALAD); // 1: rendered and cached
      const unknown = await request(g.url).get('/01/06901234567809/10/NO-SUCH-LOT'); // 2
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('LOT_NOT_FOUND');
      const malformed = await request(g.url).get('/01/06901234567800/10/SALAD-01'); // 3
      expect(malformed.status).toBe(400);
      const post = await request(g.url).post(SALAD).send({}); // not a lookup: not counted
      expect(post.status).toBe(404);
      expect(post.body.code).toBe('ROUTE_NOT_FOUND');
      const handled = jest.spyOn(g.app as unknown as { handle: () => void }, 'handle');
      const cached = await request(g.url).get(SALAD); // 4: from the cache
      expect(cached.status).toBe(200);
      expect(handled).not.toHaveBeenCalled();
      // The limit holds on the fast path too: the application answers the refusal.
      const refused = await request(g.url).get(SALAD);
      expect(handled).toHaveBeenCalledTimes(1);
      handled.mockRestore();
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await g.close();
    }
  });
});
