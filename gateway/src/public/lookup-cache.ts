/**
 * Rendered public lookups, kept per lot with the store checkpoint they were read at: a consumer scan of a lot that
 * no block has changed since is answered with the bytes already serialized (or a 304), without reading the store
 * again. Every new block moves the checkpoint, so an entry from an older one is never served.
 */

/** One lot's rendered answer (or the fact that the store has no such lot) at a checkpoint. */
export interface LookupEntry {
  /** The store checkpoint the answer was read at (null before the first block). */
  readonly checkpoint: number | null;
  /** The answer, or undefined when the store had no such lot at that checkpoint. */
  readonly answer?: {
    readonly etag: string;
    readonly link: string;
    /** `{"data": view}` as UTF-8 JSON. */
    readonly body: Buffer;
  };
}

/** A bounded map of rendered answers by lot ID, least recently used out first. */
export class LookupCache {
  readonly #entries = new Map<string, LookupEntry>();

  constructor(readonly capacity = 20_000) {}

  /** The entry of a lot if it was read at `checkpoint`; an entry of another checkpoint is dropped. */
  get(lotId: string, checkpoint: number | null): LookupEntry | undefined {
    const entry = this.#entries.get(lotId);
    if (!entry) return undefined;
    this.#entries.delete(lotId);
    if (entry.checkpoint !== checkpoint) return undefined;
    this.#entries.set(lotId, entry);
    return entry;
  }

  /** Keeps an entry, unless one read at a later checkpoint is already there. */
  set(lotId: string, entry: LookupEntry): void {
    const held = this.#entries.get(lotId);
    if (held && (held.checkpoint ?? -1) > (entry.checkpoint ?? -1)) return;
    this.#entries.delete(lotId);
    this.#entries.set(lotId, entry);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Number of lots held. */
  get size(): number {
    return this.#entries.size;
  }
}
