/**
 * Native processes of the network (orderers, peers, chaincode servers, gateways): started detached with one
 * log file each and a pid file, found again by later commands, stopped with SIGTERM then SIGKILL.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { UserError } from './log';
import type { StatePaths } from './paths';

/** Kinds of process, in start order. */
export type ProcessKind = 'orderer' | 'peer' | 'chaincode' | 'gateway';

/** Everything needed to start, find and check one process. */
export interface ProcessSpec {
  name: string;
  kind: ProcessKind;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ports it listens on; the first is the one users dial. */
  ports: { label: string; port: number }[];
  /** Resolves true once the process serves. */
  ready: () => Promise<boolean>;
}

/** The pid and log file paths of a process. */
export function processFiles(s: StatePaths, name: string) {
  return { pid: path.join(s.pids, `${name}.pid`), log: path.join(s.logs, `${name}.log`) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a running process of ours with this name, or undefined. */
export function runningPid(
  s: StatePaths,
  spec: Pick<ProcessSpec, 'name' | 'command' | 'args'>,
): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(processFiles(s, spec.name).pid, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  // Guard against pid reuse: the process must still be the command we started.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const last = spec.args[spec.args.length - 1];
    if (!cmdline.includes(path.basename(spec.command)) || (last && !cmdline.includes(last))) return undefined;
  } catch {
    // No /proc (not Linux): trust the pid file.
  }
  return pid;
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** GETs a URL; resolves the status code and body, or undefined when nothing answers. */
export function httpGet(
  url: string,
  timeoutMs = 2000,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Readiness check for Fabric nodes: their operations /healthz answers 200. */
export function healthzReady(port: number, host = '127.0.0.1'): () => Promise<boolean> {
  return async () => (await httpGet(`http://${host}:${port}/healthz`))?.status === 200;
}

/** The last lines of a process's log, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a process unless it already runs; waits until it is ready. Returns false if it was already up. */
export async function startProcess(s: StatePaths, spec: ProcessSpec, timeoutMs = 60000): Promise<boolean> {
  if (runningPid(s, spec)) return false;
  for (const p of spec.ports) {
    if (await portOpen(p.port)) {
      throw new UserError(
        `port ${p.port} (${spec.name} ${p.label}) is in use by another program: stop that program ` +
          `(\`ss -ltnp 'sport = :${p.port}'\` shows it) or change the port in network/topology.json`,
      );
    }
  }
  const files = processFiles(s, spec.name);
  fs.mkdirSync(s.logs, { recursive: true });
  fs.mkdirSync(s.pids, { recursive: true });
  const log = fs.openSync(files.log, 'a');
  fs.writeSync(
    log,
    `\n===== ${new Date().toISOString()} starting ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`,
  );
  const child = spawn(spec.command, spec.args, {
    env: spec.env,
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code ?? -1));
  child.once('error', () => (exited = -1));
  if (!child.pid) throw new UserError(`could not start ${spec.name}: ${spec.command} did not run`);
  fs.writeFileSync(files.pid, String(child.pid));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      fs.rmSync(files.pid, { force: true });
      throw new UserError(
        `${spec.name} exited during start-up (code ${exited}); ${files.log} ends with:\n${logTail(files.log)}`,
      );
    }
    if (await spec.ready()) return true;
    await sleep(300);
  }
  throw new UserError(
    `${spec.name} did not become ready within ${timeoutMs / 1000}s; see ${files.log}, which ends with:\n${logTail(files.log)}`,
  );
}

/** Stops a process (SIGTERM, then SIGKILL after a grace period). Returns false if it was not running. */
export async function stopProcess(
  s: StatePaths,
  spec: Pick<ProcessSpec, 'name' | 'command' | 'args'>,
  graceMs = 10000,
): Promise<boolean> {
  const pid = runningPid(s, spec);
  const files = processFiles(s, spec.name);
  if (!pid) {
    fs.rmSync(files.pid, { force: true });
    return false;
  }
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the whole process group: npm/node wrappers and their children
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) signal('SIGKILL');
  while (alive(pid)) await sleep(50);
  fs.rmSync(files.pid, { force: true });
  return true;
}
