/** The consistency command's report text and its usage errors. */
import { formatReport, main } from '../../../src/consistency';

describe('consistency command', () => {
  it('prints one line per difference and the verdict', () => {
    const text = formatReport(
      {
        checkedBlock: 41,
        ledgerHeight: 44,
        behindBlocks: 2,
        keys: 120,
        transactions: 37,
        differences: [
          {
            kind: 'missing',
            subject: 'kv',
            id: '\\u0000lot\\u0000X\\u0000',
            ledger: '12 bytes at block 9 tx 0 (t)',
          },
          { kind: 'stale', subject: 'lots', id: 'X', ledger: 'written by a', store: 'row from b' },
        ],
      },
      '/data/store.sqlite',
    );
    expect(text.split('\n')).toEqual([
      'store /data/store.sqlite',
      'ledger height 44; compared at block 41; 120 keys, 37 transactions',
      'the store is 2 block(s) behind the ledger (is its gateway running?)',
      'MISSING kv \\u0000lot\\u0000X\\u0000 (ledger: 12 bytes at block 9 tx 0 (t))',
      'STALE lots X (ledger: written by a; store: row from b)',
      '2 difference(s)',
    ]);
  });

  it('answers a usage error with exit code 2 and a missing configuration with 1', async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    try {
      expect(await main(['--colour'])).toBe(2);
      expect(await main([])).toBe(2);
      expect(await main(['--config', '/nonexistent/gateway.json', '--wait', '0'])).toBe(1);
      expect(errors.join('\n')).toMatch(/unknown option --colour[\s\S]*pass --config[\s\S]*file not found/);
    } finally {
      spy.mockRestore();
    }
  });
});
