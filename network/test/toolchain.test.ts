import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheProblem, checkGoVersion, FABRIC_COMMIT } from '../src/toolchain';

describe('the Fabric toolchain cache', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-cache-'));
  const stamp = (d: string, commit: string) =>
    fs.writeFileSync(path.join(d, 'stamp.json'), JSON.stringify({ commit, version: '3.1.5' }));
  const tools = (d: string, names: string[], sub = 'bin') => {
    fs.mkdirSync(path.join(d, sub), { recursive: true });
    for (const n of names) fs.writeFileSync(path.join(d, sub, n), '#!/bin/sh\n', { mode: 0o755 });
  };

  it('is rebuilt when never built', () => {
    expect(cacheProblem(dir())).toBe('not built yet');
  });

  it('is rebuilt when the pinned commit changes', () => {
    const d = dir();
    stamp(d, 'f871cf92a026aaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(cacheProblem(d)).toBe(`built from f871cf92a026, pinned is ${FABRIC_COMMIT.slice(0, 12)}`);
  });

  it('is rebuilt when a binary is missing, and names it', () => {
    const d = dir();
    stamp(d, FABRIC_COMMIT);
    tools(d, ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen']);
    tools(d, ['detect', 'build', 'release'], 'builders/ccaas/bin');
    expect(cacheProblem(d)).toBe('missing configtxlator');
  });

  it('is used as is when complete', () => {
    const d = dir();
    stamp(d, FABRIC_COMMIT);
    tools(d, ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen', 'configtxlator']);
    tools(d, ['detect', 'build', 'release'], 'builders/ccaas/bin');
    fs.mkdirSync(path.join(d, 'config'));
    fs.writeFileSync(path.join(d, 'config', 'core.yaml'), '');
    expect(cacheProblem(d)).toBeUndefined();
  });
});

describe('the Go version check', () => {
  it('accepts the version the pinned commit needs and newer', () => {
    expect(checkGoVersion('go version go1.26.4 linux/amd64')).toBe('1.26.4');
    expect(checkGoVersion('go version go1.27 linux/amd64')).toBe('1.27.0');
  });

  it('says what to install when Go is too old', () => {
    expect(() => checkGoVersion('go version go1.22.2 linux/amd64')).toThrow(
      'Go 1.22.2 is too old to build Fabric 3.1.5: install Go 1.26.4 or newer',
    );
  });
});
