import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseCommandLine, UsageError } from '../../src/cli';

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'agritrace-cli-'));
  const dir = path.join(repo, 'network', 'state', 'gateway');
  mkdirSync(dir, { recursive: true });
  for (const org of ['coop', 'mofcom', 'credentials']) writeFileSync(path.join(dir, `${org}.json`), '{}');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('parseCommandLine', () => {
  it('resolves --org to the generated configuration of that organisation', () => {
    expect(parseCommandLine(['--org', 'coop'], {}, repo)).toEqual({
      kind: 'run',
      configPath: path.join(repo, 'network', 'state', 'gateway', 'coop.json'),
    });
    expect(parseCommandLine(['--org=mofcom'], {}, repo)).toEqual({
      kind: 'run',
      configPath: path.join(repo, 'network', 'state', 'gateway', 'mofcom.json'),
    });
  });

  it('looks in $AGRITRACE_STATE_DIR/gateway when the network state lives elsewhere', () => {
    const state = path.join(repo, 'state-test');
    mkdirSync(path.join(state, 'gateway'), { recursive: true });
    writeFileSync(path.join(state, 'gateway', 'coop.json'), '{}');
    expect(parseCommandLine(['--org', 'coop'], { AGRITRACE_STATE_DIR: state }, repo)).toEqual({
      kind: 'run',
      configPath: path.join(state, 'gateway', 'coop.json'),
    });
    expect(() => parseCommandLine(['--org', 'mofcom'], { AGRITRACE_STATE_DIR: state }, repo)).toThrow(
      '--org mofcom: no such organisation; the network has coop',
    );
  });

  it('prefers --config, then --org, then the environment', () => {
    const env = { AGRITRACE_GATEWAY_CONFIG: '/etc/agritrace/env.json' };
    expect(parseCommandLine(['--org', 'coop', '--config', '/x.json'], env, repo)).toEqual({
      kind: 'run',
      configPath: '/x.json',
    });
    expect(parseCommandLine([], env, repo)).toEqual({ kind: 'run', configPath: '/etc/agritrace/env.json' });
  });

  it('answers help', () => {
    expect(parseCommandLine(['--help'], {}, repo)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--org', 'coop', '-h'], {}, repo)).toEqual({ kind: 'help' });
  });

  it('names the organisations the network has when --org is unknown', () => {
    expect(() => parseCommandLine(['--org', 'bakery'], {}, repo)).toThrow(
      new UsageError('--org bakery: no such organisation; the network has coop, mofcom'),
    );
  });

  it('refuses an organisation key that could escape the configuration directory', () => {
    expect(() => parseCommandLine(['--org', '../coop'], {}, repo)).toThrow(UsageError);
  });

  it('says what to do when no configuration is given', () => {
    expect(() => parseCommandLine([], {}, repo)).toThrow(/pass --org <orgKey> or --config <path>/);
  });

  it('refuses unknown options and missing values', () => {
    expect(() => parseCommandLine(['--port', '3000'], {}, repo)).toThrow('unknown option --port');
    expect(() => parseCommandLine(['--config'], {}, repo)).toThrow('--config needs a value');
    expect(() => parseCommandLine(['--org', '--config', 'x'], {}, repo)).toThrow('--org needs a value');
  });
});
