/**
 * The lookup's rate limiter: each client's budget in its own fixed window, full again when the window ends, and
 * memory that holds only the clients of the last two windows however many addresses have called.
 */
import { ClientRateLimiter } from '../../../src/public/client-rate-limiter';

const T0 = Date.parse('2026-05-01T08:00:00Z');

describe('ClientRateLimiter', () => {
  it('allows the limit in a window, refuses the rest, and says how long until the window ends', () => {
    const limiter = new ClientRateLimiter(3, 60_000);
    expect(limiter.take('a', T0)).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
    expect(limiter.take('a', T0 + 1_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 59 });
    expect(limiter.take('a', T0 + 1_500)).toEqual({ allowed: true, remaining: 0, resetSeconds: 59 });
    expect(limiter.take('a', T0 + 30_000)).toEqual({ allowed: false, remaining: 0, resetSeconds: 30 });
    expect(limiter.take('a', T0 + 59_999)).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
  });

  it('gives a full budget again when the window has ended, and opens the new window at that request', () => {
    const limiter = new ClientRateLimiter(2, 60_000);
    limiter.take('a', T0);
    limiter.take('a', T0);
    expect(limiter.take('a', T0 + 59_000).allowed).toBe(false);
    expect(limiter.take('a', T0 + 60_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(limiter.take('a', T0 + 90_000)).toEqual({ allowed: true, remaining: 0, resetSeconds: 30 });
    expect(limiter.take('a', T0 + 119_999).allowed).toBe(false);
    // Seen again only after two idle periods: forgotten, and new.
    expect(limiter.take('a', T0 + 500_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
  });

  it('keeps a window across the swap of its maps, so that no client gets a second budget early', () => {
    const limiter = new ClientRateLimiter(2, 60_000);
    limiter.take('other', T0); // the first period starts here
    limiter.take('a', T0 + 50_000);
    limiter.take('a', T0 + 55_000);
    // A request of another client swaps the maps; a's window (until T0 + 110 s) goes with it to the previous one.
    limiter.take('other', T0 + 61_000);
    expect(limiter.take('a', T0 + 62_000)).toEqual({ allowed: false, remaining: 0, resetSeconds: 48 });
    expect(limiter.take('a', T0 + 109_999).allowed).toBe(false);
    expect(limiter.take('a', T0 + 110_000).allowed).toBe(true);
  });

  it('counts each client on its own', () => {
    const limiter = new ClientRateLimiter(1, 60_000);
    expect(limiter.take('192.0.2.1', T0).allowed).toBe(true);
    expect(limiter.take('192.0.2.1', T0 + 1).allowed).toBe(false);
    expect(limiter.take('192.0.2.2', T0 + 2).allowed).toBe(true);
    expect(limiter.take('2001:db8::/56', T0 + 3).allowed).toBe(true);
    expect(limiter.take('192.0.2.2', T0 + 4).allowed).toBe(false);
  });

  it('holds only the clients of the last two windows', () => {
    const limiter = new ClientRateLimiter(5, 60_000);
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, T0 + i);
    expect(limiter.size).toBe(10_000);
    // One period later the 10,000 are the previous period's clients, each counted until its own window ends.
    limiter.take('192.0.2.1', T0 + 61_000);
    expect(limiter.size).toBe(10_001);
    expect(limiter.take('10.0.39.15', T0 + 61_000).remaining).toBe(3);
    // Two periods on, every window of theirs has ended and only the clients seen since are held.
    limiter.take('192.0.2.2', T0 + 122_000);
    expect(limiter.size).toBe(3);
    limiter.take('192.0.2.3', T0 + 10 * 60_000);
    expect(limiter.size).toBe(1);
  });
});
