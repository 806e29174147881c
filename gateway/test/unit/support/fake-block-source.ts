/**
 * A block source over a list of protobuf blocks, standing in for the peer: streams from the requested block,
 * waits for blocks appended later, and can be told to fail a stream after some blocks (a peer restart).
 */
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { common } from '@hyperledger/fabric-protos';
import type { BlockSource } from '../../../src/follower/block-source';

/** A scripted block source. */
export class FakeBlockSource implements BlockSource {
  readonly blocks: common.Block[] = [];
  /** Start blocks of every stream opened. */
  readonly opened: number[] = [];
  /** Fail the next stream after delivering this many blocks (then reset). */
  failAfter: number | undefined;
  /** Fail openStream this many times (a peer that is down). */
  failOpens = 0;
  #listeners = new Set<() => void>();

  constructor(blocks: common.Block[] = []) {
    this.blocks.push(...blocks);
  }

  /** Appends blocks (as the peer commits them) and wakes open streams. */
  append(...blocks: common.Block[]): void {
    this.blocks.push(...blocks);
    for (const listener of this.#listeners) listener();
  }

  async openStream(lastApplied: number | null): Promise<CloseableAsyncIterable<common.Block>> {
    if (this.failOpens > 0) {
      this.failOpens -= 1;
      throw new Error('14 UNAVAILABLE: connection refused');
    }
    const start = lastApplied === null ? 0 : lastApplied + 1;
    this.opened.push(start);
    let failAfter = this.failAfter;
    this.failAfter = undefined;
    let closed = false;
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    this.#listeners.add(listener);
    const blocks = this.blocks;
    const listeners = this.#listeners;
    async function* iterate(): AsyncGenerator<common.Block> {
      let next = start;
      try {
        while (!closed) {
          const block = blocks[next];
          if (block) {
            if (failAfter !== undefined && failAfter-- <= 0)
              throw new Error('14 UNAVAILABLE: peer went away');
            next += 1;
            yield block;
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        listeners.delete(listener);
      }
    }
    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: () => {
        closed = true;
        wake?.();
      },
      [Symbol.dispose]: () => {
        closed = true;
        wake?.();
      },
    };
  }

  async height(): Promise<number> {
    return this.blocks.length;
  }

  close(): void {
    for (const listener of this.#listeners) listener();
  }
}
