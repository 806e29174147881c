/**
 * Builds a generated genealogy of lots on the live network through a member's gateway, and keeps the generator's
 * own graph so traces can be checked against it. Shape: a root lot split into `fanOut[0]` lots, each split into
 * `fanOut[1]`, and so on; then `merges` lots that each merge two leaves of different parents (so the graph is a
 * DAG, not a tree). Used by the integration tests and the benchmarks.
 */
import { gs1CheckDigit } from '../../../chaincode/src/shared/gs1';

/** A lot of the generated graph with its parents (inputs) and children (outputs). */
export interface GenNode {
  lotId: string;
  depth: number;
  parents: string[];
  children: string[];
}

/** The generator's graph. */
export interface Genealogy {
  root: string;
  nodes: Map<string, GenNode>;
  transactions: number;
}

/** Something that can POST JSON to a gateway. */
export interface Poster {
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
}

/** Options of {@link buildGenealogy}. */
export interface GenealogyOptions {
  /** Unique tag of this genealogy (goes into every lot number). */
  tag: string;
  /** Outputs per split at each level, e.g. [10, 10, 98]. */
  fanOut: number[];
  /** Merge lots of two leaves each, added after the splits. */
  merges: number;
  /** Transactions in flight at once. */
  concurrency?: number;
  /** Called after each transaction. */
  onProgress?: (done: number, total: number) => void;
}

const GTIN = (() => {
  const body = '690123456799';
  return body + String(gs1CheckDigit(body));
})();

/** The lot ID the chaincode gives a lot number under the generator's GTIN. */
export function genLotId(lot: string): string {
  return `${GTIN.padStart(14, '0')}:${lot}`;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function expectOk(res: { status: number; body: any }, what: string): void {
  if (res.status !== 201) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Creates the genealogy on the ledger; returns the generator's graph. Lot numbers are at most 20 characters. */
export async function buildGenealogy(api: Poster, options: GenealogyOptions): Promise<Genealogy> {
  const { tag, fanOut, merges } = options;
  const concurrency = options.concurrency ?? 8;
  const nodes = new Map<string, GenNode>();
  // Every leaf holds 10 kg; a lot holds exactly what its split outputs hold (mass balance).
  const quantityAt = (depth: number) => fanOut.slice(depth).reduce((q, f) => q * f, 10);
  const rootLot = `${tag}R`;
  const root = genLotId(rootLot);
  const total =
    1 + fanOut.reduce((sum, _, i) => sum + fanOut.slice(0, i + 1).reduce((a, b) => a * b, 1), 0) + merges;
  let done = 0;
  const tick = () => {
    done++;
    options.onProgress?.(done, total);
  };

  const created = await api.post('/api/v1/lots', {
    gtin: GTIN,
    lot: rootLot,
    product: 'Generated produce',
    category: 'vegetables',
    quantity: quantityAt(0),
    unit: 'kg',
    origin: { region: '330183' },
  });
  expectOk(created, `CreateLot ${rootLot}`);
  nodes.set(root, { lotId: root, depth: 0, parents: [], children: [] });
  tick();

  let frontier = [{ lotNo: rootLot, lotId: root }];
  for (let level = 0; level < fanOut.length; level++) {
    const next: { lotNo: string; lotId: string }[] = [];
    await pool(frontier, concurrency, async (parent) => {
      const outputs = Array.from({ length: fanOut[level]! }, (_, i) => ({
        lot: `${parent.lotNo}.${i.toString(36)}`.slice(0, 20),
        quantity: quantityAt(level + 1),
      }));
      const res = await api.post('/api/v1/transformations/split', { lotId: parent.lotId, outputs });
      expectOk(res, `SplitLot ${parent.lotId}`);
      for (const o of outputs) {
        const lotId = genLotId(o.lot);
        nodes.set(lotId, { lotId, depth: level + 1, parents: [parent.lotId], children: [] });
        nodes.get(parent.lotId)!.children.push(lotId);
        next.push({ lotNo: o.lot, lotId });
      }
      tick();
    });
    frontier = next;
  }

  // Merge pairs of leaves that have different parents.
  const leaves = [...frontier].sort((a, b) => a.lotId.localeCompare(b.lotId));
  const byParent = new Map<string, typeof leaves>();
  for (const l of leaves) {
    const p = nodes.get(l.lotId)!.parents[0]!;
    byParent.set(p, [...(byParent.get(p) ?? []), l]);
  }
  const groups = [...byParent.values()];
  const pairs: [(typeof leaves)[0], (typeof leaves)[0]][] = [];
  for (let i = 0; pairs.length < merges && i < leaves.length; i++) {
    const a = groups[(2 * i) % groups.length]![Math.floor((2 * i) / groups.length)];
    const b = groups[(2 * i + 1) % groups.length]![Math.floor((2 * i + 1) / groups.length)];
    if (a && b) pairs.push([a, b]);
  }
  await pool(
    pairs.map((p, i) => ({ p, i })),
    concurrency,
    async ({ p: [a, b], i }) => {
      const lot = `${tag}M${i.toString(36)}`;
      const res = await api.post('/api/v1/transformations/merge', {
        inputs: [{ lotId: a.lotId }, { lotId: b.lotId }],
        output: { lot },
      });
      expectOk(res, `MergeLots ${lot}`);
      const lotId = genLotId(lot);
      const depth = Math.max(nodes.get(a.lotId)!.depth, nodes.get(b.lotId)!.depth) + 1;
      nodes.set(lotId, { lotId, depth, parents: [a.lotId, b.lotId], children: [] });
      nodes.get(a.lotId)!.children.push(lotId);
      nodes.get(b.lotId)!.children.push(lotId);
      tick();
    },
  );
  return { root, nodes, transactions: done };
}

/** The lots reachable from `start` in the generator's graph, with their hop distance (breadth first). */
export function reachable(
  g: Genealogy,
  start: string,
  direction: 'forward' | 'backward',
): Map<string, number> {
  const seen = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length) {
    const id = queue.shift()!;
    const node = g.nodes.get(id)!;
    for (const n of direction === 'forward' ? node.children : node.parents) {
      if (!seen.has(n)) {
        seen.set(n, seen.get(id)! + 1);
        queue.push(n);
      }
    }
  }
  return seen;
}
