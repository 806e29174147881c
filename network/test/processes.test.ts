import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { statePaths } from '../src/paths';
import {
  portOpen,
  processFiles,
  runningPid,
  startProcess,
  stopProcess,
  type ProcessSpec,
} from '../src/processes';

const state = () => statePaths(fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-proc-')));

function sleeper(name: string, port: number, script = 'setInterval(() => {}, 1000)'): ProcessSpec {
  return {
    name,
    kind: 'gateway',
    command: process.execPath,
    args: ['-e', script, name],
    env: process.env,
    ports: [{ label: 'http', port }],
    ready: async () => true,
  };
}

describe('native process management', () => {
  it('starts a process detached with a pid file and a log, finds it again, and stops it', async () => {
    const s = state();
    const spec = sleeper('sleeper-a', 47321);
    expect(await startProcess(s, spec)).toBe(true);
    const pid = runningPid(s, spec);
    expect(pid).toBeGreaterThan(0);
    expect(fs.readFileSync(processFiles(s, 'sleeper-a').log, 'utf8')).toContain('starting sleeper-a');
    expect(await startProcess(s, spec)).toBe(false); // already running: idempotent
    expect(await stopProcess(s, spec)).toBe(true);
    expect(runningPid(s, spec)).toBeUndefined();
    expect(await stopProcess(s, spec)).toBe(false);
  });

  it('refuses to start on a port another program holds, naming the port and what to do', async () => {
    const server = net.createServer().listen(47322, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await expect(startProcess(state(), sleeper('sleeper-b', 47322))).rejects.toThrow(
        'port 47322 (sleeper-b http) is in use by another program',
      );
    } finally {
      server.close();
    }
  });

  it('reports a process that dies during start-up with the end of its log', async () => {
    const s = state();
    const spec = {
      ...sleeper('crasher', 47323, "console.error('cannot open ledger'); process.exit(3)"),
      ready: async () => false,
    };
    await expect(startProcess(s, spec, 5000)).rejects.toThrow(
      /crasher exited during start-up \(code 3\)[\s\S]*cannot open ledger/,
    );
    expect(await portOpen(47323)).toBe(false);
  });
});
