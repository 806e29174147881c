// Generated genealogies on the benchmark network, built through the coop's gateway with the integration tests'
// own builder (gateway/test/support/genealogy.ts) and remembered in the network's state folder, so that a later
// run on the same ledger reuses them instead of building them again. A shape is the builder's fan-out per level
// and its number of merges (lots made of two leaves of different parents, so the graph is a DAG).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { registerTypeScript } = require('./ts-require');
const { msSince } = require('./stats');

registerTypeScript();
const { buildGenealogy, reachable } = require('../../test/support/genealogy.ts');

/** The shapes the benchmarks use, by total number of lots (root, split outputs and merges). */
const SHAPES = {
  100: { fanOut: [9, 9], merges: 9 }, // 1 + 9 + 81 + 9
  1000: { fanOut: [10, 98], merges: 9 }, // 1 + 10 + 980 + 9
  10000: { fanOut: [10, 10, 98], merges: 89 }, // 1 + 10 + 100 + 9,800 + 89
};

function registryFile(bench) {
  return path.join(bench.state.root, 'bench', 'genealogies.json');
}

function readRegistry(bench) {
  try {
    return JSON.parse(fs.readFileSync(registryFile(bench), 'utf8'));
  } catch {
    return {};
  }
}

/** What a benchmark needs of a built genealogy: where to start traces and what they must find. */
function describe(name, g, shape, buildMs) {
  const nodes = [...g.nodes.values()];
  const merge = nodes.find((n) => n.parents.length === 2) ?? nodes[nodes.length - 1];
  const leaf = nodes.filter((n) => n.children.length === 0 && n.parents.length === 1).pop();
  const depth = Math.max(...nodes.map((n) => n.depth));
  return {
    name,
    lots: g.nodes.size,
    shape,
    depth,
    transactions: g.transactions,
    buildSeconds: Math.round(buildMs / 100) / 10,
    root: g.root,
    forwardFromRoot: reachable(g, g.root, 'forward').size,
    merge: merge.lotId,
    backwardFromMerge: reachable(g, merge.lotId, 'backward').size,
    leaf: leaf.lotId,
    backwardFromLeaf: reachable(g, leaf.lotId, 'backward').size,
    lotIds: nodes.map((n) => n.lotId),
  };
}

/**
 * A genealogy of `size` lots under `name` (e.g. 'trace-10000'): the remembered one if its root is still on the
 * ledger and `fresh` is not asked for, else a new one. Returns describe()'s summary.
 */
async function genealogy(bench, name, size, { fresh = false, log = () => {}, shape = SHAPES[size] } = {}) {
  if (!shape) throw new Error(`no genealogy shape for ${size} lots`);
  const registry = readRegistry(bench);
  const api = bench.api('coop');
  const known = registry[name];
  if (!fresh && known && known.lots === size) {
    const root = await api.get(`/api/v1/lots/${encodeURIComponent(known.root)}`);
    if (root.status === 200) return known;
  }
  const tag = `${name
    .replace(/[^A-Z0-9]/gi, '')
    .slice(0, 2)
    .toUpperCase()}${Date.now().toString(36).slice(-5).toUpperCase()}`;
  log(`building a genealogy of ${size} lots (fan-out ${shape.fanOut.join('×')}, ${shape.merges} merges)`);
  const started = process.hrtime.bigint();
  let lastReport = Date.now();
  const g = await buildGenealogy(api, {
    tag,
    fanOut: shape.fanOut,
    merges: shape.merges,
    concurrency: 6,
    onProgress: (done, total) => {
      if (Date.now() - lastReport > 30000) {
        lastReport = Date.now();
        log(`  ${done}/${total} transactions`);
      }
    },
  });
  const summary = describe(name, g, shape, msSince(started));
  log(`  built in ${summary.buildSeconds} s (${summary.transactions} transactions)`);
  const file = registryFile(bench);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...readRegistry(bench), [name]: summary }));
  return summary;
}

module.exports = { genealogy, SHAPES };
