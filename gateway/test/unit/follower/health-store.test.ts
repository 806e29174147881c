/** /healthz reports the query store: its checkpoint, the ledger height and how many blocks it is behind. */
import request from 'supertest';
import { silentLogger } from '../../../src/logger';
import { createServer } from '../../../src/server';
import { LedgerFollower } from '../../../src/follower/follower';
import { sampleStory } from '../../../src/store/sample-ledger';
import { configBlock, toProtoBlock } from '../support/block-builder';
import { FakeBlockSource } from '../support/fake-block-source';
import { fakeLedger, FakeFabric } from '../support/fake-fabric';
import { testConfig } from '../support/fixtures';
import { openTestStore } from '../support/stores';

describe('/healthz store section', () => {
  it('says how far behind the ledger the store is, then that it has caught up', async () => {
    const opened = await openTestStore('sqlite');
    const blocks = sampleStory().ledger.blocks.map((b) =>
      b.number === 0 ? configBlock(0) : toProtoBlock(b),
    );
    const source = new FakeBlockSource(blocks.slice(0, 3));
    const follower = new LedgerFollower({
      store: opened.store,
      source,
      followed: { channel: 'traceability', chaincode: 'agritrace' },
    });
    const app = createServer(testConfig({ peers: [] }), fakeLedger(new FakeFabric()), {
      logger: silentLogger,
      store: opened.store,
      health: {
        store: async () => ({
          engine: opened.store.engine,
          location: opened.store.location,
          following: true,
          ...(await follower.lag()),
          follower: follower.status(),
        }),
      },
    });
    try {
      await follower.start();
      await follower.waitForBlock(2, 5000);
      source.blocks.push(...blocks.slice(3)); // committed on the ledger, not delivered yet
      const behind = await request(app).get('/healthz');
      expect(behind.body.store).toMatchObject({
        engine: 'sqlite',
        checkpointBlock: 2,
        ledgerHeight: blocks.length,
        behindBlocks: blocks.length - 3,
      });
      source.append();
      await follower.waitForBlock(blocks.length - 1, 5000);
      const caughtUp = await request(app).get('/healthz');
      expect(caughtUp.body.store).toMatchObject({ checkpointBlock: blocks.length - 1, behindBlocks: 0 });
      expect(caughtUp.body.store.follower).toMatchObject({ streaming: true, lastError: null });
    } finally {
      await follower.stop();
      await opened.dispose();
    }
  });
});
