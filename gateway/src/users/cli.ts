/**
 * `node gateway/dist/users/cli.js <command>`: the user accounts of one organisation's gateway (users.db in its data
 * folder). The first regulator account is made with it (`npm run users:create -- --org mofcom --username wang
 * --role regulator`). Passwords are read from standard input or a file, never from the command line, where other
 * users of the machine could see them.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { ConfigError, configPathForOrg, loadConfig, ORG_KEY_PATTERN } from '../config';
import type { GatewayConfig } from '../config';
import { hashPassword, passwordProblem } from './password';
import { isUserRole, USER_ROLES, userRoleProblem } from './roles';
import { USERNAME_PATTERN, USERS_DB_FILE, UserStore } from './user-store';

/** Help text. */
export const USAGE = `Usage: node gateway/dist/users/cli.js <command> (--org <orgKey> | --config <path>) [options]

Manages the user accounts of one organisation's gateway (kept in users.db in the gateway's data folder).

Commands:
  create --username <name> --role <${USER_ROLES.join('|')}> [--display-name <text>] [--password-file <file>]
  list
  disable --username <name>         ends the user's sessions and refuses new logins
  enable --username <name>
  set-password --username <name> [--password-file <file>]   ends the user's sessions

The password is read from --password-file, or else from standard input (the first line; typed without echo
when standard input is a terminal). It is never taken from the command line.

  --org <orgKey>     the generated configuration network/state/gateway/<orgKey>.json ($AGRITRACE_STATE_DIR)
  --config <path>    any gateway configuration file

Example: printf '%s\\n' "$PASSWORD" | npm run users:create -- --org mofcom --username wang --role regulator`;

/** A command line that cannot be understood. */
export class UsageError extends Error {}

interface Options {
  command: string;
  org?: string;
  config?: string;
  username?: string;
  role?: string;
  displayName?: string;
  passwordFile?: string;
}

const VALUE_OPTIONS: Readonly<Record<string, keyof Options>> = {
  '--org': 'org',
  '--config': 'config',
  '--username': 'username',
  '--role': 'role',
  '--display-name': 'displayName',
  '--password-file': 'passwordFile',
};

/** Parses the arguments (without node and the script). */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return 'help';
  const options: Options = { command };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--password') {
      throw new UsageError(
        '--password is not accepted (it would show in the process list); use stdin or --password-file',
      );
    }
    const key = VALUE_OPTIONS[arg];
    if (!key) throw new UsageError(`unknown option ${arg}`);
    const value = rest[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    options[key] = value;
  }
  if (!['create', 'list', 'disable', 'enable', 'set-password'].includes(command)) {
    throw new UsageError(`unknown command ${command}`);
  }
  if (!options.org && !options.config) throw new UsageError('pass --org <orgKey> or --config <path>');
  if (options.org && !ORG_KEY_PATTERN.test(options.org))
    throw new UsageError(`--org ${options.org}: not an organisation key`);
  if (command !== 'list') {
    if (!options.username) throw new UsageError(`${command} needs --username`);
    options.username = options.username.toLowerCase();
    if (!USERNAME_PATTERN.test(options.username)) {
      throw new UsageError(`--username: 2-64 lower-case letters, digits, dots, dashes or underscores`);
    }
  }
  if (command === 'create') {
    if (!options.role) throw new UsageError(`create needs --role (${USER_ROLES.join(', ')})`);
    if (!isUserRole(options.role)) throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`);
  }
  return options;
}

/** Runs a command; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process,
): Promise<number> {
  let options: Options;
  let config: GatewayConfig;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
    config = loadConfig(options.config ?? configPathForOrg(options.org ?? ''));
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`agritrace users: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`agritrace users: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const store = UserStore.open(path.join(config.dataDir, USERS_DB_FILE));
  try {
    return await run(options, config, store, io);
  } catch (err) {
    io.stderr.write(`agritrace users: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    store.close();
  }
}

async function run(
  options: Options,
  config: GatewayConfig,
  store: UserStore,
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
): Promise<number> {
  const username = options.username ?? '';
  switch (options.command) {
    case 'create': {
      const role = options.role;
      if (!isUserRole(role)) return 2;
      const problem = userRoleProblem(role, config.role);
      if (problem) throw new Error(`${config.org}: ${problem}`);
      if (store.findUser(username)) throw new Error(`user ${username} already exists in ${config.org}`);
      const password = await readPassword(options, io);
      const hash = await hashPassword(password);
      const created = store.createUser(
        { username, org: config.org, role, displayName: options.displayName ?? username },
        hash,
      );
      if (!created) throw new Error(`user ${username} already exists in ${config.org}`);
      io.stdout.write(
        `created ${role} user ${username} of ${config.org} (${config.mspId}) in ${store.file}\n`,
      );
      return 0;
    }
    case 'list': {
      const users = store.listUsers();
      if (users.length === 0) io.stdout.write(`no users in ${config.org} (${store.file})\n`);
      for (const user of users) {
        const sessions = store.countSessions(user.username, Date.now());
        io.stdout.write(
          `${user.username.padEnd(24)} ${user.role.padEnd(12)} ${user.disabled ? 'disabled' : 'enabled '} ` +
            `sessions ${sessions}  last login ${user.lastLoginAt ?? 'never'}  ${user.displayName}\n`,
        );
      }
      return 0;
    }
    case 'disable':
    case 'enable': {
      if (!store.setDisabled(username, options.command === 'disable'))
        throw new Error(`no user ${username} in ${config.org}`);
      io.stdout.write(`${options.command}d user ${username} of ${config.org}\n`);
      return 0;
    }
    case 'set-password': {
      if (!store.findUser(username)) throw new Error(`no user ${username} in ${config.org}`);
      const hash = await hashPassword(await readPassword(options, io));
      store.setPasswordHash(username, hash);
      io.stdout.write(`password of ${username} changed; its sessions are ended\n`);
      return 0;
    }
    default:
      return 2;
  }
}

/** The new password, from --password-file or standard input, checked for length. */
async function readPassword(
  options: Options,
  io: { stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream },
): Promise<string> {
  const raw = options.passwordFile
    ? readFileSync(options.passwordFile, 'utf8')
    : io.stdin.isTTY
      ? await promptHidden(io.stdin, io.stderr, 'Password: ')
      : await readAll(io.stdin);
  const password = (raw.split(/\r?\n/)[0] ?? '').replace(/\r$/, '');
  const problem = passwordProblem(password);
  if (problem) throw new Error(`the password ${problem}`);
  return password;
}

function readAll(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** Reads one line from a terminal without echoing it. */
function promptHidden(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let text = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('agritrace users: failed:', err);
      process.exitCode = 1;
    },
  );
}
