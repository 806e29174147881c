#!/usr/bin/env node
// Follower projection micro-benchmark: the CPU a gateway's follower spends per committed RecordEvent transaction,
// in this process, without a network. The real chaincode (chaincode/test/support: the contract dispatcher on an
// in-memory stub) records 'storing' events on lots its producer holds, as the recording benchmark's workload does;
// their write sets, events, arguments, responses and read keys become real Fabric block bytes (with certificates
// and endorsements, gateway/test/unit/support/block-builder.ts). Each repetition decodes every block from its bytes
// (decodeBlockBytes) and applies it (applyBlock) to a fresh, migrated SQLite store in a temporary directory, and
// reports process CPU (user + system) per transaction for each step; the summary is the median of the repetitions
// after one warm-up. Not part of `npm run bench` (no network, no targets): run it directly, after `npm run build`.
//
//   node gateway/bench/projection.js [--blocks 200] [--per-block 36] [--reps 5] [--dist <gateway dist dir>] [--json]
//
// --dist measures another build of the gateway (say, a copy of main's gateway/dist) on the same blocks. Running the
// chaincode takes about a minute; its blocks are kept in the temporary directory (agritrace-projection-blocks-*) for
// the next run with the same options and the same chaincode and block builder.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { registerTypeScript } = require('./support/ts-require');
const { machine } = require('./support/stats');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FOLLOWED = { channel: 'traceability', chaincode: 'agritrace' };

const USAGE = `Usage: node gateway/bench/projection.js [--blocks N] [--per-block N] [--lots N] [--reps N] [--dist DIR] [--json]
  --blocks     measured blocks (default 200)
  --per-block  RecordEvent transactions a block (default 36)
  --lots       lots the events are recorded on, round-robin (default 200, as the recording benchmark)
  --reps       measured repetitions after one warm-up (default 5)
  --dist       the gateway build to measure (default gateway/dist)
  --json       print the result as JSON`;

function parseArguments(argv) {
  const options = {
    blocks: 200,
    perBlock: 36,
    lots: 200,
    reps: 5,
    dist: path.join(REPO_ROOT, 'gateway', 'dist'),
  };
  const numeric = { '--blocks': 'blocks', '--per-block': 'perBlock', '--lots': 'lots', '--reps': 'reps' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--json') options.json = true;
    else if (arg === '--dist' && argv[i + 1]) options.dist = path.resolve(argv[++i]);
    else if (numeric[arg] && Number(argv[i + 1]) >= 1) options[numeric[arg]] = Math.floor(Number(argv[++i]));
    else throw new Error(`unknown or incomplete option ${arg}`);
  }
  return options;
}

/**
 * Runs the chaincode: the alliance, the default rule set and `lots` lots (the set-up), then `count` storing events
 * round-robin over the lots. Returns each transaction's writes, reads, arguments, response and event, in order.
 */
async function chaincodeHistory(count, lotCount) {
  registerTypeScript();
  const support = path.join(REPO_ROOT, 'chaincode', 'test', 'support');
  const { allianceLedger, createLot, who } = require(path.join(support, 'alliance.ts'));
  const { FakeStub } = require(path.join(support, 'fake-stub.ts'));
  const { WorldState } = require(path.join(support, 'world-state.ts'));
  const reads = new Map();
  const getState = FakeStub.prototype.getState;
  FakeStub.prototype.getState = function (key) {
    const txId = this.getTxID();
    if (!reads.has(txId)) reads.set(txId, new Set());
    reads.get(txId).add(key);
    return getState.call(this, key);
  };
  const transactions = [];
  const apply = WorldState.prototype.apply;
  WorldState.prototype.apply = function (writes, txId, time) {
    const kv = [];
    for (const [key, write] of writes) {
      if (write.isDelete) kv.push({ key, value: null });
      else if (write.value) kv.push({ key, value: write.value });
    }
    // A peer's write set is sorted by key.
    kv.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    transactions.push({ txId, time, writes: kv });
    apply.call(this, writes, txId, time);
  };
  const ledger = await allianceLedger();
  const submit = async (caller, fn, args) => {
    const result = await ledger.submit(caller, fn, args);
    const tx = transactions[transactions.length - 1];
    Object.assign(tx, { fn, args: [...args, ''], creator: caller.mspId, result });
    const event = ledger.lastEvent();
    if (event && event.txId === tx.txId) {
      tx.event = { name: event.name, payload: new Uint8Array(Buffer.from(JSON.stringify(event.payload))) };
    }
  };
  await submit(who.regulator, 'rules:SeedDefaultRuleSet', []);
  const lots = [];
  for (let i = 0; i < lotCount; i++) {
    lots.push((await createLot(ledger, who.producer, `PRJ-${String(i).padStart(4, '0')}`)).lotId);
  }
  const firstMeasured = transactions.length;
  for (let i = 0; i < count; i++) {
    const event = {
      lotId: lots[i % lots.length],
      bizStep: 'storing',
      disposition: 'in_progress',
      readPoint: { gln: '6901234000016' },
      bizLocation: { region: '330183' },
      note: 'cold store 2, bay 14',
    };
    await submit(who.producer, 'lots:RecordEvent', [JSON.stringify(event)]);
  }
  return { transactions, firstMeasured, reads, certificate: who.producer.certificate };
}

