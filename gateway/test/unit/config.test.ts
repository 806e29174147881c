import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ConfigError, loadConfig } from '../../src/config';
import { CRYPTO_DIR, rawConfig } from './support/fixtures';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agritrace-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a configuration (after `change` edits the valid one) and returns its path. */
function writeConfig(change: (config: Record<string, any>) => void = () => undefined): string {
  const config = rawConfig() as Record<string, any>;
  change(config);
  const file = path.join(dir, 'coop.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** The problems loadConfig reports for a file. */
function problemsOf(file: string): readonly string[] {
  try {
    loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts the generated shape and resolves every path', () => {
    const config = loadConfig(writeConfig());
    expect(config).toMatchObject({
      org: 'coop',
      mspId: 'CoopMSP',
      role: 'producer',
      listen: { host: '127.0.0.1', port: 3003 },
      channel: 'traceability',
      chaincode: 'agritrace',
      peer: { endpoint: '127.0.0.1:7121', hostAlias: 'peer0.coop.alliance.local' },
      identity: { mspId: 'CoopMSP' },
      source: path.join(dir, 'coop.json'),
    });
    expect(config.apiKeys).toHaveLength(2);
    expect(config.peers.map((peer) => peer.org)).toEqual(['mofcom', 'coop']);
  });

  it('resolves relative paths against the directory of the file', () => {
    const file = writeConfig((c) => {
      c.peer.tlsRootCertPath = path.relative(dir, path.join(CRYPTO_DIR, 'tlsca.pem'));
      c.dataDir = 'state';
    });
    const config = loadConfig(file);
    expect(config.peer.tlsRootCertPath).toBe(path.join(CRYPTO_DIR, 'tlsca.pem'));
    expect(config.dataDir).toBe(path.join(dir, 'state'));
  });

  it('says the file was not found', () => {
    const problems = problemsOf(path.join(dir, 'nowhere.json'));
    expect(problems).toEqual([expect.stringMatching(/^file not found .*network:up/)]);
  });

  it('says the file is not JSON', () => {
    const file = path.join(dir, 'coop.json');
    writeFileSync(file, '{ "org": "coop", ');
    expect(problemsOf(file)).toEqual([expect.stringMatching(/^not valid JSON: /)]);
  });

  it('refuses a top level that is not an object', () => {
    const file = path.join(dir, 'coop.json');
    writeFileSync(file, '[]');
    expect(problemsOf(file)).toEqual(['(top level): must be an object']);
  });

  it.each([
    [70000, 'listen.port: 70000 is out of range (an integer from 1 to 65535)'],
    [0, 'listen.port: 0 is out of range (an integer from 1 to 65535)'],
    ['3003', 'listen.port: "3003" is out of range (an integer from 1 to 65535)'],
    [30.5, 'listen.port: 30.5 is out of range (an integer from 1 to 65535)'],
  ])('refuses listen.port %p', (port, message) => {
    expect(problemsOf(writeConfig((c) => (c.listen.port = port)))).toEqual([message]);
  });

  it('names a missing value', () => {
    expect(problemsOf(writeConfig((c) => delete c.channel))).toEqual(['channel: missing']);
    expect(problemsOf(writeConfig((c) => delete c.listen))).toEqual(['listen: missing']);
  });

  it('refuses a peer endpoint that is not host:port', () => {
    expect(problemsOf(writeConfig((c) => (c.peer.endpoint = 'peer0:port')))).toEqual([
      'peer.endpoint: "peer0:port" is not host:port',
    ]);
    expect(problemsOf(writeConfig((c) => (c.peer.endpoint = '127.0.0.1:99999')))).toEqual([
      'peer.endpoint: port 99999 is out of range (1 to 65535)',
    ]);
  });

  it('says which certificate file is missing', () => {
    const missing = path.join(dir, 'missing-cert.pem');
    expect(problemsOf(writeConfig((c) => (c.identity.certPath = missing)))).toEqual([
      `identity.certPath: ${missing}: file not found`,
    ]);
  });

  it('says when a certificate path is a directory', () => {
    expect(problemsOf(writeConfig((c) => (c.peer.tlsRootCertPath = dir)))).toEqual([
      `peer.tlsRootCertPath: ${dir}: is a directory, not a file`,
    ]);
  });

  it('refuses a certificate file that holds no certificate', () => {
    const key = path.join(CRYPTO_DIR, 'priv_sk');
    expect(problemsOf(writeConfig((c) => (c.peer.tlsRootCertPath = key)))).toEqual([
      `peer.tlsRootCertPath: ${key} is not a PEM certificate`,
    ]);
  });

  it('refuses a key file that is not a PEM private key', () => {
    const cert = path.join(CRYPTO_DIR, 'tlsca.pem');
    expect(problemsOf(writeConfig((c) => (c.identity.keyPath = cert)))).toEqual([
      `identity.keyPath: ${cert} is not a PEM private key`,
    ]);
  });

  it('refuses a corrupt private key', () => {
    const file = path.join(dir, 'corrupt_sk');
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n');
    expect(problemsOf(writeConfig((c) => (c.identity.keyPath = file)))).toEqual([
      expect.stringMatching(/^identity\.keyPath: .*corrupt_sk is not a usable PEM private key/),
    ]);
  });

  it('refuses a private key that does not belong to the certificate', () => {
    const other = path.join(CRYPTO_DIR, 'other-key.pem');
    expect(problemsOf(writeConfig((c) => (c.identity.keyPath = other)))).toEqual([
      `identity.keyPath: ${other} is not the private key of identity.certPath's certificate`,
    ]);
  });

  it('refuses an identity of another organisation', () => {
    expect(problemsOf(writeConfig((c) => (c.identity.mspId = 'MofcomMSP')))).toEqual([
      'identity.mspId: "MofcomMSP" differs from mspId "CoopMSP"',
    ]);
  });

  it('refuses an unknown role', () => {
    expect(problemsOf(writeConfig((c) => (c.role = 'farmer')))).toEqual([
      'role: "farmer" is not one of regulator, inspector, producer, processor, logistics, retailer',
    ]);
  });

  it('refuses API keys that are not SHA-256 hashes, and an empty list', () => {
    expect(problemsOf(writeConfig((c) => (c.apiKeys[0].sha256 = 'secret')))).toEqual([
      'apiKeys[0].sha256: must be the 64-character hex SHA-256 of the token',
    ]);
    expect(problemsOf(writeConfig((c) => (c.apiKeys = [])))).toEqual([
      'apiKeys: empty (no caller could write through this gateway)',
    ]);
    expect(problemsOf(writeConfig((c) => (c.apiKeys[1].id = c.apiKeys[0].id)))).toEqual([
      'apiKeys[1].id: "coop-operator" is listed twice',
    ]);
  });

  it('refuses a peer whose operations URL is not http(s)', () => {
    expect(problemsOf(writeConfig((c) => (c.peers[1].operationsUrl = 'ftp://127.0.0.1:7123')))).toEqual([
      'peers[1].operationsUrl: "ftp://127.0.0.1:7123" is not an http(s) URL',
    ]);
  });

  it('reports every problem of a file at once, in the order of the file', () => {
    const problems = problemsOf(
      writeConfig((c) => {
        c.org = 'Coop Cooperative';
        c.listen.port = -1;
        c.chaincode = '';
        delete c.dataDir;
      }),
    );
    expect(problems).toEqual([
      'org: "Coop Cooperative" is not lower-case letters, digits and dashes',
      'listen.port: -1 is out of range (an integer from 1 to 65535)',
      'chaincode: missing',
      'dataDir: missing',
    ]);
  });

  it('puts the file and every problem in the error message', () => {
    const file = writeConfig((c) => (c.listen.port = 0));
    expect(() => loadConfig(file)).toThrow(
      `invalid gateway configuration ${file}:\n  - listen.port: 0 is out of range`,
    );
  });
});
