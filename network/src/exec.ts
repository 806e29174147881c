/** Running the Fabric command-line tools with their output captured. */
import { spawn } from 'node:child_process';
import { UserError } from './log';

/** What a finished command printed. */
export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each line the command writes to stderr (progress). */
  onStderrLine?: (line: string) => void;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
}

/** Runs a command to completion; rejects with a UserError that quotes its output when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      if (options.onStderrLine) {
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach((l) => options.onStderrLine?.(l));
      }
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (err.code === 'ENOENT') reject(new UserError(`command not found: ${command}`));
      else reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const tail = (stderr || stdout).trim().split('\n').slice(-25).join('\n');
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new UserError(`${command} ${args.join(' ')} ${how}:\n${tail}`));
    });
  });
}
