/**
 * Builds a random but reproducible lot genealogy on a fake ledger through real SplitLot, MergeLots and ProcessLots
 * transactions, and keeps its own record of the graph it meant to build, to check traces against.
 */
import { lotIdOf } from '../../src/shared/gs1';
import type { FakeLedger, Identity } from './fake-ledger';

/** The generator's own view of the genealogy: lots in creation order and input→output edges. */
export interface GeneratedGraph {
  root: string;
  lots: string[];
  /** For each lot, the lots made from it. */
  children: Map<string, string[]>;
  /** For each lot, the lots it was made from. */
  parents: Map<string, string[]>;
}

/** A small deterministic PRNG (mulberry32), so that a failing graph can be rebuilt. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds a genealogy of exactly `size` lots, all downstream of one root lot created by `caller`. */
export async function generateGenealogy(
  ledger: FakeLedger,
  caller: Identity,
  gtin: string,
  size: number,
  seed = 2026,
): Promise<GeneratedGraph> {
  const next = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
  const graph: GeneratedGraph = {
    root: lotIdOf(gtin, 'G0'),
    lots: [],
    children: new Map(),
    parents: new Map(),
  };
  const remaining = new Map<string, number>();
  let counter = 0;
  const newLot = (quantity: number): { lot: string; lotId: string } => {
    const lot = `G${counter++}`;
    const lotId = lotIdOf(gtin, lot);
    graph.lots.push(lotId);
    remaining.set(lotId, quantity);
    return { lot, lotId };
  };
  const link = (inputs: string[], outputs: string[]): void => {
    for (const input of inputs) graph.children.set(input, [...(graph.children.get(input) ?? []), ...outputs]);
    for (const output of outputs)
      graph.parents.set(output, [...(graph.parents.get(output) ?? []), ...inputs]);
  };
  const usable = (): string[] => [...remaining.entries()].filter(([, q]) => q >= 1000).map(([id]) => id);

  const root = newLot(1e12);
  await ledger.submit(caller, 'lots:CreateLot', [
    JSON.stringify({
      gtin,
      lot: root.lot,
      product: 'Wheat',
      category: 'grain',
      quantity: 1e12,
      unit: 'kg',
      origin: { region: '410102' },
    }),
  ]);
  let active = usable();
  while (graph.lots.length < size) {
    if (active.length === 0) throw new Error(`generator ran out of usable lots at ${graph.lots.length}`);
    const room = size - graph.lots.length;
    const roll = next();
    if (roll < 0.55 || active.length < 6) {
      // Split one lot into 2-40 lots, each taking a 50th of what remains.
      const input = pick(active);
      const have = remaining.get(input) as number;
      const count = Math.min(room, 2 + Math.floor(next() * 39));
      const share = Math.floor(have / 50);
      const outputs = Array.from({ length: count }, () => newLot(share));
      remaining.set(input, have - share * count);
      await ledger.submit(caller, 'transformations:SplitLot', [
        JSON.stringify({ lotId: input, outputs: outputs.map(({ lot }) => ({ lot, quantity: share })) }),
      ]);
      link(
        [input],
        outputs.map(({ lotId }) => lotId),
      );
    } else if (roll < 0.8) {
      // Merge 2-5 distinct lots into one, taking half of each.
      const inputs = [...new Set(Array.from({ length: 2 + Math.floor(next() * 4) }, () => pick(active)))];
      if (inputs.length < 2) continue;
      const taken = inputs.map((id) => Math.floor((remaining.get(id) as number) / 2));
      const output = newLot(taken.reduce((a, b) => a + b, 0));
      inputs.forEach((id, i) => remaining.set(id, (remaining.get(id) as number) - (taken[i] as number)));
      await ledger.submit(caller, 'transformations:MergeLots', [
        JSON.stringify({
          inputs: inputs.map((lotId, i) => ({ lotId, quantity: taken[i], unit: 'kg' })),
          output: { lot: output.lot },
        }),
      ]);
      link(inputs, [output.lotId]);
    } else {
      // Process 1-3 lots into 1-4 lots with a 0.9 yield, taking a third of each input.
      const inputs = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(active)))];
      const taken = inputs.map((id) => Math.floor((remaining.get(id) as number) / 3));
      const total = taken.reduce((a, b) => a + b, 0);
      const count = Math.min(room, 1 + Math.floor(next() * 4));
      const each = Math.floor((total * 0.9) / count);
      const outputs = Array.from({ length: count }, () => newLot(each));
      inputs.forEach((id, i) => remaining.set(id, (remaining.get(id) as number) - (taken[i] as number)));
      await ledger.submit(caller, 'transformations:ProcessLots', [
        JSON.stringify({
          inputs: inputs.map((lotId, i) => ({ lotId, quantity: taken[i], unit: 'kg' })),
          outputs: outputs.map(({ lot }) => ({ lot, quantity: each, unit: 'kg' })),
          declaredYield: 0.9,
        }),
      ]);
      link(
        inputs,
        outputs.map(({ lotId }) => lotId),
      );
    }
    active = usable();
  }
  return graph;
}

/** Breadth-first distances from a lot along the graph's edges in one direction: the expected trace. */
export function expectedTrace(
  graph: GeneratedGraph,
  from: string,
  direction: 'forward' | 'backward',
): Map<string, number> {
  const edges = direction === 'forward' ? graph.children : graph.parents;
  const depth = new Map([[from, 0]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i] as string;
    for (const neighbour of edges.get(current) ?? []) {
      if (depth.has(neighbour)) continue;
      depth.set(neighbour, (depth.get(current) as number) + 1);
      queue.push(neighbour);
    }
  }
  return depth;
}
