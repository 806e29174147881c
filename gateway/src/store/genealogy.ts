/**
 * Multi-hop genealogy from the store: the lots upstream (backward: inputs back to the farms) or downstream
 * (forward: every lot made from it) of a lot, breadth first, one query per hop, bounded. The order is the chaincode
 * trace's: a lot's neighbours in lot ID order, queued behind the lots found before it.
 */
import { placeholders } from './sql';
import type { SqlRunner } from './store';

/** Which way to walk: forward to outputs, backward to inputs. */
export type TraceDirection = 'forward' | 'backward';

/** A genealogy link as stored. */
export interface GenealogyRow {
  input_lot_id: string;
  output_lot_id: string;
  kind: string;
  transformation_id: string;
  quantity: number;
  unit: string;
  at: string;
  tx_id: string;
  block_number: number;
}

/** A lot reached by a walk. */
export interface ReachedLot {
  readonly lotId: string;
  /** Hops from the starting lot (0 for itself). */
  readonly depth: number;
  /** The lot it was first reached from (null for the starting lot). */
  readonly via: string | null;
}

/** The lots reached, in breadth-first order, and the links walked. */
export interface Walk {
  readonly lots: ReachedLot[];
  readonly links: GenealogyRow[];
  /** True if more lots exist beyond maxLots (they are not listed). */
  readonly truncated: boolean;
}

/** Largest IN list per query (well below both engines' parameter limits). */
const CHUNK = 500;

/** Walks the genealogy from `lotId` (included, depth 0), visiting at most `maxLots` lots. */
export async function walkGenealogy(
  reader: SqlRunner,
  lotId: string,
  direction: TraceDirection,
  maxLots: number,
): Promise<Walk> {
  const from = direction === 'forward' ? ('input_lot_id' as const) : ('output_lot_id' as const);
  const to = direction === 'forward' ? ('output_lot_id' as const) : ('input_lot_id' as const);
  const seen = new Map<string, ReachedLot>([[lotId, { lotId, depth: 0, via: null }]]);
  const links: GenealogyRow[] = [];
  let frontier = [lotId];
  let truncated = false;
  for (let depth = 1; frontier.length > 0 && !truncated; depth++) {
    // The links of each frontier lot, in the order the chaincode's trace reads them: lots in breadth-first order
    // (not in the order the database returns a chunk), each lot's links by neighbour ID.
    const linksFrom = new Map<string, GenealogyRow[]>();
    for (let i = 0; i < frontier.length; i += CHUNK) {
      const chunk = frontier.slice(i, i + CHUNK);
      const rows = await reader.all<GenealogyRow>(
        `SELECT input_lot_id, output_lot_id, kind, transformation_id, quantity, unit, at, tx_id, block_number
         FROM genealogy WHERE ${from} IN (${placeholders(chunk.length)})`,
        chunk,
      );
      for (const row of rows) {
        const list = linksFrom.get(row[from]);
        if (list) list.push(row);
        else linksFrom.set(row[from], [row]);
      }
    }
    const next: string[] = [];
    for (const current of frontier) {
      const rows = (linksFrom.get(current) ?? []).sort((a, b) => compareIds(a[to], b[to]));
      for (const row of rows) {
        links.push(row);
        const reached = row[to];
        if (seen.has(reached)) continue;
        if (seen.size >= maxLots) {
          truncated = true;
          continue;
        }
        seen.set(reached, { lotId: reached, depth, via: current });
        next.push(reached);
      }
    }
    frontier = next;
  }
  return { lots: [...seen.values()], links, truncated };
}

/** Orders lot IDs as the ledger orders keys (by code point; lot IDs are ASCII), whatever the database collation. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs a query with a `(?, ?, ...)` IN list in chunks and concatenates the rows. */
export async function allIn<T extends object>(
  reader: SqlRunner,
  sqlWithList: (list: string) => string,
  values: readonly string[],
  before: readonly (string | number)[] = [],
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    rows.push(...(await reader.all<T>(sqlWithList(placeholders(chunk.length)), [...before, ...chunk])));
  }
  return rows;
}

/** Most lots a recall's reach lists (a recall of more is refused by nothing: the rest is warned on by the mark). */
export const RECALL_REACH_MAX_LOTS = 200_000;

/** Rows per INSERT of reach rows (7 parameters each: well below both engines' limits). */
const REACH_ROWS_PER_INSERT = 200;

/**
 * Records the reach of a recall: the recalled lot and every lot downstream of it in the store's genealogy (the
 * forward closure), unless it is recorded already. Runs in the follower's transaction of the block that stored the
 * recall, so the reach is exactly what the ledger's genealogy held before that block. Returns how many lots it
 * lists (0 when it was recorded before).
 */
export async function recordRecallReach(
  tx: SqlRunner,
  recallId: string,
  lotId: string,
  written: { txId: string; blockNumber: number; txIndex: number },
  maxLots = RECALL_REACH_MAX_LOTS,
): Promise<number> {
  const known = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM recall_reach WHERE recall_id = ?', [
    recallId,
  ]);
  if (Number(known?.n ?? 0) > 0) return 0;
  const walk = await walkGenealogy(tx, lotId, 'forward', maxLots);
  for (let i = 0; i < walk.lots.length; i += REACH_ROWS_PER_INSERT) {
    const rows = walk.lots.slice(i, i + REACH_ROWS_PER_INSERT);
    await tx.run(
      `INSERT INTO recall_reach (recall_id, lot_id, depth, via, tx_id, block_number, tx_index) VALUES ${rows
        .map(() => '(?, ?, ?, ?, ?, ?, ?)')
        .join(', ')} ON CONFLICT (recall_id, lot_id) DO NOTHING`,
      rows.flatMap((row) => [
        recallId,
        row.lotId,
        row.depth,
        row.via,
        written.txId,
        written.blockNumber,
        written.txIndex,
      ]),
    );
  }
  return walk.lots.length;
}
