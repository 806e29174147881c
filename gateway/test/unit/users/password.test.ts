import { hashPassword, passwordProblem, SCRYPT_PARAMS, verifyPassword } from '../../../src/users/password';

describe('password hashing (scrypt)', () => {
  it('stores the cost parameters, a per-user salt and the key, never the password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('gives two hashes of the same password different salts', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 1'), hashPassword('same password 1')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('s3cret-passphrase');
    await expect(verifyPassword('s3cret-passphrase', hash)).resolves.toBe(true);
    await expect(verifyPassword('s3cret-passphrasE', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('verifies hashes made with other cost parameters (they are read from the hash)', async () => {
    const cheap = await hashPassword('older account pw', { N: 2 ** 10, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    await expect(verifyPassword('older account pw', cheap)).resolves.toBe(true);
  });

  it('answers false, not an exception, for a malformed stored hash', async () => {
    await expect(verifyPassword('x', 'plaintext')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$16$8$1$$')).resolves.toBe(false);
  });

  it('refuses passwords that are too short or too long', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('x'.repeat(300))).toMatch(/at most/);
    expect(passwordProblem('long enough passphrase')).toBeUndefined();
  });
});
