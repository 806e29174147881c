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

/** A lot's rendered answer. */
export type RenderedAnswer = NonNullable<LookupEntry['answer']>;

/** A bounded map of rendered answers by lot ID (at most `capacity` lots and `maxBytes` of answers), LRU out first. */
export class LookupCache {
  readonly #entries = new Map<string, LookupEntry>();
  #bytes = 0;

  constructor(
    readonly capacity = 20_000,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** The entry of a lot if it was read at `checkpoint`; an entry of another checkpoint is dropped. */
  get(lotId: string, checkpoint: number | null): LookupEntry | undefined {
    const entry = this.#entries.get(lotId);
    if (!entry) return undefined;
    if (entry.checkpoint !== checkpoint) {
      this.#remove(lotId);
      return undefined;
    }
    this.#entries.delete(lotId);
    this.#entries.set(lotId, entry);
    return entry;
  }

  /** Keeps an entry, unless one read at a later checkpoint is already there. */
  set(lotId: string, entry: LookupEntry): void {
    const held = this.#entries.get(lotId);
    if (held && (held.checkpoint ?? -1) > (entry.checkpoint ?? -1)) return;
    this.#remove(lotId);
    this.#entries.set(lotId, entry);
    this.#bytes += sizeOf(entry);
    while (this.#entries.size > this.capacity || (this.#bytes > this.maxBytes && this.#entries.size > 1)) {
      this.#remove(this.#entries.keys().next().value!);
    }
  }

  /** Bytes of the answers held. */
  get bytes(): number {
    return this.#bytes;
  }

  #remove(lotId: string): void {
    const entry = this.#entries.get(lotId);
    if (!entry) return;
    this.#entries.delete(lotId);
    this.#bytes -= sizeOf(entry);
  }

  /** Number of lots held. */
  get size(): number {
    return this.#entries.size;
  }
}

function sizeOf(entry: LookupEntry): number {
  return entry.answer ? entry.answer.body.length + entry.answer.link.length + entry.answer.etag.length : 0;
}
