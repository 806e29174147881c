/** Facts about the running transaction that every write records: its ID, its time and who submitted it. */
import type { Context } from 'fabric-contract-api';
import type { Actor, RecordMeta } from '../shared/records';
import { callerActor } from './identity';
import { boundOperator } from './operator';

/** The transaction's ID, proposal timestamp (ISO 8601) and submitter. */
export interface TxInfo {
  txId: string;
  timestamp: string;
  actor: Actor;
}

/** Each transaction's TxInfo (by its stub), worked out once: a recording transaction asks for it several times. */
const infoOf = new WeakMap<object, TxInfo>();

/**
 * The transaction's ID, time and submitter; time is the proposal's timestamp so every endorser agrees on it. The
 * submitter names the operator the transaction bound (see bindOperator), so every write must bind one first.
 */
export function txInfo(ctx: Context): TxInfo {
  const operator = boundOperator(ctx);
  const known = infoOf.get(ctx.stub);
  if (known && known.actor.operator === operator) return known;
  const ts = ctx.stub.getTxTimestamp();
  const millis = Number(ts.seconds.toString()) * 1000 + Math.floor(ts.nanos / 1_000_000);
  const info: TxInfo = Object.freeze({
    txId: ctx.stub.getTxID(),
    timestamp: new Date(millis).toISOString(),
    actor: Object.freeze(operator === undefined ? callerActor(ctx) : { ...callerActor(ctx), operator }),
  });
  infoOf.set(ctx.stub, info);
  return info;
}

/** Provenance for a record created in this transaction. */
export function newMeta(tx: TxInfo): RecordMeta {
  return {
    createdTxId: tx.txId,
    createdAt: tx.timestamp,
    createdBy: tx.actor,
    lastTxId: tx.txId,
    updatedAt: tx.timestamp,
    actor: tx.actor,
  };
}

/** The record with its last-change provenance set to this transaction. */
export function touched<T extends RecordMeta>(record: T, tx: TxInfo): T {
  return { ...record, lastTxId: tx.txId, updatedAt: tx.timestamp, actor: tx.actor };
}
