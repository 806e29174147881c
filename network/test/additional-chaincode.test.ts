import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  additionalChaincodeFile,
  additionalChaincodeSpecs,
  additionalConnection,
  allAdditionalChaincodeSpecs,
  checkAdditionalChaincode,
  readAdditionalChaincodes,
  serverPort,
  type AdditionalChaincode,
  type AdditionalChaincodeRecord,
} from '../src/additional-chaincode';
import { allianceChaincode, CONNECTION_TEMPLATE, packageLabel } from '../src/lifecycle';
import { chaincodeProcess } from '../src/nodes';
import { DEFAULT_TOPOLOGY, REPO_ROOT, statePaths } from '../src/paths';
import { findPeerOrg, loadTopology } from '../src/topology';

const t = loadTopology(DEFAULT_TOPOLOGY);
const modulePath = path.join(REPO_ROOT, 'bench', 'baseline-chaincode');
const baseline: AdditionalChaincode = {
  name: 'baseline',
  version: '1.0',
  sequence: 1,
  modulePath,
  port: 9200,
};
const freshState = () => statePaths(fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-cc-')));

function record(packageIds: Record<string, string>): AdditionalChaincodeRecord {
  return { ...baseline, policy: allianceChaincode(t).policy, packageIds };
}

describe('an additional chaincode beside the alliance chaincode', () => {
  it('gives each organisation its own server port, named in its own package’s connection.json', () => {
    expect(t.peerOrgs.map((o) => serverPort(t, baseline, o))).toEqual([9200, 9201, 9202, 9203, 9204, 9205]);
    const coop = additionalConnection(t, baseline, findPeerOrg(t, 'coop'));
    expect(coop.address).toBe('127.0.0.1:9202');
    // TLS material stays a template that each peer's builder fills from its own organisation's files.
    expect(coop).toMatchObject({
      tls_required: true,
      client_auth_required: true,
      root_cert: '{{.root_cert}}',
      client_cert: '{{.client_cert}}',
      client_key: '{{.client_key}}',
    });
    expect(CONNECTION_TEMPLATE.address).toBe('{{.address}}');
  });

  it('is approved under the alliance’s endorsement policy unless told otherwise', () => {
    expect(allianceChaincode(t)).toEqual({
      name: 'agritrace',
      version: '1.0',
      sequence: 1,
      policy:
        "OutOf(2, 'MofcomMSP.peer', 'InspectionMSP.peer', 'CoopMSP.peer', 'ProcessorMSP.peer', 'LogisticsMSP.peer', 'RetailerMSP.peer')",
    });
    expect(packageLabel(baseline)).toBe('baseline_1.0');
  });

  it('refuses the alliance chaincode’s name, a relative module path and ports the topology uses', () => {
    expect(() => checkAdditionalChaincode(t, { ...baseline, name: 'agritrace' })).toThrow(
      'chaincode agritrace is the alliance chaincode',
    );
    expect(() =>
      checkAdditionalChaincode(t, { ...baseline, modulePath: 'bench/baseline-chaincode' }),
    ).toThrow('must be absolute');
    // 7146 + 5 (the sixth organisation) is the retailer's peer port.
    expect(() => checkAdditionalChaincode(t, { ...baseline, port: 7146 })).toThrow(
      'port 7151 for retailer is used by peer0.retailer',
    );
    expect(() => checkAdditionalChaincode(t, { ...baseline, port: 9100 })).toThrow(
      'port 9101 for inspection is used by ccaas.mofcom',
    );
    expect(() => checkAdditionalChaincode(t, baseline)).not.toThrow();
  });

  it('runs one server per organisation from its module, with that organisation’s package ID and TLS', () => {
    const s = statePaths('/tmp/agritrace-state');
    const ids = Object.fromEntries(t.peerOrgs.map((o) => [o.key, `baseline_1.0:${o.key}-hash`]));
    const specs = additionalChaincodeSpecs(t, s, record(ids));
    expect(specs.map((p) => p.name)).toEqual(t.peerOrgs.map((o) => `ccaas-baseline.${o.key}`));
    const coop = specs[2]!;
    expect(coop.kind).toBe('chaincode');
    expect(coop.cwd).toBe(modulePath);
    expect(coop.ports).toEqual([{ label: 'chaincode server', port: 9202 }]);
    const arg = (flag: string) => coop.args[coop.args.indexOf(flag) + 1];
    expect(arg('--chaincode-address')).toBe('127.0.0.1:9202');
    expect(arg('--chaincode-id')).toBe('baseline_1.0:coop-hash');
    expect(arg('--module-path')).toBe(modulePath);
    expect(arg('--chaincode-tls-cert-file')).toBe(
      '/tmp/agritrace-state/crypto/peerOrganizations/coop.alliance.local/peers/ccaas.coop.alliance.local/tls/server.crt',
    );
    expect(coop.env.CORE_PEER_LOCALMSPID).toBe('CoopMSP');
  });

  it('leaves the alliance chaincode’s own servers as they were', () => {
    const coop = findPeerOrg(t, 'coop');
    const spec = chaincodeProcess(t, statePaths('/tmp/agritrace-state'), coop, 'agritrace_1.0:abc');
    expect(spec.name).toBe('ccaas.coop');
    expect(spec.args[spec.args.indexOf('--chaincode-address') + 1]).toBe('127.0.0.1:9121');
    expect(spec.args[spec.args.indexOf('--module-path') + 1]).toBe(path.join(REPO_ROOT, 'chaincode'));
  });

  it('finds recorded deployments in the state folder so that down, status and up include their servers', () => {
    const s = freshState();
    expect(readAdditionalChaincodes(s)).toEqual([]);
    expect(allAdditionalChaincodeSpecs(t, s)).toEqual([]);
    fs.mkdirSync(s.chaincode, { recursive: true });
    fs.writeFileSync(additionalChaincodeFile(s), JSON.stringify([record({ coop: 'baseline_1.0:c' })]));
    expect(allAdditionalChaincodeSpecs(t, s).map((p) => p.name)).toEqual(['ccaas-baseline.coop']);
  });
});
