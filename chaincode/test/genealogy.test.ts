/**
 * A trace over a generated genealogy of 10,000 lots (built with real split, merge and process transactions)
 * returns exactly the generator's own graph: every lot, at its breadth-first depth, with its links, across pages.
 */
import './support/quiet-logging';
import type { TracePage, TraceStep } from '../src/shared/trace';
import { allianceLedger, gtin13, who } from './support/alliance';
import type { FakeLedger } from './support/fake-ledger';
import { expectedTrace, generateGenealogy } from './support/genealogy-generator';
import type { GeneratedGraph } from './support/genealogy-generator';

const SIZE = 10000;
const GTIN = gtin13(42);

/** All pages of a trace: the steps, the number of pages and the last page. */
async function traceAll(
  ledger: FakeLedger,
  fn: 'TraceForward' | 'TraceBackward',
  lotId: string,
  maxLots = '',
  pageSize = '500',
): Promise<{ steps: TraceStep[]; pages: number; last: TracePage }> {
  const steps: TraceStep[] = [];
  let cursor = '';
  let pages = 0;
  let last: TracePage;
  do {
    last = await ledger.evaluateJson<TracePage>(who.regulator, `trace:${fn}`, [
      lotId,
      maxLots,
      pageSize,
      cursor,
    ]);
    steps.push(...last.steps);
    cursor = last.cursor;
    pages++;
  } while (cursor !== '');
  return { steps, pages, last };
}

/** Checks trace steps against the generator's graph: same lots, same depths, same links. */
function expectMatchesGraph(
  steps: TraceStep[],
  graph: GeneratedGraph,
  from: string,
  direction: 'forward' | 'backward',
): void {
  const expected = expectedTrace(graph, from, direction);
  expect(steps.length).toBe(expected.size);
  expect(new Set(steps.map((step) => step.lotId)).size).toBe(steps.length);
  const edges = direction === 'forward' ? graph.children : graph.parents;
  for (const step of steps) {
    expect(expected.get(step.lotId)).toBe(step.depth);
    const linked = step.links.map((link) => (direction === 'forward' ? link.output : link.input)).sort();
    expect(linked).toEqual([...new Set(edges.get(step.lotId) ?? [])].sort());
  }
}

describe('trace over a generated genealogy of 10,000 lots', () => {
  let ledger: FakeLedger;
  let graph: GeneratedGraph;

  beforeAll(async () => {
    ledger = await allianceLedger();
    graph = await generateGenealogy(ledger, who.producer, GTIN, SIZE);
  }, 600_000);

  it('built what it meant to', () => {
    expect(graph.lots).toHaveLength(SIZE);
    expect(new Set(graph.lots).size).toBe(SIZE);
    const merges = [...graph.parents.values()].filter((parents) => parents.length > 1).length;
    expect(merges).toBeGreaterThan(100);
  });

  it('traces forward from the root to all 10,000 lots, complete and correct, in 20 pages', async () => {
    const { steps, pages, last } = await traceAll(ledger, 'TraceForward', graph.root);
    expect(pages).toBe(20);
    expect(last).toMatchObject({ truncated: false, totalLots: SIZE, cursor: '' });
    expectMatchesGraph(steps, graph, graph.root, 'forward');
    // Breadth-first: depths never decrease along the pages.
    steps.forEach((step, i) => expect(step.depth).toBeGreaterThanOrEqual(steps[i - 1]?.depth ?? 0));
    expect(steps.every((step) => step.custodian === 'ProducerMSP' && step.events.length > 0)).toBe(true);
  }, 300_000);

  it('traces backward from sampled lots to exactly their ancestors', async () => {
    const samples = [graph.lots[SIZE - 1], ...graph.lots.filter((_, i) => i % 997 === 500)] as string[];
    samples.push(
      ...[...graph.parents.entries()]
        .filter(([, parents]) => parents.length >= 3)
        .slice(0, 5)
        .map(([id]) => id),
    );
    for (const lotId of samples) {
      const { steps, last } = await traceAll(ledger, 'TraceBackward', lotId, '', '200');
      expect(last.truncated).toBe(false);
      expectMatchesGraph(steps, graph, lotId, 'backward');
      expect(
        steps[steps.length - 1]?.lotId === graph.root || steps.some((step) => step.lotId === graph.root),
      ).toBe(true);
    }
  }, 300_000);

  it('traces forward from inner lots to exactly their descendants', async () => {
    const fromRoot = (graph.children.get(graph.root) ?? []).slice(0, 3);
    const merged = [...graph.parents.entries()]
      .filter(([id, parents]) => parents.length > 1 && (graph.children.get(id)?.length ?? 0) > 0)
      .slice(0, 3)
      .map(([id]) => id);
    const samples = [...fromRoot, ...merged];
    expect(samples).toHaveLength(6);
    for (const lotId of samples) {
      const { steps } = await traceAll(ledger, 'TraceForward', lotId, '', '500');
      expectMatchesGraph(steps, graph, lotId, 'forward');
    }
  }, 300_000);

  it('stops at maxLots with the nearest lots first and says truncated', async () => {
    const { steps, last } = await traceAll(ledger, 'TraceForward', graph.root, '4000', '500');
    expect(steps).toHaveLength(4000);
    expect(last).toMatchObject({ truncated: true, totalLots: 4000 });
    const expected = expectedTrace(graph, graph.root, 'forward');
    const returned = new Set(steps.map((step) => step.lotId));
    const deepestReturned = Math.max(...steps.map((step) => step.depth));
    const shallowestLeft = Math.min(
      ...[...expected].filter(([id]) => !returned.has(id)).map(([, depth]) => depth),
    );
    expect(deepestReturned).toBeLessThanOrEqual(shallowestLeft);
    steps.forEach((step) => expect(expected.get(step.lotId)).toBe(step.depth));
  }, 300_000);

  it('says truncated once the genealogy exceeds 10,000 lots', async () => {
    const leaf = graph.lots.find((lotId) => !graph.children.has(lotId)) as string;
    await ledger.submit(who.producer, 'transformations:SplitLot', [
      JSON.stringify({ lotId: leaf, outputs: [{ lot: 'EXTRA', quantity: 1 }] }),
    ]);
    const { steps, last } = await traceAll(ledger, 'TraceForward', graph.root);
    expect(steps).toHaveLength(SIZE);
    expect(last).toMatchObject({ truncated: true, totalLots: SIZE });
  }, 300_000);
});
