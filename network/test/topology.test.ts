import * as path from 'node:path';
import { DEFAULT_TOPOLOGY } from '../src/paths';
import {
  endorsementPolicy,
  findPeerOrg,
  loadTopology,
  validateTopology,
  TopologyError,
} from '../src/topology';
import * as fs from 'node:fs';

const spec = () => JSON.parse(fs.readFileSync(DEFAULT_TOPOLOGY, 'utf8'));

describe('the default alliance topology', () => {
  const t = loadTopology(DEFAULT_TOPOLOGY);

  it('has three Raft orderers run by the two ministries', () => {
    expect(t.orderers.map((o) => o.id)).toEqual([
      'orderer0.mofcom-os',
      'orderer1.mofcom-os',
      'orderer0.mof-os',
    ]);
    expect(new Set(t.orderers.map((o) => o.org.mspId))).toEqual(
      new Set(['MofcomOrdererMSP', 'MofOrdererMSP']),
    );
  });

  it('has one peer organisation per member, with every role the product names', () => {
    expect(t.peerOrgs.map((o) => o.role)).toEqual([
      'regulator',
      'inspector',
      'producer',
      'processor',
      'logistics',
      'retailer',
    ]);
    expect(t.peerOrgs.find((o) => o.key === 'coop')?.peerEndpoint).toBe('127.0.0.1:7121');
  });

  it('requires two distinct member peers to endorse every write', () => {
    expect(endorsementPolicy(t)).toBe(
      "OutOf(2, 'MofcomMSP.peer', 'InspectionMSP.peer', 'CoopMSP.peer', 'ProcessorMSP.peer', 'LogisticsMSP.peer', 'RetailerMSP.peer')",
    );
  });

  it('finds an organisation by key or MSP ID and names the known ones otherwise', () => {
    expect(findPeerOrg(t, 'CoopMSP').key).toBe('coop');
    expect(() => findPeerOrg(t, 'bank')).toThrow(
      'unknown organisation "bank"; known: mofcom, inspection, coop',
    );
  });
});

describe('topology validation', () => {
  const bad = (mutate: (s: Record<string, any>) => void) => {
    const s = spec();
    mutate(s);
    return () => validateTopology(s, 'topo.json');
  };

  it('refuses a port used twice, naming both places', () => {
    expect(
      bad((s) => {
        s.peerOrgs[1].gatewayPort = s.peerOrgs[0].gatewayPort;
      }),
    ).toThrow('topo.json: peerOrgs[1].gatewayPort: port 3001 is already used by peerOrgs[0].gatewayPort');
  });

  it('refuses an even number of Raft orderers', () => {
    expect(bad((s) => s.ordererOrgs[0].orderers.pop())).toThrow(
      'Raft needs an odd number of orderers, found 2',
    );
  });

  it('refuses an endorsement policy a single member could satisfy', () => {
    expect(bad((s) => (s.chaincode.endorsement.outOf = 1))).toThrow(
      'chaincode.endorsement.outOf: must be an integer from 2 to 6 so that no single member can write alone',
    );
  });

  it('refuses an unknown role, a bad licence and a non-loopback host', () => {
    expect(bad((s) => (s.peerOrgs[2].role = 'bank'))).toThrow('peerOrgs[2].role: must be one of regulator');
    expect(bad((s) => (s.peerOrgs[3].foodProductionLicence = 'SC123'))).toThrow('SC + 14 digits');
    expect(bad((s) => (s.host = '10.0.0.1'))).toThrow(
      'host: "10.0.0.1" is not valid (a loopback IPv4 address)',
    );
  });

  it('refuses an alliance without a regulator and a duplicate MSP ID', () => {
    expect(bad((s) => (s.peerOrgs[0].role = 'producer'))).toThrow(
      'at least one organisation must have the role "regulator"',
    );
    expect(bad((s) => (s.peerOrgs[1].mspId = 'MofcomMSP'))).toThrow('mspId "MofcomMSP" is used twice');
  });

  it('reports a missing or malformed file by path', () => {
    expect(() => loadTopology('/nonexistent/topology.json')).toThrow(TopologyError);
    const tmp = path.join(fs.mkdtempSync('/tmp/topo-'), 't.json');
    fs.writeFileSync(tmp, '{ not json');
    expect(() => loadTopology(tmp)).toThrow(`${tmp}: not valid JSON`);
  });
});
