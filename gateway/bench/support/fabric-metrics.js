// Where a transaction's time goes, from the Prometheus metrics every peer and orderer serves on its operations
// port: snapshots before and after a measured interval, and the per-proposal and per-block means between them
// (endorsement with chaincode execution, chaincode state requests, block validation and commit, orderer
// broadcast), plus blocks cut and transactions per block (BatchTimeout cuts small blocks at low load).
'use strict';
/* global fetch, AbortSignal */

/** Parses Prometheus text exposition into [{name, labels, value}]. */
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const pair of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2];
    }
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return samples;
}

/** GETs one node's /metrics; undefined when it does not answer. */
async function scrape(url) {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? parseMetrics(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** Snapshots of every node: {peers: {key: samples}, orderers: {id: samples}, at}. */
async function snapshot(nodes) {
  const take = async (list) =>
    Object.fromEntries(await Promise.all(list.map(async (n) => [n.key, await scrape(n.url)])));
  return { at: Date.now(), peers: await take(nodes.peers), orderers: await take(nodes.orderers) };
}

/** Sum of the samples named `name` whose labels match `where` (a label → value or predicate map). */
function total(samples, name, where = {}) {
  let sum = 0;
  for (const s of samples ?? []) {
    if (s.name !== name) continue;
    const ok = Object.entries(where).every(([k, v]) =>
      typeof v === 'function' ? v(s.labels[k] ?? '') : s.labels[k] === v,
    );
    if (ok) sum += s.value;
  }
  return sum;
}

/** after − before of a sum. */
function delta(before, after, name, where) {
  return total(after, name, where) - total(before, name, where);
}

/** Mean of a histogram over the interval, in ms (null when nothing was observed). */
function meanMs(before, after, histogram, where) {
  const count = delta(before, after, `${histogram}_count`, where);
  if (count <= 0) return null;
  return Math.round((delta(before, after, `${histogram}_sum`, where) / count) * 1000 * 10) / 10;
}

/**
 * What the interval between two snapshots spent where, for a chaincode (`chaincode` is its name, e.g.
 * 'agritrace'), as seen by `gatewayPeer` (the peer the client's gateway runs on) and across all peers.
 */
function breakdown(before, after, { chaincode, gatewayPeer }) {
  const gp = (s) => s.peers[gatewayPeer];
  const ccLabel = { chaincode };
  const pkgLabel = { chaincode: (v) => v.startsWith(`${chaincode}_`) };
  const blocks = delta(gp(before), gp(after), 'ledger_blockchain_height');
  const txs = delta(gp(before), gp(after), 'ledger_transaction_count');
  const validTxs = delta(gp(before), gp(after), 'ledger_transaction_count', { validation_code: 'VALID' });
  const codes = {};
  for (const s of gp(after) ?? []) {
    if (s.name !== 'ledger_transaction_count') continue;
    const code = s.labels.validation_code ?? '?';
    codes[code] = (codes[code] ?? 0) + s.value;
  }
  for (const s of gp(before) ?? []) {
    if (s.name !== 'ledger_transaction_count') continue;
    const code = s.labels.validation_code ?? '?';
    codes[code] = (codes[code] ?? 0) - s.value;
  }
  const endorsementsAll = Object.keys(after.peers).map((k) => ({
    peer: k,
    proposals: delta(before.peers[k], after.peers[k], 'endorser_proposal_duration_count', ccLabel),
    meanMs: meanMs(before.peers[k], after.peers[k], 'endorser_proposal_duration', ccLabel),
  }));
  const orderers = Object.keys(after.orderers);
  const ordererMean = (h) => {
    const values = orderers
      .map((k) => meanMs(before.orderers[k], after.orderers[k], h))
      .filter((v) => v !== null);
    return values.length ? Math.max(...values) : null;
  };
  return {
    seconds: Math.round((after.at - before.at) / 100) / 10,
    blocks,
    transactions: txs,
    validTransactions: validTxs,
    validationCodes: Object.fromEntries(Object.entries(codes).filter(([, v]) => v > 0)),
    transactionsPerBlock: blocks > 0 ? Math.round((txs / blocks) * 10) / 10 : null,
    gatewayPeer: {
      peer: gatewayPeer,
      endorseMsPerProposal: meanMs(gp(before), gp(after), 'endorser_proposal_duration', ccLabel),
      chaincodeStateRequestMs: meanMs(gp(before), gp(after), 'chaincode_shim_request_duration', pkgLabel),
      chaincodeStateRequestsPerProposal: (() => {
        const proposals = delta(gp(before), gp(after), 'endorser_proposal_duration_count', ccLabel);
        const requests = delta(gp(before), gp(after), 'chaincode_shim_request_duration_count', pkgLabel);
        return proposals > 0 ? Math.round((requests / proposals) * 10) / 10 : null;
      })(),
      validateMsPerBlock: meanMs(gp(before), gp(after), 'gossip_privdata_validation_duration'),
      commitMsPerBlock: meanMs(gp(before), gp(after), 'gossip_state_commit_duration'),
      statedbCommitMsPerBlock: meanMs(gp(before), gp(after), 'ledger_statedb_commit_time'),
    },
    endorsingPeers: endorsementsAll.filter((e) => e.proposals > 0),
    orderer: {
      broadcastValidateMs: ordererMean('broadcast_validate_duration'),
      broadcastEnqueueMs: ordererMean('broadcast_enqueue_duration'),
      raftPersistMs: ordererMean('consensus_etcdraft_data_persist_duration'),
    },
  };
}

/** The operations endpoints of a topology's peers and orderers. */
function nodesOf(topology) {
  return {
    peers: topology.peerOrgs.map((o) => ({ key: o.key, url: `http://${topology.host}:${o.peer.opsPort}` })),
    orderers: topology.orderers.map((n) => ({ key: n.id, url: `http://${topology.host}:${n.opsPort}` })),
  };
}

module.exports = { parseMetrics, scrape, snapshot, breakdown, nodesOf, total };
