/** The `users` command: passwords never from the command line, roles fitting the organisation, the accounts made. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { main, parseArgs, UsageError } from '../../../src/users/cli';
import { verifyPassword } from '../../../src/users/password';
import { USERS_DB_FILE, UserStore } from '../../../src/users/user-store';
import { rawConfig } from '../support/fixtures';

/** A gateway configuration in a temporary folder (its data folder beside it), and a password file. */
function workspace(overrides: Record<string, unknown> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'users-cli-'));
  const config = path.join(dir, 'coop.json');
  writeFileSync(config, JSON.stringify({ ...rawConfig(), dataDir: path.join(dir, 'data'), ...overrides }));
  const passwordFile = path.join(dir, 'pw');
  writeFileSync(passwordFile, 'a good long password\n');
  return { dir, config, passwordFile, db: path.join(dir, 'data', USERS_DB_FILE) };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) =>
    ({ write: (text: string) => sink.push(text) }) as unknown as NodeJS.WriteStream;
  return {
    io: { stdin: process.stdin, stdout: stream(out), stderr: stream(err) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('users command line', () => {
  it('refuses a password on the command line', () => {
    expect(() =>
      parseArgs([
        'create',
        '--org',
        'mofcom',
        '--username',
        'wang',
        '--role',
        'regulator',
        '--password',
        'x',
      ]),
    ).toThrow(/--password is not accepted/);
  });

  it('needs an organisation, a valid user name and a known role', () => {
    expect(() => parseArgs(['list'])).toThrow(UsageError);
    expect(() => parseArgs(['create', '--org', 'coop', '--username', 'A B', '--role', 'operator'])).toThrow(
      /--username/,
    );
    expect(() => parseArgs(['create', '--org', 'coop', '--username', 'li', '--role', 'admin'])).toThrow(
      /--role/,
    );
    expect(parseArgs(['create', '--org', 'coop', '--username', 'Li', '--role', 'operator'])).toMatchObject({
      command: 'create',
      username: 'li',
    });
  });

  it('creates an account with a scrypt hash of the password read from a file, and lists it', async () => {
    const ws = workspace();
    const run = io();
    const code = await main(
      [
        'create',
        '--config',
        ws.config,
        '--username',
        'li',
        '--role',
        'operator',
        '--password-file',
        ws.passwordFile,
      ],
      run.io,
    );
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    const store = UserStore.open(ws.db);
    const found = store.findUser('li');
    store.close();
    expect(found?.account).toMatchObject({ username: 'li', role: 'operator', org: 'coop', disabled: false });
    await expect(verifyPassword('a good long password', found?.passwordHash ?? '')).resolves.toBe(true);
    const list = io();
    expect(await main(['list', '--config', ws.config], list.io)).toBe(0);
    expect(list.out()).toMatch(/^li\s+operator\s+enabled/m);
  });

  it('refuses a regulator user in a producer organisation, and a duplicate user', async () => {
    const ws = workspace();
    const regulator = io();
    const args = ['--config', ws.config, '--password-file', ws.passwordFile];
    expect(await main(['create', ...args, '--username', 'wang', '--role', 'regulator'], regulator.io)).toBe(
      1,
    );
    expect(regulator.err()).toMatch(/a producer organisation cannot have regulator users/);
    expect(await main(['create', ...args, '--username', 'li', '--role', 'operator'], io().io)).toBe(0);
    const again = io();
    expect(await main(['create', ...args, '--username', 'li', '--role', 'operator'], again.io)).toBe(1);
    expect(again.err()).toMatch(/already exists/);
  });

  it('refuses a short password', async () => {
    const ws = workspace();
    writeFileSync(ws.passwordFile, 'short\n');
    const run = io();
    expect(
      await main(
        [
          'create',
          '--config',
          ws.config,
          '--username',
          'li',
          '--role',
          'operator',
          '--password-file',
          ws.passwordFile,
        ],
        run.io,
      ),
    ).toBe(1);
    expect(run.err()).toMatch(/at least 10 characters/);
  });

  it('disables and enables an account', async () => {
    const ws = workspace();
    const args = ['--config', ws.config, '--username', 'li'];
    await main(['create', ...args, '--role', 'call_centre', '--password-file', ws.passwordFile], io().io);
    expect(await main(['disable', ...args], io().io)).toBe(0);
    let store = UserStore.open(ws.db);
    expect(store.findUser('li')?.account.disabled).toBe(true);
    store.close();
    expect(await main(['enable', ...args], io().io)).toBe(0);
    store = UserStore.open(ws.db);
    expect(store.findUser('li')?.account.disabled).toBe(false);
    store.close();
  });
});
