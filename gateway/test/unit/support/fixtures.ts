/** Test data shared by the unit tests: a configuration, a credential, valid member particulars. */
import * as path from 'path';
import { hashToken } from '../../../src/auth';
import type { GatewayConfig } from '../../../src/config';

/** Directory of the test certificates and keys (self-signed, test only). */
export const CRYPTO_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'crypto');

/** The bearer token the test configuration accepts. */
export const TOKEN = 'test-token-0123456789abcdef';

/** A second accepted token, under another key ID. */
export const OTHER_TOKEN = 'second-token-fedcba9876543210';

/** A valid configuration for the cooperative, pointing at the test certificates. */
export function testConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    org: 'coop',
    mspId: 'CoopMSP',
    displayName: 'Green Valley Farm Cooperative',
    role: 'producer',
    listen: { host: '127.0.0.1', port: 3003 },
    channel: 'traceability',
    chaincode: 'agritrace',
    peer: {
      endpoint: '127.0.0.1:7121',
      hostAlias: 'peer0.coop.alliance.local',
      tlsRootCertPath: path.join(CRYPTO_DIR, 'tlsca.pem'),
    },
    identity: {
      mspId: 'CoopMSP',
      certPath: path.join(CRYPTO_DIR, 'User1@coop.alliance.local-cert.pem'),
      keyPath: path.join(CRYPTO_DIR, 'priv_sk'),
    },
    apiKeys: [
      { id: 'coop-operator', sha256: hashToken(TOKEN) },
      { id: 'coop-second', sha256: hashToken(OTHER_TOKEN) },
    ],
    peers: [
      {
        org: 'mofcom',
        mspId: 'MofcomMSP',
        endpoint: '127.0.0.1:7101',
        operationsUrl: 'http://127.0.0.1:7103',
      },
      { org: 'coop', mspId: 'CoopMSP', endpoint: '127.0.0.1:7121', operationsUrl: 'http://127.0.0.1:7123' },
    ],
    dataDir: '/tmp/agritrace-gateway-test',
    source: '/tmp/agritrace-gateway-test/coop.json',
    ...overrides,
  };
}

/** The configuration as the network tooling writes it (JSON, before validation). */
export function rawConfig(): Record<string, unknown> {
  const { source: _source, ...config } = testConfig();
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

/** Particulars of a producer that pass every rule. */
export function producerParticulars(): Record<string, unknown> {
  return {
    name: 'Green Valley Farm Cooperative',
    role: 'producer',
    businessLicence: '91330183MA27XY8K1F',
    foodProductionLicence: 'SC10633018300012',
    region: '330183',
    contact: { person: 'Li Wei', phone: '+86 571 8888 0000', email: 'ops@greenvalley.example' },
  };
}

/** Particulars of a regulator (no food production licence needed). */
export function regulatorParticulars(): Record<string, unknown> {
  return {
    name: 'Ministry of Commerce',
    role: 'regulator',
    businessLicence: '11110000MB01234562',
    region: '110000',
  };
}
