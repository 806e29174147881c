/** Response shapes shared by the routers: a committed write carries the transaction that wrote it. */
import type { Response } from 'express';
import type { Committed } from '../fabric/contract';

/** Where the ledger recorded a write. */
export interface TxReceipt {
  txId: string;
  blockNumber: number;
  /** Transaction timestamp (ISO 8601): the time the chaincode recorded. */
  timestamp: string;
  /** When the gateway saw the commit (ISO 8601). */
  committedAt: string;
}

/** The receipt of a committed write. */
export function receiptOf(committed: Committed<unknown>): TxReceipt {
  return {
    txId: committed.txId,
    blockNumber: Number(committed.blockNumber),
    timestamp: committed.timestamp.toISOString(),
    committedAt: committed.committedAt.toISOString(),
  };
}

/** Answers a committed write: `{ data: <chaincode answer>, tx: <receipt> }`. */
export function sendCommitted(res: Response, status: number, committed: Committed<unknown>): void {
  res.status(status).json({ data: committed.result, tx: receiptOf(committed) });
}
