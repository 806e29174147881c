// The server side of the lookup benchmark, in its own process so that load generation and serving do not share an
// event loop: seeds a SQLite query store with the traceability story plus `lots` more lots through the real
// projection code, starts the real gateway application on a free loopback port, and tells the parent the port and
// the lot IDs. No Fabric is needed: the public lookup is served from the store alone. With BENCH_CPU_PROFILE set
// to a file, it runs V8's CPU profiler while it serves (not while it seeds) and writes the profile there on stop.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const inspector = require('node:inspector');
const os = require('node:os');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
const { createServer, LedgerClient, requestListener, silentLogger } = require(dist);
const { applyBlock } = require(path.join(dist, 'follower', 'apply-block'));
const { openStore } = require(path.join(dist, 'store', 'open-store'));
const { addLoadLots, sampleStory } = require(path.join(dist, 'store', 'sample-ledger'));
const { parseQueryConfig } = require(path.join(dist, 'store', 'query-config'));

async function main() {
  const lots = Number(process.env.BENCH_LOTS || 10000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-bench-'));
  const store = await openStore({ engine: 'sqlite', file: path.join(dir, 'store.sqlite') });
  const story = sampleStory();
  const loadLots = addLoadLots(story.ledger, lots);
  const seedStarted = process.hrtime.bigint();
  for (const block of story.ledger.blocks) {
    await applyBlock(store, block, { channel: 'traceability', chaincode: 'agritrace' });
  }
  const seedMs = Number(process.hrtime.bigint() - seedStarted) / 1e6;
  const listen = { host: '127.0.0.1', port: 0 };
  const query = parseQueryConfig(
    { publicLookup: { rateLimitPerMinute: 1000000, maxAgeSeconds: 60 } },
    { dataDir: dir, listen, baseDir: dir },
  ).config;
  const config = {
    org: 'bench',
    mspId: 'RetailerMSP',
    displayName: 'Benchmark gateway',
    role: 'retailer',
    listen,
    channel: 'traceability',
    chaincode: 'agritrace',
    peer: { endpoint: '127.0.0.1:1', hostAlias: 'none', tlsRootCertPath: '' },
    identity: { mspId: 'RetailerMSP', certPath: '', keyPath: '' },
    apiKeys: [],
    peers: [],
    dataDir: dir,
    source: path.join(dir, 'bench.json'),
    query,
  };
  const noFabric = {
    evaluate: async () => {
      throw new Error('no Fabric in the lookup benchmark');
    },
    submitOnce: async () => {
      throw new Error('no Fabric in the lookup benchmark');
    },
  };
  const ledger = new LedgerClient({ port: noFabric, channel: 'traceability', chaincode: 'agritrace' });
  const app = createServer(config, ledger, { logger: silentLogger, store });
  const profiler = process.env.BENCH_CPU_PROFILE ? new inspector.Session() : undefined;
  const post = (method) =>
    new Promise((resolve, reject) => profiler.post(method, (err, r) => (err ? reject(err) : resolve(r))));
  if (profiler) {
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  // As the gateway listens (start.ts): cached lookups answered before Express.
  const server = http.createServer(requestListener(app));
  server.listen(0, '127.0.0.1', () => {
    process.send({
      port: server.address().port,
      seedMs,
      blocks: story.ledger.blocks.length,
      lotIds: [...story.packagedLots, ...story.farmLots, ...loadLots],
    });
  });
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    if (profiler) {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify(profile));
    }
    server.close(() =>
      store.close().then(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      }),
    );
    server.closeAllConnections();
  });
}

main().catch((err) => {
  console.error('lookup-server: failed:', err);
  process.exit(1);
});