/** Block bytes: the set-up in blocks of up to 50 transactions, then the measured blocks. */
function toBlocks(history, perBlock) {
  const { toProtoBlock } = require(
    path.join(REPO_ROOT, 'gateway', 'test', 'unit', 'support', 'block-builder.ts'),
  );
  const decodedTx = (tx, index) => ({
    txId: tx.txId,
    index,
    validationCode: 0,
    valid: true,
    ours: true,
    timestamp: tx.time,
    creatorMspId: tx.creator ?? 'ProducerMSP',
    functionName: tx.fn ?? 'members:RegisterMember',
    writes: tx.writes,
    ...(tx.event ? { event: tx.event } : {}),
  });
  const wire = {
    certificate: history.certificate,
    endorsers: ['ProducerMSP', 'InspectorMSP'],
    reads: new Map([...history.reads].map(([txId, keys]) => [txId, [...keys].sort()])),
    args: new Map(history.transactions.filter((tx) => tx.args).map((tx) => [tx.txId, tx.args])),
    responses: new Map(history.transactions.filter((tx) => tx.result).map((tx) => [tx.txId, tx.result])),
  };
  const cut = (transactions, size, firstNumber) => {
    const blocks = [];
    for (let i = 0; i < transactions.length; i += size) {
      const decoded = {
        number: firstNumber + blocks.length,
        transactions: transactions.slice(i, i + size).map(decodedTx),
      };
      blocks.push(toProtoBlock(decoded, { wire }).serializeBinary());
    }
    return blocks;
  };
  const setUp = cut(history.transactions.slice(0, history.firstMeasured), 50, 0);
  const measured = cut(history.transactions.slice(history.firstMeasured), perBlock, setUp.length);
  return { setUp, measured };
}

/** The blocks of these options, from the cache when the chaincode and the block builder have not changed. */
async function cachedBlocks(options, log) {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify([options.blocks, options.perBlock, options.lots]));
  const inputs = [
    path.join(REPO_ROOT, 'chaincode', 'src'),
    path.join(REPO_ROOT, 'chaincode', 'test', 'support'),
    path.join(REPO_ROOT, 'gateway', 'test', 'unit', 'support', 'block-builder.ts'),
    path.join(__dirname, 'projection.js'),
  ];
  for (const input of inputs) {
    const files = fs.statSync(input).isDirectory()
      ? fs.readdirSync(input, { recursive: true }).map((file) => path.join(input, file))
      : [input];
    for (const file of files.sort())
      if (fs.statSync(file).isFile()) hash.update(file).update(fs.readFileSync(file));
  }
  const cache = path.join(os.tmpdir(), `agritrace-projection-blocks-${hash.digest('hex').slice(0, 16)}.json`);
  if (fs.existsSync(cache)) {
    const saved = JSON.parse(fs.readFileSync(cache, 'utf8'));
    const decode = (list) => list.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
    return { setUp: decode(saved.setUp), measured: decode(saved.measured) };
  }
  const transactions = options.blocks * options.perBlock;
  log(`running the chaincode for ${transactions} RecordEvent transactions on ${options.lots} lots...`);
  const blocks = toBlocks(await chaincodeHistory(transactions, options.lots), options.perBlock);
  const encode = (list) => list.map((bytes) => Buffer.from(bytes).toString('base64'));
  fs.writeFileSync(cache, JSON.stringify({ setUp: encode(blocks.setUp), measured: encode(blocks.measured) }));
  return blocks;
}

