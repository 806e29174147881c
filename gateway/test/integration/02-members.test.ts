/**
 * The member registry on the live network, through each organisation's own gateway: members register
 * themselves, the regulator decides, every peer holds the same record, and it survives a restart.
 */
import { DEFAULT_TOPOLOGY, down, loadTopology, startGateways, statePaths, up } from '../../../network/src';
import { api, particularsOf, tokens, topology } from './support';

const MEMBERS = ['inspection', 'coop', 'processor', 'logistics', 'retailer'];

describe('gateway health', () => {
  it('reports every peer of the alliance up, with its block height', async () => {
    const res = await api.coop!.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.peers).toHaveLength(topology.peerOrgs.length);
    for (const peer of res.body.peers) {
      expect(peer.up).toBe(true);
      expect(peer.blockHeight).toBeGreaterThanOrEqual(3); // genesis, chaincode approvals/commit, bootstrap
    }
  });
});

describe('credentials', () => {
  it('refuses a write without a credential with 401', async () => {
    const res = await api.coop!.as(null).post('/api/v1/members', particularsOf('coop'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses a wrong credential, and another organisation’s credential, with 401', async () => {
    const wrong = await api.coop!.as('coop.not-the-token').post('/api/v1/members', particularsOf('coop'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIAL');
    const otherOrgsToken = tokens().retailer!;
    const foreign = await api.coop!.as(otherOrgsToken).post('/api/v1/members', particularsOf('coop'));
    expect(foreign.status).toBe(401);
  });
});

describe('a producer joins the alliance', () => {
  let registrationTx: string;

  it('registers itself through its own gateway and waits for review', async () => {
    const res = await api.coop!.post('/api/v1/members', particularsOf('coop'));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      mspId: 'CoopMSP',
      status: 'pending',
      role: 'producer',
      name: 'Green Valley Farm Cooperative',
    });
    expect(res.body.tx.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.tx.blockNumber).toBeGreaterThan(0);
    registrationTx = res.body.tx.txId;
  });

  it('cannot be approved by another member that is not a regulator (403)', async () => {
    const res = await api.processor!.post('/api/v1/members/CoopMSP/approve', { reason: 'looks fine to us' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_REGULATOR');
  });

  it('is approved by the regulator through the regulator’s own gateway', async () => {
    const res = await api.mofcom!.post('/api/v1/members/CoopMSP/approve', {
      reason: 'business licence and origin certification reviewed',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('approved');
    expect(res.body.data.lastTxId).toBe(res.body.tx.txId);
  });

  it('reads identically from every organisation’s peer', async () => {
    const reads = await Promise.all(topology.peerOrgs.map((o) => api[o.key]!.get('/api/v1/members/CoopMSP')));
    for (const r of reads) expect(r.status).toBe(200);
    const first = JSON.stringify(reads[0]!.body.data);
    for (const r of reads) expect(JSON.stringify(r.body.data)).toBe(first);
    expect(reads[0]!.body.data.status).toBe('approved');
  });

  it('shows, from the ledger itself, which block holds the registration and which organisations endorsed it', async () => {
    const res = await api.retailer!.get(`/api/v1/transactions/${registrationTx}`);
    expect(res.status).toBe(200);
    expect(res.body.data.validationCode).toBe('VALID');
    expect(res.body.data.creatorMspId).toBe('CoopMSP');
    expect(new Set(res.body.data.endorsingOrganizations).size).toBeGreaterThanOrEqual(2);
  });
});

describe('bad input', () => {
  it('refuses a malformed food production licence with 400 and a stable code, writing nothing', async () => {
    const res = await api.processor!.post('/api/v1/members', {
      ...particularsOf('processor'),
      foodProductionLicence: 'SC123',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toMatch(/^[A-Z_]+$/);
    const read = await api.processor!.get('/api/v1/members/ProcessorMSP');
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('MEMBER_NOT_FOUND');
  });

  it('answers an unknown member with 404 and a malformed MSP ID with 400', async () => {
    expect((await api.coop!.get('/api/v1/members/NoSuchMSP')).body.code).toBe('MEMBER_NOT_FOUND');
    expect((await api.coop!.get('/api/v1/members/not an msp')).status).toBe(400);
  });
});

describe('the rest of the alliance joins', () => {
  it('registers and approves every member organisation', async () => {
    for (const key of MEMBERS.filter((k) => k !== 'coop')) {
      const reg = await api[key]!.post('/api/v1/members', particularsOf(key));
      expect(reg.status).toBe(201);
    }
    for (const key of MEMBERS.filter((k) => k !== 'coop')) {
      const mspId = topology.peerOrgs.find((o) => o.key === key)!.mspId;
      const res = await api.mofcom!.post(`/api/v1/members/${mspId}/approve`, {
        reason: 'qualifications reviewed',
      });
      expect(res.status).toBe(200);
    }
    const list = await api.retailer!.get('/api/v1/members?status=approved');
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { mspId: string }) => m.mspId).sort()).toEqual(
      topology.peerOrgs.map((o) => o.mspId).sort(),
    );
  });
});

describe('restart', () => {
  it('keeps the registry across network:down and network:up', async () => {
    const before = await api.inspection!.get('/api/v1/members/CoopMSP');
    const ctx = { topology: loadTopology(DEFAULT_TOPOLOGY), state: statePaths() };
    await down(ctx);
    await up(ctx);
    await startGateways(ctx);
    const after = await api.inspection!.get('/api/v1/members/CoopMSP');
    expect(after.status).toBe(200);
    expect(after.body.data).toEqual(before.body.data);
  });
});
