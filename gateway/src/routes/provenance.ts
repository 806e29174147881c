/**
 * Block numbers for the transactions that wrote records. The chaincode knows a record's transaction IDs but not
 * the block they landed in; the gateway adds it, so every record it returns can be checked against the ledger.
 */
import type { LedgerClient } from '../fabric/contract';

/** Finds the block of committed transactions. */
export interface ProvenanceIndex {
  /** The block number of each transaction ID it can find (unknown IDs are left out). */
  blocksOf(txIds: readonly string[]): Promise<Map<string, number>>;
}

/** Asks the ledger itself (qscc), with a bounded cache: a transaction's block never changes. */
export class LedgerProvenance implements ProvenanceIndex {
  readonly #ledger: LedgerClient;
  readonly #cache = new Map<string, number>();
  readonly #maxCached: number;
  readonly #concurrency: number;

  constructor(ledger: LedgerClient, options: { maxCached?: number; concurrency?: number } = {}) {
    this.#ledger = ledger;
    this.#maxCached = options.maxCached ?? 100_000;
    this.#concurrency = options.concurrency ?? 16;
  }

  async blocksOf(txIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing = [...new Set(txIds)].filter((id) => {
      const cached = this.#cache.get(id);
      if (cached !== undefined) found.set(id, cached);
      return cached === undefined;
    });
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const id = missing[next++]!;
        try {
          const info = await this.#ledger.transaction(id);
          const block = Number(info.blockNumber);
          found.set(id, block);
          if (this.#cache.size >= this.#maxCached) this.#cache.delete(this.#cache.keys().next().value!);
          this.#cache.set(id, block);
        } catch {
          // Not found (or not readable now): the record is returned without a block number.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, missing.length) }, worker));
    return found;
  }
}

/** Adds `createdBlockNumber` and `lastBlockNumber` next to a record's `createdTxId` and `lastTxId`. */
export async function withBlocks<T extends Record<string, unknown>>(
  records: readonly T[],
  provenance: ProvenanceIndex,
): Promise<T[]> {
  const fields = ['createdTxId', 'lastTxId'];
  const ids = records.flatMap((r) =>
    fields.map((f) => r[f]).filter((v): v is string => typeof v === 'string'),
  );
  const blocks = await provenance.blocksOf(ids);
  return records.map((r) => {
    const out: Record<string, unknown> = { ...r };
    if (typeof r.createdTxId === 'string' && blocks.has(r.createdTxId))
      out.createdBlockNumber = blocks.get(r.createdTxId);
    if (typeof r.lastTxId === 'string' && blocks.has(r.lastTxId))
      out.lastBlockNumber = blocks.get(r.lastTxId);
    return out as T;
  });
}
