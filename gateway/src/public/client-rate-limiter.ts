/**
 * A budget of requests per client in fixed windows, kept in this process's memory: a client's window opens at its
 * first request and lasts `windowMs`; within it `limit` requests are allowed and the rest refused until it ends.
 * Clients are held in two maps, this period's and the last one's, swapped once a window: a client not seen for two
 * periods is forgotten, and its window has ended by then, so memory holds only the clients of the last two windows
 * however many addresses have ever called. One Map lookup per request, no promise, no timer.
 */

/** What {@link ClientRateLimiter.take} decided for one request. */
export interface RateDecision {
  readonly allowed: boolean;
  /** Requests the client has left in its window. */
  readonly remaining: number;
  /** Whole seconds until the client's window ends (its budget is full again). */
  readonly resetSeconds: number;
}

/** One client's window: requests allowed in it so far, and when it ends (ms since the epoch). */
interface ClientWindow {
  hits: number;
  readonly endsAt: number;
}

/** Fixed-window rate limiting by client key (an address), with memory bounded by the clients of two windows. */
export class ClientRateLimiter {
  #current = new Map<string, ClientWindow>();
  #previous = new Map<string, ClientWindow>();
  /** When this period's map becomes the previous one. */
  #swapAt = -Infinity;

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request of `key` at `now` (ms since the epoch) if its budget allows it. */
  take(key: string, now: number): RateDecision {
    this.#roll(now);
    let window = this.#current.get(key);
    if (window === undefined) {
      window = this.#previous.get(key);
      if (window !== undefined) {
        this.#previous.delete(key);
        this.#current.set(key, window);
      }
    }
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + this.windowMs };
      this.#current.set(key, window);
    }
    const allowed = window.hits < this.limit;
    if (allowed) window.hits += 1;
    return {
      allowed,
      remaining: this.limit - window.hits,
      resetSeconds: Math.ceil((window.endsAt - now) / 1000),
    };
  }

  /** Clients held (those seen in the last two periods). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /**
   * Swaps the maps once a period. A window in the map being dropped opened before the last swap, so it ended at
   * most one window after it: no later than now. After two idle periods both maps hold only ended windows.
   */
  #roll(now: number): void {
    if (now < this.#swapAt) return;
    this.#previous = now < this.#swapAt + this.windowMs ? this.#current : new Map();
    this.#current = new Map();
    this.#swapAt = now + this.windowMs;
  }
}