const cpuMs = (usage) => (usage.user + usage.system) / 1000;

/** One repetition: decode every measured block from its bytes, then apply them to a fresh store. */
async function repetition(gateway, blocks, transactions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agritrace-projection-'));
  const store = gateway.openSqliteStore(path.join(dir, 'store.sqlite'));
  try {
    await gateway.migrate(store);
    for (const bytes of blocks.setUp) {
      await gateway.applyBlock(store, gateway.decodeBlockBytes(bytes, FOLLOWED.chaincode), FOLLOWED);
    }
    const decodeStart = process.cpuUsage();
    const decoded = blocks.measured.map((bytes) => gateway.decodeBlockBytes(bytes, FOLLOWED.chaincode));
    const decodeMs = cpuMs(process.cpuUsage(decodeStart));
    const applyStart = process.cpuUsage();
    const wallStart = process.hrtime.bigint();
    let applied = 0;
    for (const block of decoded) applied += (await gateway.applyBlock(store, block, FOLLOWED)).transactions;
    const applyUsage = process.cpuUsage(applyStart);
    const applyMs = cpuMs(applyUsage);
    const applyWallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
    if (applied !== transactions)
      throw new Error(`applied ${applied} transactions, expected ${transactions}`);
    const rows = await store.get('SELECT COUNT(*) AS n FROM lot_events');
    return {
      decodeMs,
      applyMs,
      applySystemMs: applyUsage.system / 1000,
      applyWallMs,
      lotEvents: Number(rows.n),
    };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round3 = (v) => Math.round(v * 1000) / 1000;

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = options.json ? () => undefined : (line) => process.stdout.write(`${line}\n`);
  const transactions = options.blocks * options.perBlock;
  const load = (file) => require(path.join(options.dist, file));
  const gateway = {
    ...load('follower/apply-block.js'),
    ...load('follower/block-decode.js'),
    ...load('store/migrate.js'),
    ...load('store/sqlite-store.js'),
  };
  const blocks = await cachedBlocks(options, log);
  const bytes = blocks.measured.reduce((sum, block) => sum + block.length, 0);
  log(
    `${options.blocks} blocks of ${options.perBlock} transactions (${Math.round(bytes / transactions)} bytes a ` +
      `transaction), gateway build ${path.relative(process.cwd(), options.dist) || '.'}`,
  );
  const runs = [];
  for (let rep = 0; rep <= options.reps; rep++) {
    const run = await repetition(gateway, blocks, transactions);
    const perTx = {
      decodeMs: run.decodeMs / transactions,
      applyMs: run.applyMs / transactions,
      applySystemMs: run.applySystemMs / transactions,
      applyWallMs: run.applyWallMs / transactions,
    };
    log(
      `${rep === 0 ? 'warm-up' : `rep ${rep}`}: decode ${perTx.decodeMs.toFixed(3)} ms, apply ` +
        `${perTx.applyMs.toFixed(3)} ms (system ${perTx.applySystemMs.toFixed(3)} ms, wall ` +
        `${perTx.applyWallMs.toFixed(3)} ms) CPU per transaction`,
    );
    if (rep > 0) runs.push(perTx);
  }
  const summary = {
    blocks: options.blocks,
    perBlock: options.perBlock,
    repetitions: options.reps,
    dist: options.dist,
    cpuMsPerTransaction: {
      decode: round3(median(runs.map((r) => r.decodeMs))),
      apply: round3(median(runs.map((r) => r.applyMs))),
      total: round3(median(runs.map((r) => r.decodeMs + r.applyMs))),
    },
    applyWallMsPerTransaction: round3(median(runs.map((r) => r.applyWallMs))),
    machine: machine(),
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const c = summary.cpuMsPerTransaction;
    log(`median CPU per transaction: decode ${c.decode} ms, apply ${c.apply} ms, total ${c.total} ms`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
