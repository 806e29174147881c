/**
 * The real chaincode on its in-memory test ledger (chaincode/test/support), seen from the gateway: its committed
 * history as the blocks the follower applies, and a FabricPort that evaluates on it. Store answers can then be
 * checked against what the chaincode itself answers for the same ledger.
 */
import { StatusCode } from '@hyperledger/fabric-gateway';
import type { FakeLedger, Identity } from '../../../../chaincode/test/support/fake-ledger';
import type { DecodedBlock, DecodedTransaction, KvWrite } from '../../../src/follower/block-decode';
import type { FabricPort, ProposalRequest, SubmitAttempt } from '../../../src/fabric/contract';
import type { ProvenanceIndex } from '../../../src/routes/provenance';
import { attempt, endorseRefusal, evaluateRefusal } from './fake-fabric';

/**
 * The ledger's committed transactions as blocks of one transaction each (block 0 onwards), from the history of
 * every key still in state (the genealogy stories used here delete no keys).
 */
export function blocksOf(ledger: FakeLedger, firstBlock = 0): DecodedBlock[] {
  const byTx = new Map<string, { seconds: number; writes: KvWrite[] }>();
  for (const key of ledger.state.keys()) {
    for (const modification of ledger.state.history(key)) {
      const tx = byTx.get(modification.txId) ?? {
        seconds: Number(modification.timestamp.seconds),
        writes: [],
      };
      tx.writes.push({ key, value: modification.isDelete ? null : modification.value });
      byTx.set(modification.txId, tx);
    }
  }
  const events = new Map(ledger.events.map((event) => [event.txId, event]));
  // The test ledger's clock moves one second per transaction: time orders them as they were committed.
  const ordered = [...byTx.entries()].sort((a, b) => a[1].seconds - b[1].seconds);
  return ordered.map(([txId, tx], i): DecodedBlock => {
    const event = events.get(txId);
    const transaction: DecodedTransaction = {
      txId,
      index: 0,
      validationCode: StatusCode.VALID,
      valid: true,
      ours: true,
      timestamp: new Date(tx.seconds * 1000),
      creatorMspId: 'ProducerMSP',
      writes: tx.writes,
      ...(event
        ? { event: { name: event.name, payload: new TextEncoder().encode(JSON.stringify(event.payload)) } }
        : {}),
    };
    return { number: firstBlock + i, transactions: [transaction] };
  });
}

/** Block numbers of the transactions in `blocks`, as the gateway's provenance index would find them. */
export function provenanceOf(blocks: readonly DecodedBlock[]): ProvenanceIndex {
  const blockOf = new Map(blocks.flatMap((block) => block.transactions.map((tx) => [tx.txId, block.number])));
  return {
    async blocksOf(txIds) {
      return new Map(txIds.filter((id) => blockOf.has(id)).map((id) => [id, blockOf.get(id)!]));
    },
  };
}

/**
 * A FabricPort whose evaluations and submissions run on the chaincode's test ledger as `caller`; a submission
 * commits in block 42 and reports the writes the chaincode made.
 */
export function chaincodePort(ledger: FakeLedger, caller: Identity): FabricPort & { evaluations: number } {
  const port = {
    evaluations: 0,
    async evaluate(request: ProposalRequest): Promise<Uint8Array> {
      port.evaluations++;
      const fn = request.contract ? `${request.contract}:${request.transaction}` : request.transaction;
      try {
        return new TextEncoder().encode(await ledger.evaluate(caller, fn, [...request.args]));
      } catch (error) {
        // A chaincode refusal reaches the gateway as the peer reports it.
        const body = (error as { body?: unknown }).body;
        throw body === undefined ? error : evaluateRefusal(body);
      }
    },
    async submitOnce(request: ProposalRequest): Promise<SubmitAttempt> {
      const fn = `${request.contract}:${request.transaction}`;
      let answer: string;
      try {
        answer = await ledger.submitArguments(caller, fn, [...request.args]);
      } catch (error) {
        const body = (error as { body?: unknown }).body;
        throw body === undefined ? error : endorseRefusal(body);
      }
      const writes = [...ledger.lastWrites].map(([key, value]) => ({ key, value: value ?? null }));
      return attempt(JSON.parse(answer), StatusCode.VALID, 42n, writes);
    },
  };
  return port;
}
