import { channelConfig, cryptoConfig, gatewayConfig } from '../src/generate';
import { statePaths, DEFAULT_TOPOLOGY } from '../src/paths';
import { loadTopology } from '../src/topology';

const t = loadTopology(DEFAULT_TOPOLOGY);
const s = statePaths('/tmp/agritrace-state');

describe('generated Fabric configuration', () => {
  it('gives every node TLS certificates valid for the loopback addresses it is dialled on', () => {
    const c = cryptoConfig(t);
    expect(c.OrdererOrgs).toHaveLength(2);
    expect(c.PeerOrgs.map((o) => o.Domain)).toContain('coop.alliance.local');
    for (const org of [...c.OrdererOrgs, ...c.PeerOrgs]) {
      for (const spec of org.Specs) expect(spec.SANS).toEqual(['127.0.0.1', 'localhost']);
      expect(org.EnableNodeOUs).toBe(true);
    }
  });

  it('describes a Raft channel with all three orderers as consenters and an anchor peer per member', () => {
    const profile = channelConfig(t, s).Profiles.AllianceChannel;
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Orderer.EtcdRaft.Consenters.map((c) => c.Port)).toEqual([7050, 7060, 7070]);
    expect(profile.Orderer.EtcdRaft.Consenters[0]!.ServerTLSCert).toBe(
      '/tmp/agritrace-state/crypto/ordererOrganizations/mofcom-os.alliance.local/orderers/orderer0.mofcom-os.alliance.local/tls/server.crt',
    );
    expect(profile.Orderer.Organizations.map((o) => o.OrdererEndpoints)).toEqual([
      ['127.0.0.1:7050', '127.0.0.1:7060'],
      ['127.0.0.1:7070'],
    ]);
    expect(profile.Application.Organizations.map((o) => o.AnchorPeers[0]!.Port)).toEqual([
      7101, 7111, 7121, 7131, 7141, 7151,
    ]);
    expect(profile.Capabilities).toEqual({ V3_0: true });
  });

  it('lets only an organisation’s own admins administer it and only its peers endorse for it', () => {
    const coop = channelConfig(t, s).Profiles.AllianceChannel.Application.Organizations[2]!;
    expect(coop.Policies.Admins.Rule).toBe("OR('CoopMSP.admin')");
    expect(coop.Policies.Endorsement.Rule).toBe("OR('CoopMSP.peer')");
  });

  it('gives each gateway its own organisation’s identity and every peer to watch', () => {
    const g = gatewayConfig(t, s, 'retailer', 'ab'.repeat(32));
    expect(g.mspId).toBe('RetailerMSP');
    expect(g.listen).toEqual({ host: '127.0.0.1', port: 3006 });
    expect(g.identity.certPath).toMatch(/users\/User1@retailer\.alliance\.local\/msp\/signcerts\//);
    expect(g.peers).toHaveLength(6);
    expect(g.apiKeys[0]!.sha256).toHaveLength(64);
  });
});
